import pytest
from django.utils import timezone

from tiers.models import ProgramYear


@pytest.fixture
def program_year(db):
    return ProgramYear.for_date(timezone.localdate())
