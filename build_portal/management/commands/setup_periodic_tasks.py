from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from build_portal.schedules import PERIODIC_TASKS


class Command(BaseCommand):
    help = "Write the periodic jobs of build_portal/schedules.py to django-celery-beat. Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        for name, (task, cron) in PERIODIC_TASKS.items():
            fields = {"minute": "0", "hour": "*", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*"}
            fields.update(cron)
            schedule, _ = CrontabSchedule.objects.get_or_create(timezone="UTC", **fields)
            PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "crontab": schedule, "enabled": True})
            when = " ".join(fields[k] for k in ("minute", "hour", "day_of_month", "month_of_year", "day_of_week"))
            self.stdout.write(f"  {name}: {task} at {when}")
        stale = PeriodicTask.objects.exclude(name__in=PERIODIC_TASKS).exclude(name__startswith="celery.")
        removed = stale.count()
        stale.delete()
        self.stdout.write(self.style.SUCCESS(f"{len(PERIODIC_TASKS)} periodic tasks set up, {removed} stale removed."))
