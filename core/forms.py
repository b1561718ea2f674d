"""Turn a service's ValidationError into form errors: the one place pages do it."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> forms.BaseForm:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target if target != NON_FIELD_ERRORS else None, e)
    else:
        form.add_error(None, error)
    return form
