"""Measure a full recalculation at scale on throwaway data.

Creates a scratch PostgreSQL database next to the configured one and migrates it, seeds N partners
(~10 people with completions and ~10 attached opportunities each) in committed statements, runs VACUUM
ANALYZE (as production tables would be: visibility map and planner statistics), then times the set-based
preview and apply (with their query counts), runs the straightforward per-partner ORM loop on a sample (the
same work partner by partner: metrics, assessment, tier change, audit, notification; rolled back), checks
both give the same tiers, and prints partners/s for each and the ratio as its last line. The
scratch database is dropped at the end, also on failure or Ctrl-C; the configured one is never touched.

Seeding inside a transaction that is rolled back (as this command once did) distorts the figures at
100,000 partners: uncommitted rows carry no hint bits and the tables no visibility map (no index-only
scans), so the metrics queries took over twice as long as on committed, vacuumed data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DJANGO_SETTINGS_MODULE=build_portal.settings.local \\
        .venv/bin/python manage.py bench_recalc --partners 100000
"""

import hashlib
import random
import time
from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from activity.actions import AuditAction
from activity.services import audit_record, notify
from dealreg.models import Opportunity, OpportunityPartner
from dealreg.revenue import attachment_counts
from partners.models import Agreement, AgreementAcceptance, Completion, Course, Partner, Person, TierLevel, User
from perf.scratch import broker_in_memory, scratch_database
from program import services as program_services
from program.models import ProgramYear
from program.selectors import NoProgramYear, program_year_for
from tiers import reasons as tier_reasons
from tiers import rules, selectors, services
from tiers.models import Assessment, ProvisionalPeriod, RecalculationRun

TIERS = [TierLevel.REGISTERED, TierLevel.BRONZE, TierLevel.SILVER, TierLevel.GOLD]


def options_verbose(command):
    return getattr(command, "verbosity", 1) > 1


