from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("dealreg", "0007_normalise_country_codes"),
    ]

    operations = [
        migrations.AddField(
            model_name="dealregistrationevent",
            name="reason_code",
            field=models.CharField(blank=True, db_default="", default="", max_length=30),
        ),
        migrations.AddField(
            model_name="dealregistrationevent",
            name="reason_params",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
