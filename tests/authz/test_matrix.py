"""Every URL pattern is in the matrix, and every role gets the status the matrix says."""

import importlib
import pkgutil
from pathlib import Path

import pytest
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver
from knox.models import AuthToken

from . import matrix
from .matrix import ROLES


def _case_modules():
    here = Path(__file__).parent
    for info in pkgutil.iter_modules([str(here)]):
        if info.name.startswith("cases_"):
            yield importlib.import_module(f"tests.authz.{info.name}")


MODULES = list(_case_modules())
CASES = [case for module in MODULES for case in module.CASES]


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            module = getattr(p.urlconf_module, "__name__", "")
            if module.startswith(matrix.EXEMPT_MODULE_PREFIXES):
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            module = getattr(p.callback, "__module__", "")
            if module.startswith(matrix.EXEMPT_MODULE_PREFIXES):
                continue
            yield f"{namespace}{p.name}" if p.name else f"{namespace}<unnamed {p.pattern}>"


def test_every_url_pattern_has_a_matrix_entry():
    names = {n for n in _walk(get_resolver().url_patterns) if not n.startswith(matrix.EXEMPT_PREFIXES)}
    covered = {case.name for case in CASES}
    missing = sorted(names - covered)
    assert not missing, f"URL patterns with no authorization matrix entry: {missing}"
    stale = sorted(covered - names)
    assert not stale, f"matrix entries for URLs that do not exist: {stale}"


@pytest.fixture
def world(people):
    objects = {}
    for module in MODULES:
        builder = getattr(module, "world", None)
        if builder:
            objects.update(builder(people) or {})
    return objects


# Every role logged in (session), and every role but the anonymous one with an API token.
WAYS_IN = [(role, "session") for role in ROLES] + [(role, "token") for role in ROLES if role != "anonymous"]


@pytest.mark.parametrize(("role", "auth"), WAYS_IN, ids=[f"{r}-{a}" for r, a in WAYS_IN])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_role_gets_expected_status(client, people, world, case, role, auth):
    """Each URL by each role, logged in (session) and with an API token: the same gates hold both ways."""
    user = getattr(people, role)
    if user is not None and auth == "session":
        client.force_login(user)
    if user is not None and auth == "token":
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {AuthToken.objects.create(user=user)[1]}"
    url = reverse(case.name, kwargs=case.kwargs(world))
    kwargs = {}
    if case.data is not None:
        kwargs["data"] = case.data(world)
    if case.content_type:
        kwargs["content_type"] = case.content_type
    response = getattr(client, case.method)(url, **kwargs)
    expected = case.expected[role] if auth == "session" else case.expected_by_token(role)
    allowed = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in allowed, (
        f"{role} {case.method.upper()} {url}: got {response.status_code}, expected {expected}"
    )
    if response.status_code == 401:
        assert response.has_header("WWW-Authenticate"), f"{url}: a 401 must say how to authenticate"
    if response.status_code == 302 and (role == "anonymous" or auth == "token") and not case.redirects_anyone:
        assert "/accounts/login/" in response["Location"]
