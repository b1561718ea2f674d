"""The DRF exception handler: services' Django exceptions become DRF's, with DRF's body shapes."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404

from core.api import exception_handler


def _answer(exc):
    response = exception_handler(exc, {})
    return response.status_code, response.data


def test_field_errors_become_a_400_with_a_list_per_field():
    error = ValidationError({"amount": [ValidationError("Too much %(n)s.", params={"n": 5})], "end": "Before start."})
    assert _answer(error) == (400, {"amount": ["Too much 5."], "end": ["Before start."]})


def test_an_error_of_no_field_becomes_non_field_errors():
    assert _answer(ValidationError(["One.", "Two."])) == (400, {"non_field_errors": ["One.", "Two."]})


def test_the_all_key_of_a_model_error_is_kept():
    assert _answer(ValidationError({NON_FIELD_ERRORS: ["Clash."]})) == (400, {NON_FIELD_ERRORS: ["Clash."]})


def test_permission_denied_and_not_found_keep_their_detail():
    assert _answer(PermissionDenied("Not yours.")) == (403, {"detail": "Not yours."})
    assert _answer(PermissionDenied()) == (403, {"detail": "You do not have permission to perform this action."})
    assert _answer(Http404()) == (404, {"detail": "Not found."})


def test_anything_else_is_left_to_django():
    assert exception_handler(KeyError("x"), {}) is None
