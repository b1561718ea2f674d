"""One format for dates and one for money (core/formatting.py) and their template filters."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from core import formatting


@pytest.mark.parametrize(("value", "text"), [
    (datetime.date(2026, 1, 1), "1 Jan 2026"),
    (datetime.date(2026, 12, 15), "15 Dec 2026"),
    (datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC), "1 Dec 2026"),
    ("2026-03-04", "4 Mar 2026"),
    (None, "—"),
])
def test_day(value, text):
    assert formatting.day(value) == text


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("20000.00"), "$20,000"),
    (Decimal("1234567.5"), "$1,234,567.50"),
    (Decimal("4000"), "$4,000"),
    (Decimal("0.005"), "$0.01"),
    (Decimal("-500"), "-$500"),
    (250000, "$250,000"),
    (None, "—"),
])
def test_money(value, text):
    assert formatting.money(value) == text


@pytest.mark.parametrize(("days", "text"), [(0, "today"), (1, "tomorrow"), (10, "in 10 days"), (-1, "1 day ago")])
def test_days_from_now(days, text):
    today = datetime.date(2026, 12, 1)
    assert formatting.days_from_now(today + datetime.timedelta(days=days), today=today) == text


def test_count_of_uses_the_singular_for_one():
    assert formatting.count_of(1, "sales-trained person", "sales-trained people") == "1 sales-trained person"
    assert formatting.count_of(3, "sales-trained person", "sales-trained people") == "3 sales-trained people"


def test_template_filters():
    html = Template("{% load formatting %}{{ d|day }} {{ m|money }}").render(
        Context({"d": datetime.date(2026, 12, 1), "m": Decimal("1040000")}))
    assert html == "1 Dec 2026 $1,040,000"


def test_natural_key_sorts_numbers_as_numbers():
    names = ["Person 10", "person 2", "Person 1", "Person 11", "Ann"]
    assert sorted(names, key=formatting.natural_key) == ["Ann", "Person 1", "person 2", "Person 10", "Person 11"]


def test_country_names_once_each_by_name():
    assert formatting.country_names(["US", "us", "GB", ""]) == "United States of America, United Kingdom"
    assert formatting.country_name("ZZ") == "ZZ"
    codes = {code for code, _ in formatting.country_choices()}
    assert "ZZ" not in codes and "XK" not in codes and {"US", "GB", "DE"} <= codes


def test_country_field_takes_codes_in_any_case_and_refuses_zz():
    from django import forms as django_forms

    from core.forms import CountryChoiceField

    class F(django_forms.Form):
        country = CountryChoiceField()

    assert F({"country": "gb"}).is_valid()
    form = F({"country": "ZZ"})
    assert not form.is_valid() and "country" in form.errors
