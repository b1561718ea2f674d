"""Celery tasks of the project level: thin callers of build_portal services, safe to run twice."""

import datetime

from celery import shared_task

from . import rollover


@shared_task
def program_year_rollover(today=None):
    """1 January: the new program year in force, then its annual recalculation (build_portal/rollover.py)."""
    result = rollover.rollover(today=datetime.date.fromisoformat(today) if today else None)
    return {"year": result.program_year.year, "action": result.action, "run": result.run.pk if result.run else None}
