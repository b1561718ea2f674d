"""PostgreSQL uses the directory's ordering index (migration 0006) for a page of the directory, so a
page costs a short index walk rather than a sort of every listing."""

import pytest
from django.db import connection

from benefits import selectors
from partners.models import Partner, ShowcaseListing
from tests.factories import PartnerFactory

from .helpers import make_listing

pytestmark = pytest.mark.django_db


def test_directory_page_query_uses_the_ordering_index():
    for i in range(30):
        make_listing(PartnerFactory(name=f"P{i}", tier=["bronze", "silver", "gold"][i % 3]), logo=False,
                     )
    query = selectors.directory_search()[:21]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned; ask what is possible
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "benefits_directory_order" in plan, plan


def _plan(query, *settings):
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(("model", "field", "index"), [
    (Partner, "name", "benefits_partner_name_trgm"),
    (ShowcaseListing, "description", "benefits_listing_description_trgm"),
    (ShowcaseListing, "services", "benefits_listing_services_trgm"),
])
def test_the_trigram_indexes_match_the_sql_django_renders_for_icontains(model, field, index):
    """Migration 0007 indexes UPPER(col::text), exactly what Django renders for the directory's
    ``icontains`` on PostgreSQL; any other expression and PostgreSQL could not use the index, and a
    rare text would walk every listing again (benchmark_directory shows the planner choosing these
    indexes at 100,000 partners)."""
    for i in range(30):
        make_listing(PartnerFactory(name=f"P{i}", tier="silver"), logo=False)
    query = model.objects.filter(**{f"{field}__icontains": "zzzz"}).values("pk")
    # A tiny table would be scanned, or walked through any B-tree that covers the column (the partner list's
    # name order): ask whether the trigram index can answer, which it does through a bitmap scan.
    plan = _plan(query, "enable_seqscan", "enable_indexscan", "enable_indexonlyscan")
    assert index in plan, plan


def test_a_common_text_can_still_walk_the_ordering_index():
    for i in range(30):
        make_listing(PartnerFactory(name=f"P{i}", tier="silver"), logo=False)
    plan = _plan(selectors.directory_slice(offset=0, limit=21, text="contact"), "enable_seqscan",
                 "enable_bitmapscan", "enable_sort")
    assert "benefits_directory_order" in plan, plan


@pytest.mark.parametrize(("filters", "count"), [
    ({"text": "signal"}, 21),  # in names (12) and descriptions (12), 3 both
    ({"text": "IVR"}, 9),  # in descriptions only, any case
    ({"text": "harbor"}, 20),  # names (11) and descriptions (12), 3 both: each listing once
    ({"text": "  harbor  ", "tier": "gold"}, 7),
    ({"text": "harbor", "country": "DE"}, 14),
    ({"text": "50%"}, 1),  # LIKE wildcards are literal
    ({"text": "nothing matches this"}, 0),
    ({"text": ""}, 45),
])
def test_the_fast_text_search_gives_the_same_rows_as_the_plain_one(filters, count):
    """directory_slice (a UNION of a name branch and a listing branch on PostgreSQL) returns exactly
    the rows of directory_search (one OR) in the same order, on every page."""
    words = ["Signal", "Harbor", "Atlas", "Cobalt"]
    for i in range(45):
        word = words[i % 4]
        described = words[(i // 4) % 4]
        make_listing(
            PartnerFactory(name=f"{word} Partners {i:02d}", tier=["bronze", "silver", "gold"][i % 3]), logo=False,
            description=f"{described} practice, IVR design" if i % 5 == 0 else f"{described} practice",
            services="50% off" if i == 7 else "managed support",
            countries_served="DE,US" if i % 2 else "GB",
        )
    ShowcaseListing.objects.update(logo="showcase/logos/test.png")  # published without image files
    expected = [listing.pk for listing in selectors.directory_search(**filters)]
    pages = [[listing.pk for listing in selectors.directory_slice(offset=offset, limit=20, **filters)]
             for offset in (0, 20, 40)]
    assert [pk for page in pages for pk in page] == expected
    assert len(expected) == len(set(expected)) == count
