"""Writes of the tiers app: recalculation runs (preview, apply), the Global Strategic designation and
program years. Each runs in one transaction with its audit entries and notifications (a run applying 5,000 tier
changes or more shares the writing of its tier-change notifications with a second connection, whose transaction
commits just after it: _apply_tiers_sql)."""

from __future__ import annotations

import contextlib
import datetime
import gc
import queue
from collections.abc import Callable, Generator, Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modeltranslation.utils import get_translation_fields

from activity.actions import AuditAction
from activity.services import (
    AuditRow,
    NotificationRow,
    audit_record,
    audit_record_many,
    audit_record_select,
    notify,
    notify_many,
    notify_select,
)
from core.alongside import Alongside, alongside
from core.formatting import day
from core.rows import driver_rows
from partners import selectors as partner_selectors
from partners import tier_writes
from partners.models import Completion, Partner, TierLevel, User
from program.models import ProgramYear
from program.selectors import program_year_for

from . import parallel, rules, selectors
from .models import Assessment, Designation, ProvisionalPeriod, RecalculationRun, Tier

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from partners.models import User

    Actor = User | AnonymousUser | None

BATCH = 5_000
TIER_PAGE_URL = "/tier/"
# Movement counts of a run (up, down, same); a changed partner as the apply reads it back: (id, name, previous
# tier, applied tier, movement, reasons); the rules of a share of partners, as _write_assessments takes them.
Counts = dict[str, int]
TierChange = tuple[int, str, str, str, str, list[dict[str, Any]]]
Assessed = Callable[[list[tuple[int, str]], Counts],
                    Iterable[tuple[int, Any, bool, "rules.Outcome"]]]


# --- Recalculation -------------------------------------------------------------------------------------------


