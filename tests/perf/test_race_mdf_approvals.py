"""race_mdf_approvals: many PAMs approve MDF requests of one allocation at once; the allocation holds."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from partners.models import Partner

D = Decimal
race = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@race
def test_race_command_reports_that_the_allocation_held(program_year):
    out = StringIO()
    call_command("race_mdf_approvals", requests=30, workers=6, allocation=D("10000"), amount=D("750"), stdout=out)
    text = out.getvalue()
    assert "13 approved, 17 refused" in text
    assert "sum approved:          USD 9,750.00" in text
    assert "held: yes" in text
    assert not Partner.objects.filter(name__startswith="Race scratch").exists()  # scratch rows removed
