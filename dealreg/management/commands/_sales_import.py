"""Shared body of the two sales-system import commands (all or nothing, row-level errors)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dealreg.imports import ImportRejected, read_csv


class SalesImportCommand(BaseCommand):
    """Each command sets ``columns`` and ``required`` and defines ``run_import(rows, source)``."""

    columns: tuple = ()
    required: tuple = ()

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file with a header line")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            rows = read_csv(path.read_bytes(), columns=self.columns, required=self.required)
            batch = self.run_import(rows, path.name)
        except ImportRejected as rejected:
            for message in rejected.messages:
                self.stderr.write(message)
            raise CommandError(f"Nothing imported: {len(rejected.messages)} error(s) in {path.name}.")
        self.stdout.write(self.style.SUCCESS(
            f"Imported {batch.rows} row(s) from {path.name}: {batch.created} new, {batch.updated} changed, "
            f"{batch.unchanged} unchanged."
        ))
