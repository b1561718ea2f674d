"""Turn a service's ValidationError into form errors: the one place pages do it."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> forms.BaseForm:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target if target != NON_FIELD_ERRORS else None, e)
    else:
        form.add_error(None, error)
    return form


class CountryChoiceField(forms.ChoiceField):
    """A country chosen from the list by name, stored as its ISO 3166-1 alpha-2 code. Typed codes (an API-like
    post, an old bookmark) are accepted in any case; ``error_for(code)`` words the refusal of anything else."""

    def __init__(self, *, error_for: Callable[[str], str | None] | None = None, **kwargs: Any) -> None:
        from .formatting import country_choices

        kwargs.setdefault("choices", lambda: [("", gettext_lazy("Choose a country")), *country_choices()])
        super().__init__(**kwargs)
        self.error_for = error_for

    def to_python(self, value: Any) -> str:
        return super().to_python(value).strip().upper()

    def validate(self, value: Any) -> None:
        if value and self.error_for is not None and not self.valid_value(value):
            raise forms.ValidationError(self.error_for(value) or _("%(code)s is not a country code.") % {"code": value})
        super().validate(value)
