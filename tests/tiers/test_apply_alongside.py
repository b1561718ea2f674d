"""A run that changes many tiers writes its notifications on two connections (core.alongside): a second one
starts on them while the apply writes the audit trail, and the apply takes what shares are left before it
writes the tiers. The same notifications; the second connection's in a transaction of its own that commits
just after the apply's and never without it. On real PostgreSQL, with committed data, since a second
connection sees nothing else."""

import json
import threading
from datetime import date

import psycopg2
import pytest
from django.db import connection, transaction
from django.urls import reverse

from activity import services as activity_services
from activity.models import AuditEntry, Notification
from core.alongside import alongside
from partners import tier_writes
from partners.models import Partner, TierLevel
from tiers import services
from tiers.models import Assessment, RecalculationRun

from .conftest import partners_moving_up

pytestmark = pytest.mark.django_db(transaction=True)

ANNUAL_2023 = date(2023, 1, 1)


@pytest.fixture
def notices_alongside(monkeypatch):
    monkeypatch.setattr(services, "NOTICES_ALONGSIDE_MIN_CHANGES", 2)
    monkeypatch.setattr(services, "NOTICE_SHARE", 1)


@pytest.fixture
def side_first(monkeypatch):
    """The apply's audit entries wait until the second connection has notified one share: with a handful of
    partners the apply could otherwise take every share itself. Returns the thread that wrote each share."""
    writers, side_wrote = [], threading.Event()
    notify_tier_changes, audit_record_select = services._notify_tier_changes, services.audit_record_select

    def noted(run, changes, between=None):
        ids = notify_tier_changes(run, changes, between)
        writers.append(threading.current_thread().name)
        if threading.current_thread().name == "alongside":
            side_wrote.set()
        return ids

    def after_the_side(**kwargs):
        assert side_wrote.wait(10)
        return audit_record_select(**kwargs)

    monkeypatch.setattr(services, "_notify_tier_changes", noted)
    monkeypatch.setattr(services, "audit_record_select", after_the_side)
    return writers


