"""New years start as drafts; the lifecycle and the POC maximum are checked by the database."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("program", "0003_fill_lifecycle_and_poc_maximum"),
    ]

    operations = [
        migrations.AlterField(
            model_name="programyear",
            name="status",
            field=models.CharField(choices=[("draft", "Draft"), ("published", "Published"), ("closed", "Closed")], default="draft", max_length=10),
        ),
        migrations.AddConstraint(
            model_name="programyear",
            constraint=models.CheckConstraint(condition=models.Q(("status__in", ["draft", "published", "closed"])), name="program_year_status_known"),
        ),
        migrations.AddConstraint(
            model_name="programyear",
            constraint=models.CheckConstraint(condition=models.Q(("status", "draft"), ("published_at__isnull", False), _connector="OR"), name="program_year_published_has_time"),
        ),
        migrations.AddConstraint(
            model_name="programyear",
            constraint=models.CheckConstraint(condition=models.Q(models.Q(("status", "closed"), _negated=True), ("closed_at__isnull", False), _connector="OR"), name="program_year_closed_has_time"),
        ),
        migrations.AddConstraint(
            model_name="programyear",
            constraint=models.CheckConstraint(condition=models.Q(("poc_max_amount__gt", 0)), name="program_year_poc_max_positive"),
        ),
    ]
