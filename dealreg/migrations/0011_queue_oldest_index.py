"""The review queue oldest first with the id breaking ties (waiting_since, id): a page's ids are read from the
index and the walk stops after the page; on (status, waiting_since) the planner sorted each run of equal
waiting times and read ~450 rows for a page of 25. The wider index serves every use of the one it replaces."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dealreg', '0010_partner_newest_index'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='dealregistration',
            name='dealreg_dea_status_13a74d_idx',
        ),
        migrations.AddIndex(
            model_name='dealregistration',
            index=models.Index(fields=['status', 'waiting_since', 'id'], name='dealreg_queue_oldest'),
        ),
    ]
