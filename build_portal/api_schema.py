"""The OpenAPI schema view: one schema, in the program's source language (docs/api.md).

Its own module: drf-spectacular's views module reads the API's authentication classes when imported, and one
of them lives in build_portal/language.py.
"""

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from drf_spectacular.views import SpectacularAPIView


def _plain(value):
    """A schema with every lazy (translatable) string made plain text in the active language."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Promise):
        return str(value)
    return value


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema in the program's source language only, whatever Accept-Language (or ``?lang=``) asks:
    developers read one schema, as the big public APIs publish theirs, and a client's generated code does not
    change with its user's language. What the API answers is in the reader's language: errors and every text
    field follow Accept-Language (docs/api.md). Lazy strings are made plain inside the override, so rendering
    the response later, in the request's language, changes nothing."""

    def _get_schema_response(self, request):
        with translation.override(settings.LANGUAGE_CODE):
            response = super()._get_schema_response(request)
            response.data = _plain(response.data)
        response["Content-Language"] = settings.LANGUAGE_CODE
        return response
