from django.core.management.base import BaseCommand

from perf.loadtest_seed import seed


class Command(BaseCommand):
    help = "Seed a realistic database for the load test (make loadtest). Writes session cookies to --out."

    def add_arguments(self, parser):
        parser.add_argument("--partners", type=int, default=100_000)
        parser.add_argument("--load-users", type=int, default=40)
        parser.add_argument("--out", default="artifacts/loadtest-sessions.json")

    def handle(self, *args, **options):
        seed(partners=options["partners"], load_users=options["load_users"], out=options["out"],
             stdout=self.stdout.write)
