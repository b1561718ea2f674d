"""Every periodic job, in one place. `manage.py setup_periodic_tasks` writes them to
django-celery-beat's database scheduler (idempotently); the beat process reads them from there.

Each entry: name -> (task path, crontab fields). Times are UTC.
"""

PERIODIC_TASKS = {
    "Send notifications still unsent (broker outages)": (
        "activity.tasks.sweep_notifications", {"minute": "*/5"},
    ),
}
