"""1 January: the new program year comes into force (a prepared draft is published, otherwise the year
before is copied and the program admins are told), the year before closes, the annual run uses the new year.
Safe twice, also at the same moment."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from activity.models import Notification
from activity.tasks import send_notification_emails
from benefits.models import Benefit
from build_portal import rollover
from build_portal.tasks import program_year_rollover
from funding.models import MdfTierDefault
from program.models import ProgramYear
from program.selectors import program_year_notice
from tests.factories import program_year_like_2022
from tiers.models import RecalculationRun

D = datetime.date


def test_31_december_to_1_january_without_a_prepared_year_copies_it(client, program_admin, partner_admin, freeze):
    y2026 = ProgramYear.objects.get(year=2026)
    MdfTierDefault.objects.create(program_year=y2026, tier="gold", amount=Decimal("50000.00"))
    freeze(D(2026, 12, 31))
    assert program_year_notice()["text"] == "The 2027 program year is not prepared yet: copy 2026 and edit it."
    freeze(D(2027, 1, 1), hour=2)
    result = program_year_rollover()
    y2027 = ProgramYear.objects.get(year=2027)
    assert result["year"] == 2027 and result["action"] == "copied" and y2027.status == "published"
    assert list(y2027.tiers.values_list("level", "min_revenue_usd")) == list(y2026.tiers.values_list("level", "min_revenue_usd"))
    assert Benefit.objects.filter(program_year=y2027).count() == Benefit.objects.filter(program_year=y2026).count() > 0
    assert MdfTierDefault.objects.get(program_year=y2027, tier="gold").amount == Decimal("50000.00")
    assert (y2027.deal_expiry_days, y2027.poc_max_amount) == (y2026.deal_expiry_days, y2026.poc_max_amount)
    assert ProgramYear.objects.get(year=2026).status == "closed"
    run = RecalculationRun.objects.get(pk=result["run"])
    assert (run.kind, run.as_of, run.program_year, run.status, run.scheduled) == (
        "annual", D(2027, 1, 1), y2027, "applied", True)
    # Every program admin is told, in the app and by email.
    told = Notification.objects.filter(recipient=program_admin, subject__contains="2027 program year was created")
    assert told.count() == 1 and told.get().url == "/staff/tiers/years/"
    send_notification_emails(list(told.values_list("pk", flat=True)))
    assert [m.to for m in mail.outbox] == [[program_admin.email]]
    # The partner sees the new year.
    client.force_login(partner_admin)
    assert client.get(reverse("api:tier_standing")).json()["program_year"] == 2027
    assert "Benefits of the 2027 program year" in client.get(reverse("tiers:standing")).content.decode()
    assert program_year_notice() is None


def test_a_prepared_draft_is_published_with_its_own_thresholds(program_admin, partner_admin, freeze):
    draft = program_year_like_2022(2027, status="draft", source_year=2026)
    draft.tiers.filter(level="bronze").update(min_revenue_usd=Decimal("30000"))
    freeze(D(2026, 12, 31))
    assert program_year_notice() is None  # prepared: nothing to say
    freeze(D(2027, 1, 1))
    result = rollover.rollover()
    assert result.action == "published" and result.program_year.pk == draft.pk
    assert result.run.program_year == draft
    assert not Notification.objects.filter(subject__contains="was created as a copy").exists()


def test_rollover_twice_in_a_row_changes_nothing_the_second_time(partner_admin, freeze):
    freeze(D(2027, 1, 1))
    first = rollover.rollover()
    second = rollover.rollover()
    assert (first.action, second.action) == ("copied", "none") and first.run.pk == second.run.pk
    assert ProgramYear.objects.filter(year=2027).count() == 1 and RecalculationRun.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_rollovers_at_the_same_moment_make_one_year_and_one_run(partner_admin):
    """Two real transactions on PostgreSQL (two beat processes): the second waits on the first's lock of the
    year before, then finds the new year in force and applies the one scheduled run."""
    assert connection.vendor == "postgresql"
    barrier, results, errors = threading.Barrier(2), [], []

    def beat():
        try:
            barrier.wait()
            results.append(rollover.rollover(today=D(2027, 1, 1)))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(r.action for r in results) == ["copied", "none"]
    assert ProgramYear.objects.filter(year=2027).count() == 1
    assert RecalculationRun.objects.filter(as_of=D(2027, 1, 1)).count() == 1
    assert results[0].run.pk == results[1].run.pk


@pytest.mark.without_current_year
def test_the_notice_says_when_the_current_year_has_no_published_year(db, freeze):
    freeze(D(2026, 6, 1))
    notice = program_year_notice()
    assert notice["level"] == "danger" and "The 2026 program year does not exist" in notice["text"]
    program_year_like_2022(2026)
    assert program_year_notice() is None  # June: next year's notice starts on 1 November
    freeze(D(2026, 11, 1))
    assert "2027 program year is not prepared yet" in program_year_notice()["text"]


def test_the_program_admin_home_offers_the_copy_from_1_november(client, program_admin, pam, freeze):
    freeze(D(2026, 12, 1))
    client.force_login(pam)
    assert 'id="program-year-notice"' not in client.get(reverse("partners:staff_home")).content.decode()
    client.force_login(program_admin)
    html = client.get(reverse("partners:staff_home")).content.decode()
    assert "The 2027 program year is not prepared yet: copy 2026 and edit it." in html
    assert f'action="{reverse("benefits:program_year_copy")}"' in html and "Copy 2026 to 2027" in html
    response = client.post(reverse("benefits:program_year_copy"), {"source": "2026", "year": "2027"})
    assert response["Location"] == reverse("tiers:program_year_edit", args=[2027])
    assert ProgramYear.objects.get(year=2027).status == "draft"
    assert 'id="program-year-notice"' not in client.get(reverse("partners:staff_home")).content.decode()
