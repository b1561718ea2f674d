"""Recalculation runs, the designation and program years, on PostgreSQL."""

import json
import os
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from activity.models import AuditEntry, Notification
from partners.models import Partner, TierLevel
from program import services as program_services
from program.models import ProgramYear
from tests.factories import PartnerFactory, UserFactory, accept_partner_agreement
from tiers import services
from tiers.models import Assessment, Designation, ProvisionalPeriod, RecalculationRun, Tier

from .conftest import add_people, make_silver, win

pytestmark = pytest.mark.django_db

ANNUAL_2023 = date(2023, 1, 1)


def registered_partner(**kwargs):
    partner = PartnerFactory(**kwargs)
    accept_partner_agreement(partner, UserFactory(partner=partner, partner_role="admin"))
    return partner


def test_preview_records_every_partner_and_changes_nothing(partner_admin, partner, other_partner_admin, program_admin):
    make_silver(partner)
    add_people(partner, both=5)
    win(partner, "800000", date(2022, 9, 1))  # Gold now
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023, started_by=program_admin)
    assert (run.status, run.program_year.year, run.revenue_from, run.revenue_to) == (
        "preview", 2023, date(2022, 1, 1), date(2022, 12, 31))
    mine = run.assessments.get(partner=partner)
    assert (mine.previous_tier, mine.computed_tier, mine.applied_tier, mine.movement) == ("silver", "gold", "gold", "up")
    assert (mine.certified_technical, mine.sales_trained, mine.revenue_usd) == (15, 10, Decimal("1000000.00"))
    other = run.assessments.get(partner=partner.__class__.objects.get(name="Other Co"))
    assert (other.applied_tier, other.movement) == ("registered", "down")
    assert "Bronze needs 3 platform-certified technical people; you have 0." in other.reason_texts
    assert (run.up_count, run.down_count) == (1, 1)
    partner.refresh_from_db()
    assert partner.tier == "silver"
    assert not AuditEntry.objects.filter(action="tiers.tier_change").exists()


def test_apply_writes_tiers_audit_and_notifications_once(partner_admin, partner_member, partner, other_partner_admin,
                                                         program_admin, django_capture_on_commit_callbacks):
    make_silver(partner)
    add_people(partner, both=5)
    win(partner, "800000", date(2022, 9, 1))
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023, started_by=program_admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run, applied = services.run_apply(run=run, user=program_admin)
    assert applied and run.status == "applied" and run.changed_count == 2
    assert callbacks, "emails are enqueued after commit"
    partner.refresh_from_db()
    assert (partner.tier, partner.tier_since) == ("gold", ANNUAL_2023)
    entry = AuditEntry.objects.get(action="tiers.tier_change", partner_id=partner.pk)
    assert (entry.before, entry.after["tier"], entry.actor) == ({"tier": "silver"}, "gold", program_admin)
    assert entry.after["run"] == run.pk and f"(run {run.pk})" in entry.reason
    # The bulk notices store no words (rendered when read or sent, in the reader's language).
    subjects = {n.display_subject for n in Notification.objects.filter(recipient__partner=partner)}
    assert subjects == {"Acme Consulting moved up to Gold"}
    assert Notification.objects.filter(recipient__partner=partner).count() == 2  # admin and member
    body = Notification.objects.filter(recipient__partner=partner).first().display_body
    assert body.startswith("The annual tier recalculation as of 1 Jan 2023 (2023 program year) moved up")

    again, applied_again = services.run_apply(run=run, user=program_admin)
    assert not applied_again
    assert AuditEntry.objects.filter(action="tiers.tier_change").count() == 2
    assert Notification.objects.filter(recipient__partner=partner).count() == 2


def test_partner_changed_after_preview_is_skipped_not_overwritten(partner_admin, partner, program_admin):
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    assert run.assessments.get(partner=partner).applied_tier == "registered"
    services.designation_give(partner=partner, user=program_admin, reason="Global alliance signed")
    run, _ = services.run_apply(run=run, user=program_admin)
    partner.refresh_from_db()
    assert partner.tier == "global_strategic"
    assert run.skipped_count == 1


