"""Every page of the authorization matrix, in each language the portal speaks, shows no English sentence.

The pages are the matrix's (tests/authz): each GET page with the first role that gets 200 there, on the
matrix's own world. Each is requested once per language with the browser's Accept-Language, must answer 200
in that language, and its <main> content must not show any phrase of our English catalog that the
language's catalog translates into another text (tests/i18n/catalog.py says what counts).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.authz.matrix import PUBLIC, ROLES, Case
from tests.authz.test_matrix import CASES, world  # noqa: F401 - world: the matrix's objects, a fixture

from .catalog import TRANSLATED, catalog_path, english_left, main_text

pytestmark = pytest.mark.django_db

# Matrix entries that are not HTML pages for people to read: files (every "*_export" is a CSV file), images,
# machine-readable answers, and the API's documentation (Swagger's own page, not ours).
NOT_PAGES = {
    "healthz", "api:schema", "api:docs", "partners:people_import_template", "benefits:showcase_logo",
    "benefits:listing_logo", "benefits:badge_svg", "funding:claim_file", "staff:chart", "partners:partner_names",
}
# Pages the matrix leaves out (allauth's) that everyone meets first.
EXTRA = [Case("account_login", PUBLIC)]


def _reader(case):
    """The first role (in the matrix's order) that may read the page."""
    for role in ROLES:
        status = case.expected[role]
        if status == 200 or (isinstance(status, tuple) and 200 in status):
            return role
    return None


PAGES = [(case, _reader(case)) for case in EXTRA + CASES
         if case.method == "get" and not case.is_api and case.name not in NOT_PAGES
         and not case.name.endswith("_export") and _reader(case)]


def _page(client, people, world, case, role, language):  # noqa: F811 - world is the fixture's value
    client.logout()
    user = getattr(people, role)
    if user is not None:
        client.force_login(user)
    url = reverse(case.name, kwargs=case.kwargs(world))
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    if response.status_code != 200:
        return [f"{url} answers {response.status_code}"]
    if not response["Content-Type"].startswith("text/html"):
        return [f"{url} is not a page ({response['Content-Type']}): add {case.name} to NOT_PAGES"]
    html = response.content.decode()
    problems = []
    if response.get("Content-Language") != language or f'<html lang="{language}"' not in html:
        problems.append(f"answered in {response.get('Content-Language')!r}")
    return problems + english_left(main_text(html), language)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_page_speaks_the_language(client, people, world, language):  # noqa: F811
    """One request per page; the matrix's world is built once per language (it takes seconds), so the
    pages are a loop here, and the failure lists every page with the English it still shows."""
    assert catalog_path(language).exists(), f"no catalog for {language}: {catalog_path(language)}"
    failures = {}
    for case, role in PAGES:
        problems = _page(client, people, world, case, role, language)
        if problems:
            failures[f"{case.id} as {role}"] = problems
    report = "\n".join(f"  {page}: {problems}" for page, problems in failures.items())
    assert not failures, f"{len(failures)} of {len(PAGES)} pages in {language} are not all in {language}:\n{report}"


def test_pages_make_the_same_queries_in_english_and_french(client, people):
    client.force_login(people.partner_admin)
    for name in ("partner_home", "tiers:standing", "dealreg:list", "funding:overview"):
        url = reverse(name)
        counts = {}
        for language in ("en", "fr"):
            # A first request in each language fills the caches kept per language (the tier page's benefits
            # table): the second one is what every later reader costs.
            client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, HTTP_ACCEPT_LANGUAGE=language)["Content-Language"] == language
            counts[language] = len(queries)
        assert counts["en"] == counts["fr"], f"{name}: {counts}"
