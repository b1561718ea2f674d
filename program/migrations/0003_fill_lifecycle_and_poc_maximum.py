"""Data: every existing year is published (it was in force), and each year's POC maximum comes from its
funding.FundingYearSettings row when it had one (the model's default otherwise, as funding read it).
Safe to re-run: it only fills what is empty and copies the same values again."""

from django.db import migrations
from django.utils import timezone


def forward(apps, schema_editor):
    ProgramYear = apps.get_model("program", "ProgramYear")
    FundingYearSettings = apps.get_model("funding", "FundingYearSettings")
    ProgramYear.objects.filter(status="published", published_at__isnull=True).update(published_at=timezone.now())
    for program_year_id, poc_max_amount in FundingYearSettings.objects.values_list("program_year_id", "poc_max_amount"):
        ProgramYear.objects.filter(pk=program_year_id).update(poc_max_amount=poc_max_amount)
    # The model keeps its content type (and so any permission or admin log pointing at it).
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="program", model="programyear").exists():
        ContentType.objects.filter(app_label="tiers", model="programyear").update(app_label="program")


def backward(apps, schema_editor):
    ProgramYear = apps.get_model("program", "ProgramYear")
    FundingYearSettings = apps.get_model("funding", "FundingYearSettings")
    for year in ProgramYear.objects.all():
        FundingYearSettings.objects.update_or_create(program_year=year, defaults={"poc_max_amount": year.poc_max_amount})
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="tiers", model="programyear").exists():
        ContentType.objects.filter(app_label="program", model="programyear").update(app_label="tiers")


class Migration(migrations.Migration):

    dependencies = [
        ("program", "0002_lifecycle_and_poc_maximum"),
        ("funding", "0002_program_year_moves_to_program"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
