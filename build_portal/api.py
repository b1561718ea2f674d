"""API plumbing shared by every app: one exception handler turns rule errors into 400s."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Services raise django ValidationError for broken rules; the API answers 400 with field errors."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data = {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
        else:
            data = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    return drf_exception_handler(exc, context)


def document_invalid_page(result, generator, request, public):
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
