from dealreg.imports import OPPORTUNITY_COLUMNS, OPPORTUNITY_REQUIRED
from dealreg.services import opportunities_import

from ._sales_import import SalesImportCommand


class Command(SalesImportCommand):
    help = ("Import opportunities from the sales system (CSV: " + ", ".join(OPPORTUNITY_COLUMNS) + "). "
            "Upsert by external_id, all or nothing; running it twice changes nothing.")
    columns = OPPORTUNITY_COLUMNS
    required = OPPORTUNITY_REQUIRED

    def run_import(self, rows, source):
        return opportunities_import(rows=rows, actor=None, source=source)
