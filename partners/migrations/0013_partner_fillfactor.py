"""Half of each partner page kept free, so that a tier change can write the row's new version beside the
old one without touching any index (partners.tier_writes). PostgreSQL only. New pages follow at once; the
pages already full follow as their rows are rewritten (or at once after `VACUUM FULL partners_partner` in
a quiet hour). The table takes about twice the space: some 40 MB at 100,000 partners.
"""

from django.db import migrations


def set_fillfactor(value):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE partners_partner SET (fillfactor = {value})")
    return run


class Migration(migrations.Migration):
    dependencies = [("partners", "0012_list_order_indexes")]

    operations = [migrations.RunPython(set_fillfactor(50), set_fillfactor(100))]