def run_preview(*, kind: str, as_of: datetime.date | None = None, started_by: Actor = None, scheduled: bool = False,
                today: datetime.date | None = None) -> RecalculationRun:
    """Compute every active partner's tier for ``kind`` as of ``as_of`` (default today) and record it as a
    preview (dry run), with the requirements of the published program year covering ``as_of``.

    Set-based: a fixed number of queries whatever the number of partners (see selectors.metrics_by_partner).
    Nothing about any partner changes until run_apply. ``scheduled``: the beat job's run, at most one per
    kind and as-of date (the database refuses a second: IntegrityError, see scheduled_recalculation).
    """
    today = today or timezone.localdate()
    as_of = today if as_of is None else as_of
    if kind not in rules.KINDS:
        raise ValidationError({"kind": _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(rules.KINDS)}})
    if not isinstance(as_of, datetime.date):
        raise ValidationError({"as_of": _("Enter a date (YYYY-MM-DD).")})
    problem = rules.as_of_problem(kind, as_of, today=today)
    if problem:
        raise ValidationError({"as_of": problem})
    program_year = program_year_for(as_of, field="as_of")
    if not program_year.is_published:
        raise ValidationError({"as_of": _("The %(year)s program year is closed: its tiers are history and no "
                                          "recalculation runs on it any more.") % {"year": program_year.year}})
    requirements = selectors.requirements_for(program_year)
    start, end = rules.revenue_window(kind, as_of)
    with transaction.atomic(), _garbage_collector_paused():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The people counts are COUNT(DISTINCT) over every current completion (~600,000 rows at
                # 100,000 partners): at the default 4 MB the sorts spill to disk. For this transaction only.
                cursor.execute("SET LOCAL work_mem = '64MB'")
        # In id order, the primary key's, not the model's name order: the rules need no order, and sorting a
        # million names by the database's collation was half of this read (1.19 -> 0.59 s).
        partners = driver_rows(selectors.partners_in_scope().values_list("id", "tier").order_by("id"))
        sources = selectors.metric_sources(kind=kind, as_of=as_of)
        provisional = selectors.open_provisional_ends()
        run = RecalculationRun.objects.create(
            kind=kind, as_of=as_of, program_year=program_year, revenue_from=start, revenue_to=end, scheduled=scheduled,
            started_by=started_by if started_by is not None and started_by.is_authenticated else None,
        )

        assessed = _assessed(kind=kind, as_of=as_of, requirements=requirements, sources=sources,
                             provisional=provisional, provisional_period_days=program_year.provisional_period_days)
        written, counts = _write_assessments(run.pk, partners, assessed)
        RecalculationRun.objects.filter(pk=run.pk).update(
            partner_count=written, up_count=counts[rules.UP], down_count=counts[rules.DOWN]
        )
        run.partner_count, run.up_count, run.down_count = written, counts[rules.UP], counts[rules.DOWN]
    return run


def _assessed(*, kind: str, as_of: datetime.date, requirements: list[rules.TierRequirement],
              sources: selectors.MetricSources, provisional: dict[int, datetime.date],
              provisional_period_days: int) -> Assessed:
    """The rules of a run for any share of its partners (what _write_assessments takes): made from the run's
    reads, so a forked process computes its share from the data it inherits."""

    def assessed(share: list[tuple[int, str]], counts: Counts) -> Iterator[tuple[int, Any, bool, rules.Outcome]]:
        """(partner id, metrics, designated, outcome) per partner of ``share``, computed as they are
        written."""
        designated_tier = TierLevel.GLOBAL_STRATEGIC
        metrics = sources.metrics
        for partner_id, tier in share:
            m = metrics(partner_id)
            designated = tier == designated_tier
            outcome = rules.assess(
                kind=kind, as_of=as_of, metrics=m, current_tier=tier, designated=designated,
                requirements=requirements, provisional_ends_on=provisional.get(partner_id),
                provisional_period_days=provisional_period_days,
            )
            counts[outcome.movement] += 1
            yield partner_id, m, designated, outcome

    return assessed


@contextlib.contextmanager
def _garbage_collector_paused() -> Iterator[None]:
    """A run allocates a few objects per partner (metrics, outcomes, rows) that live until it ends: the cyclic
    garbage collector would walk the growing heap again and again, so Python time grew faster than the number
    of partners. Nothing here makes reference cycles; the collector is off for the run only."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


ASSESSMENT_COLUMNS = ("run_id", "partner_id", "certified_technical", "sales_trained", "revenue_usd",
                      "agreement_accepted", "designated", "previous_tier", "computed_tier", "applied_tier", "movement",
                      "reasons", "provisional_action", "provisional_ends_on")
COPY_CHUNK = 256 * 1024
ROWS_PER_CHUNK = 600  # ~400 characters a row: chunks of about COPY_CHUNK


def _encode_reasons(reasons: Any) -> str:
    """A partner's reasons as JSON text for its COPY row. orjson writes a reason list in a seventh of the
    standard library encoder's time, which was a sixth of a run's Python; its compact text (no spaces,
    non-ASCII as UTF-8) is kept as written (a json column) and reads as the same values. Reasons are plain values (str keys,
    str and int values): anything else fails the run, as it would in json."""
    return orjson.dumps(reasons).decode()


# Below this many partners a run stays in one process: forking costs a few milliseconds and the
# tests' small programs would only measure that.
SPREAD_FROM_PARTNERS = 20_000


def _write_assessments(run_id: int, partners: list[tuple[int, str]], assessed: Assessed) -> tuple[int, Counts]:
    """Write the run's assessment rows; returns how many and the movement counts. ``assessed(share,
    counts)`` yields (partner id, metrics, designated, outcome) for a share of ``partners``.

    PostgreSQL: one COPY fed while the rows are computed (a 100,000-partner run writes 100,000 rows; COPY is
    several times faster than INSERT). A large run spreads the rules over the machine's cores (tiers.parallel:
    one forked process per core computes the rows of a range of partners, the COPY takes them as they come);
    the rows, and so the assessments, are the same in any number of processes. Elsewhere (SQLite for
    `make run`): bulk_create."""
    if connection.vendor != "postgresql":
        counts = _no_movements()
        objects = [
            Assessment(
                run_id=run_id, partner_id=partner_id, certified_technical=m.certified_technical,
                sales_trained=m.sales_trained, revenue_usd=m.revenue_usd, agreement_accepted=m.agreement_accepted,
                designated=designated, previous_tier=o.previous_tier, computed_tier=o.qualified_tier,
                applied_tier=o.applied_tier, movement=o.movement, reasons=list(o.reasons),
                provisional_action=o.provisional_action, provisional_ends_on=o.provisional_ends_on,
            )
            for partner_id, m, designated, o in assessed(partners, counts)
        ]
        Assessment.objects.bulk_create(objects, batch_size=BATCH)
        return len(objects), counts

    def chunks(share: list[tuple[int, str]]) -> Generator[str, None, tuple[int, Counts]]:
        """The COPY text of a share's rows; returns (rows, movement counts).

        COPY's text format, one f-string a row: the csv module quoted the reasons' JSON (doubling each of its
        quotes) character by character, which cost more than computing the row. Only the reasons can hold a
        backslash (a JSON escape), doubled for COPY; JSON has no raw tab or newline, and the other text
        columns are tier, movement and provisional codes. An empty field is '' and \\N is NULL."""
        counts = _no_movements()
        rows = 0
        lines: list[str] = []
        for partner_id, m, designated, o in assessed(share, counts):
            reasons = _encode_reasons(o.reasons)
            if "\\" in reasons:
                reasons = reasons.replace("\\", "\\\\")
            ends_on = o.provisional_ends_on.isoformat() if o.provisional_ends_on else "\\N"
            lines.append(
                f"{run_id}\t{partner_id}\t{m.certified_technical}\t{m.sales_trained}\t{m.revenue_usd!s}\t"
                f"{'t' if m.agreement_accepted else 'f'}\t{'t' if designated else 'f'}\t{o.previous_tier}\t"
                f"{o.qualified_tier}\t{o.applied_tier}\t{o.movement}\t{reasons}\t{o.provisional_action}\t{ends_on}\n"
            )
            if len(lines) == ROWS_PER_CHUNK:
                rows += len(lines)
                yield "".join(lines)
                lines.clear()
        if lines:
            rows += len(lines)
            yield "".join(lines)
        return rows, counts

    processes = parallel.cores() if len(partners) >= SPREAD_FROM_PARTNERS and parallel.can_fork() else 1
    source = parallel.ForkedChunks(chunks, _shares(partners, processes))
    try:
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {Assessment._meta.db_table} ({', '.join(ASSESSMENT_COLUMNS)}) FROM STDIN",
                source, COPY_CHUNK,
            )
    except Exception as error:  # psycopg2's own (copy_expert is not wrapped by Django)
        if source.failure is not None:
            raise source.failure from error
        raise
    finally:
        source.close()
    counts = _no_movements()
    summaries: list[tuple[int, Counts]] = source.summaries  # every share's, once the COPY has read them all
    for _rows, share_counts in summaries:
        for movement, n in share_counts.items():
            counts[movement] += n
    return sum(rows for rows, _ in summaries), counts


def _no_movements() -> Counts:
    return {rules.UP: 0, rules.DOWN: 0, rules.SAME: 0}


def _shares(partners: list[tuple[int, str]], processes: int) -> list[list[tuple[int, str]]]:
    """``partners`` cut into ``processes`` consecutive ranges, the first (this process's, which also feeds
    the COPY) a little smaller."""
    if processes <= 1:
        return [partners]
    first = len(partners) * 9 // (10 * processes)
    rest = len(partners) - first
    step = -(-rest // (processes - 1))
    return [partners[:first]] + [partners[first + i * step:first + (i + 1) * step] for i in range(processes - 1)]


def run_apply(*, run: RecalculationRun, user: Actor = None) -> tuple[RecalculationRun, bool]:
    """Apply a preview: write the tiers, open/close provisional periods, audit and notify. Idempotent:
    the run row is locked and a run already applied is returned unchanged (second value False).

    A partner whose tier changed after the preview (e.g. a designation) is skipped, not overwritten.
    """
    actor = user if user is not None and user.is_authenticated else None
    with alongside() as side, transaction.atomic():
        run = RecalculationRun.objects.select_for_update().get(pk=run.pk)
        if run.status == RecalculationRun.Status.APPLIED:
            return run, False
        # The year's row is the lock two applies of the same year queue on, so the stale check below sees
        # a run applied a moment ago.
        program_year = ProgramYear.objects.select_for_update().get(pk=run.program_year_id)
        if not program_year.is_published:
            raise ValidationError(_("The %(year)s program year is %(status)s: its runs can no longer be applied.") % {
                "year": program_year.year, "status": program_year.get_status_display().lower()})
        later = selectors.superseding_run(run)
        if later is not None:
            raise ValidationError(
                _("This preview is stale: the %(kind)s run as of %(as_of)s was applied after it was made, so partners' "
                  "tiers are no longer the ones it started from. Preview again.") % {
                    "kind": later.get_kind_display().lower(), "as_of": day(later.as_of)})
        if connection.vendor == "postgresql":
            moving, changed, _ids = _apply_tiers_sql(run, actor, side)
        else:
            moving, changed, _ids = _apply_tiers_orm(run, actor)
        run.status = RecalculationRun.Status.APPLIED
        run.applied_by = actor
        run.applied_at = timezone.now()
        run.changed_count = changed
        run.skipped_count = moving - changed
        run.save(update_fields=["status", "applied_by", "applied_at", "changed_count", "skipped_count"])
        _notify_silver_without_pam(run)
        audit_record(actor=actor, action=AuditAction.RUN_APPLY, obj=run,
                     after={"changed": run.changed_count, "skipped": run.skipped_count, "kind": run.kind,
                            "as_of": run.as_of.isoformat()})
    return run, True


SILVER_AND_ABOVE = (TierLevel.SILVER, TierLevel.GOLD, TierLevel.GLOBAL_STRATEGIC)
NAMES_IN_A_NOTIFICATION = 20


def _notify_silver_without_pam(run: RecalculationRun) -> None:
    """Silver and above get a PAM (guide, "Benefits by tier"): when a run moves partners up to Silver or
    above and they have none, every program admin is told, in the same transaction (two queries)."""
    reached = list(
        Partner.objects.filter(
            tier_assessments__run=run, tier_assessments__movement=rules.UP, tier__in=SILVER_AND_ABOVE,
            tier=F("tier_assessments__applied_tier"), pam__isnull=True,
        ).order_by("name", "pk").values_list("name", flat=True)[:NAMES_IN_A_NOTIFICATION + 1])
    if not reached:
        return
    notify(
        recipients=list(partner_selectors.program_admins()), kind="tiers_silver_without_pam",
        params={"run_kind": run.kind, "as_of": run.as_of.isoformat(),
                "names": ", ".join(reached[:NAMES_IN_A_NOTIFICATION]), "more": len(reached) > NAMES_IN_A_NOTIFICATION},
        url="/staff/?pam=none",
    )


TIER_CHANGE_KIND = "tiers_changed"


def tier_change_notice(run: RecalculationRun, name: str, previous_tier: str, applied_tier: str, movement: str,
                       reasons: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The params of the notification (kind TIER_CHANGE_KIND) a partner's users get when a run moves it (both
    paths, and the per-partner loop of perf's benchmark)."""
    return {"partner": name, "movement": "up" if movement == rules.UP else "down", "run_kind": run.kind,
            "as_of": run.as_of.isoformat(), "year": run.program_year.year,
            "previous_tier": rules.tier_name(previous_tier), "tier": rules.tier_name(applied_tier),
            "reasons": list(reasons)}


