"""Measure deal registration submission against a large registration table (issue 5, "Tests and figures").

Creates a scratch PostgreSQL database next to the configured one, migrates it, seeds ``--registrations``
registrations (two per customer domain, of different partners, in every status) with the partners, users,
customer accounts and opportunities they need using INSERT ... SELECT generate_series, then calls the real
``dealreg.services.registration_submit`` ``--submissions`` times, each in its own committed transaction,
cycling through four kinds of submission:

- new customer: a domain nobody registered (no conflicts);
- other partner's customer: a domain two other partners registered (conflict flag);
- known customer: a domain with a customer account and an opportunity (two conflict flags);
- duplicate: the partner already holds an active registration for the domain (refused with a message).

It prints p50/p95/p99 in ms and the queries per submission for each kind and overall, EXPLAINs (ANALYZE)
the SELECTs of one conflicting submission and fails if one of them scans a seeded table sequentially.
The scratch database is dropped at the end, also on failure or Ctrl-C, so the configured one is never touched:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DJANGO_SETTINGS_MODULE=build_portal.settings.local \\
        .venv/bin/python manage.py bench_dealreg_submit --registrations 1000000 --submissions 300
"""

import datetime
import random
import re
import statistics
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dealreg import services
from dealreg.models import CustomerAccount, DealRegistration, Opportunity
from partners.models import Partner, PartnerRole, StaffRole, TierLevel, User
from perf.scratch import broker_in_memory, scratch_database

# A sequential scan of a table this small is the planner's right choice, not a missing index.
SEQ_SCAN_ROWS = 1000
KINDS = ("new customer", "other partner's customer", "known customer", "duplicate")
SEEDED_TABLES = (
    DealRegistration._meta.db_table, CustomerAccount._meta.db_table, Opportunity._meta.db_table,
    Partner._meta.db_table, User._meta.db_table,
)
# Seeded domains: customer k is cust-k.bench.example; registrations 2k-1 and 2k are its two registrations.
# The first of a pair takes its status from k % 20, the second from k % 10 (never approved: one per domain).
FIRST_STATUS = ["submitted"] * 6 + ["info_requested"] + ["approved"] * 3 + ["won"] * 2 + ["rejected"] * 2 + [
    "withdrawn", "lost", "expired", "expired", "submitted", "submitted"]
SECOND_STATUS = ["submitted"] * 4 + ["info_requested", "rejected", "rejected", "withdrawn", "lost", "expired"]


