"""Celery tasks of the tiers app: thin callers of tiers.services, safe to run twice."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import rules, services


def _as_of(as_of):
    return datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()


@shared_task
def annual_recalculation(as_of=None):
    """1 January: the new program year's tiers from the prior calendar year's revenue (guide p.12)."""
    return services.scheduled_recalculation(kind=rules.ANNUAL, as_of=_as_of(as_of)).pk


@shared_task
def midyear_recalculation(as_of=None):
    """Monthly: trailing 365 days; partners only move up, except after a provisional period (guide footnote 2)."""
    return services.scheduled_recalculation(kind=rules.MIDYEAR, as_of=_as_of(as_of)).pk


@shared_task
def certification_expiry_notices(today=None):
    """Daily: notices 60, 30 and 7 days before a completion expires (each once)."""
    return services.expiry_notices_send(today=_as_of(today))
