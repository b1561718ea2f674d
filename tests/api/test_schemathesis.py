"""The API under attack: schemathesis generates requests from the OpenAPI schema of /api/v1/ and checks
that nothing answers 500 and that every response matches the schema (status codes, bodies, content types).

Bounded: a few examples per operation, derandomized, so `make test` stays quick and repeatable.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from knox.models import AuthToken
from schemathesis.specs.openapi.checks import positive_data_acceptance

from build_portal.wsgi import application

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_schema():
    # Calls go straight into the WSGI app, in this test's transaction: keep Django from closing the
    # connection at the end of each request, as its own test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _attack(schema, user):
    token = AuthToken.objects.create(user=user)[1]

    @schema.auth()
    class TokenAuth:
        """Our credentials, given the schemathesis way so that its authentication checks know them."""

        def get(self, case, context):
            return token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}

    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the API schema lists no operations"
    for operation in operations:

        @BOUNDED
        @given(case=operation.as_strategy())
        def run(case):
            # "Schema-valid request rejected" is left out on purpose: the schema gives the shape of a
            # request, the services then apply the program's rules (dates in the future, MDF at most
            # 50% of the cost, a known country...) and answer 400 with field errors, as they must.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collect every failing operation, report all.
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)


def test_api_as_a_partner_admin(api_schema, people):
    _attack(api_schema, people.partner_admin)


def test_api_as_a_pam(api_schema, people):
    """A PAM (two-factor set up by the factory) calling the same endpoints."""
    _attack(api_schema, people.pam)
