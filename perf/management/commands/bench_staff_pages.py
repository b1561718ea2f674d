"""The staff workspace on a large database: the staff home, the partner 360, a partner list search and the
partner CSV export, each requested through the whole middleware stack several times, p50 / p95 printed; then
the partner pages the load test drives (tier page, partner home, deal list) and the PAM review queue.

Beside the wall-clock figures it prints the median CPU time of this process per request: on a machine shared
with other work the wall clock measures the neighbours too, the CPU time mostly what the page costs.
``--without-cache`` runs with a dummy cache, to see what the cached parts save.

Run it against the load-test database (``make loadtest`` seeds 100,000 partners into it):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/build_portal_loadtest \\
    DJANGO_SETTINGS_MODULE=build_portal.settings.local python manage.py bench_staff_pages

A program admin (with a TOTP authenticator, as staff must have) is created for the run and deleted at the end.
The pages are requested outside a transaction, as gunicorn serves them: inside one they keep nothing in the cache
(core.fingerprint, the staff home's worklist).
"""

import statistics
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from partners.models import Partner, StaffRole, User
from perf.machine import reference_line

# Fewer partners than this is not the load-test database: the figures would mean nothing.
MIN_PARTNERS = 1000


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "p50 / p95 of the staff home, partner 360, partner list search and the partner CSV export."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="requests per page (p50 / p95 of these)")
        parser.add_argument("--export-repeat", type=int, default=5, help="requests of the CSV export")
        parser.add_argument("--only", nargs="*", default=[], help="measure only the pages whose label contains one")
        parser.add_argument("--without-cache", action="store_true", help="a dummy cache: nothing is kept")

    def handle(self, *args, repeat, export_repeat, only, without_cache, **options):
        self.stdout.write(reference_line())
        if repeat < 1 or export_repeat < 1:
            raise CommandError("--repeat and --export-repeat must be at least 1.")
        partners = Partner.objects.count()
        if partners < MIN_PARTNERS:
            raise CommandError(f"The database has {partners} partners: point DATABASE_URL at the load-test one.")
        caches = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}} if without_cache \
            else settings.CACHES
        # Outside a transaction, as a web request runs: the pages keep nothing inside one (core.fingerprint,
        # the staff home's worklist). What the run creates is deleted at the end instead of rolled back.
        created = []
        try:
            with override_settings(ALLOWED_HOSTS=["testserver"], CACHES=caches):
                self._measure(partners, repeat, export_repeat, only, created)
        finally:
            for obj in reversed(created):
                obj.delete()
            self.stdout.write("Deleted what the run created: the database is as it was.")

    def _measure(self, partners, repeat, export_repeat, only, created):
        admin = User.objects.create(email="bench-admin@vendor.example", staff_role=StaffRole.PROGRAM_ADMIN)
        created.append(admin)
        created.append(TOTP.activate(admin, "JBSWY3DPEHPK3PXP").instance)
        pam = User.objects.filter(staff_role=StaffRole.PAM, pam_partners__isnull=False).order_by("pk").distinct().first()
        if pam is not None and not Authenticator.objects.filter(user=pam, type=Authenticator.Type.TOTP).exists():
            # Staff reach no page without it (deleted at the end).
            created.append(TOTP.activate(pam, "JBSWY3DPEHPK3PXP").instance)
        # The partner 360 of a partner with the most to show: the highest tier, the most people.
        busiest = Partner.objects.filter(tier="global_strategic").order_by("pk").first() or Partner.objects.first()
        exported = Partner.objects.filter(is_active=True).count()
        # A partner admin of a Silver partner, as the load test's partner users.
        partner_user = User.objects.filter(partner__tier="silver", partner_role="admin", is_active=True) \
            .order_by("pk").first()
        self.stdout.write(f"{partners} partners; export of {exported} rows; {repeat} requests per page "
                          f"({export_repeat} of the export); {connection.vendor}")
        pages = [
            ("staff home, program admin", admin, "/staff/", repeat),
            ("staff home, a PAM", pam, "/staff/", repeat),
            ("partner 360", admin, f"/staff/partners/{busiest.pk}/", repeat),
            ("partner list search 'atlas'", admin, "/staff/partners/?q=atlas", repeat),
            ("partner list search, sorted by people", admin, "/staff/partners/?q=summit&o=-people", repeat),
            ("partner list, Gold in DE", admin, "/staff/partners/?tier=gold&country=DE", repeat),
            (f"partner CSV export ({exported} rows)", admin, "/staff/partners/export.csv", export_repeat),
            ("partner tier page", partner_user, "/tier/", repeat),
            ("partner home", partner_user, "/partner/", repeat),
            ("deal registration list", partner_user, "/deals/", repeat),
            ("PAM review queue", pam, "/staff/deals/", repeat),
        ]
        self.stdout.write(f"{'page':45} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'CPU ms':>8} {'queries':>8} "
                          f"{'bytes':>11}")
        for label, user, url, n in pages:
            if user is None or only and not any(part in label for part in only):
                continue
            client = Client()
            client.force_login(user)
            client.get(url)  # warms the caches and compiles the templates: not counted
            times, cpu, queries, size = [], [], 0, 0
            for _ in range(n):
                with CaptureQueriesContext(connection) as ctx:
                    started, started_cpu = time.perf_counter(), time.process_time()
                    response = client.get(url)
                    # A streamed export is only done when its last row is out.
                    size = sum(len(chunk) for chunk in response.streaming_content) if response.streaming \
                        else len(response.content)
                    times.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - started_cpu) * 1000)
                queries = len(ctx.captured_queries)
                if response.status_code != 200:
                    raise CommandError(f"{label}: {url} answered {response.status_code}")
            self.stdout.write(f"{label:45} {statistics.median(times):9.1f} {percentile(times, 0.95):9.1f} "
                              f"{max(times):9.1f} {statistics.median(cpu):8.1f} {queries:8d} {size:11d}")