def test_designated_partner_is_recorded_but_never_moved(partner_admin, partner, program_admin):
    services.designation_give(partner=partner, user=program_admin, reason="Strategic alliance")
    run = services.recalculate(kind="annual", as_of=ANNUAL_2023, apply=True)
    a = run.assessments.get(partner=partner)
    assert (a.designated, a.computed_tier, a.applied_tier, a.movement) == (True, "registered", "global_strategic", "same")
    partner.refresh_from_db()
    assert partner.tier == "global_strategic"


def test_designation_give_and_remove_audited_with_reason(partner_admin, partner, program_admin):
    make_silver(partner)
    designation = services.designation_give(partner=partner, user=program_admin, reason="Global alliance")
    assert designation.tier_before == "silver"
    assert AuditEntry.objects.get(action="tiers.designation_give").reason == "Global alliance"
    services.designation_remove(partner=partner, user=program_admin, reason="Alliance ended", as_of=date(2022, 12, 1))
    partner.refresh_from_db()
    assert partner.tier == "silver"  # what the trailing 365 days qualify for
    designation.refresh_from_db()
    assert (designation.removal_reason, designation.tier_after) == ("Alliance ended", "silver")
    assert AuditEntry.objects.get(action="tiers.designation_remove").after == {"tier": "silver"}
    assert Designation.objects.filter(partner=partner, removed_at__isnull=True).count() == 0


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_designation_needs_a_reason(partner, program_admin, reason):
    with pytest.raises(ValidationError) as error:
        services.designation_give(partner=partner, user=program_admin, reason=reason)
    assert "reason" in error.value.error_dict
    partner.refresh_from_db()
    assert partner.tier == "silver"


def test_designation_refused_for_non_admins_twice_and_unregistered(partner, pam, program_admin):
    with pytest.raises(ValidationError):
        services.designation_give(partner=partner, user=pam, reason="because")
    services.designation_give(partner=partner, user=program_admin, reason="because")
    with pytest.raises(ValidationError):
        services.designation_give(partner=partner, user=program_admin, reason="again")
    with pytest.raises(ValidationError):
        services.designation_give(partner=PartnerFactory(tier=""), user=program_admin, reason="not enrolled")
    with pytest.raises(ValidationError):
        services.designation_remove(partner=PartnerFactory(), user=program_admin, reason="not designated")


def test_mid_year_provisional_period_opens_continues_and_demotes(partner_admin, partner, program_admin):
    add_people(partner, certified=3, both=5)  # 8 certified (Silver needs 10), 5 trained
    win(partner, "300000", date(2022, 5, 1))
    run = services.recalculate(kind="midyear", as_of=date(2022, 7, 1), apply=True)
    assert run.assessments.get(partner=partner).provisional_action == "open"
    period = ProvisionalPeriod.objects.get(partner=partner, closed_on__isnull=True)
    assert (period.tier, period.opened_on, period.ends_on) == ("silver", date(2022, 7, 1), date(2022, 9, 29))
    partner.refresh_from_db()
    assert partner.tier == "silver"

    services.recalculate(kind="midyear", as_of=date(2022, 8, 1), apply=True)
    partner.refresh_from_db()
    assert partner.tier == "silver"
    assert ProvisionalPeriod.objects.filter(partner=partner).count() == 1

    run = services.recalculate(kind="midyear", as_of=date(2022, 10, 1), apply=True)
    partner.refresh_from_db()
    assert (partner.tier, partner.tier_since) == ("bronze", date(2022, 10, 1))
    period.refresh_from_db()
    assert (period.closed_on, period.outcome, period.closed_by_run) == (date(2022, 10, 1), "expired", run)


