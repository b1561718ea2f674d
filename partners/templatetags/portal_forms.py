"""Render a bound field's widget with Bootstrap classes (used by the allauth page overrides,
whose forms come from allauth and cannot take our form mixin)."""

from django import template

from partners.forms import bootstrap_class

register = template.Library()


@register.filter
def bootstrap_widget(field):
    css = bootstrap_class(field.field.widget)
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})