def xmins(queryset):
    """The ids of the transactions that wrote the rows."""
    table = queryset.model._meta.db_table
    ids = list(queryset.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT xmin::text FROM {table} WHERE id = ANY(%s)", [ids])  # noqa: S608
        return {x for (x,) in cursor.fetchall()}


def committed_count(model, ids):
    """Counted on a connection of its own: what any other session sees."""
    other = psycopg2.connect(**connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {model._meta.db_table} WHERE id = ANY(%s)", [ids])  # noqa: S608
            return cursor.fetchone()[0]
    finally:
        other.close()


def test_the_notifications_are_the_same_written_on_two_connections_in_two_transactions(
        notices_alongside, side_first, monkeypatch, program_admin):
    climbers = partners_moving_up(3)
    emailed = []
    enqueue_email = activity_services._enqueue_email

    def enqueued(ids):
        emailed.append((len(ids), committed_count(Notification, ids)))
        enqueue_email(ids)

    monkeypatch.setattr(activity_services, "_enqueue_email", enqueued)
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    run, applied = services.run_apply(run=run, user=program_admin)

    assert applied and run.changed_count == 3
    notices = Notification.objects.filter(kind=services.TIER_CHANGE_KIND)
    expected = set()
    for partner in climbers:
        a = Assessment.objects.get(run=run, partner=partner)
        params = services.tier_change_notice(run, partner.name, a.previous_tier, a.applied_tier, a.movement, a.reasons)
        expected |= {(user.pk, json.dumps(params, sort_keys=True), services.TIER_PAGE_URL) for user in partner.users.all()}
    assert {(n.recipient_id, json.dumps(n.params, sort_keys=True), n.url) for n in notices} == expected
    assert len(side_first) == 3 and side_first[0] == "alongside"  # one share (partner) each
    # The second connection's in a transaction of its own; the apply's shares in the tiers' own.
    tier_audit = AuditEntry.objects.filter(action="tiers.tier_change", partner_id__in=[p.pk for p in climbers])
    assert tier_audit.count() == 3 and len(xmins(tier_audit)) == 1
    assert len(xmins(notices) - xmins(tier_audit)) == 1
    assert len(xmins(notices)) == len(set(side_first))
    # Every email queued once the transaction that wrote its notification had committed.
    assert emailed and all(written == committed for written, committed in emailed)
    assert sum(n for n, _ in emailed) == 4  # the three partners' users, and the program admin told of no PAM


def test_a_run_that_also_writes_its_tiers_in_place_takes_the_table_lock_at_once_after_its_notifications(
        notices_alongside, side_first, monkeypatch, program_admin):
    climbers = partners_moving_up(2)
    monkeypatch.setattr(tier_writes, "IN_PLACE_MIN_CHANGES", 2)
    locked = []
    table_locked = tier_writes._table_locked
    monkeypatch.setattr(tier_writes, "_table_locked", lambda cursor: locked.append(table_locked(cursor)) or locked[-1])
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    run, applied = services.run_apply(run=run, user=program_admin)
    assert applied and locked == [True]  # at the first try: the second connection holds nothing of the table
    assert set(Partner.objects.filter(pk__in=[p.pk for p in climbers]).values_list("tier", flat=True)) == {
        TierLevel.GOLD}
    assert Notification.objects.filter(kind=services.TIER_CHANGE_KIND).count() == 2


def assert_nothing_applied(run, climbers):
    assert RecalculationRun.objects.get(pk=run.pk).status == RecalculationRun.Status.PREVIEW
    assert set(Partner.objects.filter(pk__in=[p.pk for p in climbers]).values_list("tier", flat=True)) == {
        TierLevel.REGISTERED}
    assert not AuditEntry.objects.filter(action="tiers.tier_change").exists()
    assert not Notification.objects.filter(kind=services.TIER_CHANGE_KIND).exists()


def test_notifications_written_alongside_roll_back_when_the_apply_fails_after_them(
        notices_alongside, side_first, monkeypatch, program_admin):
    climbers = partners_moving_up(2)
    written = []
    notify_select = services.notify_select

    def noted(**kwargs):
        written.extend(ids := notify_select(**kwargs))
        return ids

    def fails(run):
        raise RuntimeError("the apply fails after the notifications were written")

    monkeypatch.setattr(services, "notify_select", noted)
    monkeypatch.setattr(services, "_notify_silver_without_pam", fails)
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    with pytest.raises(RuntimeError, match="after the notifications"):
        services.run_apply(run=run, user=program_admin)
    assert len(written) == 2 and "alongside" in side_first
    assert committed_count(Notification, written) == 0
    assert_nothing_applied(run, climbers)


def test_the_apply_fails_when_the_second_connection_cannot_write_its_notifications(
        notices_alongside, monkeypatch, program_admin):
    climbers = partners_moving_up(2)
    notify_select, audit_record_select = services.notify_select, services.audit_record_select
    side_tried = threading.Event()

    def refused(**kwargs):
        if threading.current_thread().name == "alongside":
            side_tried.set()
            raise RuntimeError("the notifications could not be written")
        return notify_select(**kwargs)

    def after_the_side(**kwargs):
        assert side_tried.wait(10)
        return audit_record_select(**kwargs)

    monkeypatch.setattr(services, "notify_select", refused)
    monkeypatch.setattr(services, "audit_record_select", after_the_side)
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    with pytest.raises(RuntimeError, match="could not be written"):
        services.run_apply(run=run, user=program_admin)
    assert_nothing_applied(run, climbers)


def test_a_run_changing_fewer_tiers_notifies_in_its_own_transaction(program_admin):
    climbers = partners_moving_up(2)  # below NOTICES_ALONGSIDE_MIN_CHANGES
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    services.run_apply(run=run, user=program_admin)
    notices = Notification.objects.filter(kind=services.TIER_CHANGE_KIND)
    tier_audit = AuditEntry.objects.filter(action="tiers.tier_change", partner_id__in=[p.pk for p in climbers])
    assert notices.count() == 2 and xmins(notices) == xmins(tier_audit)


def test_no_second_connection_inside_a_callers_transaction():
    """It would not see what the caller wrote: work started there runs in the caller's transaction."""
    with transaction.atomic(), alongside() as side:
        assert not side.available
        with pytest.raises(RuntimeError):
            side.start(reads=lambda: None, writes=lambda value: None)
    with alongside() as side:
        assert side.available


def test_applying_through_the_api_writes_the_notifications_on_two_connections(
        notices_alongside, side_first, client, program_admin):
    partners_moving_up(2)
    client.force_login(program_admin)
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    response = client.post(reverse("api:tier_run_apply", args=[run.pk]), {"confirm": True},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "applied"
    assert Notification.objects.filter(kind=services.TIER_CHANGE_KIND).count() == 2
    assert side_first[0] == "alongside"


def test_applying_on_the_staff_page_writes_the_notifications_on_two_connections(
        notices_alongside, side_first, client, program_admin):
    partners_moving_up(2)
    client.force_login(program_admin)
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    response = client.post(reverse("tiers:run_apply", args=[run.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    assert RecalculationRun.objects.get(pk=run.pk).status == RecalculationRun.Status.APPLIED
    assert Notification.objects.filter(kind=services.TIER_CHANGE_KIND).count() == 2
    assert side_first[0] == "alongside"