def percentile(values, share):
    """Nearest-rank percentile: the smallest value with at least ``share`` of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 100))
    return ordered[int(rank) - 1]


def _case(column, statuses):
    return "CASE " + " ".join(f"WHEN {column} = {n} THEN '{s}'" for n, s in enumerate(statuses)) + " END"


class Command(BaseCommand):
    help = "Seed N deal registrations in a scratch PostgreSQL database and time the submission service."

    def add_arguments(self, parser):
        parser.add_argument("--registrations", type=int, default=1_000_000)
        parser.add_argument("--submissions", type=int, default=300)
        parser.add_argument("--partners", type=int, default=0,
                            help="partners holding the seeded registrations (default: one per 200, at least 2)")
        parser.add_argument("--warmup", type=int, default=5,
                            help="unmeasured new-customer submissions first (imports, first broker connection)")
        parser.add_argument("--seed", type=int, default=5)

    def handle(self, *args, registrations, submissions, partners, warmup, seed, **options):
        if registrations < 40 or submissions < len(KINDS):
            raise CommandError(f"--registrations must be at least 40 and --submissions at least {len(KINDS)}.")
        partners = partners or max(2, registrations // 200)
        if partners < 2:
            raise CommandError("--partners must be at least 2 (a domain's two registrations belong to two partners).")
        rng = random.Random(seed)
        with scratch_database(self.stdout.write, "bench_dealreg"), broker_in_memory():
            started = time.perf_counter()
            world = self._seed(registrations, partners)
            self.stdout.write(
                f"Seeded {registrations:,} registrations, {partners:,} partners, {world['accounts']:,} customer "
                f"accounts and {world['opportunities']:,} opportunities in {time.perf_counter() - started:.1f} s."
            )
            self._explain(world)
            for number in range(warmup):
                self._submit(world["submitter"], world["submitter_user"], f"warmup-{number}.bench.example", number)
            self._measure(world, submissions, rng)

    # --- seeding ----------------------------------------------------------------------------------------

    def _seed(self, n, partner_count):
        pam = User.objects.create_user(email="pam@bench.example", full_name="Bench PAM", staff_role=StaffRole.PAM)
        created = Partner.objects.bulk_create(
            [Partner(name=f"Bench Partner {i}", website=f"https://bench-p{i}.example", domain=f"bench-p{i}.example",
                     country="US", tier=TierLevel.SILVER, pam=pam) for i in range(partner_count + 1)],
            batch_size=5000,
        )
        submitter_partner, holders = created[0], created[1:]
        users = User.objects.bulk_create(
            [User(email=f"admin@{p.domain}", full_name=f"Admin of {p.name}", partner=p,
                  partner_role=PartnerRole.ADMIN, password=make_password(None)) for p in created],
            batch_size=5000,
        )
        partner_ids = [p.pk for p in holders]
        user_ids = [u.pk for u in users[1:]]
        domains = (n + 1) // 2
        with connection.cursor() as cursor:
            # Existing customers: every 5th domain. Opportunities: every 6th, and every approved or won one.
            # (S608: the f-strings insert table names from the models and fixed CASE lists; values are parameters.)
            cursor.execute(f"""
                INSERT INTO {CustomerAccount._meta.db_table} (external_id, name, domain)
                SELECT 'bench-acct-' || k, 'Customer ' || k, 'cust-' || k || '.bench.example'
                FROM generate_series(1, %s) AS k WHERE k %% 5 = 0""", [domains])  # noqa: S608
            accounts = cursor.rowcount
            cursor.execute(f"""
                INSERT INTO {Opportunity._meta.db_table}
                    (external_id, account_name, domain, product_line, arr_usd, stage, close_date, updated_at)
                SELECT 'bench-opp-' || k, 'Customer ' || k, 'cust-' || k || '.bench.example', 'flex', 1000 + k %% 90000,
                       CASE WHEN k %% 20 IN (10, 11) THEN 'closed_won' ELSE 'open' END,
                       CASE WHEN k %% 20 IN (10, 11) THEN CURRENT_DATE - (k %% 300) ELSE NULL END, now()
                FROM generate_series(1, %s) AS k WHERE k %% 6 = 0 OR k %% 20 BETWEEN 7 AND 11""", [domains])  # noqa: S608
            opportunities = cursor.rowcount
            status = f"""CASE WHEN i %% 2 = 1 THEN {_case("((i + 1) / 2) %% 20", FIRST_STATUS)}
                              ELSE {_case("((i + 1) / 2) %% 10", SECOND_STATUS)} END"""
            step = 200_000
            for start in range(1, n + 1, step):
                cursor.execute(f"""
                    INSERT INTO {DealRegistration._meta.db_table} (
                        partner_id, submitted_by_id, customer_company, domain, country, contact_name, contact_email,
                        products, use_case, estimated_arr_usd, expected_close_date, status, created_at,
                        waiting_since, decided_by_id, decided_at, reject_reason, decision_note, approved_on,
                        expires_on, extension, opportunity_id, final_arr_usd, closed_on)
                    SELECT p.ids[1 + g.i %% p.size], p.users[1 + g.i %% p.size], 'Customer ' || g.k,
                           'cust-' || g.k || '.bench.example', 'US', 'Casey Contact', 'casey@cust-' || g.k || '.example',
                           '["flex"]'::jsonb, 'Contact centre', 5000 + g.i %% 100000,
                           CURRENT_DATE + 30 + g.i %% 200, g.status, now() - (g.i %% 700) * interval '1 day',
                           now() - (g.i %% 700) * interval '1 day',
                           CASE WHEN g.status IN ('submitted', 'info_requested', 'withdrawn') THEN NULL ELSE %s END,
                           CASE WHEN g.status IN ('submitted', 'info_requested', 'withdrawn') THEN NULL
                                ELSE now() - (g.i %% 600) * interval '1 day' END,
                           CASE WHEN g.status = 'rejected' THEN 'not_a_fit' ELSE '' END, '',
                           CASE WHEN g.status IN ('approved', 'won', 'lost', 'expired')
                                THEN CURRENT_DATE - g.i %% 80 END,
                           CASE WHEN g.status IN ('approved', 'won', 'lost', 'expired')
                                THEN CURRENT_DATE - g.i %% 80 + 90 END,
                           '', o.id,
                           CASE WHEN g.status = 'won' THEN 2000 + g.i %% 90000 END,
                           CASE WHEN g.status = 'won' THEN CURRENT_DATE - g.i %% 300 END
                    FROM (SELECT i, (i + 1) / 2 AS k, {status} AS status
                          FROM generate_series(%s, %s) AS i) AS g
                    CROSS JOIN (SELECT %s::bigint[] AS ids, %s::bigint[] AS users, %s AS size) AS p
                    LEFT JOIN {Opportunity._meta.db_table} AS o
                           ON g.status IN ('approved', 'won') AND o.external_id = 'bench-opp-' || g.k""",  # noqa: S608
                    [pam.pk, start, min(n, start + step - 1), partner_ids, user_ids, len(partner_ids)])
            for table in SEEDED_TABLES:
                cursor.execute(f"VACUUM ANALYZE {table}")  # what autovacuum does after a bulk load
        return {
            "n": n, "domains": domains, "accounts": accounts, "opportunities": opportunities,
            "submitter": submitter_partner, "submitter_user": users[0], "partner_ids": partner_ids,
            "users": {u.partner_id: u for u in users},
        }

    # --- submissions ------------------------------------------------------------------------------------

    def _picker(self, world, rng):
        """Domain numbers for each kind, never used twice (a second use would turn into a duplicate)."""
        used = set()

        def pick(condition):
            for _ in range(100_000):
                k = rng.randint(1, world["domains"])
                if k not in used and condition(k):
                    used.add(k)
                    return k
            raise CommandError("Too few seeded domains for that many submissions; seed more registrations.")

        return pick

    def _submission(self, world, kind, number, pick):
        """(partner, user, website) for one submission of ``kind``."""
        submitter, submitter_user = world["submitter"], world["submitter_user"]
        if kind == "new customer":
            return submitter, submitter_user, f"https://www.new-{number}.bench.example/"
        if kind == "other partner's customer":  # first registration still submitted: an active one of another partner
            k = pick(lambda k: k % 20 < 6 and k % 5 and k % 6)
            return submitter, submitter_user, f"cust-{k}.bench.example"
        if kind == "known customer":
            k = pick(lambda k: k % 30 == 0)
            return submitter, submitter_user, f"https://cust-{k}.bench.example/about"
        # duplicate: the partner of a submitted first registration registers the same customer again
        k = pick(lambda k: k % 20 < 6 and 2 * k - 1 <= world["n"])
        partner_id = world["partner_ids"][(2 * k - 1) % len(world["partner_ids"])]
        user = world["users"][partner_id]
        return user.partner, user, f"cust-{k}.bench.example"

    def _submit(self, partner, user, website, number):
        return services.registration_submit(
            partner=partner, submitted_by=user, customer_company=f"Bench customer {number}", website=website,
            country="DE", contact_name="Casey Contact", contact_email="casey@example.com", products=["flex"],
            use_case="Contact centre", estimated_arr_usd=Decimal("25000.00"),
            expected_close_date=timezone.localdate() + datetime.timedelta(days=60),
        )

    def _measure(self, world, count, rng):
        pick = self._picker(world, rng)
        results = {kind: {"ms": [], "queries": set(), "outcomes": set()} for kind in KINDS}
        for number in range(count):
            kind = KINDS[number % len(KINDS)]
            partner, user, website = self._submission(world, kind, number, pick)
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                try:
                    registration = self._submit(partner, user, website, number)
                    outcome = "accepted"
                except ValidationError as error:
                    registration, outcome = None, "refused"
                    if "already has registration" not in str(error):
                        raise CommandError(f"{kind}: unexpected refusal {error}") from error
                elapsed = (time.perf_counter() - t0) * 1000
            expected = "refused" if kind == "duplicate" else "accepted"
            if outcome != expected:
                raise CommandError(f"{kind} submission {number} was {outcome}, expected {expected}.")
            if registration is not None and kind != "new customer" and not _conflicts_of(registration).any:
                raise CommandError(f"{kind} submission {number} was not flagged as a conflict.")
            results[kind]["ms"].append(elapsed)
            results[kind]["queries"].add(len(ctx.captured_queries))
            results[kind]["outcomes"].add(outcome)

        self.stdout.write(f"\nregistration_submit against {world['n']:,} registrations, {count} submissions "
                          "(each its own transaction, committed):")
        self.stdout.write(f"{'kind':26} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'queries':>8}")
        every = []
        for kind in KINDS:
            r = results[kind]
            every += r["ms"]
            self._row(f"{kind} ({'/'.join(sorted(r['outcomes']))})", r["ms"], r["queries"])
        self._row("all", every, set().union(*(r["queries"] for r in results.values())))

    def _row(self, label, ms, queries):
        counts = "/".join(str(q) for q in sorted(queries))
        self.stdout.write(f"{label:26} {len(ms):4d} {statistics.median(ms):8.2f} {percentile(ms, 95):8.2f} "
                          f"{percentile(ms, 99):8.2f} {max(ms):8.2f} {counts:>8}")

    # --- plans ------------------------------------------------------------------------------------------

    def _explain(self, world):
        """EXPLAIN ANALYZE the reads of one conflicting submission (in a transaction that is rolled back)."""
        k = next(k for k in range(30, world["domains"] + 1, 30))
        from django.db import transaction

        with transaction.atomic():
            with CaptureQueriesContext(connection) as ctx:
                self._submit(world["submitter"], world["submitter_user"], f"cust-{k}.bench.example", "explain")
            selects = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
            self.stdout.write(f"\nPlans of the {len(selects)} SELECTs of one submission (conflicting domain):")
            sequential = []
            with connection.cursor() as cursor:
                cursor.execute("SELECT relname FROM pg_class WHERE relname = ANY(%s) AND reltuples >= %s",
                               [list(SEEDED_TABLES), SEQ_SCAN_ROWS])
                large = {row[0] for row in cursor.fetchall()}
                for sql in selects:
                    cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql)
                    plan = [row[0] for row in cursor.fetchall()]
                    self.stdout.write("-- " + _shorten(sql))
                    for line in plan:
                        self.stdout.write("   " + line)
                    sequential += [line.strip() for line in plan
                                   if "Seq Scan" in line and any(f" {t} " in f"{line} " for t in large)]
            transaction.set_rollback(True)
        if sequential:
            raise CommandError("Sequential scan of a seeded table in the submission: " + "; ".join(sequential))
        tables = ", ".join(sorted(large)) or "none that large"
        self.stdout.write(f"No sequential scan of a seeded table of {SEQ_SCAN_ROWS:,}+ rows ({tables}).")


def _shorten(sql, width=150):
    sql = re.sub(r"\s+", " ", sql)
    return sql if len(sql) <= width else sql[: width - 1] + "…"


def _conflicts_of(registration):
    from dealreg.selectors import registration_conflicts

    return registration_conflicts(registration)