def _apply_tiers_sql(run: RecalculationRun, actor: User | None,
                     side: Alongside | None = None) -> tuple[int, int, list[int]]:
    """PostgreSQL: the partner rows, their audit entries and their users' notifications in a fixed number of
    statements whatever the number of partners.

    Everything is written by the server from the run's assessments: a 100,000-partner annual run moves
    ~75,000 partners, and bringing their rows to Python to send them back as audit entries and notifications
    cost as much as the tier update itself. The partners that changed are kept in a temporary table for the
    transaction; activity writes its own tables from it (audit_record_select, notify_select). The partner rows
    are written last: a run that changes many tiers writes them in place and locks the partner table until the
    commit (partners.tier_writes). A run that changes many tiers shares its notifications with a second
    connection, which starts on them while this one writes the audit entries (core.alongside); both are done
    before the partner table is locked, and the second's transaction commits just after this one.
    Returns (partners moving, partners changed, notification ids).
    """
    assessment, partner = Assessment._meta.db_table, Partner._meta.db_table
    changes = f"tier_changes_{run.pk}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {changes}")
        cursor.execute(f"CREATE TEMPORARY TABLE {changes} (partner_id bigint, name text, previous_tier text, "
                       "applied_tier text, movement text, reasons json) ON COMMIT DROP")
        # Only partners still at the tier the preview started from ("fresh"); the others are skipped. Each
        # row stays locked until the commit; a designation committed meanwhile fails the tier = previous_tier
        # re-check PostgreSQL makes on a row changed under it, so that partner is skipped, not overwritten.
        # NO KEY UPDATE, the lock the tier UPDATE takes anyway: a new row pointing at a changing partner (a
        # deal registration, a person) takes a key share of it for its foreign key and need not wait for
        # the whole apply, tens of seconds at a million partners.
        cursor.execute(f"""
            INSERT INTO {changes}
            SELECT p.id, p.name, a.previous_tier, a.applied_tier, a.movement, a.reasons
            FROM {partner} p JOIN {assessment} a ON a.partner_id = p.id
            WHERE a.run_id = %(run)s AND a.movement <> %(same)s AND p.tier = a.previous_tier
            FOR NO KEY UPDATE OF p
            """,  # noqa: S608 - table names from _meta
                       {"run": run.pk, "same": rules.SAME})
        changed = cursor.rowcount
        cursor.execute(f"SELECT count(*) FROM {assessment} WHERE run_id = %s AND movement <> %s",  # noqa: S608 - table name from _meta
                       [run.pk, rules.SAME])
        (moving,) = cursor.fetchone()
        # The second connection, when this run's notifications are shared with it.
        second = side if side is not None and side.available and changed >= NOTICES_ALONGSIDE_MIN_CHANGES else None
        if second is not None:
            cursor.execute(f"CREATE INDEX ON {changes} (partner_id)")
            cursor.execute(f"SELECT partner_id FROM {changes} ORDER BY partner_id")  # noqa: S608 - name from the run's id
            partner_ids = [pk for (pk,) in cursor.fetchall()]
    if second is not None:
        shares = _notice_shares(partner_ids)
        written = second.start(reads=lambda: _tier_changes_alongside(run, partner_ids),
                             writes=lambda source: _notify_shares(run, source, shares))
    audit_record_select(actor=actor, action=AuditAction.TIER_CHANGE, select=(
        "SELECT %s, c.partner_id::text, left(c.name, 200), c.partner_id, jsonb_build_object('tier', c.previous_tier), "  # noqa: S608
        f"jsonb_build_object('tier', c.applied_tier, 'run', %s::bigint), %s::text FROM {changes} c"
    ), params=[Partner._meta.label_lower, run.pk, _tier_change_reason(run)])
    if second is not None:
        # This connection takes what shares the second has not, and waits for the second's last one (a failure
        # there fails this transaction too): every notification is written before the partner table is locked
        # below, which is then held no longer than without them.
        ids = sorted(_notify_shares(run, changes, shares) + written.result())
    else:
        ids = _notify_tier_changes(run, changes)
    # The tiers last: written in place, the partner table is locked until the commit (partners.tier_writes).
    in_place = tier_writes.tier_indexes_set_aside() if tier_writes.worth_writing_in_place(changed) else contextlib.nullcontext()
    with in_place, connection.cursor() as cursor:
        cursor.execute(f"UPDATE {partner} p SET tier = c.applied_tier, tier_since = %s "  # noqa: S608 - table names from _meta
                       f"FROM {changes} c WHERE p.id = c.partner_id", [run.as_of])
    with connection.cursor() as cursor:
        # Provisional periods, only for partners now at the tier the run applied (a partner skipped as stale
        # keeps its periods as they were). One open period per partner: the partial unique index.
        cursor.execute(f"""
            INSERT INTO {ProvisionalPeriod._meta.db_table} (partner_id, tier, opened_on, ends_on, opened_by_run_id,
                                                            outcome)
            SELECT a.partner_id, a.applied_tier, %(as_of)s, a.provisional_ends_on, %(run)s, ''
            FROM {assessment} a JOIN {partner} p ON p.id = a.partner_id AND p.tier = a.applied_tier
            WHERE a.run_id = %(run)s AND a.provisional_action = %(open)s
            ON CONFLICT DO NOTHING""",  # noqa: S608 - table names from _meta
                       {"run": run.pk, "as_of": run.as_of, "open": rules.PROVISIONAL_OPEN})
        cursor.execute(f"""
            UPDATE {ProvisionalPeriod._meta.db_table} pp
            SET closed_on = %(as_of)s, closed_by_run_id = %(run)s, outcome = a.provisional_action
            FROM {assessment} a JOIN {partner} p ON p.id = a.partner_id AND p.tier = a.applied_tier
            WHERE a.run_id = %(run)s AND a.provisional_action IN %(closing)s
              AND pp.partner_id = a.partner_id AND pp.closed_on IS NULL""",  # noqa: S608 - table names from _meta
                       {"run": run.pk, "as_of": run.as_of, "closing": CLOSING_ACTIONS})
    return moving, changed, ids


