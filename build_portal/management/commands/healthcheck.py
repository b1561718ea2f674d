import json

from django.core.management.base import BaseCommand, CommandError

from build_portal import health


class Command(BaseCommand):
    help = "The checks of /healthz (postgresql, redis, celery; all by default). Exits 1 naming what fails."

    def add_arguments(self, parser):
        parser.add_argument("checks", nargs="*", choices=sorted(health.CHECKS))

    def handle(self, *args, checks, **options):
        healthy, results = health.report(checks)
        self.stdout.write(json.dumps(results))
        if not healthy:
            raise CommandError("failing: " + ", ".join(n for n, r in results.items() if r != "ok"))
