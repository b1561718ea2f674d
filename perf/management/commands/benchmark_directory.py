"""Measure the public showcase directory at scale.

Seeds ``--partners`` partners with showcase listings inside a transaction, runs a few directory
searches through the real page view several times each, prints the median time and query count of
each, and rolls everything back, so it can run against any database. Use PostgreSQL for figures
that mean something:

    DATABASE_URL=postgres://... python manage.py benchmark_directory --partners 100000
"""

import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from benefits import views
from benefits.vocabulary import INDUSTRIES, PRODUCTS
from partners.models import Partner, ShowcaseListing

TIERS = ["registered"] * 20 + ["bronze"] * 35 + ["silver"] * 25 + ["gold"] * 15 + ["global_strategic"] * 5
COUNTRIES = ["US", "GB", "DE", "FR", "ES", "IT", "NL", "SE", "JP", "AU", "BR", "IN", "CA", "MX", "SG"]
WORDS = ["Cloud", "Signal", "Bright", "Nimbus", "Vertex", "Harbor", "Summit", "Pioneer", "Quantum", "Atlas",
         "Beacon", "Cobalt", "Delta", "Ember", "Falcon", "Granite", "Helix", "Ion", "Juniper", "Keystone"]
SUFFIXES = ["Consulting", "Digital", "Labs", "Partners", "Systems", "Solutions", "Group", "Works"]
SERVICES = ["contact-centre migration", "SMS campaigns", "IVR design", "CRM integration", "managed support",
            "WhatsApp journeys", "identity verification", "customer data platforms"]

# benefits migration 0007
TRIGRAM_INDEXES = ["benefits_partner_name_trgm", "benefits_listing_description_trgm", "benefits_listing_services_trgm"]

SEARCHES = [
    ("first page, no filter", {}),
    ("text 'ivr'", {"q": "ivr"}),
    ("text 'quantum' (~10% match)", {"q": "quantum"}),
    ("text 'pioneer labs' (~0.5% match)", {"q": "pioneer labs"}),
    ("country DE", {"country": "DE"}),
    ("product segment + tier gold", {"product": "segment", "tier": "gold"}),
    ("industry healthcare, page 40", {"industry": "healthcare", "page": "40"}),
    ("text with no match 'zzzz'", {"q": "zzzz"}),
    ("country JP + product flex + text 'crm'", {"country": "JP", "product": "flex", "q": "crm"}),
]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Seed N partners with listings in a rolled-back transaction and time directory searches."

    def add_arguments(self, parser):
        parser.add_argument("--partners", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=7, help="runs per search (median reported)")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, partners, repeat, seed, **options):
        if partners < 1 or repeat < 1:
            raise CommandError("--partners and --repeat must be at least 1.")
        rng = random.Random(seed)
        try:
            with transaction.atomic():
                started = time.perf_counter()
                self._seed(partners, rng)
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE partners_partner; ANALYZE partners_showcaselisting")
                        # Rows inserted in bulk wait in the GIN indexes' pending lists until a vacuum;
                        # merge them now, as autovacuum would have done on a live database.
                        for index in TRIGRAM_INDEXES:
                            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
                self.stdout.write(f"Seeded {partners} partners with listings in {time.perf_counter() - started:.1f} s "
                                  f"({connection.vendor}).")
                self._measure(repeat)
                raise Rollback
        except Rollback:
            self.stdout.write("Rolled back: the database is as it was.")

    def _seed(self, n, rng, batch=5000):
        for start in range(0, n, batch):
            rows = []
            for i in range(start, min(n, start + batch)):
                name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(SUFFIXES)} {i}"
                rows.append(Partner(name=name, domain=f"bench-{i}.example", website=f"https://bench-{i}.example",
                                    country=rng.choice(COUNTRIES), tier=rng.choice(TIERS),
                                    is_active=rng.random() > 0.02))
            created = Partner.objects.bulk_create(rows)
            listings = []
            for partner in created:
                complete = rng.random() > 0.1
                listings.append(ShowcaseListing(
                    partner=partner,
                    description=f"{partner.name} helps customers with {rng.choice(SERVICES)} and "
                                f"{rng.choice(SERVICES)} on Twilio.",
                    services=", ".join(rng.sample(SERVICES, 3)),
                    industries=",".join(rng.sample([c for c, _ in INDUSTRIES], 2)),
                    countries_served=",".join(rng.sample(COUNTRIES, 3)),
                    products=",".join(rng.sample([c for c, _ in PRODUCTS], 3)),
                    logo=f"showcase/logos/bench-{partner.pk}.png" if complete else "",
                    website=partner.website, contact_email=f"hello@bench-{partner.pk}.example",
                ))
            ShowcaseListing.objects.bulk_create(listings)

    def _measure(self, repeat):
        factory = RequestFactory()
        self.stdout.write(f"{'search':45} {'median ms':>10} {'max ms':>8} {'queries':>8} {'shown':>12}")
        for label, params in SEARCHES:
            times, queries = [], 0
            for _ in range(repeat):
                request = factory.get("/directory/", params)
                request.user = _Anonymous()
                with CaptureQueriesContext(connection) as ctx:
                    t0 = time.perf_counter()
                    response = views.directory(request)
                    times.append((time.perf_counter() - t0) * 1000)
                queries = len(ctx.captured_queries)
                if response.status_code != 200:
                    raise CommandError(f"{label}: status {response.status_code}")
            count = _result_count(response.content.decode())
            self.stdout.write(f"{label:45} {statistics.median(times):10.1f} {max(times):8.1f} {queries:8d} "
                              f"{count:>12}")


def _result_count(html):
    marker = '<p class="small text-muted" id="directory-range">'
    if marker not in html:
        return "-"
    shown = html.split(marker, 1)[1].split("</p>", 1)[0].replace("Partners ", "").strip()
    return shown or "none"


class _Anonymous:
    is_authenticated = False
    partner_id = None
    staff_role = ""
    is_program_admin = False
