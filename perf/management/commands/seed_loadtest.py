from django.core.management.base import BaseCommand

from perf.loadtest_seed import program_year_of_today, seed


class Command(BaseCommand):
    help = "Seed a realistic database for the load test (make loadtest). Writes session cookies to --out."

    def add_arguments(self, parser):
        parser.add_argument("--partners", type=int, default=100_000)
        parser.add_argument("--load-users", type=int, default=40)
        parser.add_argument("--out", default="artifacts/loadtest-sessions.json")
        parser.add_argument("--program-year-only", action="store_true",
                            help="only make sure a program year is in force today (a database seeded earlier)")

    def handle(self, *args, **options):
        if options["program_year_only"]:
            program_year_of_today(stdout=self.stdout.write)
            return
        seed(partners=options["partners"], load_users=options["load_users"], out=options["out"],
             stdout=self.stdout.write)
