"""Approvals never exceed the remaining MDF allocation, also when PAMs approve at the same moment:
real concurrent transactions on PostgreSQL (threads with their own connections)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from funding import selectors, services
from funding.models import FundingRequest, MdfAllocation, Status
from partners.models import Partner
from tests.factories import UserFactory

from .conftest import submit_mdf

D = Decimal
race = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[key] = exc
        finally:
            connection.close()
    thread = threading.Thread(target=run)
    thread.start()
    return thread


@race
def test_second_approval_waits_for_the_first_and_sees_its_amount(partner, partner_member, pam, program_admin,
                                                                 program_year):
    services.allocation_set(partner=partner, program_year=program_year, amount=D("6000"), admin=program_admin)
    first = submit_mdf(partner, partner_member)
    second = submit_mdf(partner, partner_member)
    results = {}
    with transaction.atomic():
        services.request_approve(funding_request=first, reviewer=pam, approved_amount=D("5000"), reason="first")
        # Another PAM approves the second request while the first transaction is still open.
        thread = _in_thread(lambda: services.request_approve(funding_request=second, reviewer=program_admin,
                                                             approved_amount=D("5000"), reason="second"),
                            results, "second")
        thread.join(timeout=1.0)
        assert thread.is_alive(), "the second approval must wait for the allocation row lock"
    thread.join(timeout=10)
    assert isinstance(results["second"], ValidationError)
    assert "USD 1,000.00" in results["second"].message_dict["approved_amount"][0]
    allocation = MdfAllocation.objects.get(partner=partner, program_year=program_year)
    assert (allocation.amount, allocation.committed) == (D("6000"), D("5000"))
    assert FundingRequest.objects.get(pk=second.pk).status == Status.SUBMITTED


@race
def test_many_pams_approving_at_once_never_overspend(partner, partner_member, program_admin, program_year):
    services.allocation_set(partner=partner, program_year=program_year, amount=D("10000"), admin=program_admin)
    requests = [submit_mdf(partner, partner_member, total_cost=D("3000"), requested_amount=D("1500")) for _ in range(16)]
    reviewers = [UserFactory(staff_role="pam") for _ in range(8)]
    Partner.objects.filter(pk=partner.pk).update(pam=None)  # every PAM may act on a partner without a PAM
    barrier = threading.Barrier(len(requests))
    results = {}

    def approve(fr, reviewer):
        barrier.wait()
        return services.request_approve(funding_request=fr, reviewer=reviewer, approved_amount=D("1500"), reason="go")

    threads = [_in_thread(lambda fr=fr, r=reviewers[i % 8]: approve(fr, r), results, fr.pk)
               for i, fr in enumerate(requests)]
    for t in threads:
        t.join(timeout=30)
    approved = [k for k, v in results.items() if not isinstance(v, Exception)]
    refused = [v for v in results.values() if isinstance(v, ValidationError)]
    assert len(approved) == 6 and len(refused) == 10  # 6 x 1,500 = 9,000 <= 10,000 < 7 x 1,500
    allocation = MdfAllocation.objects.get(partner=partner, program_year=program_year)
    figures = selectors.ledger_figures(partner=partner, program_year=program_year)
    assert allocation.committed == figures.committed == D("9000")