# From this many tier changes an apply writes their notifications on two connections (opening the second costs
# a few milliseconds; at 100,000 partners the notifications were 2.2 s of a 5.8 s apply on one), in shares of
# this many changed partners, each connection taking the next share left when it is done with one.
NOTICES_ALONGSIDE_MIN_CHANGES = 5_000
NOTICE_SHARE = 5_000


def _notice_shares(partner_ids: list[int]) -> queue.SimpleQueue:
    """The (first, last) partner ids of each share of the changed partners (``partner_ids`` in order)."""
    shares: queue.SimpleQueue = queue.SimpleQueue()
    for i in range(0, len(partner_ids), NOTICE_SHARE):
        share = partner_ids[i:i + NOTICE_SHARE]
        shares.put((share[0], share[-1]))
    return shares


def _notify_shares(run: RecalculationRun, changes: str, shares: queue.SimpleQueue) -> list[int]:
    """Notify the users of one share of the changed partners after another until none is left; ``changes``:
    this connection's table of them. Returns the notification ids."""
    ids: list[int] = []
    while True:
        try:
            between = shares.get_nowait()
        except queue.Empty:
            return ids
        ids += _notify_tier_changes(run, changes, between)


def _tier_changes_alongside(run: RecalculationRun, partner_ids: list[int]) -> str:
    """On the second connection: the changed partners as the apply's temporary table holds them, copied
    from what is committed (the run's assessments; the partners' names, which the apply's row locks keep as
    they are) into a temporary table of this connection's, in statements committed at once, so that no read
    of the partner table outlives them. Returns the table's name."""
    source = f"tier_notices_{run.pk}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {source}")
        cursor.execute(f"""
            CREATE TEMPORARY TABLE {source} AS
            SELECT p.id AS partner_id, p.name, a.previous_tier, a.applied_tier, a.movement, a.reasons
            FROM {Partner._meta.db_table} p JOIN {Assessment._meta.db_table} a ON a.partner_id = p.id
            WHERE a.run_id = %s AND a.partner_id = ANY(%s)""",  # noqa: S608 - table names from _meta
                       [run.pk, partner_ids])
        cursor.execute(f"CREATE INDEX ON {source} (partner_id)")
    return source


