"""The showcase listing draft: what is missing, the logo checked by content, no partial writes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activity.models import AuditEntry
from partners.models import ShowcaseListing

from .helpers import COMPLETE, image_bytes, make_listing

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "description": COMPLETE["description"], "services": COMPLETE["services"],
        "industries": ["retail", "healthcare"], "countries_served": ["US", "GB"], "products": ["flex", "messaging"],
        "website": "acme.example", "contact_email": "hello@acme.example",
    }
    return data | overrides


def png(name="logo.png", content=None):
    return SimpleUploadedFile(name, content if content is not None else image_bytes(), content_type="image/png")


def test_draft_page_says_what_is_missing(client, partner_admin):
    client.force_login(partner_admin)
    html = client.get(reverse("benefits:showcase")).content.decode()
    assert "Not published yet" in html
    assert "Add a description, the services you offer" in html
    assert "Listing completeness: 0%" in html


def test_partner_admin_completes_and_publishes(client, partner_admin):
    client.force_login(partner_admin)
    response = client.post(reverse("benefits:showcase"), form_data(logo=png()))
    assert response.status_code == 302
    listing = ShowcaseListing.objects.get(partner=partner_admin.partner)
    assert listing.countries_served == "US,GB"
    assert listing.products == "flex,messaging"
    assert listing.website == "https://acme.example"
    assert listing.logo.name.startswith("showcase/logos/") and listing.logo.name.endswith(".png")
    assert "acme" not in listing.logo.name.lower()  # random name
    html = client.get(reverse("benefits:showcase")).content.decode()
    assert "Your listing is published" in html
    assert client.get(reverse("benefits:listing", kwargs={"partner_id": listing.partner_id})).status_code == 200
    assert AuditEntry.objects.filter(action="showcase.save", partner_id=listing.partner_id).exists()


def test_registered_partner_listing_stays_a_draft(client, partner_admin, set_tier):
    set_tier(partner_admin.partner, "registered")
    make_listing(partner_admin.partner)
    client.force_login(partner_admin)
    html = client.get(reverse("benefits:showcase")).content.decode()
    assert "Listings are published from Bronze; your company is Registered." in html
    assert client.get(reverse("benefits:listing", kwargs={"partner_id": partner_admin.partner_id})).status_code == 404


def test_inactive_partner_is_not_published(client, partner):
    make_listing(partner)
    type(partner).objects.filter(pk=partner.pk).update(is_active=False)
    assert client.get(reverse("benefits:listing", kwargs={"partner_id": partner.pk})).status_code == 404


@pytest.mark.parametrize(("upload", "message"), [
    (png("logo.png", b"this is not an image"), "not a readable PNG or JPEG"),
    (png("logo.png", image_bytes("GIF")), "must be a PNG or JPEG"),
    (png("logo.png", image_bytes()[:60]), "not a readable PNG or JPEG"),  # truncated
    (png("logo.png", b"\x89PNG" + b"0" * (1024 * 1024 + 10)), "at most 1024 KB"),
    (png("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
     "not a readable PNG or JPEG"),
])
def test_bad_logo_is_refused_and_nothing_is_written(client, partner_admin, upload, message):
    client.force_login(partner_admin)
    response = client.post(reverse("benefits:showcase"), form_data(logo=upload))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ShowcaseListing.objects.exists()  # no partial write of the text fields either


def test_jpeg_logo_is_accepted(client, partner_admin):
    client.force_login(partner_admin)
    response = client.post(reverse("benefits:showcase"), form_data(logo=png("photo.jpg", image_bytes("JPEG"))))
    assert response.status_code == 302
    assert ShowcaseListing.objects.get().logo.name.endswith(".jpg")
    logo = client.get(reverse("benefits:showcase_logo"))
    assert logo["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(("overrides", "field_message"), [
    ({"countries_served": ["ZZ", "GB"]}, "ZZ is not one of the available choices"),
    ({"products": ["teleportation"]}, "Select a valid choice"),
    ({"website": "not a url"}, "Enter a valid URL"),
    ({"contact_email": "nope"}, "Enter a valid email address"),
    ({"services": "x" * 501}, "at most 500 characters"),
])
def test_bad_fields_get_messages(client, partner_admin, overrides, field_message):
    client.force_login(partner_admin)
    response = client.post(reverse("benefits:showcase"), form_data(**overrides))
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not ShowcaseListing.objects.exists()


def test_member_sees_the_draft_but_cannot_edit(client, partner_member):
    make_listing(partner_member.partner, description="Our draft")
    client.force_login(partner_member)
    html = client.get(reverse("benefits:showcase")).content.decode()
    assert "Only your partner admin may edit" in html and "Our draft" in html
    assert client.post(reverse("benefits:showcase"), form_data()).status_code == 403


def test_api_patch_json_and_multipart(client, partner_admin):
    client.force_login(partner_admin)
    url = reverse("api:showcase")
    response = client.patch(url, {"description": "Hello", "products": ["flex"], "countries_served": ["de", "FR"]},
                            content_type="application/json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["products"] == ["flex"] and body["countries_served"] == ["DE", "FR"]
    assert not body["published"] and "a logo" in body["missing"]
    from django.test.client import encode_multipart

    multipart = encode_multipart("BoUnDaRy", {"logo": png(), **{k: v for k, v in COMPLETE.items()
                                                               if k in ("services", "website", "contact_email")}})
    response = client.generic("PATCH", url, multipart, content_type="multipart/form-data; boundary=BoUnDaRy")
    assert response.status_code == 200, response.json()
    assert response.json()["missing"] == ["the industries you serve"]


@pytest.mark.parametrize(("payload", "field"), [
    ({"partner": 5}, "partner"),
    ({"published": True}, "published"),
    ({"products": "flex"}, "products"),  # wrong type: a list is expected
    ({"industries": ["nonsense"]}, "industries"),
    ({"countries_served": ["USA"]}, "countries_served"),
    ({"countries_served": ["ZZ"]}, "countries_served"),  # two letters, but no country
    ({"website": "javascript:alert(1)"}, "website"),
    ({"description": "x" * 5001}, "description"),
])
def test_api_bad_input(client, partner_admin, payload, field):
    client.force_login(partner_admin)
    response = client.patch(reverse("api:showcase"), payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not ShowcaseListing.objects.exists()


def test_api_bad_logo(client, partner_admin):
    from django.test.client import encode_multipart

    client.force_login(partner_admin)
    body = encode_multipart("BoUnDaRy", {"logo": png("x.png", b"GIF89a not really")})
    response = client.generic("PATCH", reverse("api:showcase"), body,
                              content_type="multipart/form-data; boundary=BoUnDaRy")
    assert response.status_code == 400
    assert "logo" in response.json()


def test_countries_are_chosen_by_name_and_shown_once_by_name(client, partner_admin):
    """The form lists countries by name and stores their codes once each; the public page names them."""
    client.force_login(partner_admin)
    html = client.get(reverse("benefits:showcase")).content.decode()
    assert '<option value="GB">United Kingdom</option>' in html
    assert 'name="countries_served"' in html and "<select" in html
    response = client.post(reverse("benefits:showcase"), form_data(countries_served=["US", "US", "GB"], logo=png()))
    assert response.status_code == 302
    listing = ShowcaseListing.objects.get()
    assert listing.countries_served == "US,GB"
    html = client.get(reverse("benefits:showcase")).content.decode()
    assert '<option value="US" selected>' in html and '<option value="GB" selected>' in html
    type(partner_admin.partner).objects.filter(pk=partner_admin.partner.pk).update(tier="silver")
    public = client.get(reverse("benefits:listing", kwargs={"partner_id": partner_admin.partner.pk})).content.decode()
    assert "United States of America, United Kingdom" in public
