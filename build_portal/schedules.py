"""Every periodic job, in one place. `manage.py setup_periodic_tasks` writes them to
django-celery-beat's database scheduler (idempotently); the beat process reads them from there.

Each entry: name -> (task path, crontab fields). Times are UTC.
"""

PERIODIC_TASKS = {
    "Send notifications still unsent (broker outages)": (
        "activity.tasks.sweep_notifications", {"minute": "*/5"},
    ),
    "Deal registrations: expire overdue approvals, remind before expiry": (
        "dealreg.tasks.expire_and_remind_registrations", {"minute": "15", "hour": "5"},
    ),
    # Guide p.12: the new program year in force on 1 January (published if prepared, else copied from the year
    # before), then its annual recalculation from the prior calendar year's revenue.
    "Program year rollover and annual tier recalculation (1 January)": (
        "build_portal.tasks.program_year_rollover",
        {"minute": "0", "hour": "2", "day_of_month": "1", "month_of_year": "1"},
    ),
    # Mid-year: trailing 365 days, monthly on the 1st from February (January has the annual run).
    "Tier recalculation, mid-year (monthly)": (
        "tiers.tasks.midyear_recalculation", {"minute": "0", "hour": "3", "day_of_month": "1", "month_of_year": "2-12"},
    ),
    # Issue #6: claim reminders 15, 5 and 1 days before the claim deadline; unclaimed approvals expire.
    "Funding claims: remind before the deadline, expire unclaimed approvals (daily)": (
        "funding.tasks.claim_deadlines", {"minute": "30", "hour": "5"},
    ),
}