def _notify_tier_changes(run: RecalculationRun, changes: str, between: tuple[int, int] | None = None) -> list[int]:
    """The notifications of the tier changes in the table ``changes`` (those of the partners with ids
    ``between`` first and last, if given): one to each active user of each partner, with the same params as
    tier_change_notice, built by the server; the recipients are partners' selector's."""
    users_sql, users_params = partner_selectors.active_partner_users().values("id", "partner_id").query.sql_with_params()
    previous_name, previous_params = _tier_name_sql("c.previous_tier")
    applied_name, applied_params = _tier_name_sql("c.applied_tier")
    return notify_select(kind=TIER_CHANGE_KIND, select=(
        "SELECT u.id, jsonb_build_object('partner', c.name, 'movement', CASE WHEN c.movement = %s THEN 'up' ELSE "  # noqa: S608
        f"'down' END, 'run_kind', %s::text, 'as_of', %s::text, 'year', %s::int, 'previous_tier', {previous_name}, "
        f"'tier', {applied_name}, 'reasons', c.reasons), %s::text "
        f"FROM {changes} c JOIN ({users_sql}) u(id, partner_id) ON u.partner_id = c.partner_id"
        # The range on both sides, so that each share reads only its own partners' rows and users.
        + (" WHERE c.partner_id BETWEEN %s AND %s AND u.partner_id BETWEEN %s AND %s" if between else "")
    ), params=[rules.UP, run.kind, run.as_of.isoformat(), run.program_year.year, *previous_params, *applied_params,
               TIER_PAGE_URL, *users_params, *((between * 2) if between else ())])


def _tier_name_sql(column: str) -> tuple[str, list[str]]:
    """``rules.tier_name(column)`` as a SQL expression, and its parameters."""
    cases, params = [], []
    for level, name in rules.NAMES.items():
        cases.append("WHEN %s THEN %s")
        params += [level, name]
    return f"(CASE {column} {' '.join(cases)} END)", params


CLOSING_ACTIONS = (rules.PROVISIONAL_MET, rules.PROVISIONAL_EXPIRED, rules.PROVISIONAL_SUPERSEDED)


def _apply_tiers_orm(run: RecalculationRun, actor: User | None) -> tuple[int, int, list[int]]:
    """Any other database (SQLite for `make run`): the same writes through the ORM, in batches."""
    moving = Assessment.objects.filter(run=run).exclude(movement=Assessment.Movement.SAME)
    list(Partner.objects.select_for_update(of=("self",), no_key=True).filter(pk__in=moving.values("partner_id"))
         .values_list("pk", flat=True))
    fresh = moving.filter(partner__tier=F("previous_tier"))
    changed = sorted(fresh.values_list("partner_id", "partner__name", "previous_tier", "applied_tier", "movement",
                                       "reasons"))
    applied_tier = Assessment.objects.filter(run=run, partner=OuterRef("pk")).values("applied_tier")[:1]
    Partner.objects.filter(pk__in=fresh.values("partner_id")).update(tier=Subquery(applied_tier), tier_since=run.as_of)
    _apply_provisional_periods(run)
    ids = _record_tier_changes(run, changed, actor)
    return moving.count(), len(changed), ids


