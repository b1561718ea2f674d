"""Large reads straight from the driver (core.rows), on PostgreSQL."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from core.rows import driver_rows
from dealreg.models import OpportunityPartner
from partners.models import Partner
from tests.factories import PartnerFactory
from tests.tiers.conftest import win

pytestmark = pytest.mark.django_db


def test_driver_rows_are_the_querysets_rows_in_one_query(django_assert_num_queries):
    first, second = PartnerFactory(), PartnerFactory()
    rows = Partner.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk").values_list("id", "name")
    with django_assert_num_queries(1):
        read = driver_rows(rows)
    assert read == [(first.pk, first.name), (second.pk, second.name)] == list(rows)


def test_aggregates_come_as_the_ints_and_decimals_the_orm_would_make(partner):
    win(partner, "1000.50", date(2022, 3, 1))
    win(partner, "7", date(2022, 5, 1))
    totals = (OpportunityPartner.objects.values("partner_id").order_by()
              .annotate(total=Sum("opportunity__arr_usd"), n=Count("id")).values_list("partner_id", "total", "n"))
    [(partner_id, total, n)] = driver_rows(totals)
    assert (partner_id, total, n) == (partner.pk, Decimal("1007.50"), 2) == tuple(totals[0])
    assert type(total) is Decimal and type(n) is int


def test_a_filter_that_matches_nothing_reads_nothing(django_assert_num_queries):
    PartnerFactory()
    with django_assert_num_queries(0):
        assert driver_rows(Partner.objects.filter(pk__in=[]).values_list("id")) == []
