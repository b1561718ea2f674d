"""Input no layer below can store: control characters (NUL first, which PostgreSQL refuses in any text)
and lone surrogates, in any query or body field, are answered here with a 400 naming the field, for
pages and the API alike. Tab, line feed and carriage return are ordinary text."""

import json
import re

from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
MESSAGE = gettext_lazy("Remove the control characters (such as NUL) from this field.")


def _bad_fields(items, prefix=""):
    """Names of the fields (dotted paths in JSON) whose name or text holds a forbidden character."""
    bad = []
    for key, value in items:
        name = f"{prefix}{key}"
        if FORBIDDEN.search(str(key)):
            bad.append(FORBIDDEN.sub("?", name))
        elif isinstance(value, str):
            if FORBIDDEN.search(value):
                bad.append(name)
        elif isinstance(value, dict):
            bad.extend(_bad_fields(value.items(), f"{name}."))
        elif isinstance(value, list):
            bad.extend(_bad_fields(enumerate(value), f"{name}."))
    return bad


def _query_and_form_fields(querydict):
    return [(key, value) for key, values in querydict.lists() for value in values]


class ControlCharacterGuard:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = _bad_fields(_query_and_form_fields(request.GET))
        content_type = request.content_type or ""
        if request.method == "POST" and content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                bad += _bad_fields(_query_and_form_fields(request.POST))
            except MultiPartParserError:
                return _answer(request, {"non_field_errors": [_("The form could not be read: send it again.")]})
        elif "json" in content_type and request.body:
            try:
                document = json.loads(request.body)
            except ValueError:
                document = None  # the parser answers 400 for malformed JSON
            if isinstance(document, dict):
                bad += _bad_fields(document.items())
            elif isinstance(document, list):
                bad += _bad_fields(enumerate(document))
            elif isinstance(document, str) and FORBIDDEN.search(document):
                bad.append("non_field_errors")
        if not bad:
            return self.get_response(request)
        return _answer(request, {name: [str(MESSAGE)] for name in dict.fromkeys(bad)})


def _answer(request, errors):
    if request.path.startswith("/api/"):
        return JsonResponse(errors, status=400)
    return render(request, "400.html", {"errors": errors}, status=400)
