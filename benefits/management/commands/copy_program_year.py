from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from benefits import services
from program.models import ProgramYear


class Command(BaseCommand):
    help = ("Copy a program year's settings, tier requirements and benefits table to a new year "
            "(then edit them on the Program years page).")

    def add_arguments(self, parser):
        parser.add_argument("source", type=int, help="year to copy, e.g. 2022")
        parser.add_argument("target", type=int, help="new year, e.g. 2023")

    def handle(self, *args, source, target, **options):
        year = ProgramYear.objects.filter(year=source).first()
        if year is None:
            raise CommandError(f"There is no {source} program year.")
        try:
            new = services.program_year_copy_with_benefits(source=year, year=target, user=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Copied {year} to {new} with {new.tiers.count()} tiers and {new.benefits.count()} benefits."
        ))