def _apply_provisional_periods(run: RecalculationRun) -> None:
    """Open and close certification provisional periods as the run decided (only for partners whose tier
    is what the run applied: a partner skipped as stale keeps its periods as they were)."""
    current = Assessment.objects.filter(run=run, partner__tier=F("applied_tier"))
    opening = current.filter(provisional_action=rules.PROVISIONAL_OPEN)
    ProvisionalPeriod.objects.bulk_create(
        [ProvisionalPeriod(partner_id=pid, tier=tier, opened_on=run.as_of, ends_on=ends_on, opened_by_run=run)
         for pid, tier, ends_on in opening.values_list("partner_id", "applied_tier", "provisional_ends_on")
         if ends_on is not None],  # an opening assessment has its end (rules.assess)
        batch_size=BATCH, ignore_conflicts=True,  # one open period per partner (partial unique index)
    )
    closing = current.filter(provisional_action__in=CLOSING_ACTIONS)
    outcome = Assessment.objects.filter(run=run, partner=OuterRef("partner_id")).values("provisional_action")[:1]
    ProvisionalPeriod.objects.filter(closed_on__isnull=True, partner_id__in=closing.values("partner_id")).update(
        closed_on=run.as_of, closed_by_run=run, outcome=Subquery(outcome)
    )


