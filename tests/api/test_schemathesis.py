"""The API under attack: schemathesis generates requests from the OpenAPI schema of /api/v1/ and runs
every check it has (`--checks all`: no 500, status codes, bodies, headers and content types as the schema
says, invalid input rejected, authentication not ignored, deleted resources gone, ...) in every phase:
valid requests, invalid ones (negative), and the stateful phase over the links schemathesis infers
between operations (the schema declares none). As a partner admin and as a PAM.

Left out, and why: "positive_data_acceptance" only (below).

Bounded: a few examples per operation, derandomized, so `make test` stays quick and repeatable.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from knox.models import AuthToken
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks
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


load_all_checks()
# "Schema-valid request rejected" is left out on purpose: the schema gives the shape of a request, the
# services then apply the program's rules (dates in the future, MDF at most 50% of the cost, a known
# country...) and answer 400 with field errors, as they must.
LEFT_OUT = [positive_data_acceptance]
CHECKS_RUN = [check for check in CHECKS.get_all() if check not in LEFT_OUT]
STATEFUL = settings(BOUNDED, max_examples=8, stateful_step_count=4)


def _sign_in(schema, user):
    token = AuthToken.objects.create(user=user)[1]

    @schema.auth()
    class TokenAuth:
        """Our credentials, given the schemathesis way so that its authentication checks know them."""

        def get(self, case, context):
            return token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}



def _attack(schema, user):
    _sign_in(schema, user)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the API schema lists no operations"
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @BOUNDED
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                case.call_and_validate(checks=CHECKS_RUN)

            try:
                run()
            except Unsatisfiable:
                # Nothing to make invalid: the operation takes no parameter or body.
                assert mode == GenerationMode.NEGATIVE, f"{operation.method.upper()} {operation.path}: no valid request"
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collect every failing operation, report all.
                failures.append(f"{mode.value} {operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)


def _stateful(schema, user):
    _sign_in(schema, user)

    class Workflow(schema.as_state_machine()):
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS_RUN, additional_checks=additional_checks,
                                   transport_kwargs=kwargs or None, recorder=self.recorder)

    assert Workflow.bundles, "schemathesis inferred no links between operations"
    Workflow.run(settings=STATEFUL)


def test_api_as_a_partner_admin(api_schema, people):
    _attack(api_schema, people.partner_admin)


def test_api_as_a_pam(api_schema, people):
    """A PAM (two-factor set up by the factory) calling the same endpoints."""
    _attack(api_schema, people.pam)


def test_api_workflows_as_a_partner_admin(api_schema, people):
    _stateful(api_schema, people.partner_admin)


def test_api_workflows_as_a_pam(api_schema, people):
    _stateful(api_schema, people.pam)
