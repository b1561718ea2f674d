import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dealreg import services
from program.models import ProgramYear
from tests.factories import program_year_like_2022


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def program_year(db, today):
    """The program year of today, with settings different from the defaults so tests prove they are read."""
    year = program_year_like_2022(today.year)
    ProgramYear.objects.filter(pk=year.pk).update(deal_expiry_days=60, deal_reminder_days=10,
                                                  deal_review_business_days=3)
    year.refresh_from_db()
    # Approvals of late in the year expire in the next one: the rollover's copy keeps the same settings.
    program_year_like_2022(today.year + 1, source_year=today.year)
    return year


def registration_data(**overrides):
    data = {
        "customer_company": "Globex Corporation",
        "website": "https://www.Globex.example/about",
        "country": "US",
        "contact_name": "Hank Scorpio",
        "contact_email": "hank@globex.example",
        "products": ["flex"],
        "use_case": "Contact centre for 200 agents.",
        "estimated_arr_usd": Decimal("50000.00"),
        "expected_close_date": timezone.localdate() + datetime.timedelta(days=60),
    }
    data.update(overrides)
    return data


@pytest.fixture
def submit():
    def _submit(user, **overrides):
        return services.registration_submit(partner=user.partner, submitted_by=user, **registration_data(**overrides))
    return _submit


@pytest.fixture
def registration(partner_admin, submit):
    return submit(partner_admin)
