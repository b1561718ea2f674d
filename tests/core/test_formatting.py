"""One format for dates and one for money (core/formatting.py) and their template filters, in English as the
portal has always written them and in the other four languages as CLDR writes them."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext_lazy

from core import formatting

# CLDR separates thousands with a narrow no-break space in French and puts a no-break space before the symbol.
NNBSP, NBSP = "\u202f", "\xa0"


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


SALES_TRAINED = ngettext_lazy("%(n)d sales-trained person", "%(n)d sales-trained people", "n")


def test_count_of_uses_the_singular_for_one():
    assert formatting.count_of(1, SALES_TRAINED) == "1 sales-trained person"
    assert formatting.count_of(3, SALES_TRAINED) == "3 sales-trained people"


@pytest.mark.parametrize(("language", "text"), [
    ("en", "1 Dec 2026"), ("fr", "1 déc. 2026"), ("ja", "2026年12月1日"), ("pt-br", "1 de dez. de 2026"),
    ("es", "1 dic 2026"),
])
def test_day_in_each_language(language, text):
    with translation.override(language):
        assert formatting.day(datetime.date(2026, 12, 1)) == text


def test_english_keeps_its_own_month_names():
    # CLDR's British English writes "Sept" and its US English "Sep 4, 2026": the portal writes neither.
    with translation.override("en"):
        assert formatting.day(datetime.date(2026, 9, 4)) == "4 Sep 2026"


@pytest.mark.parametrize(("language", "text"), [
    ("en", "1 Dec 2026, 14:05"), ("fr", "1 déc. 2026, 14:05"), ("ja", "2026年12月1日 14:05"),
    ("pt-br", "1 de dez. de 2026 14:05"), ("es", "1 dic 2026, 14:05"),
])
def test_moment_in_each_language(language, text):
    with translation.override(language):
        assert formatting.moment(datetime.datetime(2026, 12, 1, 14, 5, tzinfo=datetime.UTC)) == text


@pytest.mark.parametrize(("language", "whole", "cents", "negative"), [
    ("en", "$20,000", "$1,234,567.50", "-$500"),
    ("fr", f"20{NNBSP}000{NBSP}$US", f"1{NNBSP}234{NNBSP}567,50{NBSP}$US", f"-500{NBSP}$US"),
    ("ja", "$20,000", "$1,234,567.50", "-$500"),
    ("pt-br", f"US${NBSP}20.000", f"US${NBSP}1.234.567,50", f"-US${NBSP}500"),
    ("es", f"20.000{NBSP}US$", f"1.234.567,50{NBSP}US$", f"-500{NBSP}US$"),
])
def test_money_in_each_language(language, whole, cents, negative):
    with translation.override(language):
        assert formatting.money(Decimal("20000.00")) == whole
        assert formatting.money(Decimal("1234567.5")) == cents
        assert formatting.money(Decimal("-500")) == negative
        assert formatting.money(None) == "—"


@pytest.mark.parametrize(("language", "text"), [
    ("en", "1,234,567"), ("fr", f"1{NNBSP}234{NNBSP}567"), ("ja", "1,234,567"), ("pt-br", "1.234.567"),
    ("es", "1.234.567"),
])
def test_number_in_each_language(language, text):
    with translation.override(language):
        assert formatting.number(1234567) == text


def test_no_active_language_writes_english():
    with translation.override(None):
        assert formatting.day(datetime.date(2026, 12, 1)) == "1 Dec 2026"
        assert formatting.money(Decimal("20000")) == "$20,000"


def test_template_filters_follow_the_active_language():
    template = Template("{% load formatting %}{{ d|day }} {{ m|money }} {{ n|number }}")
    context = {"d": datetime.date(2026, 12, 1), "m": Decimal("1040000"), "n": 1234}
    with translation.override("ja"):
        assert template.render(Context(context)) == "2026年12月1日 $1,040,000 1,234"
    with translation.override("en"):
        assert template.render(Context(context)) == "1 Dec 2026 $1,040,000 1,234"


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


def test_country_names_follow_the_active_language():
    with translation.override("fr"):
        assert formatting.country_name("DE") == "Allemagne"
    with translation.override("ja"):
        assert formatting.country_name("DE") == "ドイツ"
    with translation.override("es"):
        assert formatting.country_names(["US", "DE"]) == "Estados Unidos, Alemania"


def test_country_choices_are_made_per_call_in_the_active_language():
    """The country list of a form is built when it is shown (core.forms.CountryChoiceField passes a callable),
    so a French page lists French names even after an English one."""
    with translation.override("en"):
        english = dict(formatting.country_choices())
    with translation.override("fr"):
        french = dict(formatting.country_choices())
    assert english["DE"] == "Germany" and french["DE"] == "Allemagne"
    # By name in the reader's language: Allemagne comes before Autriche in French.
    with translation.override("fr"):
        codes = [code for code, _ in formatting.country_choices()]
    assert codes.index("DE") < codes.index("AT")


def test_country_choice_field_lists_names_in_the_language_of_the_page():
    from core.forms import CountryChoiceField

    field = CountryChoiceField()
    with translation.override("pt-br"):
        assert dict(field.choices)["DE"] == "Alemanha"
    with translation.override("en"):
        assert dict(field.choices)["DE"] == "Germany"


@pytest.mark.parametrize("language", ["en", "fr", "ja"])
@pytest.mark.parametrize("data", [None, {"country": "US", "grouped": "2"}, {"country": "zz", "grouped": "x"}])
def test_quick_select_writes_the_html_of_djangos_select(language, data):
    """core.forms.QuickSelect renders the country list in Python: the same bytes as Django's templates."""
    from django import forms
    from django.utils.safestring import mark_safe

    from core.forms import CountryChoiceField, QuickSelect

    class CountryForm(forms.Form):
        country = CountryChoiceField(widget=QuickSelect(attrs={"class": "form-select", "data-x": '"<'}))
        # A group, a label already safe, an empty value and a value twice (only the first is selected).
        grouped = forms.ChoiceField(required=False, widget=QuickSelect, choices=[
            ("Group <1>", [("1", "<one>"), ("2", mark_safe("<b>two</b>"))]), ("3", "three"), ("", "none"),
            ("2", "two again")])

    with translation.override(language):
        form = CountryForm(data)
        if data:
            form.is_valid()
        for name in ("country", "grouped"):
            quick = str(form[name])
            form.fields[name].widget.__class__ = forms.Select
            assert quick == str(form[name])