def _tier_change_reason(run: RecalculationRun) -> str:
    """The audit trail records who moved which partner by which run; why is the run's assessment of the partner
    (kept, with its reasons as codes that pages render in the reader's language). One sentence for the whole
    run, in the program's source language: rendering every moved partner's reasons here cost more than the
    rest of the apply at 100,000 partners."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Applied by the %(kind)s recalculation as of %(as_of)s (run %(run)s); the run's assessment of "
                 "the partner gives the reasons.") % {"kind": run.get_kind_display().lower(),
                                                    "as_of": run.as_of.isoformat(), "run": run.pk}


def _record_tier_changes(run: RecalculationRun, changed: list[TierChange], actor: User | None) -> list[int]:
    """The ORM apply's audit entries (one per changed partner) and notifications (one to each of its active
    users), set-based through activity, as _apply_tiers_sql writes them on the server; returns the
    notification ids (emails go out after commit; the sweep catches up if the broker is down). ``changed``:
    (partner id, name, previous tier, applied tier, movement, reasons) in partner order."""
    partner_type = Partner._meta.label_lower
    reason = _tier_change_reason(run)
    audit_record_many(actor=actor, rows=(
        AuditRow(AuditAction.TIER_CHANGE, partner_type, pid, name, partner_id=pid, before={"tier": before},
                 after={"tier": after, "run": run.pk}, reason=reason)
        for pid, name, before, after, _movement, _reasons in changed
    ))
    by_partner = {row[0]: row for row in changed}
    recipients = partner_selectors.partners_users(by_partner)
    notices = {}
    rows = []
    for user_id, partner_id in recipients.values_list("id", "partner_id"):
        if partner_id not in notices:
            notices[partner_id] = tier_change_notice(run, *by_partner[partner_id][1:])
        rows.append(NotificationRow(user_id, TIER_CHANGE_KIND, notices[partner_id], TIER_PAGE_URL))
    return notify_many(rows)


def recalculate(*, kind: str, as_of: datetime.date, user: Actor = None, apply: bool = False) -> RecalculationRun:
    """Preview, and apply when asked (commands)."""
    run = run_preview(kind=kind, as_of=as_of, started_by=user)
    if apply:
        run, _ = run_apply(run=run, user=user)
    return run


def scheduled_recalculation(*, kind: str, as_of: datetime.date, today: datetime.date | None = None) -> RecalculationRun:
    """The beat job: safe to run twice, also at the same moment. The scheduled run of a kind and date is
    unique in the database: a second process waits on the first one's insert, is refused, and applies
    (idempotently) the run the first one made."""
    existing = RecalculationRun.objects.filter(kind=kind, as_of=as_of, scheduled=True).first()
    if existing is None:
        try:
            existing = run_preview(kind=kind, as_of=as_of, scheduled=True, today=today)
        except IntegrityError:
            existing = RecalculationRun.objects.get(kind=kind, as_of=as_of, scheduled=True)
    run, _ = run_apply(run=existing)
    return run


# --- Global Strategic designation -------------------------------------------------------------------------


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; partners and auditors read it.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("Keep the reason under 2,000 characters.")})
    return reason


def designation_give(*, partner: Partner, user: User, reason: str) -> Designation:
    """A program admin designates a partner Global Strategic (no published requirements, DESIGN.md §2)."""
    if not user.is_program_admin:
        raise ValidationError(_("Only a program admin may designate a Global Strategic partner."))
    reason = _clean_reason(reason)
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if partner.tier == TierLevel.GLOBAL_STRATEGIC:
            raise ValidationError(_("This partner is already Global Strategic."))
        if not partner.tier:
            raise ValidationError(_("The partner must accept the partner agreement before it can be designated."))
        before = partner.tier
        designation = Designation.objects.create(partner=partner, given_by=user, reason=reason, tier_before=before)
        partner.tier, partner.tier_since = TierLevel.GLOBAL_STRATEGIC, timezone.localdate()
        partner.save(update_fields=["tier", "tier_since"])
        ProvisionalPeriod.objects.filter(partner=partner, closed_on__isnull=True).update(
            closed_on=partner.tier_since, outcome=ProvisionalPeriod.Outcome.SUPERSEDED)
        audit_record(actor=user, action=AuditAction.DESIGNATION_GIVE, obj=partner, partner_id=partner.pk,
                     before={"tier": before}, after={"tier": partner.tier}, reason=reason)
        notify(recipients=list(partner_selectors.partner_users(partner)),
               kind="tiers_designated", params={"partner": partner.name, "reason": reason}, url=TIER_PAGE_URL)
    return designation


def designation_remove(*, partner: Partner, user: User, reason: str, as_of: datetime.date | None = None) -> Partner:
    """A program admin removes the designation; the partner takes the tier it qualifies for today (trailing
    365 days, as a mid-year run counts it) — never lower than Registered once the agreement is accepted."""
    if not user.is_program_admin:
        raise ValidationError(_("Only a program admin may remove a Global Strategic designation."))
    reason = _clean_reason(reason)
    as_of = as_of or timezone.localdate()
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if partner.tier != TierLevel.GLOBAL_STRATEGIC:
            raise ValidationError(_("This partner is not Global Strategic."))
        program_year = program_year_for(as_of)
        metrics = selectors.metrics_by_partner(kind=rules.MIDYEAR, as_of=as_of, partner_ids={partner.pk})[partner.pk]
        qualified, _missing = rules.qualified_tier(metrics, selectors.requirements_for(program_year))
        after = qualified or TierLevel.REGISTERED
        Designation.objects.filter(partner=partner, removed_at__isnull=True).update(
            removed_by=user, removed_at=timezone.now(), removal_reason=reason, tier_after=after)
        partner.tier, partner.tier_since = after, as_of
        partner.save(update_fields=["tier", "tier_since"])
        audit_record(actor=user, action=AuditAction.DESIGNATION_REMOVE, obj=partner, partner_id=partner.pk,
                     before={"tier": TierLevel.GLOBAL_STRATEGIC}, after={"tier": after}, reason=reason)
        notify(recipients=list(partner_selectors.partner_users(partner)),
               kind="tiers_designation_removed",
               params={"partner": partner.name, "tier": rules.tier_name(after), "reason": reason}, url=TIER_PAGE_URL)
    return partner


# --- Program years ----------------------------------------------------------------------------------------

YEAR_SETTINGS = ("provisional_period_days", "deal_expiry_days", "deal_reminder_days", "deal_review_business_days",
                 "mdf_cofunding_share", "claim_window_days", "poc_max_amount")
TIER_FIELDS = ("min_certified_technical", "min_sales_trained", "min_revenue_usd")


def program_year_copy(*, source: ProgramYear, year: int, user: User | None = None) -> ProgramYear:
    """Copy a program year's settings and tier requirements to a new calendar year (rules are data). The copy
    is a draft: a program admin edits it, then publishes it (or the 1 January rollover does)."""
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    if ProgramYear.objects.filter(year=year).exists():
        raise ValidationError({"year": _("The %(year)s program year already exists; edit it instead.") % {"year": year}})
    with transaction.atomic():
        new = ProgramYear.objects.create(
            year=year, name=f"{year} program year", starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31), **{f: getattr(source, f) for f in YEAR_SETTINGS},
        )
        Tier.objects.bulk_create([
            Tier(program_year=new, level=t.level, name=t.name, rank=t.rank, description=t.description,
                 requires_partner_agreement=t.requires_partner_agreement, is_designation=t.is_designation,
                 # The description in every language (django-modeltranslation's columns).
                 **{f: getattr(t, f) for f in (*TIER_FIELDS, *get_translation_fields("description"))})
            for t in source.tiers.all()
        ])
        audit_record(actor=user, action=AuditAction.PROGRAM_YEAR_COPY, obj=new, before={"from": source.year},
                     after={"year": year})
    return new


def program_year_update(*, program_year: ProgramYear, user: User, provisional_period_days: Any,
                        requirements: Any, poc_max_amount: Any = None) -> ProgramYear:
    """Edit a program year's provisional period, POC maximum and its tiers' thresholds, all or nothing.

    ``requirements``: {level: {"min_certified_technical": int, "min_sales_trained": int, "min_revenue_usd": Decimal}}.
    Requirements are cumulative (guide p.10), so a higher tier never needs less than the one below.
    ``poc_max_amount``: the cap of each POC nomination in USD (None keeps it); POC draws from no allocation.
    """
    refusal = selectors.program_year_edit_refusal(program_year)
    if refusal:
        raise ValidationError(refusal)
    errors = {}
    if not isinstance(provisional_period_days, int) or not 1 <= provisional_period_days <= 365:
        errors["provisional_period_days"] = _("Enter a number of days between 1 and 365.")
    if poc_max_amount is None:
        poc_max_amount = program_year.poc_max_amount
    elif not _is_poc_maximum(poc_max_amount):
        errors["poc_max_amount"] = _("Enter an amount in USD greater than zero, with at most two decimal places.")
    tiers = list(program_year.tiers.order_by("rank"))
    known = {t.level for t in tiers}
    unknown = set(requirements) - known
    if unknown:
        errors["requirements"] = _("Unknown tiers: %(tiers)s.") % {"tiers": ", ".join(sorted(unknown))}
    previous = None
    for t in tiers:
        if t.is_designation:
            continue
        values = {f: requirements.get(t.level, {}).get(f, getattr(t, f)) for f in TIER_FIELDS}
        for f, v in values.items():
            if v is None or v < 0:
                errors[f"{t.level}-{f}"] = _("Enter zero or more.")
        if previous and not any(k.startswith(f"{t.level}-") for k in errors):
            for f in TIER_FIELDS:
                if values[f] < previous[1][f]:
                    errors[f"{t.level}-{f}"] = _("%(tier)s cannot need less than %(lower)s (requirements are "
                                                 "cumulative).") % {"tier": t.name, "lower": previous[0]}
        previous = (t.name, values)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # A run applied meanwhile makes the year's thresholds history: re-check on the locked row.
        program_year = ProgramYear.objects.select_for_update().get(pk=program_year.pk)
        refusal = selectors.program_year_edit_refusal(program_year)
        if refusal:
            raise ValidationError(refusal)
        before = {"provisional_period_days": program_year.provisional_period_days,
                  "poc_max_amount": str(program_year.poc_max_amount),
                  **{t.level: {f: str(getattr(t, f)) for f in TIER_FIELDS} for t in tiers}}
        program_year.provisional_period_days = provisional_period_days
        program_year.poc_max_amount = poc_max_amount
        program_year.save(update_fields=["provisional_period_days", "poc_max_amount"])
        for t in tiers:
            if t.level in requirements:
                for f in TIER_FIELDS:
                    setattr(t, f, requirements[t.level].get(f, getattr(t, f)))
        Tier.objects.bulk_update([t for t in tiers if t.level in requirements], list(TIER_FIELDS))
        after = {"provisional_period_days": provisional_period_days, "poc_max_amount": str(poc_max_amount),
                 **{t.level: {f: str(getattr(t, f)) for f in TIER_FIELDS} for t in tiers}}
        audit_record(actor=user, action=AuditAction.PROGRAM_YEAR_UPDATE, obj=program_year, before=before, after=after)
    return program_year


def _is_poc_maximum(value: Any) -> bool:
    """A Decimal that fits the column (12 digits, 2 decimals) and is above zero (the table's check constraint)."""
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 < value < Decimal("10000000000"):
        return False
    return value == value.quantize(Decimal("0.01"))


# --- Notices before a certification expires -----------------------------------------------------------------


def expiry_notices_send(*, today: datetime.date) -> int:
    """Tell each partner's admins 60, 30 and 7 days before a platform certification or Sellers 101 completion
    expires; urgently when the forecast finds the lapse costs a tier at the next annual recalculation.

    Safe twice: each (completion, expiry date, threshold) is recorded once (a unique constraint), and a
    notification is written only for the records this call created, in the same transaction.
    Returns the number of notices recorded.
    """

    from . import forecasts
    from .models import ExpiryNotice

    horizon = max(forecasts.NOTICE_DAYS)
    due: list[tuple[Completion, int]] = []
    for completion in selectors.completions_due_a_notice(today=today, horizon_days=horizon):
        threshold = forecasts.notice_due(expires_on=completion.expires_on, today=today)
        if threshold is not None:
            due.append((completion, threshold))
    if not due:
        return 0
    sent = set(ExpiryNotice.objects.filter(completion_id__in=[c.pk for c, _ in due])
               .values_list("completion_id", "expires_on", "days_before"))
    due = [(c, t) for c, t in due if (c.pk, c.expires_on, t) not in sent]
    partners = {c.partner_id: c.partner for c, _ in due}
    risks = selectors.risks_by_partner(list(partners.values()), today=today)
    admins: dict[int | None, list[User]] = {}
    for user in partner_selectors.partners_admins(partners):
        admins.setdefault(user.partner_id, []).append(user)
    created = 0
    by_partner: dict[int, list[tuple[Completion, int]]] = {}
    for completion, threshold in due:
        by_partner.setdefault(completion.partner_id, []).append((completion, threshold))
    for partner_id, items in by_partner.items():
        risk = risks.get(partner_id)
        lapsing = {(lapse.person_id, lapse.course) for lapse in risk.lapses} if risk else set()
        with transaction.atomic():
            urgent: list[Completion] = []
            plain: list[Completion] = []
            for completion, threshold in items:
                costs = (completion.person_id, completion.course) in lapsing
                notice, new = ExpiryNotice.objects.get_or_create(
                    completion=completion, expires_on=completion.expires_on, days_before=threshold,
                    defaults={"partner_id": partner_id, "sent_on": today, "costs_tier": costs,
                              "tier_at_risk": risk.tier_if_renewed if risk and costs else ""},
                )
                if new:
                    created += 1
                    (urgent if costs else plain).append(completion)
            recipients = admins.get(partner_id, [])
            # The notices carry the forecast and the completions as data (tier levels, course codes, ISO dates):
            # each admin's email is rendered in that admin's language when it is sent (activity/rendering.py).
            if urgent:
                assert risk is not None  # a completion costs a tier only where the forecast found a risk
                notify(
                    recipients=recipients,
                    kind="tiers_certifications_at_risk",
                    params={"n": len(urgent), "tier": rules.tier_name(risk.tier_if_renewed),
                            "forecast": risk.as_params(), "completions": _expiry_lines(urgent)},
                    url=TIER_PAGE_URL,
                )
            if plain:
                notify(
                    recipients=recipients,
                    kind="tiers_certifications_expiring",
                    params={"n": len(plain), "completions": _expiry_lines(plain)},
                    url="/partner/people/?expiring=60",
                )
    return created


def _expiry_lines(completions: Iterable[Completion]) -> list[dict[str, str]]:
    """Each completion as a notice states it: the person's name, the course's code (the template names it in the
    reader's language) and the expiry as an ISO date."""
    return [{"person": c.person.name, "course": c.course, "expires_on": c.expires_on.isoformat()}
            for c in completions if c.expires_on is not None]
