from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0005_notification_email_claim"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditentry",
            options={"ordering": ["-at", "-id"], "verbose_name": "audit entry", "verbose_name_plural": "audit entries"},
        ),
        migrations.AlterModelOptions(
            name="notification",
            options={"ordering": ["-created_at", "-id"], "verbose_name": "notification",
                     "verbose_name_plural": "notifications"},
        ),
        migrations.AddField(
            model_name="notification",
            name="kind",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="notification",
            name="language",
            field=models.CharField(blank=True, max_length=10),
        ),
    ]
