import argparse
import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from tiers import rules, services


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)")


class Command(BaseCommand):
    help = "Preview (and with --apply, apply) an annual or mid-year tier recalculation."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=rules.KINDS, required=True)
        parser.add_argument("--as-of", type=iso_date, required=True, help="YYYY-MM-DD")
        parser.add_argument("--apply", action="store_true", help="Apply the run (otherwise a dry run)")

    def handle(self, *args, kind, as_of, apply, **options):
        try:
            run = services.recalculate(kind=kind, as_of=as_of, apply=apply)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        self.stdout.write(
            f"Run {run.pk}: {run.get_kind_display()} as of {run.as_of} ({run.program_year}), revenue "
            f"{run.revenue_from}..{run.revenue_to}: {run.partner_count} partners, {run.up_count} up, "
            f"{run.down_count} down, {run.same_count} same."
        )
        if apply:
            self.stdout.write(self.style.SUCCESS(
                f"Applied: {run.changed_count} tier{pluralize(run.changed_count)} changed, {run.skipped_count} skipped "
                f"(changed since preview)."))
        else:
            self.stdout.write("Dry run: nothing changed. Add --apply to apply it.")
