"""python manage.py import_completions PARTNER_DOMAIN FILE — the roster CSV import, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partners import roster, services
from partners.domains import normalise_domain
from partners.models import Partner


class Command(BaseCommand):
    help = "Import people and course completions of one partner from a CSV file (the whole file or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("partner_domain", help="The partner's web domain, e.g. acme.example")
        parser.add_argument("file", help="CSV with the columns " + ",".join(roster.CSV_COLUMNS))

    def handle(self, *args, partner_domain, file, **options):
        partner = Partner.objects.filter(domain=normalise_domain(partner_domain)).first()
        if partner is None:
            raise CommandError(f"No partner with the domain {partner_domain!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        raw_rows, errors = roster.read_csv(path.read_bytes())
        if not errors:
            try:
                counts = services.roster_import(partner=partner, raw_rows=raw_rows, actor=None,
                                                source=f"command {path.name}")
            except roster.RosterImportError as error:
                errors = error.row_errors
        if errors:
            for e in errors:
                self.stderr.write(f"line {e.line}: {e.field}: {e.message}")
            raise CommandError(f"Nothing was imported: {len(errors)} problem(s) in {path.name}.")
        self.stdout.write(self.style.SUCCESS(
            f"{partner.name}: {len(raw_rows)} rows; {counts['people_created']} people added, "
            f"{counts['people_updated']} updated; {counts['completions_created']} completions added, "
            f"{counts['completions_updated']} updated."
        ))
