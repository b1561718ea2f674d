"""Measure a full recalculation at scale on throwaway data.

Creates a scratch PostgreSQL database next to the configured one and migrates it, seeds N partners
(~10 people with completions, ~10 attached opportunities and `--users` active users each) in committed
statements, runs VACUUM ANALYZE (as production tables would be: visibility map and planner statistics), then times the set-based
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
from django.db.models import Count, Q, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activity.actions import AuditAction
from activity.models import AuditEntry, Notification
from activity.services import audit_record, notify
from core.copy import CsvStream
from dealreg.models import Opportunity, OpportunityPartner
from dealreg.revenue import attachment_counts, attributed_attachments
from partners.models import Agreement, AgreementAcceptance, Completion, Course, Partner, Person, TierLevel, User, new_badge_token
from perf.machine import reference_line
from perf.scratch import broker_in_memory, foreign_key_checks_off, indexes_rebuilt_after, scratch_database
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
    # The reasons as jsonb: the same values read the same, whatever the key order or spacing they were written
    # with (the column is json, the text as written, since runs write it that way; core.fields).
    columns = ", ".join("reasons::jsonb" if c == "reasons" else c for c in services.ASSESSMENT_COLUMNS if c != "run_id")
    digest = hashlib.md5(usedforsecurity=False)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {Assessment._meta.db_table} WHERE run_id = %s "  # noqa: S608 - names from code
                       "ORDER BY partner_id", [run.pk])
        for row in cursor:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _tiers_digest(cursor, run_id):
    """MD5 of (partner, applied tier) in partner order: the bare-SQL baseline reaches the same tiers."""
    table = Assessment._meta.db_table
    sql = f"SELECT md5(string_agg(partner_id || ':' || applied_tier, ',' ORDER BY partner_id)) FROM {table} WHERE run_id = %s"  # noqa: S608, E501 - name from _meta
    cursor.execute(sql, [run_id])
    return cursor.fetchone()[0]


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
        parser.add_argument("--users", type=int, default=1,
                            help="active users per partner: each changed partner's users are notified, as in "
                                 "production (0: no notifications)")

    def handle(self, *args, partners, kind, as_of, sample, seed, users=1, **options):
        self.verbosity = options.get("verbosity", 1)
        if users < 0:
            raise CommandError("--users must be 0 or more.")
        self.users_per_partner = users
        self.stdout.write(reference_line())
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
        bare = None
        if kind == rules.ANNUAL:
            bare, bare_digest = self._bare_sql(kind, as_of)
            self.stdout.write("Bare SQL baseline (serial, rolled back): " + ", ".join(
                f"{phase} {seconds:.2f} s" for phase, seconds in bare.items()) + f"; total {sum(bare.values()):.2f} s")
            # The rolled-back rows are dead tuples the project's run would otherwise step over.
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM {Partner._meta.db_table}, {Assessment._meta.db_table}, "
                               f"{AuditEntry._meta.db_table}")

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
        notified = Notification.objects.filter(kind=services.TIER_CHANGE_KIND).count()
        self.stdout.write(f"Apply: {run.changed_count:,} tiers changed in {apply_s:.2f} s, "
                          f"{len(q.captured_queries)} queries, {notified:,} users notified")
        if options_verbose(self):
            for query in q.captured_queries:
                self.stdout.write(f"  {query['time']}s {' '.join(query['sql'].split())[:150]}")
            if run.changed_count >= services.NOTICES_ALONGSIDE_MIN_CHANGES:
                self.stdout.write("  (and, on a second connection at the same time, the shares of notifications this one did not "
                                  "take: not listed)")
        full_s = preview_s + apply_s
        self.stdout.write(f"Full recalculation (preview + apply): {total:,} partners in {full_s:.2f} s, "
                          f"{total / full_s:,.0f} partners/s")
        self.stdout.write(f"Assessments digest: {assessments_digest(run)}")
        if bare is not None:
            with connection.cursor() as cursor:
                same = _tiers_digest(cursor, run.pk) == bare_digest
            project = {"metrics": reads, "rules and assessments": preview_s - reads, "apply": apply_s}
            baseline = {"metrics": bare["metrics"], "rules and assessments": bare["assessments"],
                        "apply": bare["tier update"] + bare["audit rows"] + bare["notifications"]
                        + bare["checks at commit"]}
            self.stdout.write("Project / bare SQL: " + ", ".join(
                f"{phase} {project[phase]:.2f} / {baseline[phase]:.2f} s = {project[phase] / baseline[phase]:.2f}x"
                for phase in project) + f"; whole run {full_s:.2f} / {sum(baseline.values()):.2f} s = "
                f"{full_s / sum(baseline.values()):.2f}x; same tiers: {'yes' if same else 'NO'}")

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

    def _bare_sql(self, kind, as_of):
        """The same recalculation hand-written in SQL, serial, in one transaction rolled back at the end: the
        baseline the set-based run is measured against. Phases: the metrics (the project's own three
        aggregate queries, into a temporary table: nothing travels to Python), the assessment rows (the
        tier walk as one CASE over the year's thresholds; reasons as a code and the tier, not the texts),
        the tier update, the audit rows and the changed partners' users' notifications (the params a tier change
        names, with no words: as the project writes them), and the foreign-key checks its commit would make.
        Annual runs only (the mid-year provisional periods are not written here). Returns ({phase: seconds},
        digest of (partner, applied tier))."""
        program_year = program_year_for(as_of)
        requirements = rules.earned_tiers(selectors.requirements_for(program_year))
        start, end = rules.revenue_window(kind, as_of)
        current = Q(completed_on__lte=as_of) & (Q(expires_on__isnull=True) | Q(expires_on__gte=as_of))
        revenue = attributed_attachments(start=start, end=end).values("partner_id").order_by().annotate(
            total=Sum("opportunity__arr_usd")).values_list("partner_id", "total")
        people = Completion.objects.filter(current, course__in=[Course.PLATFORM, Course.SELLERS_101]).values(
            "partner_id").order_by().annotate(
            certified=Count("person_id", filter=Q(course=Course.PLATFORM), distinct=True),
            trained=Count("person_id", filter=Q(course=Course.SELLERS_101), distinct=True),
        ).values_list("partner_id", "certified", "trained")
        agreed = AgreementAcceptance.objects.filter(agreement__kind=Agreement.Kind.PARTNER).values_list(
            "partner_id", flat=True).distinct()
        (revenue_sql, revenue_params), (people_sql, people_params), (agreed_sql, agreed_params) = (
            qs.query.sql_with_params() for qs in (revenue, people, agreed))
        meets, params = [], []
        for r in requirements:
            meets.append(("m.agreed AND " if r.requires_partner_agreement else "")
                         + "m.certified >= %s AND m.trained >= %s AND m.revenue >= %s")
            params += [r.min_certified_technical, r.min_sales_trained, r.min_revenue_usd]
        walk = "CASE " + " ".join(f"WHEN NOT ({m}) THEN %s" for m in meets) + " ELSE %s END"
        walk_params = params[:0]
        for i, _ in enumerate(requirements):
            walk_params += params[3 * i:3 * i + 3] + [requirements[i - 1].level if i else ""]
        walk_params.append(requirements[-1].level)
        rank = "CASE {} END".format(" ".join(f"WHEN {{0}} = '{level}' THEN {i}" for level, i in rules.RANK.items()))
        partner, assessment, audit = Partner._meta.db_table, Assessment._meta.db_table, AuditEntry._meta.db_table
        notification, user = Notification._meta.db_table, User._meta.db_table
        phases = {}
        try:
            with transaction.atomic(), connection.cursor() as c:
                c.execute("SET LOCAL work_mem = '64MB'")
                run = RecalculationRun.objects.create(kind=kind, as_of=as_of, program_year=program_year,
                                                      revenue_from=start, revenue_to=end)
                t0 = time.perf_counter()
                c.execute(f"""CREATE TEMPORARY TABLE bare_metrics ON COMMIT DROP AS
                    SELECT p.id, p.tier, coalesce(pe.certified, 0) AS certified, coalesce(pe.trained, 0) AS trained,
                           coalesce(r.total, 0) AS revenue, ag.partner_id IS NOT NULL AS agreed
                    FROM {partner} p LEFT JOIN ({revenue_sql}) r(partner_id, total) ON r.partner_id = p.id
                    LEFT JOIN ({people_sql}) pe(partner_id, certified, trained) ON pe.partner_id = p.id
                    LEFT JOIN ({agreed_sql}) ag(partner_id) ON ag.partner_id = p.id
                    WHERE p.is_active""", [*revenue_params, *people_params, *agreed_params])  # noqa: S608 - SQL from code
                phases["metrics"] = time.perf_counter() - t0
                t0 = time.perf_counter()
                c.execute(f"""INSERT INTO {assessment} (run_id, partner_id, certified_technical, sales_trained,
                        revenue_usd, agreement_accepted, designated, previous_tier, computed_tier, applied_tier,
                        movement, reasons, provisional_action)
                    SELECT %s, id, certified, trained, revenue, agreed, designated, tier, computed, applied,
                           CASE WHEN {rank.format('applied')} > {rank.format('tier')} THEN 'up'
                                WHEN {rank.format('applied')} < {rank.format('tier')} THEN 'down' ELSE 'same' END,
                           jsonb_build_array(jsonb_build_object('code', 'annual', 'tier', applied)), ''
                    FROM (SELECT m.*, m.tier = 'global_strategic' AS designated, {walk} AS computed FROM bare_metrics m) q
                    CROSS JOIN LATERAL (SELECT CASE WHEN designated THEN tier ELSE computed END AS applied) x""",  # noqa: S608 - SQL from code
                          [run.pk, *walk_params])
                phases["assessments"] = time.perf_counter() - t0
                t0 = time.perf_counter()
                c.execute(f"""UPDATE {partner} p SET tier = a.applied_tier, tier_since = %s FROM {assessment} a
                    WHERE a.run_id = %s AND a.movement <> 'same' AND a.partner_id = p.id
                      AND p.tier = a.previous_tier""", [as_of, run.pk])  # noqa: S608 - SQL from code
                phases["tier update"] = time.perf_counter() - t0
                t0 = time.perf_counter()
                c.execute(f"""INSERT INTO {audit} (at, action, object_type, object_id, object_repr, partner_id, before,
                        after, reason)
                    SELECT now(), %s, 'partners.partner', p.id::text, left(p.name, 200), p.id,
                           jsonb_build_object('tier', a.previous_tier),
                           jsonb_build_object('tier', a.applied_tier, 'run', a.run_id), ''
                    FROM {assessment} a JOIN {partner} p ON p.id = a.partner_id
                    WHERE a.run_id = %s AND a.movement <> 'same'""",  # noqa: S608 - SQL from code
                          [str(AuditAction.TIER_CHANGE), run.pk])
                phases["audit rows"] = time.perf_counter() - t0
                t0 = time.perf_counter()
                c.execute(f"""INSERT INTO {notification} (recipient_id, to_email, created_at, kind, params, language,
                        subject, body, url, email_attempts)
                    SELECT u.id, '', now(), %s, jsonb_build_object('partner', p.name, 'previous_tier', a.previous_tier,
                           'tier', a.applied_tier, 'reasons', a.reasons), '', '', '', '/tier/', 0
                    FROM {assessment} a JOIN {partner} p ON p.id = a.partner_id
                    JOIN {user} u ON u.partner_id = p.id AND u.is_active
                    WHERE a.run_id = %s AND a.movement <> 'same'""",  # noqa: S608 - SQL from code
                          [services.TIER_CHANGE_KIND, run.pk])
                phases["notifications"] = time.perf_counter() - t0
                # The foreign keys are checked at COMMIT (Django's are DEFERRABLE INITIALLY DEFERRED): a rolled-back
                # transaction never checks the audit rows' and notifications' keys that the project's commit does.
                t0 = time.perf_counter()
                c.execute("SET CONSTRAINTS ALL IMMEDIATE")
                phases["checks at commit"] = time.perf_counter() - t0
                digest = _tiers_digest(c, run.pk)
                raise _RolledBack
        except _RolledBack:
            pass
        return phases, digest

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

    def _seed(self, n, as_of, rnd):
        """Partners with COPY; their people, completions, opportunities and attachments with INSERT ... SELECT
        on the server (millions of rows: building them in Python, or sending them, would dominate the run).

        As pg_restore does, the foreign-key checks are off while seeding (session_replication_role: each
        row's deferred check cost more than writing it, most of the 975 s a million partners once took; these
        rows reference what the same statements just wrote) and the indexes are built once at the end. The
        data is the same either way (same statements, same seeded random()), so the assessments digest is
        too."""
        user = User.objects.create_user(email=f"bench-{time.time_ns()}@bench.invalid")
        agreement = Agreement.objects.filter(kind=Agreement.Kind.PARTNER, is_current=True).first()
        start, _ = rules.revenue_window(rules.ANNUAL, as_of)
        span = (as_of - start).days
        tag = time.time_ns()
        t0 = time.perf_counter()
        children = [m._meta.db_table for m in (Person, Completion, Opportunity, OpportunityPartner,
                                                AgreementAcceptance, User)]
        with connection.cursor() as c, foreign_key_checks_off(c), \
                indexes_rebuilt_after(c, [Partner._meta.db_table, *children], self.stdout.write):
            ids = self._seed_partners(c, n, rnd, tag)
            self._phase("partners (COPY)", t0)
            self._seed_children(c, ids, as_of, rnd, user, agreement, start, span, tag)
        return ids

    def _phase(self, name, t0):
        self.stdout.write(f"  seeded {name} in {time.perf_counter() - t0:.1f} s")
        return time.perf_counter()

    def _seed_partners(self, c, n, rnd, tag):
        """N partners in one COPY, each at a random earned tier (the same draws as the seeding through the
        ORM it replaces: the same data); returns their ids in creation order."""
        table = Partner._meta.db_table
        now = timezone.now().isoformat()
        stream = CsvStream(
            (f"Bench partner {i}", "https://bench.invalid", f"p{i}-{tag}.bench.invalid", "US", "si",
             rnd.choice(TIERS), "2022-01-01", "t", "f", now, new_badge_token())
            for i in range(n)
        )
        c.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 - table name from _meta
        (before,) = c.fetchone()
        c.copy_expert(f"COPY {table} (name, website, domain, country, partner_type, tier, tier_since, is_active, "
                      "resell_invited, created_at, badge_token) FROM STDIN WITH (FORMAT csv)", stream, 1 << 20)
        c.execute(f"SELECT id FROM {table} WHERE id > %s ORDER BY id", [before])  # noqa: S608 - table name from _meta
        ids = [pk for (pk,) in c.fetchall()]
        if len(ids) != n or ids[-1] - ids[0] + 1 != n:
            raise CommandError("The seeded partners' ids are not consecutive: was the scratch database shared?")
        return ids

    def _seed_children(self, c, ids, as_of, rnd, user, agreement, start, span, tag):
        """~11 people with completions and 10 attached opportunities per partner, drawn by the server's
        random() from a seed taken from ``rnd``. ``ids`` are consecutive (one COPY into a fresh table): every
        statement takes them as a range rather than as an array of a million ids to parse."""
        t = {m.__name__: m._meta.db_table for m in (Partner, Person, Completion, Opportunity, OpportunityPartner,
                                                 AgreementAcceptance, User)}
        t0 = time.perf_counter()
        c.execute("SELECT setseed(%s)", [rnd.random() * 2 - 1])
        if agreement:
            c.execute(f"""INSERT INTO {t['AgreementAcceptance']} (agreement_id, partner_id, accepted_by_id, accepted_at)
                SELECT %s, id, %s, now() FROM generate_series(%s::bigint, %s) id WHERE random() < 0.97""",  # noqa: S608 - table names from _meta
                      [agreement.pk, user.pk, ids[0], ids[-1]])
            t0 = self._phase("partner agreement acceptances", t0)
        if self.users_per_partner:
            # Active partner users with no usable password: who hears of their partner's tier change.
            c.execute(f"""INSERT INTO {t['User']} (password, is_superuser, first_name, last_name, is_staff, is_active,
                    date_joined, email, full_name, partner_role, staff_role, partner_id, language)
                SELECT '!', false, '', '', false, true, now(), 'u' || j || '-' || p || '-{tag}@bench.invalid',
                       'Bench user ' || j, 'admin', '', p, ''
                FROM generate_series(%s::bigint, %s) p CROSS JOIN generate_series(1, %s) j""",  # noqa: S608 - table names from _meta
                      [ids[0], ids[-1], self.users_per_partner])
            t0 = self._phase(f"partner users ({self.users_per_partner} a partner)", t0)
        # 5 to 18 people per partner.
        c.execute(f"""INSERT INTO {t['Person']} (partner_id, name, email, job_role)
            SELECT p.id, 'Person ' || j, 'person' || j || '@' || p.domain, 'technical'
            FROM {t['Partner']} p CROSS JOIN LATERAL generate_series(1, 5 + (p.id * 2654435761 %% 14)::int) j
            WHERE p.id BETWEEN %s AND %s""", [ids[0], ids[-1]])  # noqa: S608 - table names from _meta
        t0 = self._phase("people", t0)
        # Platform for ~75%, Sellers 101 for ~55% (some both); ~30% of completions expire.
        c.execute(f"""INSERT INTO {t['Completion']} (person_id, partner_id, course, completed_on, expires_on)
            SELECT person_id, partner_id, course, %s::date - d, CASE WHEN r < 0.3 THEN %s::date - d + e END
            FROM (SELECT pe.id AS person_id, pe.partner_id, c.course, 1 + floor(random() * 700)::int AS d,
                         200 + floor(random() * 700)::int AS e, random() AS r, random() AS pick
                  FROM {t['Person']} pe CROSS JOIN (VALUES ('platform'), ('sellers_101')) c(course)
                  WHERE pe.partner_id BETWEEN %s AND %s) x
            WHERE pick < CASE course WHEN 'platform' THEN 0.75 ELSE 0.55 END""", [as_of, as_of, ids[0], ids[-1]])  # noqa: S608 - table names from _meta
        t0 = self._phase("course completions", t0)
        # 10 opportunities per partner: ~70% closed-won, a quarter professional services, attached up to 90
        # days before or 10 days after the close.
        c.execute(f"""WITH src AS (
                SELECT p.id AS pid, j, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                       (ARRAY[1000, 5000, 30000, 150000])[1 + (p.id * 40503 %% 4)::int] AS scale
                FROM generate_series(%s::bigint, %s) p(id) CROSS JOIN generate_series(1, 10) j),
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
                   'sales_team' FROM ins""", [ids[0], ids[-1], start, span + 60])  # noqa: S608 - table names from _meta
        self._phase("opportunities and their partner attachments", t0)
