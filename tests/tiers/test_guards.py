"""Guarded recalculations: as-of dates that make sense, an explicit confirmation, stale previews refused,
one scheduled run per kind and day (the database's word, with two real transactions), and published years
whose requirements a run used are copied, not edited."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from program.models import ProgramYear
from tests.factories import program_year_like_2022
from tiers import rules, services
from tiers.models import RecalculationRun

from .conftest import add_people, win

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(("kind", "as_of", "message"), [
    ("annual", date(2026, 7, 1), "choose 1 Jan 2026, not 1 Jul 2026"),
    ("annual", date(2027, 1, 1), "1 Jan 2027 is in the future"),
    ("midyear", date(2027, 6, 1), "1 Jun 2027 is in the future"),
    ("midyear", date(2026, 12, 2), "2 Dec 2026 is in the future"),
])
def test_as_of_rules(kind, as_of, message):
    assert message in rules.as_of_problem(kind, as_of, today=TODAY)


@pytest.mark.parametrize(("kind", "as_of"), [("annual", date(2026, 1, 1)), ("midyear", TODAY),
                                             ("midyear", date(2022, 7, 1)), ("annual", date(2028, 1, 1))])
def test_as_of_dates_that_are_allowed(kind, as_of):
    assert rules.as_of_problem(kind, as_of, today=date(2028, 2, 29)) is None


def test_both_kinds_default_to_today_and_need_a_published_year(partner_admin, freeze):
    freeze(date(2026, 1, 1))
    run = services.run_preview(kind="annual")
    assert (run.as_of, run.program_year.year, run.revenue_from) == (date(2026, 1, 1), 2026, date(2025, 1, 1))
    freeze(TODAY)
    assert services.run_preview(kind="midyear").as_of == TODAY
    with pytest.raises(ValidationError) as error:
        services.run_preview(kind="annual", as_of=date(2025, 1, 1))
    assert "There is no published 2025 program year" in error.value.message_dict["as_of"][0]
    program_year_like_2022(2025, status="draft")
    with pytest.raises(ValidationError, match="2025 program year is a draft"):
        services.run_preview(kind="annual", as_of=date(2025, 1, 1))


def test_a_closed_year_takes_no_new_run_and_its_runs_stay_readable(partner_admin, program_admin, client):
    run = services.recalculate(kind="midyear", as_of=date(2022, 7, 1), apply=True)
    y2022 = ProgramYear.objects.get(year=2022)
    from program.services import program_year_close

    program_year_close(program_year=y2022, user=program_admin, today=TODAY)
    with pytest.raises(ValidationError, match="2022 program year is closed"):
        services.run_preview(kind="midyear", as_of=date(2022, 8, 1))
    client.force_login(program_admin)
    page = client.get(reverse("tiers:run_detail", args=[run.pk]))
    assert page.status_code == 200 and "Mid-year recalculation as of 1 Jul 2022" in page.content.decode()
    assert RecalculationRun.objects.get(pk=run.pk).status == "applied"


def test_a_preview_superseded_by_a_later_applied_run_is_stale(client, program_admin, partner, partner_admin):
    add_people(partner, both=15)
    win(partner, "1000000", date(2022, 3, 1))
    older = services.run_preview(kind="midyear", as_of=date(2022, 7, 1), started_by=program_admin)
    newer = services.run_preview(kind="midyear", as_of=date(2022, 8, 1), started_by=program_admin)
    services.run_apply(run=newer, user=program_admin)
    with pytest.raises(ValidationError, match="This preview is stale"):
        services.run_apply(run=older, user=program_admin)
    client.force_login(program_admin)
    assert "Stale preview" in client.get(reverse("tiers:runs")).content.decode()
    assert "This preview is stale" in client.get(reverse("tiers:run_detail", args=[older.pk])).content.decode()
    response = client.post(reverse("tiers:run_apply", args=[older.pk]), {"confirm": "yes"})
    assert response.status_code == 400 and "This preview is stale" in response.content.decode()
    body = client.get(reverse("api:tier_run_detail", args=[older.pk])).json()
    assert body["is_stale"] is True and body["status"] == "preview"
    response = client.post(reverse("api:tier_run_apply", args=[older.pk]), {"confirm": True},
                           content_type="application/json")
    assert response.status_code == 400 and "stale" in response.json()["non_field_errors"][0]
    assert RecalculationRun.objects.get(pk=older.pk).status == "preview"
    # A preview of another program year is not superseded by it.
    other_year = services.run_preview(kind="annual", as_of=date(2023, 1, 1))
    assert client.get(reverse("api:tier_run_detail", args=[other_year.pk])).json()["is_stale"] is False


def test_the_confirmation_page_shows_the_counts_with_designated_partners_kept(client, program_admin, partner,
                                                                               partner_admin, other_partner_admin):
    type(partner).objects.filter(pk=partner.pk).update(tier="global_strategic")
    run = services.run_preview(kind="annual", as_of=date(2023, 1, 1))
    client.force_login(program_admin)
    html = client.get(reverse("tiers:run_apply", args=[run.pk])).content.decode()
    assert f"<th scope=\"row\">Move down</th><td class=\"text-end text-danger\">{run.down_count}</td>" in html
    assert "Global Strategic, kept (designated)</th><td class=\"text-end\">1</td>" in html


def test_scheduled_run_is_unique_per_kind_and_day_in_the_database(partner_admin):
    services.run_preview(kind="annual", as_of=date(2023, 1, 1), scheduled=True)
    services.run_preview(kind="annual", as_of=date(2023, 1, 1))  # a person's preview is not limited
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        services.run_preview(kind="annual", as_of=date(2023, 1, 1), scheduled=True)


@pytest.mark.django_db(transaction=True)
def test_two_beats_starting_the_same_scheduled_run_at_once_make_one_run(partner_admin):
    """Two real transactions on PostgreSQL: the second insert waits on the first's uncommitted row, is
    refused by the partial unique index, and applies (idempotently) the first one's run."""
    assert connection.vendor == "postgresql"
    barrier, results, errors = threading.Barrier(2), [], []

    def beat():
        try:
            barrier.wait()
            results.append(services.scheduled_recalculation(kind="annual", as_of=date(2023, 1, 1)).pk)
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
    runs = RecalculationRun.objects.filter(kind="annual", as_of=date(2023, 1, 1))
    assert runs.count() == 1 and runs.get().status == "applied" and runs.get().scheduled
    assert results[0] == results[1] == runs.get().pk


