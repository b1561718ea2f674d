"""The deal registration form's widgets write exactly the HTML of Django's widget templates (dealreg.forms)."""

import copy
import datetime

import pytest
from django import forms

from dealreg.forms import ListFilterForm, RegistrationForm


def _django_widget(widget):
    """The same widget as Django's own class, rendering through its templates."""
    plain = copy.deepcopy(widget)
    plain.__class__ = next(c for c in type(widget).__mro__ if c.__module__.startswith("django.forms"))
    return plain


def _assert_same_html(form):
    quick = [name for name, field in form.fields.items() if type(field.widget).__module__ == "dealreg.forms"]
    assert quick
    for name in quick:
        bound = form[name]
        assert str(bound.as_widget()) == str(bound.as_widget(widget=_django_widget(bound.field.widget))), name


@pytest.mark.parametrize("data", [
    None,
    {"customer_company": 'Ac<me> & "Sons"', "website": "https://www.Example.com/a?b=1&c='2'", "country": "US",
     "contact_name": "O'Brien", "contact_email": "x@example.com", "products": ["flex", "segment"],
     "use_case": "<script>alert(1)</script>\nline two", "estimated_arr_usd": "1234.50",
     "expected_close_date": "2030-01-31", "confirm": "on"},
    {"customer_company": "", "website": "", "products": ["nope"], "use_case": "", "estimated_arr_usd": "ten",
     "expected_close_date": "yesterday"},
])
def test_the_registration_form_renders_as_django_does(data):
    form = RegistrationForm(data)
    if data is not None:
        form.is_valid()  # errors add aria-invalid and aria-describedby to the widgets' attributes
    _assert_same_html(form)


def test_the_registration_form_renders_initial_values_as_django_does():
    _assert_same_html(RegistrationForm(initial={"estimated_arr_usd": 5000, "expected_close_date": datetime.date(2030, 1, 2),
                                                "products": ["platform"], "use_case": "café", "confirm": True}))


def test_the_revealed_tick_and_the_list_filter_render_as_django_does():
    form = RegistrationForm({})
    form.is_valid()
    form.fields["confirm"].widget = forms.CheckboxInput({"class": "form-check-input"})
    _assert_same_html(form)
    _assert_same_html(ListFilterForm({"q": 'a"b<c', "status": "submitted"}))
    _assert_same_html(ListFilterForm())
