import pytest
from django.utils import timezone

from program.selectors import program_year_for


@pytest.fixture
def program_year(db):
    return program_year_for(timezone.localdate())
