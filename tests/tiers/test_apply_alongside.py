"""A run that changes many tiers writes its notifications on a second connection while the apply writes the
tiers and the audit trail (core.alongside): the same notifications, in a transaction of their own that
commits just after the apply's and never without it. On real PostgreSQL, with committed data, since a second
connection sees nothing else."""

from datetime import date

import psycopg2
import pytest
from django.db import connection, transaction

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


def test_the_notifications_are_the_same_written_alongside_in_a_transaction_of_their_own(
        notices_alongside, monkeypatch, program_admin):
    climbers = partners_moving_up(3)
    emailed = []
    enqueue_email = activity_services._enqueue_email

    def enqueued(ids):
        emailed.append((sorted(ids), committed_count(Notification, ids)))
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
        expected |= {(user.pk, str(sorted(params.items())), services.TIER_PAGE_URL) for user in partner.users.all()}
    assert {(n.recipient_id, str(sorted(n.params.items())), n.url) for n in notices} == expected
    # Another transaction than the tiers' audit entries; their emails enqueued once that one had committed.
    tier_audit = AuditEntry.objects.filter(action="tiers.tier_change", partner_id__in=[p.pk for p in climbers])
    assert tier_audit.count() == 3
    assert len(xmins(notices)) == 1 and xmins(notices) != xmins(tier_audit)
    ids = sorted(notices.values_list("pk", flat=True))
    assert (ids, 3) in emailed  # (the other: the program admins told of Gold partners without a PAM)


def test_a_run_that_also_writes_its_tiers_in_place_takes_the_table_lock_once_the_side_has_read(
        notices_alongside, monkeypatch, program_admin):
    climbers = partners_moving_up(2)
    monkeypatch.setattr(tier_writes, "IN_PLACE_MIN_CHANGES", 2)
    locked = []
    table_locked = tier_writes._table_locked
    monkeypatch.setattr(tier_writes, "_table_locked", lambda cursor: locked.append(table_locked(cursor)) or locked[-1])
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    run, applied = services.run_apply(run=run, user=program_admin)
    assert applied and locked == [True]  # at the first try: the side's reads held no lock by then
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
        notices_alongside, monkeypatch, program_admin):
    climbers = partners_moving_up(2)
    written = []
    notify_tier_changes = services._notify_tier_changes

    def noted(run, changes):
        written.append(ids := notify_tier_changes(run, changes))
        return ids

    def fails(run):
        raise RuntimeError("the apply fails after the notifications were written")

    monkeypatch.setattr(services, "_notify_tier_changes", noted)
    monkeypatch.setattr(services, "_notify_silver_without_pam", fails)
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    with pytest.raises(RuntimeError, match="after the notifications"):
        services.run_apply(run=run, user=program_admin)
    assert len(written) == 1 and len(written[0]) == 2
    assert committed_count(Notification, written[0]) == 0
    assert_nothing_applied(run, climbers)


def test_the_apply_fails_when_its_notifications_cannot_be_written(notices_alongside, monkeypatch, program_admin):
    climbers = partners_moving_up(2)

    def refused(**kwargs):
        raise RuntimeError("the notifications could not be written")

    monkeypatch.setattr(services, "notify_select", refused)
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
