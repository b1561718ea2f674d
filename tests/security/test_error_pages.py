import pytest

pytestmark = pytest.mark.django_db


def test_unknown_api_url_answers_json_404(client, partner_admin):
    client.force_login(partner_admin)
    response = client.get("/api/v1/no-such-thing/-5/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_unknown_page_answers_the_html_404_page(client, partner_admin):
    client.force_login(partner_admin)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Not found" in response.content
