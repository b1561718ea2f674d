"""A partner's deal registrations newest first (Meta.ordering), for its list and API: a page reads its rows
from the index instead of sorting every registration of the partner (1.8 s at a million)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dealreg', '0009_event_reasons_as_codes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='dealregistration',
            index=models.Index(fields=['partner', '-created_at', '-id'], name='dealreg_partner_newest'),
        ),
    ]
