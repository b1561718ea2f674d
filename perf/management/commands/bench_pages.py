"""Are the pages flat in their data? Each page and API list is timed at 1,000 → 1,000,000 rows of its own data.

In a scratch database of its own (created, migrated and dropped), the command grows, with COPY, each kind of
data a page lists to each size in turn:

- audit entries (the audit trail page, its partner and action filters, the audit API),
- one user's notifications, 90% of them read (the list, the unread list, their API, the unread count),
- one partner's deal registrations, half of them waiting (the partner's list and API, its PAM's review queue),
- one partner's people (the roster and its API, staff's people list narrowed to the partner),
- partners (the staff partner list and its search, the partner API, the partner name suggestions),

then requests every page ``--repeat`` times through the whole middleware stack and prints the median and the
query count per size, and the largest / smallest ratio (the target: 2x or less). It prints the plans of the
notification reads and of the list pages' reads at the largest size, to show which index serves them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
    DJANGO_SETTINGS_MODULE=build_portal.settings.local python manage.py bench_pages
"""

import datetime
import random
import statistics
import time

from allauth.mfa.totp.internal.auth import TOTP
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Max, Min
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from activity.models import AuditEntry, Notification
from dealreg.models import DealRegistration
from partners import selectors as partner_selectors
from partners.access import people_visible_to
from partners.filters import PartnerFilter, PersonFilter
from partners.models import Agreement, AgreementAcceptance, Partner, PartnerRole, Person, StaffRole, User
from perf.copying import copy_rows
from perf.loadtest_seed import COUNTRIES, SUFFIXES, TIERS, WORDS, program_year_of_today
from perf.machine import reference_line
from perf.scratch import broker_in_memory, scratch_database

ACTIONS = ["dealreg.submit", "dealreg.approve", "dealreg.reject", "partners.person_create", "partners.person_update",
           "partners.completion_add", "partners.assign_team", "tiers.tier_change", "funding.request_submit",
           "funding.request_approve", "benefits.invitation_create", "partners.invitation_create"]
OBJECT_TYPES = ["dealreg.dealregistration", "partners.person", "partners.partner", "funding.fundingrequest"]
TABLES = ["partners_partner", "activity_auditentry", "activity_notification", "dealreg_dealregistration",
          "partners_person"]