def test_after_an_expired_provisional_period_gold_moves_to_the_tier_its_people_meet_not_lower(partner_admin, partner):
    """Guide p.12: partners "can only advance tiers during mid-year calculations", "exception made if there is a
    mid-year certification provisional period". Gold, 5 certified / 2 trained, no revenue: Bronze, not Registered."""
    Partner.objects.filter(pk=partner.pk).update(tier="gold")
    add_people(partner, certified=3, both=2)
    services.recalculate(kind="midyear", as_of=date(2022, 7, 1), apply=True)
    partner.refresh_from_db()
    assert partner.tier == "gold"
    run = services.recalculate(kind="midyear", as_of=date(2022, 10, 1), apply=True)
    a = run.assessments.get(partner=partner)
    assert (a.computed_tier, a.applied_tier, a.provisional_action) == ("registered", "bronze", "expired")
    partner.refresh_from_db()
    assert partner.tier == "bronze"
    assert AuditEntry.objects.filter(action="tiers.tier_change", partner_id=partner.pk,
                                     after__tier="bronze").exists()


def test_provisional_period_closes_when_the_counts_are_met_again(partner_admin, partner):
    add_people(partner, certified=3, both=5)
    win(partner, "300000", date(2022, 5, 1))
    services.recalculate(kind="midyear", as_of=date(2022, 7, 1), apply=True)
    add_people(partner, certified=2, completed_on=date(2022, 7, 15))
    services.recalculate(kind="midyear", as_of=date(2022, 8, 1), apply=True)
    period = ProvisionalPeriod.objects.get(partner=partner)
    assert period.outcome == "met"
    partner.refresh_from_db()
    assert partner.tier == "silver"


def test_provisional_period_length_comes_from_the_program_year(partner_admin, partner):
    ProgramYear.objects.filter(year=2022).update(provisional_period_days=30)
    add_people(partner, certified=3, both=5)
    services.recalculate(kind="midyear", as_of=date(2022, 7, 1), apply=True)
    assert ProvisionalPeriod.objects.get(partner=partner).ends_on == date(2022, 7, 31)


def test_mid_year_never_demotes_for_revenue(partner_admin, partner):
    add_people(partner, certified=5, both=5)  # people fine, no revenue at all
    run = services.recalculate(kind="midyear", as_of=date(2022, 7, 1), apply=True)
    a = run.assessments.get(partner=partner)
    assert (a.computed_tier, a.applied_tier, a.provisional_action) == ("registered", "silver", "")


def test_a_run_uses_the_program_year_of_its_as_of_date(partner_admin, partner, program_admin):
    make_silver(partner, year=2023)
    y2024 = services.program_year_copy(source=ProgramYear.objects.get(year=2022), year=2024, user=program_admin)
    services.program_year_update(program_year=y2024, user=program_admin, provisional_period_days=60,
                                 requirements={"silver": {"min_revenue_usd": Decimal("250000")}})
    program_services.program_year_publish(program_year=y2024, user=program_admin)
    run = services.run_preview(kind="annual", as_of=date(2024, 1, 1))
    assert run.program_year == y2024
    a = run.assessments.get(partner=partner)
    assert a.applied_tier == "bronze"
    assert "Silver needs $250,000 of closed-won revenue in 2023; you have $200,000." in a.reason_texts


def test_copy_program_year_refuses_an_existing_year_and_bad_years(program_admin):
    source = ProgramYear.objects.get(year=2022)
    for year in (2022, 1999, 2101):
        with pytest.raises(ValidationError) as error:
            services.program_year_copy(source=source, year=year, user=program_admin)
        assert "year" in error.value.error_dict
    assert not ProgramYear.objects.filter(year__in=(1999, 2101)).exists()


def test_program_year_update_keeps_requirements_cumulative_and_is_all_or_nothing(program_admin):
    year = ProgramYear.objects.get(year=2022)
    with pytest.raises(ValidationError) as error:
        services.program_year_update(program_year=year, user=program_admin, provisional_period_days=0, requirements={
            "bronze": {"min_certified_technical": 4}, "silver": {"min_sales_trained": 0}, "platinum": {}})
    assert set(error.value.error_dict) == {"provisional_period_days", "silver-min_sales_trained", "requirements"}
    assert year.tiers.get(level="bronze").min_certified_technical == 3