def assessments_digest(run):
    """MD5 of the run's assessments in partner order, without run ids: the same data and code give the
    same digest, so a change to the engine can be proved to leave every result byte-identical."""
    columns = ", ".join(c for c in services.ASSESSMENT_COLUMNS if c != "run_id")
    digest = hashlib.md5(usedforsecurity=False)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {Assessment._meta.db_table} WHERE run_id = %s "  # noqa: S608 - names from code
                       "ORDER BY partner_id", [run.pk])
        for row in cursor:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _phases(queries):
    """Seconds spent in reads (SELECT: the metrics) and in writes (COPY, INSERT, UPDATE) by the database."""
    reads = sum(float(q["time"]) for q in queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH")))
    writes = sum(float(q["time"]) for q in queries if q["sql"].lstrip().upper().startswith(("COPY", "INSERT", "UPDATE")))
    return reads, writes


class _RolledBack(Exception):
    """Ends the per-partner loop's transaction without keeping its writes."""


class Command(BaseCommand):
    help = "Benchmark tier recalculation on N synthetic partners in a scratch PostgreSQL database."

    def add_arguments(self, parser):
        parser.add_argument("--partners", type=int, default=10_000)
        parser.add_argument("--kind", choices=rules.KINDS, default=rules.ANNUAL)
        parser.add_argument("--as-of", default="2023-01-01")
        parser.add_argument("--sample", type=int, default=500, help="partners for the per-partner loop")
        parser.add_argument("--seed", type=int, default=2022)

    def handle(self, *args, partners, kind, as_of, sample, seed, **options):
        self.verbosity = options.get("verbosity", 1)
        if partners < 1:
            raise CommandError("--partners must be at least 1.")
        try:
            as_of = date.fromisoformat(as_of)
        except ValueError:
            raise CommandError("--as-of must be a date (YYYY-MM-DD).") from None
        # The emails of the tier changes go to Celery's in-memory transport: the scratch database's
        # notification ids mean nothing to a real worker.
        with scratch_database(self.stderr.write, "bench_tiers"), broker_in_memory():
            if as_of.year != 2022 and not ProgramYear.objects.filter(year=as_of.year).exists():
                # The scratch database has the migrations' 2022 program only: the as-of year is a published
                # copy of it, as a program admin would prepare it.
                copy = services.program_year_copy(source=ProgramYear.objects.get(year=2022), year=as_of.year)
                program_services.program_year_publish(program_year=copy)
            try:
                program_year_for(as_of)
            except NoProgramYear as error:
                raise CommandError(error.text) from None
            self._run(partners, kind, as_of, sample, random.Random(seed))

    def _run(self, n, kind, as_of, sample, rnd):
        t0 = time.perf_counter()
        ids = self._seed(n, as_of, rnd)
        self.stdout.write(f"Seeded {n:,} partners in {time.perf_counter() - t0:.1f} s")
        # Fresh bulk-loaded tables have no planner statistics and no visibility map yet; production tables do.
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        self.stdout.write(f"VACUUM ANALYZE in {time.perf_counter() - t0:.1f} s")

        with CaptureQueriesContext(connection) as q:
            t0 = time.perf_counter()
            # The outer transaction (the service's becomes a savepoint) lets the commit be timed on its own
            # (deferred constraint checks run at COMMIT and would otherwise be counted as Python time).
            with transaction.atomic():
                run = services.run_preview(kind=kind, as_of=as_of)
                body_s = time.perf_counter() - t0
            preview_s = time.perf_counter() - t0
        total = run.partner_count
        queries = [query for query in q.captured_queries if "SAVEPOINT" not in query["sql"].upper()]
        reads, writes = _phases(queries)
        self.stdout.write(f"Preview: {total:,} partners in {preview_s:.2f} s, {len(queries)} queries "
                          f"({run.up_count:,} up, {run.down_count:,} down, {run.same_count:,} same)")
        self.stdout.write(f"  metrics queries {reads:.2f} s, rules and assessments (Python streamed into one COPY) "
                          f"{writes:.2f} s, other Python {body_s - reads - writes:.2f} s, commit {preview_s - body_s:.2f} s")
        if options_verbose(self):
            for query in queries:
                self.stdout.write(f"  {query['time']}s {query['sql'][:150]}")
        with CaptureQueriesContext(connection) as q:
            t0 = time.perf_counter()
            run, _ = services.run_apply(run=run)
            apply_s = time.perf_counter() - t0
        self.stdout.write(f"Apply: {run.changed_count:,} tiers changed in {apply_s:.2f} s, "
                          f"{len(q.captured_queries)} queries")
        if options_verbose(self):
            for query in q.captured_queries:
                self.stdout.write(f"  {query['time']}s {' '.join(query['sql'].split())[:150]}")
        full_s = preview_s + apply_s
        self.stdout.write(f"Full recalculation (preview + apply): {total:,} partners in {full_s:.2f} s, "
                          f"{total / full_s:,.0f} partners/s")
        self.stdout.write(f"Assessments digest: {assessments_digest(run)}")

        sample_ids = rnd.sample(ids, min(sample, len(ids)))
        expected = dict(run.assessments.filter(partner_id__in=sample_ids).values_list("partner_id", "applied_tier"))
        previous = dict(run.assessments.filter(partner_id__in=sample_ids).values_list("partner_id", "previous_tier"))
        t0 = time.perf_counter()
        looped = self._per_partner_loop(sample_ids, previous, kind, as_of)
        loop_s = time.perf_counter() - t0
        mismatches = [pid for pid in sample_ids if looped[pid] != expected[pid]]
        if mismatches:
            raise CommandError(f"Per-partner loop and set-based run disagree for {len(mismatches)} partners, "
                               f"e.g. {mismatches[:5]}")
        loop_rate = len(sample_ids) / loop_s
        full_rate = total / full_s
        self.stdout.write(f"Per-partner ORM loop (metrics, assess, record, apply; rolled back): {len(sample_ids)} "
                          f"partners in {loop_s:.2f} s; same tiers: yes")
        self.stdout.write(f"Set-based: preview {total / preview_s:,.0f} partners/s, full recalculation "
                          f"{full_rate:,.0f} partners/s; per-partner loop: {loop_rate:,.0f} partners/s")
        self.stdout.write(f"Ratio (set-based / per-partner loop, full recalculation): {full_rate / loop_rate:.0f}x")

    def _per_partner_loop(self, partner_ids, previous, kind, as_of):
        """The straightforward way, partner by partner, doing the work of the set-based run: gather the
        metrics (a handful of queries), assess, record the assessment and, for a partner that moves, update
        it, audit the change and notify its users. Inside a transaction rolled back at the end, so the
        set-based run's results stay as they were."""
        program_year = program_year_for(as_of)
        requirements = selectors.requirements_for(program_year)
        start, end = rules.revenue_window(kind, as_of)
        # One filter() call per count: conditions on a multi-valued relation must hit the same completion.
        current = Q(completions__completed_on__lte=as_of) & (
            Q(completions__expires_on__isnull=True) | Q(completions__expires_on__gte=as_of))
        out = {}
        try:
            with transaction.atomic():
                run = RecalculationRun.objects.create(kind=kind, as_of=as_of, program_year=program_year,
                                                      revenue_from=start, revenue_to=end)
                for pid in partner_ids:
                    people = Person.objects.filter(partner_id=pid)
                    certified = people.filter(current & Q(completions__course=Course.PLATFORM)).distinct().count()
                    trained = people.filter(current & Q(completions__course=Course.SELLERS_101)).distinct().count()
                    revenue = OpportunityPartner.objects.filter(
                        partner_id=pid, opportunity__stage=Opportunity.Stage.CLOSED_WON,
                        opportunity__close_date__gte=start, opportunity__close_date__lte=end,
                    ).exclude(opportunity__product_line=Opportunity.ProductLine.PROFESSIONAL_SERVICES)
                    revenue = [a for a in revenue.select_related("opportunity")
                               if attachment_counts(a, a.opportunity)]
                    agreed = AgreementAcceptance.objects.filter(partner_id=pid,
                                                                agreement__kind=Agreement.Kind.PARTNER).exists()
                    period = ProvisionalPeriod.objects.filter(partner_id=pid, closed_on__isnull=True).first()
                    metrics = rules.Metrics(certified, trained, sum((a.opportunity.arr_usd for a in revenue),
                                                                    Decimal("0")), agreed)
                    tier = previous[pid]
                    designated = tier == TierLevel.GLOBAL_STRATEGIC
                    outcome = rules.assess(
                        kind=kind, as_of=as_of, metrics=metrics, current_tier=tier, designated=designated,
                        requirements=requirements, provisional_ends_on=period.ends_on if period else None,
                        provisional_period_days=program_year.provisional_period_days,
                    )
                    Assessment.objects.create(
                        run=run, partner_id=pid, certified_technical=certified, sales_trained=trained,
                        revenue_usd=metrics.revenue_usd, agreement_accepted=agreed, designated=designated,
                        previous_tier=tier, computed_tier=outcome.qualified_tier, applied_tier=outcome.applied_tier,
                        movement=outcome.movement, reasons=list(outcome.reasons),
                        provisional_action=outcome.provisional_action, provisional_ends_on=outcome.provisional_ends_on,
                    )
                    if outcome.movement != rules.SAME:
                        partner = Partner.objects.select_for_update().get(pk=pid)
                        partner.tier, partner.tier_since = outcome.applied_tier, as_of
                        partner.save(update_fields=["tier", "tier_since"])
                        audit_record(actor=None, action=AuditAction.TIER_CHANGE, obj=partner, partner_id=pid,
                                     before={"tier": tier}, after={"tier": outcome.applied_tier, "run": run.pk},
                                     reason=" ".join(tier_reasons.render_all(outcome.reasons)))
                        params = services.tier_change_notice(run, partner.name, tier, outcome.applied_tier,
                                                             outcome.movement, outcome.reasons)
                        notify(recipients=list(partner.users.filter(is_active=True)), kind=services.TIER_CHANGE_KIND,
                               params=params, url=services.TIER_PAGE_URL)
                    out[pid] = outcome.applied_tier
                raise _RolledBack
        except _RolledBack:
            pass
        return out

    def _seed(self, n, as_of, rnd, chunk=10_000):
        """Partners with bulk_create; their people, completions, opportunities and attachments with
        INSERT ... SELECT on the server (millions of rows: building them in Python would dominate the run)."""
        user = User.objects.create_user(email=f"bench-{time.time_ns()}@bench.invalid")
        agreement = Agreement.objects.filter(kind=Agreement.Kind.PARTNER, is_current=True).first()
        start, _ = rules.revenue_window(rules.ANNUAL, as_of)
        span = (as_of - start).days
        tag = time.time_ns()
        ids = []
        for base in range(0, n, chunk):
            size = min(chunk, n - base)
            ids += [p.pk for p in Partner.objects.bulk_create([
                Partner(name=f"Bench partner {base + i}", website="https://bench.invalid",
                        domain=f"p{base + i}-{tag}.bench.invalid", country="US",
                        tier=rnd.choice(TIERS), tier_since=date(2022, 1, 1))
                for i in range(size)
            ], batch_size=chunk)]
        t = {m.__name__: m._meta.db_table for m in (Partner, Person, Completion, Opportunity, OpportunityPartner,
                                                     AgreementAcceptance)}
        with connection.cursor() as c:
            c.execute("SELECT setseed(%s)", [rnd.random() * 2 - 1])
            if agreement:
                c.execute(f"""INSERT INTO {t['AgreementAcceptance']} (agreement_id, partner_id, accepted_by_id, accepted_at)
                    SELECT %s, id, %s, now() FROM unnest(%s::bigint[]) id WHERE random() < 0.97""",  # noqa: S608 - table names from _meta
                          [agreement.pk, user.pk, ids])
            # 5 to 18 people per partner.
            c.execute(f"""INSERT INTO {t['Person']} (partner_id, name, email, job_role)
                SELECT p.id, 'Person ' || j, 'person' || j || '@' || p.domain, 'technical'
                FROM {t['Partner']} p CROSS JOIN LATERAL generate_series(1, 5 + (p.id * 2654435761 %% 14)::int) j
                WHERE p.id = ANY(%s)""", [ids])  # noqa: S608 - table names from _meta
            # Platform for ~75%, Sellers 101 for ~55% (some both); ~30% of completions expire.
            c.execute(f"""INSERT INTO {t['Completion']} (person_id, partner_id, course, completed_on, expires_on)
                SELECT person_id, partner_id, course, %s::date - d, CASE WHEN r < 0.3 THEN %s::date - d + e END
                FROM (SELECT pe.id AS person_id, pe.partner_id, c.course, 1 + floor(random() * 700)::int AS d,
                             200 + floor(random() * 700)::int AS e, random() AS r, random() AS pick
                      FROM {t['Person']} pe CROSS JOIN (VALUES ('platform'), ('sellers_101')) c(course)
                      WHERE pe.partner_id = ANY(%s)) x
                WHERE pick < CASE course WHEN 'platform' THEN 0.75 ELSE 0.55 END""", [as_of, as_of, ids])  # noqa: S608 - table names from _meta
            # 10 opportunities per partner: ~70% closed-won, a quarter professional services, attached up to 90
            # days before or 10 days after the close.
            c.execute(f"""WITH src AS (
                    SELECT p.id AS pid, j, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                           (ARRAY[1000, 5000, 30000, 150000])[1 + (p.id * 40503 %% 4)::int] AS scale
                    FROM unnest(%s::bigint[]) p(id) CROSS JOIN generate_series(1, 10) j),
                ins AS (
                    INSERT INTO {t['Opportunity']} (external_id, account_name, domain, product_line, arr_usd, stage,
                                                   close_date, updated_at)
                    SELECT 'B{tag}-' || pid || '-' || j, 'Bench customer', 'customer.invalid',
                           (ARRAY['platform', 'flex', 'segment', 'professional_services'])[1 + floor(r1 * 4)::int],
                           1 + floor(r2 * scale), CASE WHEN r3 < 0.7 THEN 'closed_won' ELSE 'open' END,
                           %s::date + floor(r4 * %s)::int, now()
                    FROM src RETURNING id, external_id, close_date)
                INSERT INTO {t['OpportunityPartner']} (opportunity_id, partner_id, attached_on, source)
                SELECT id, split_part(external_id, '-', 2)::bigint, close_date - (floor(random() * 100)::int - 10),
                       'sales_team' FROM ins""", [ids, start, span + 60])  # noqa: S608 - table names from _meta
        return ids
