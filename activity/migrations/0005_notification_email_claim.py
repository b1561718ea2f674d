from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0004_audit_plain_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="email_claim",
            field=models.UUIDField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_claimed_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