def test_preview_query_count_does_not_grow_with_partners(django_assert_max_num_queries, program_admin):
    def seed(n):
        for _ in range(n):
            p = registered_partner()
            add_people(p, certified=3, both=1)
            win(p, "25000", date(2022, 4, 1))

    seed(5)
    with django_assert_max_num_queries(14) as small:
        services.run_preview(kind="annual", as_of=ANNUAL_2023, started_by=program_admin)
    seed(45)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        run = services.run_preview(kind="annual", as_of=ANNUAL_2023, started_by=program_admin)
    assert run.partner_count == 50
    assert len(large.captured_queries) == len(small.captured_queries)
    seed(150)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert services.run_preview(kind="midyear", as_of=date(2022, 12, 1)).partner_count == 200


def test_apply_query_count_does_not_grow_with_partners(django_assert_max_num_queries, program_admin):
    def seed(n):
        for _ in range(n):
            p = registered_partner()
            add_people(p, certified=3, both=1)
            win(p, "25000", date(2022, 4, 1))

    seed(5)
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    with django_assert_max_num_queries(20) as small:
        services.run_apply(run=run, user=program_admin)
    Partner.objects.update(tier=TierLevel.REGISTERED)
    seed(45)
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert services.run_apply(run=run, user=program_admin)[0].changed_count == 50


@pytest.mark.parametrize(("kind", "as_of"), [("weekly", ANNUAL_2023), ("annual", "2023-01-01")])
def test_preview_refuses_bad_input(kind, as_of):
    with pytest.raises(ValidationError):
        services.run_preview(kind=kind, as_of=as_of)
    assert not RecalculationRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_admins_applying_the_same_run_at_once_apply_it_once(partner_admin, partner, program_admin):
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def apply():
        try:
            barrier.wait(timeout=10)
            results.append(services.run_apply(run=run, user=program_admin)[1])
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [False, True]
    assert AuditEntry.objects.filter(action="tiers.tier_change", partner_id=partner.pk).count() == 1
    assert Assessment.objects.filter(run=run).count() == Partner.objects.count()


def test_scheduled_recalculation_is_safe_twice(partner_admin, partner):
    first = services.scheduled_recalculation(kind="annual", as_of=ANNUAL_2023)
    second = services.scheduled_recalculation(kind="annual", as_of=ANNUAL_2023)
    assert first.pk == second.pk and first.status == "applied"
    assert RecalculationRun.objects.count() == 1


def _apply_snapshot(apply, run, actor):
    """Apply ``run`` with one of the two apply paths, read back every row it wrote, and roll it back."""

    class Undo(Exception):
        pass

    snapshot = {}
    try:
        with transaction.atomic():
            moving, changed, ids = apply(run, actor)
            snapshot["counts"] = (moving, changed, len(ids))
            snapshot["partners"] = sorted(Partner.objects.values_list("id", "tier", "tier_since"))
            snapshot["audit"] = sorted(AuditEntry.objects.filter(action="tiers.tier_change").values_list(
                "actor_id", "object_type", "object_id", "object_repr", "partner_id", "before", "after", "reason"))
            snapshot["notifications"] = sorted(Notification.objects.filter(pk__in=ids).values_list(
                "recipient_id", "to_email", "kind", "params", "subject", "body", "url", "email_attempts", "read_at",
                "emailed_at"))
            snapshot["periods"] = sorted(ProvisionalPeriod.objects.values_list(
                "partner_id", "tier", "opened_on", "ends_on", "opened_by_run_id", "closed_on", "closed_by_run_id",
                "outcome"))
            raise Undo
    except Undo:
        pass
    return snapshot


