"""benchmark_directory seeds inside a transaction it rolls back, and prints a median per search."""

import io

import pytest
from django.core.management import call_command

from partners.models import Partner, ShowcaseListing

pytestmark = pytest.mark.django_db


def test_benchmark_prints_figures_and_leaves_no_rows():
    before = Partner.objects.count()
    out = io.StringIO()
    call_command("benchmark_directory", partners=60, repeat=1, stdout=out)
    text = out.getvalue()
    assert "Seeded 60 partners" in text and "median ms" in text and "Rolled back" in text
    assert "first page, no filter" in text
    assert Partner.objects.count() == before
    assert not ShowcaseListing.objects.exists()
