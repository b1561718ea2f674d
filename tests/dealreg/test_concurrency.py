"""Two PAMs approving two partners' registrations for one customer at the same moment: real concurrent
transactions on PostgreSQL, each thread with its own connection. Exactly one wins."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from dealreg import services
from dealreg.models import DealRegistration, OpportunityPartner


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = ("ok", call())
        except ValidationError as error:
            results[i] = ("refused", error.messages[0])
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[i] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_concurrent_approvals_for_one_domain_one_wins(
    attempt, registration, other_partner_admin, submit, pam, other_pam,
):
    theirs = submit(other_partner_admin)
    results = _race([
        lambda: services.registration_approve(registration=registration, reviewer=pam, reason="mine"),
        lambda: services.registration_approve(registration=theirs, reviewer=other_pam, reason="mine too"),
    ])
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["ok", "refused"], results
    message = next(r[1] for r in results if r[0] == "refused")
    assert "is already approved for globex.example" in message
    assert DealRegistration.objects.filter(domain="globex.example", status="approved").count() == 1
    # Nothing of the loser's approval was written: one attachment, one history event per approval.
    assert OpportunityPartner.objects.count() == 1
    assert DealRegistration.objects.get(status="submitted").events.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_refuses_a_second_approved_registration_for_a_domain(registration, other_partner_admin, submit,
                                                                          pam):
    theirs = submit(other_partner_admin)
    services.registration_approve(registration=registration, reviewer=pam, reason="ok")
    with pytest.raises(IntegrityError), transaction.atomic():
        DealRegistration.objects.filter(pk=theirs.pk).update(
            status="approved", expires_on=registration.expires_on, opportunity=registration.opportunity_id
        )
