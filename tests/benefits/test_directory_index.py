"""PostgreSQL uses the directory's ordering index (migration 0006) for a page of the directory, so a
page costs a short index walk rather than a sort of every listing."""

import pytest
from django.db import connection

from benefits import selectors
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
