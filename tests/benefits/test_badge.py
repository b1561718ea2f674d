"""The tier badge: an SVG at an unguessable URL, a snippet, and a public verification page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def svg(client, partner):
    response = client.get(reverse("benefits:badge_svg", kwargs={"token": partner.badge_token}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    return response


def test_svg_shows_tier_name_and_program_year(client, partner):
    response = svg(client, partner)
    body = response.content.decode()
    assert f"Silver · {timezone.localdate().year}" in body and "Acme Consulting" in body  # the year in force today
    assert "script" not in body
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_partner_name_is_escaped_in_the_svg(client):
    partner = PartnerFactory(name='Evil <script>alert(1)</script> & "Co"', tier="gold")
    body = svg(client, partner).content.decode()
    assert "<script>" not in body and "&lt;script&gt;" in body


@pytest.mark.parametrize(("tier", "active"), [("registered", True), ("", True), ("gold", False)])
def test_badge_below_bronze_or_inactive_is_no_longer_valid(client, tier, active):
    partner = PartnerFactory(tier=tier, is_active=active)
    assert "No longer valid" in svg(client, partner).content.decode()
    html = client.get(reverse("benefits:badge_verify", kwargs={"token": partner.badge_token})).content.decode()
    assert "This badge is no longer valid." in html
    assert ("no longer a member" in html) is (not active)


def test_verification_page_shows_current_tier_and_since_when(client, partner):
    type(partner).objects.filter(pk=partner.pk).update(tier="gold", tier_since=datetime.date(2022, 4, 1))
    html = client.get(reverse("benefits:badge_verify", kwargs={"token": partner.badge_token})).content.decode()
    assert "Acme Consulting" in html and "Gold" in html and "since 1 April 2022" in html


def test_unknown_or_guessed_tokens_are_404(client, partner):
    for token in ("x", str(partner.pk), partner.badge_token[:-1], "a" * 200):
        assert client.get(reverse("benefits:badge_verify", kwargs={"token": token})).status_code == 404
        assert client.get(reverse("benefits:badge_svg", kwargs={"token": token})).status_code == 404


def test_badge_page_gives_a_snippet_linking_image_and_verification(client, partner_member):
    client.force_login(partner_member)
    html = client.get(reverse("benefits:badge")).content.decode()
    token = partner_member.partner.badge_token
    assert f"http://testserver/badge/{token}/" in html and f"http://testserver/badge/{token}.svg" in html
    assert "Copy snippet" in html
    body = client.get(reverse("api:badge")).json()
    assert body["valid"] is True and token in body["snippet"] and body["verify_url"].endswith(f"/badge/{token}/")


def test_registered_partner_gets_no_snippet(client, partner_member, set_tier):
    set_tier(partner_member.partner, "registered")
    client.force_login(partner_member)
    html = client.get(reverse("benefits:badge")).content.decode()
    assert partner_member.partner.badge_token not in html
    assert "a benefit from Bronze" in html
    assert client.get(reverse("api:badge")).json() == {"valid": False, "tier": "registered", "svg_url": None,
                                                       "verify_url": None, "snippet": None}