def test_a_published_year_used_by_an_applied_run_is_copied_not_edited(client, program_admin, partner_admin):
    y2023 = ProgramYear.objects.get(year=2023)
    services.program_year_update(program_year=y2023, user=program_admin, provisional_period_days=60,
                                 requirements={"silver": {"min_revenue_usd": Decimal("210000")}})  # not used yet
    services.recalculate(kind="annual", as_of=date(2023, 1, 1), apply=True)
    with pytest.raises(ValidationError, match="copy it to a new year instead"):
        services.program_year_update(program_year=y2023, user=program_admin, provisional_period_days=30,
                                     requirements={})
    client.force_login(program_admin)
    page = client.get(reverse("tiers:program_years")).content.decode()
    assert "Runs that used it:" in page and "annual as of 1 Jan 2023" in page
    assert 'data-status="published"' in page and 'data-status="draft"' not in page
    edit = client.get(reverse("tiers:program_year_edit", args=[2023])).content.decode()
    assert 'id="edit-refusal"' in edit
    response = client.patch(reverse("api:program_year_detail", args=[2023]), {"provisional_period_days": 30},
                            content_type="application/json")
    assert response.status_code == 400 and "copy it to a new year" in response.json()["non_field_errors"][0]
    assert ProgramYear.objects.get(year=2023).provisional_period_days == 60
    body = client.get(reverse("api:program_year_detail", args=[2023])).json()
    assert body["status"] == "published" and [r["as_of"] for r in body["applied_runs"]] == ["2023-01-01"]


def test_publish_and_close_from_the_page_and_the_api_are_audited(client, program_admin):
    from activity.models import AuditEntry

    program_year_like_2022(2027, status="draft")
    client.force_login(program_admin)
    assert client.post(reverse("tiers:program_year_publish", args=[2027])).status_code == 302
    assert ProgramYear.objects.get(year=2027).status == "published"
    again = client.post(reverse("tiers:program_year_publish", args=[2027]))
    assert again.status_code == 400 and "only a draft can be published" in again.content.decode()
    response = client.post(reverse("api:program_year_close", args=[2027]))
    assert response.status_code == 400 and "runs until 31 Dec 2027" in response.json()["non_field_errors"][0]
    response = client.post(reverse("api:program_year_close", args=[2022]))
    assert response.status_code == 200 and response.json()["status"] == "closed"
    actions = list(AuditEntry.objects.filter(object_type="program.programyear").values_list("action", "actor"))
    assert actions.count(("program.year_publish", program_admin.pk)) == 1
    assert actions.count(("program.year_close", program_admin.pk)) == 1


def test_the_tier_page_shows_one_history_line_per_applied_run(client, partner, partner_admin, program_admin):
    add_people(partner, both=15)
    win(partner, "1000000", date(2022, 3, 1))
    services.recalculate(kind="midyear", as_of=date(2022, 7, 1), apply=True)  # silver -> gold
    services.run_preview(kind="midyear", as_of=date(2022, 8, 1))  # a preview is not history
    services.recalculate(kind="annual", as_of=date(2023, 1, 1), apply=True)  # stays gold
    client.force_login(partner_admin)
    html = client.get(reverse("tiers:standing")).content.decode()
    history = html[html.index('id="tier-history"'):]
    assert history.count("<li class=\"list-group-item\" data-run=") == 2
    assert history.index("1 Jan 2023") < history.index("1 Jul 2022")
    assert "mid-year (2022 program year) ·\n          Silver → Gold" in history
    body = client.get(reverse("api:tier_standing")).json()
    assert [(h["as_of"], h["kind"], h["program_year"], h["previous_tier"], h["applied_tier"])
            for h in body["tier_history"]] == [("2023-01-01", "annual", 2023, "gold", "gold"),
                                                ("2022-07-01", "midyear", 2022, "silver", "gold")]
