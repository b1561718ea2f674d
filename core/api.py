"""API plumbing shared by every app: one exception handler turns rule errors into 400s.

As in HackSoft's Django-Styleguide-Example (api/exception_handlers.py): Django's own exceptions raised by
services become DRF's, then DRF's handler answers. Bodies keep DRF's default shape: ``{field: [message]}``
(``non_field_errors`` for an error of no field) for a 400, ``{"detail": ...}`` for 403 and 404.
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Services raise django ValidationError for broken rules; the API answers 400 with field errors."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    return drf_exception_handler(exc, context)


# {"field": ["message", ...], ...}: what a serializer, core.query and ControlCharacterGuard answer.
FIELD_ERRORS = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


def document_invalid_page(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing: a paginated list answers 404 for a page past the end (DRF's
    PageNumberPagination); say so in the schema of every operation that takes `page`. Also the 400 of
    any operation that takes input and the 401 of every operation."""
    not_found = {
        "description": "No such page.",
        "content": {"application/json": {"schema": {"type": "object", "properties": {"detail": {"type": "string"}}}}},
    }
    bad_request = {
        "description": "Invalid input: field errors, e.g. a control character in a field or an unknown filter value.",
        "content": {"application/json": {"schema": FIELD_ERRORS}},
    }
    unauthenticated = {
        "description": "No credentials, or an invalid or expired token (see the WWW-Authenticate header).",
        "content": {"application/json": {"schema": {"type": "object", "properties": {"detail": {"type": "string"}}}}},
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            parameters = operation.get("parameters", [])
            responses = operation.setdefault("responses", {})
            if any(p.get("name") == "page" and p.get("in") == "query" for p in parameters):
                responses.setdefault("404", not_found)
            # Any query parameter or body can carry a control character or a bad value: a 400
            # (build_portal.middleware.ControlCharacterGuard, core.query).
            if "requestBody" in operation or any(p.get("in") == "query" for p in parameters):
                documented = responses.setdefault("400", bad_request)
                content = documented.setdefault("content", {}).setdefault("application/json", {})
                if documented is not bad_request and "schema" in content:
                    # An operation with its own 400 shape (e.g. an import's row errors) may also answer
                    # the guard's field errors.
                    content["schema"] = {"anyOf": [content["schema"], FIELD_ERRORS]}
            # A token that is invalid or expired is a 401 on every operation, public ones included.
            responses.setdefault("401", unauthenticated)
    return result


def document_empty_filters(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing: a django-filter parameter sent empty means "any" (a page's filter form
    sends every field, the empty ones included), so the schema admits "" beside its enum or format."""
    filtered = set()
    for path, _regex, method, callback in getattr(generator, "endpoints", None) or []:
        view = getattr(callback, "cls", None)
        backends = getattr(view, "filter_backends", None) or []
        if any(getattr(b, "__name__", "") == "DjangoFilterBackend" for b in backends):
            filtered.add((path, method.lower()))
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if (path, method) not in filtered or not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") != "query" or parameter.get("name") in ("page", "page_size"):
                    continue
                if "enum" in schema and "" not in schema["enum"]:
                    schema["enum"] = ["", *schema["enum"]]
                elif "format" in schema:
                    parameter["schema"] = {"anyOf": [schema, {"type": "string", "enum": [""]}]}
    return result
