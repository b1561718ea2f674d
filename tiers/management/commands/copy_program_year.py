from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tiers import services
from tiers.models import ProgramYear


class Command(BaseCommand):
    help = "Copy a program year's settings and tier requirements to a new year (then edit them on the page)."

    def add_arguments(self, parser):
        parser.add_argument("source", type=int, help="year to copy, e.g. 2022")
        parser.add_argument("target", type=int, help="new year, e.g. 2023")

    def handle(self, *args, source, target, **options):
        year = ProgramYear.objects.filter(year=source).first()
        if year is None:
            raise CommandError(f"There is no {source} program year.")
        try:
            new = services.program_year_copy(source=year, year=target)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        self.stdout.write(self.style.SUCCESS(f"Copied {year} to {new} with {new.tiers.count()} tiers."))