@pytest.mark.parametrize(("kind", "as_of"), [("annual", ANNUAL_2023), ("midyear", date(2022, 12, 1))])
def test_sql_apply_writes_the_same_rows_as_the_orm_apply(kind, as_of, partner, partner_admin, partner_member,
                                                         other_partner, program_admin):
    """The PostgreSQL apply (everything written by the server) and the ORM one (other databases) agree
    row for row: tiers, audit entries, notifications with their params, and provisional periods."""
    gold = registered_partner(name="Gold Co")
    make_silver(gold)
    add_people(gold, both=5)
    win(gold, "800000", date(2022, 9, 1))  # moves up (two users: the admin from registered_partner and one more)
    UserFactory(partner=gold, partner_role="member")
    UserFactory(partner=gold, partner_role="member", is_active=False)
    recovering = registered_partner(name="Recovering Co", tier=TierLevel.SILVER)
    make_silver(recovering)  # meets Silver again: its open period closes
    stale = registered_partner(name="Stale Co")
    make_silver(stale)
    earlier = services.run_preview(kind="midyear", as_of=date(2022, 6, 1))
    ProvisionalPeriod.objects.create(partner=recovering, tier=TierLevel.SILVER, opened_on=date(2022, 6, 1),
                                     ends_on=date(2022, 8, 30), opened_by_run=earlier)
    # `partner` (Silver, no people) moves down at the annual run and opens a provisional period mid-year.
    run = services.run_preview(kind=kind, as_of=as_of)
    Partner.objects.filter(pk=stale.pk).update(tier=TierLevel.GOLD)  # changed after the preview: skipped
    sql = _apply_snapshot(services._apply_tiers_sql, run, program_admin)
    orm = _apply_snapshot(services._apply_tiers_orm, run, program_admin)
    assert sql == orm
    assert sql["counts"][1] >= 1 and sql["counts"][0] > sql["counts"][1] and sql["notifications"] and sql["audit"]
    if kind == "midyear":
        assert {p[-1] for p in sql["periods"]} >= {"", "met"}


def test_reaching_silver_without_a_pam_tells_the_program_admins(program_admin):
    lonely = registered_partner(name="Lonely Climber", domain="lonely.example", pam=None)
    make_silver(lonely)
    assigned = registered_partner(name="Looked After", domain="looked.example", pam=UserFactory(staff_role="pam"))
    make_silver(assigned)
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023, started_by=program_admin)
    services.run_apply(run=run, user=program_admin)
    lonely.refresh_from_db()
    assert lonely.tier == TierLevel.SILVER
    note = Notification.objects.get(recipient=program_admin, subject="Partners reached Silver or above without a PAM")
    assert "Lonely Climber" in note.body and "Looked After" not in note.body
    assert note.url == "/staff/?pam=none"


def _assessment_rows(run):
    return list(run.assessments.order_by("partner_id").values_list(
        "partner_id", "certified_technical", "sales_trained", "revenue_usd", "agreement_accepted", "designated",
        "previous_tier", "computed_tier", "applied_tier", "movement", "reasons", "provisional_action",
        "provisional_ends_on"))


@pytest.mark.parametrize(("kind", "as_of"), [("annual", ANNUAL_2023), ("midyear", date(2022, 12, 1))])
def test_preview_spread_over_processes_writes_the_same_assessments(kind, as_of, monkeypatch, partner, partner_admin,
                                                                     program_admin):
    """The rules of a large run are computed in forked processes, one per core (tiers.parallel): three
    processes over a small program write the rows and counts one process writes."""
    for i in range(7):
        p = registered_partner(name=f"Co {i}", tier=[TierLevel.SILVER, TierLevel.BRONZE, ""][i % 3])
        add_people(p, certified=i, both=i % 4)
        win(p, str(40_000 * i), date(2022, 4, 1))
    alone = services.run_preview(kind=kind, as_of=as_of)
    monkeypatch.setattr(services, "SPREAD_FROM_PARTNERS", 1)
    monkeypatch.setattr(services.parallel, "cores", lambda: 3)
    spread = services.run_preview(kind=kind, as_of=as_of)
    assert _assessment_rows(spread) == _assessment_rows(alone) and len(_assessment_rows(alone)) == 8
    assert (spread.partner_count, spread.up_count, spread.down_count) == (
        alone.partner_count, alone.up_count, alone.down_count)


