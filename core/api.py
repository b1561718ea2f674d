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


def document_invalid_page(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing: a paginated list answers 404 for a page past the end (DRF's
    PageNumberPagination); say so in the schema of every operation that takes `page`."""
    not_found = {
        "description": "No such page.",
        "content": {"application/json": {"schema": {"type": "object", "properties": {"detail": {"type": "string"}}}}},
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            parameters = operation.get("parameters", []) if isinstance(operation, dict) else []
            if any(p.get("name") == "page" and p.get("in") == "query" for p in parameters):
                operation.setdefault("responses", {}).setdefault("404", not_found)
    return result
