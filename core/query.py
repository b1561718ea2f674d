"""Query strings of API lists: validated like bodies, so a bad value is a 400 with field errors, not
silently ignored."""

from typing import Any

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework import pagination, serializers
from rest_framework.request import Request


def query_filters(request: Request, serializer_class: type[serializers.Serializer]) -> Any:
    """The validated query parameters of ``request`` (a plain dict: a missing flag keeps its default)."""
    filters = serializer_class(data=request.query_params.dict())
    filters.is_valid(raise_exception=True)
    return filters.validated_data


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page numbers, but ``page`` must be a whole number from 1 when given (``?page=`` is a 400);
    a page past the end stays a 404 (documented in the schema)."""

    def get_page_number(self, request: Request, paginator: Paginator) -> Any:
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if raw in self.last_page_strings:
            return paginator.num_pages
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise serializers.ValidationError({self.page_query_param: [_("A page is a whole number from 1.")]})
        return raw