def test_preview_keeps_reasons_whose_tier_names_need_escaping(partner_admin, partner):
    """The rows reach COPY as text: a tier name with a quote, a backslash, a tab and a non-ASCII letter (JSON
    escapes, which COPY reads as escapes of its own unless doubled) comes back as the program named it."""
    name = 'Bro\\nze "Ñ"\t'
    Tier.objects.filter(program_year__year=2023, level=TierLevel.BRONZE).update(name=name)
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    reasons = run.assessments.get(partner=partner).reasons
    assert reasons[:2] == [{"code": "qualifies", "tier": "Registered"},
                           {"code": "requirement_short", "tier": name, "requirement": "platform_certified",
                            "have": 0, "need": 3}]


def test_preview_keeps_the_reasons_as_the_run_wrote_them(partner_admin, partner):
    """Reasons are kept as the text the run wrote (json, not jsonb: core.fields.JSONTextField): each reason reads
    code first, as the rules made it, and the text is the same jsonb as the values the page reads."""
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    assessment = run.assessments.get(partner=partner)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_typeof(reasons)::text, reasons::text, reasons::jsonb = %s::jsonb "
                       "FROM tiers_assessment WHERE id = %s", [json.dumps(assessment.reasons), assessment.pk])
        column, text, same_values = cursor.fetchone()
    assert column == "json" and same_values
    assert text.startswith('[{"code":"qualifies","tier":"Registered"},{"code":"requirement_short",')
    assert [next(iter(reason)) for reason in assessment.reasons] == ["code"] * len(assessment.reasons)


def test_a_preview_takes_the_partners_in_id_order_not_by_name(monkeypatch):
    """The run's partner list comes in the primary key's order: sorting every name by the database's collation
    was half of the read at a million partners. Names here sort the other way round from ids."""
    for i in range(6):
        registered_partner(name=f"Co {9 - i}")
    taken = []
    write = services._write_assessments

    def recording(run_id, partners, assessed):
        taken.extend(pk for pk, _tier in partners)
        return write(run_id, partners, assessed)

    monkeypatch.setattr(services, "_write_assessments", recording)
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    assert len(taken) == 6 and taken == sorted(taken)
    assert list(Partner.objects.filter(pk__in=taken).values_list("pk", flat=True)) == taken[::-1]  # by name
    assert sorted(run.assessments.values_list("partner_id", flat=True)) == taken


def test_a_tier_change_notification_gives_the_reasons_of_its_assessment(partner_admin, partner, program_admin):
    """The apply copies each moved partner's reasons into its users' notifications on the server (json into
    jsonb): the same values the assessment holds."""
    make_silver(partner)
    add_people(partner, both=5)
    win(partner, "800000", date(2022, 9, 1))
    run, _ = services.run_apply(run=services.run_preview(kind="annual", as_of=ANNUAL_2023), user=program_admin)
    notification = Notification.objects.get(recipient=partner_admin, kind=services.TIER_CHANGE_KIND)
    assert notification.params["reasons"] == run.assessments.get(partner=partner).reasons
    assert notification.params["reasons"][0] == {"code": "qualifies", "tier": "Gold"}


def test_a_failing_process_fails_the_preview_and_writes_nothing(monkeypatch, partner, partner_admin):
    for i in range(5):
        registered_partner(name=f"Co {i}")
    parent, assess = os.getpid(), services.rules.assess

    def failing_in_a_child(**kwargs):
        if os.getpid() != parent:
            raise RuntimeError("boom")
        return assess(**kwargs)

    monkeypatch.setattr(services, "SPREAD_FROM_PARTNERS", 1)
    monkeypatch.setattr(services.parallel, "cores", lambda: 2)
    monkeypatch.setattr(services.rules, "assess", failing_in_a_child)
    with pytest.raises(services.parallel.ChildFailed, match="boom"):
        services.run_preview(kind="annual", as_of=ANNUAL_2023)
    assert not RecalculationRun.objects.exists() and not Assessment.objects.exists()
