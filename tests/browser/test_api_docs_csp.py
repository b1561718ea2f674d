"""The API docs page (Swagger UI from the sidecar package) works under the strict Content-Security-Policy."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_work_under_the_policy(page, live_server, people):
    """Swagger UI draws the operations with its scripts from our static files, and the browser reports
    no policy violation."""
    from django.test import Client

    client = Client()
    client.force_login(people.partner_admin)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    assert page.locator(".swagger-ui .opblock").count() > 20
    assert not violations, violations
