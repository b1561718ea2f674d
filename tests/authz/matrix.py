"""The authorization matrix: every URL the project resolves × every role.

Each app has a module ``tests/authz/cases_<app>.py`` with ``CASES`` (a list of ``Case``) and,
optionally, ``def world(people) -> dict`` that creates the app's objects belonging to *the partner*
(people.partner) so that cases can address them by id. The other partner's admin trying those ids
is the "another partner's objects" check.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "partner_admin", "partner_member", "other_partner_admin", "pam", "other_pam", "psa",
         "program_admin")

LOGIN = 302  # anonymous users on pages are sent to the login page
# An API request without credentials: 401 with WWW-Authenticate (token authentication comes first).
API_UNAUTHENTICATED = 401


def expect(default, **overrides):
    """Expected status per role: ``default`` for every role not named."""
    unknown = set(overrides) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: overrides.get(role, default) for role in ROLES}


# Common shapes.
PUBLIC = expect(200)
PARTNER_PAGE = expect(200, anonymous=LOGIN, pam=403, other_pam=403, psa=403, program_admin=403)
PARTNER_ADMIN_PAGE = expect(403, anonymous=LOGIN, partner_admin=200)
STAFF_PAGE = expect(200, anonymous=LOGIN, partner_admin=403, partner_member=403, other_partner_admin=403)
PROGRAM_ADMIN_PAGE = expect(403, anonymous=LOGIN, program_admin=200)
PARTNER_API = expect(200, anonymous=API_UNAUTHENTICATED, pam=403, other_pam=403, psa=403, program_admin=403)
STAFF_API = expect(200, anonymous=API_UNAUTHENTICATED, partner_admin=403, partner_member=403, other_partner_admin=403)
PROGRAM_ADMIN_API = expect(403, anonymous=API_UNAUTHENTICATED, program_admin=200)


@dataclass
class Case:
    """One URL pattern (by its full name) and the status each role gets.

    ``kwargs`` builds the URL arguments from the world (a dict of objects of *the partner*).
    ``method`` and ``data`` for POST endpoints; ``expected`` maps role -> status (or a tuple of statuses).
    """

    name: str
    expected: dict
    kwargs: Callable[[dict], dict] = field(default=lambda world: {})
    method: str = "get"
    data: Callable[[dict], dict] | None = None
    content_type: str | None = None
    note: str = ""
    id_suffix: str = ""
    # A 302 that is the answer itself, for anyone (the language switcher goes back to the page), not a
    # redirect to the login page.
    redirects_anyone: bool = False

    def __post_init__(self):
        # No credentials on the API is a 401 (with WWW-Authenticate), never a 403: the cases of each app
        # write 403 for "anyone else", and for the anonymous caller of an API URL that means 401.
        if self.is_api and self.expected.get("anonymous") == 403:
            self.expected = {**self.expected, "anonymous": API_UNAUTHENTICATED}

    @property
    def is_api(self):
        return self.name.startswith("api:")

    def expected_by_token(self, role):
        """A token signs in to the API only: by token a page answers as it does to an anonymous visitor."""
        return self.expected[role] if self.is_api else self.expected["anonymous"]

    @property
    def id(self):
        return f"{self.name}{self.id_suffix}"


# URL names (or namespaces) from third-party packages that are not ours to test here.
EXEMPT_PREFIXES = ("admin:",)
EXEMPT_MODULE_PREFIXES = ("allauth.", "django.contrib.admin")
