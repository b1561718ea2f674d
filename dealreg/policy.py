"""The deal registration settings of a program year (expiry, reminder, review service level).

The program year is a row owned by the tiers app, which sits above dealreg (DESIGN.md §4). dealreg must
not import tiers, so it reads the row through the app registry by name — one read in one place — and falls
back to the 2022 guide's defaults when no program year is loaded yet.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class DealPolicy:
    expiry_days: int = 90
    reminder_days: int = 14
    review_business_days: int = 2


def deal_policy(on: datetime.date) -> DealPolicy:
    if not apps.is_installed("tiers"):
        return DealPolicy()
    program_year_model = apps.get_model("tiers", "ProgramYear")
    year = program_year_model.for_date(on)
    if year is None:
        return DealPolicy()
    return DealPolicy(
        expiry_days=year.deal_expiry_days,
        reminder_days=year.deal_reminder_days,
        review_business_days=year.deal_review_business_days,
    )
