from django.core.management.base import BaseCommand
from django.db import transaction

from benefits.models import Benefit, TierBenefit
from benefits.program_2022 import load_program_year
from partners.models import Agreement
from program.models import ProgramYear
from tiers.models import Tier


class Command(BaseCommand):
    help = "Load the 2022 program year (tiers, requirements, benefits by tier, agreements). Idempotent."

    def handle(self, *args, **options):
        with transaction.atomic():
            year = load_program_year(
                ProgramYear=ProgramYear, Tier=Tier, Benefit=Benefit, TierBenefit=TierBenefit, Agreement=Agreement
            )
        self.stdout.write(self.style.SUCCESS(
            f"Loaded {year}: {year.tiers.count()} tiers, {year.benefits.count()} benefits, "
            f"{TierBenefit.objects.filter(benefit__program_year=year).count()} benefit cells."
        ))
