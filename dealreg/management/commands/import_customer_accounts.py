from dealreg.imports import ACCOUNT_COLUMNS
from dealreg.services import customer_accounts_import

from ._sales_import import SalesImportCommand


class Command(SalesImportCommand):
    help = ("Import known customer accounts from the sales system (CSV: " + ", ".join(ACCOUNT_COLUMNS) + "). "
            "Upsert by external_id, all or nothing.")
    columns = ACCOUNT_COLUMNS
    required = ACCOUNT_COLUMNS

    def run_import(self, rows, source):
        return customer_accounts_import(rows=rows, actor=None, source=source)