class Command(BaseCommand):
    help = "Median time per page and API list at 1,000 to 1,000,000 rows of its data (COPY-seeded scratch DB)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
        parser.add_argument("--repeat", type=int, default=7, help="requests per page and size (median printed)")
        parser.add_argument("--only", nargs="*", default=[], help="measure only the pages whose label contains one")

    def handle(self, *args, sizes, repeat, only, **options):
        self.stdout.write(reference_line())
        if repeat < 1 or not sizes or min(sizes) < 1 or sizes != sorted(sizes):
            raise CommandError("--sizes must be increasing and positive; --repeat at least 1.")
        with override_settings(ALLOWED_HOSTS=["testserver"]), broker_in_memory(), \
                scratch_database(self.stdout.write, "bench_pages"):
            self._run(sizes, repeat, only)

    def _run(self, sizes, repeat, only):
        self.rng = random.Random(19)  # noqa: S311 - repeatable fake data
        program_year_of_today(stdout=self.stdout.write)
        self.admin = self._staff("bench-admin@vendor.example", StaffRole.PROGRAM_ADMIN)
        self.pam = self._staff("bench-pam@vendor.example", StaffRole.PAM)
        self.partner = Partner.objects.create(name="Bench Reader Consulting", website="https://reader.example",
                                              domain="reader.example", country="US", tier="silver", pam=self.pam)
        self.reader = User.objects.create(email="admin@reader.example", partner=self.partner,
                                          partner_role=PartnerRole.ADMIN)
        AgreementAcceptance.objects.create(agreement=Agreement.objects.get(kind=Agreement.Kind.PARTNER,
                                                                           is_current=True),
                                           partner=self.partner, accepted_by=self.reader)
        pages = [p for p in self._pages() if not only or any(part in p[0] for part in only)]
        results = {label: [] for label, _, _ in pages}
        have = 0
        for size in sizes:
            started = time.perf_counter()
            self._grow(have, size)
            have = size
            self.stdout.write(f"\n{size:,} rows of each kind seeded in {time.perf_counter() - started:.1f} s")
            self.stdout.write(f"{'page':44} {'median ms':>10} {'max ms':>8} {'queries':>8}")
            for label, user, url in pages:
                median, slowest, queries = self._time(user, url, repeat)
                results[label].append((size, median, queries))
                self.stdout.write(f"{label:44} {median:10.1f} {slowest:8.1f} {queries:8d}")
        self._explain()
        self._summary(results, sizes)

    def _staff(self, email, role):
        user = User.objects.create(email=email, staff_role=role)
        TOTP.activate(user, "JBSWY3DPEHPK3PXP")
        return user

    def _pages(self):
        admin, pam, reader, pid = self.admin, self.pam, self.reader, self.partner.pk
        return [
            ("audit trail", admin, "/staff/audit/"),
            ("audit trail, partner name 'atlas'", admin, "/staff/audit/?partner_name=atlas"),
            ("audit trail, one action", admin, "/staff/audit/?action=dealreg.approve"),
            ("audit API", admin, "/api/v1/audit/"),
            ("notifications", reader, "/notifications/"),
            ("notifications, unread", reader, "/notifications/?show=unread"),
            ("notifications API", reader, "/api/v1/notifications/"),
            ("notifications API, unread", reader, "/api/v1/notifications/?unread=true"),
            ("unread count API", reader, "/api/v1/notifications/unread-count/"),
            ("deal registrations (partner)", reader, "/deals/"),
            ("deal registrations API (partner)", reader, "/api/v1/deal-registrations/"),
            ("PAM review queue", pam, "/staff/deals/"),
            ("PAM review queue API", pam, "/api/v1/deal-registrations/queue/"),
            ("roster (partner)", reader, "/partner/people/"),
            ("roster API (partner)", reader, "/api/v1/partner/people/"),
            ("staff people, one partner", admin, f"/staff/people/?partner={pid}"),
            ("staff partner list", admin, "/staff/partners/"),
            ("staff partner search 'atlas'", admin, "/staff/partners/?q=atlas"),
            ("partner API", admin, "/api/v1/partners/"),
            ("partner name suggestions 'atlas'", admin, "/staff/partners/names/?q=atlas"),
        ]

    def _grow(self, have, size):
        rng, now = self.rng, timezone.now()
        before = Partner.objects.order_by("-pk").values_list("pk", flat=True).first()
        copy_rows(Partner, ["name", "website", "domain", "country", "tier", "is_active", "pam_id"], (
            (f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(SUFFIXES)} {i}", f"https://bench{i}.example",
             f"bench{i}.example", rng.choice(COUNTRIES), rng.choice(TIERS[40:]), True,
             self.pam.pk if i % 10 == 0 else None)
            for i in range(have, size)))
        first_partner, last_partner = Partner.objects.filter(pk__gt=before).aggregate(Min("pk"), Max("pk")).values()
        copy_rows(AuditEntry, ["at", "action", "object_type", "object_id", "object_repr", "partner_id", "before",
                               "after", "reason", "actor_id"], (
            (now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 730)), rng.choice(ACTIONS),
             rng.choice(OBJECT_TYPES), str(i), f"Object {i}", rng.randint(first_partner, last_partner),
             {"status": "submitted"}, {"status": "approved"}, "", self.admin.pk if i % 3 else None)
            for i in range(have, size)))
        copy_rows(Notification, ["recipient_id", "created_at", "subject", "body", "url", "read_at", "emailed_at"], (
            (self.reader.pk, now - datetime.timedelta(seconds=i), f"Registration DR-{i} approved",
             "Your deal registration was approved.", "/deals/",
             None if i % 10 == 0 else now, now)
            for i in range(have, size)))
        copy_rows(DealRegistration, ["partner_id", "submitted_by_id", "customer_company", "domain", "country",
                                     "contact_name", "contact_email", "products", "use_case", "estimated_arr_usd",
                                     "expected_close_date", "status", "created_at", "waiting_since"], (
            (self.partner.pk, self.reader.pk, f"Prospect {i}", f"prospect{i}.example", "US", "Casey Contact",
             f"casey@prospect{i}.example", ["flex"], "Contact centre", rng.randint(10_000, 200_000),
             now.date() + datetime.timedelta(days=90), "submitted" if i % 2 else "rejected",
             now - datetime.timedelta(minutes=i), now - datetime.timedelta(minutes=i))
            for i in range(have, size)))
        copy_rows(Person, ["partner_id", "name", "email", "job_role"], (
            (self.partner.pk, f"{rng.choice(WORDS)} Person {i}", f"p{i}@reader.example",
             "technical" if i % 3 else "sales")
            for i in range(have, size)))
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum would have, on a live database
            # Rows copied in bulk wait in the GIN (trigram) indexes' pending lists until a vacuum: merge them.
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s) AND indexdef LIKE '%% USING gin %%'",
                           [TABLES])
            for (index,) in cursor.fetchall():
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])

    def _time(self, user, url, repeat):
        client = Client()
        client.force_login(user)
        times, queries = [], 0
        for _ in range(repeat + 1):  # the first one warms the caches and is not counted
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            queries = len(ctx.captured_queries)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        return statistics.median(times[1:]), max(times[1:]), queries

    def _explain(self):
        self.stdout.write("\nPlans of the notification reads at the largest size (EXPLAIN ANALYZE):")
        reads = [
            ("newest page of the list", "SELECT * FROM activity_notification WHERE recipient_id = %s "
             "ORDER BY created_at DESC, id DESC LIMIT 25"),
            ("newest page of the unread", "SELECT * FROM activity_notification WHERE recipient_id = %s "
             "AND read_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 25"),
            ("unread count (capped, the navigation's)", "SELECT COUNT(*) FROM (SELECT 1 FROM activity_notification "
             "WHERE recipient_id = %s AND read_at IS NULL LIMIT 100) capped"),
            ("unread count (exact, the API's)", "SELECT COUNT(*) FROM activity_notification WHERE recipient_id = %s "
             "AND read_at IS NULL"),
        ]
        with connection.cursor() as cursor:
            for label, sql in reads:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, [self.reader.pk])
                self.stdout.write(f"  {label}:")
                for (line,) in cursor.fetchall():
                    self.stdout.write(f"    {line}")
        # The pages' own querysets, so the plans are of the SQL the pages send: each should walk an index in
        # the page's order rather than sort every row.
        lists = [
            ("roster page (natural order)", partner_selectors.roster(self.partner)[:50]),
            ("partner's deal list, newest first", DealRegistration.objects.filter(partner=self.partner)[:25]),
            ("staff people of one partner", PersonFilter({"partner": str(self.partner.pk)},
                                                         queryset=people_visible_to(self.admin)).qs[:50]),
            ("staff partner list", PartnerFilter(None, queryset=Partner.objects.order_by("name", "pk")).qs[:50]),
        ]
        self.stdout.write("\nPlans of the list pages' reads at the largest size (EXPLAIN ANALYZE):")
        with connection.cursor() as cursor:
            for label, queryset in lists:
                sql, params = queryset.query.sql_with_params()
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params)
                self.stdout.write(f"  {label}:")
                for (line,) in cursor.fetchall():
                    self.stdout.write(f"    {line}")

    def _summary(self, results, sizes):
        self.stdout.write("\nMedian ms per size, and largest / smallest (target 2x or less):")
        self.stdout.write(f"{'page':44} " + " ".join(f"{s:>10,}" for s in sizes) + f" {'ratio':>7}")
        for label, rows in results.items():
            ratio = rows[-1][1] / rows[0][1] if rows[0][1] else 0
            flag = "" if ratio <= 2 else "  above 2x"
            self.stdout.write(f"{label:44} " + " ".join(f"{m:10.1f}" for _, m, _ in rows) + f" {ratio:6.1f}x{flag}")
