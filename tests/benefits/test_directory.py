"""The public showcase directory: only published listings, filters, order, pages, no private data."""

import pytest
from django.urls import reverse

from tests.factories import PartnerFactory

from .helpers import make_listing

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    """Published listings at several tiers, and listings that must not appear."""
    made = {}
    for name, tier, extra in [
        ("Zeta Gold", "gold", {"products": "segment", "countries_served": "FR"}),
        ("Alpha Bronze", "bronze", {"industries": "healthcare", "countries_served": "DE,AT"}),
        ("Beta Silver", "silver", {"description": "Voice IVR specialists", "products": "voice"}),
        ("Aardvark Global", "global_strategic", {}),
        ("Omega Silver", "silver", {}),
    ]:
        made[name] = make_listing(PartnerFactory(name=name, tier=tier), **extra)
    make_listing(PartnerFactory(name="Registered Only", tier="registered"))
    make_listing(PartnerFactory(name="Incomplete Gold", tier="gold"), contact_email="")
    make_listing(PartnerFactory(name="No Logo Gold", tier="gold"), logo=False)
    make_listing(PartnerFactory(name="Inactive Gold", tier="gold", is_active=False))
    return made


def names(client, **params):
    response = client.get(reverse("api:directory"), params)
    assert response.status_code == 200, response.json()
    return [row["name"] for row in response.json()["results"]]


def test_only_published_listings_sorted_by_tier_then_name(client, listed):
    assert names(client) == ["Aardvark Global", "Zeta Gold", "Beta Silver", "Omega Silver", "Alpha Bronze"]
    html = client.get(reverse("benefits:directory")).content.decode()
    assert html.index("Aardvark Global") < html.index("Zeta Gold") < html.index("Alpha Bronze")
    for hidden in ("Registered Only", "Incomplete Gold", "No Logo Gold", "Inactive Gold"):
        assert hidden not in html


@pytest.mark.parametrize(("params", "expected"), [
    ({"q": "ivr"}, ["Beta Silver"]),
    ({"q": "zeta"}, ["Zeta Gold"]),
    ({"country": "at"}, ["Alpha Bronze"]),
    ({"country": "US"}, ["Aardvark Global", "Beta Silver", "Omega Silver"]),
    ({"product": "segment"}, ["Zeta Gold"]),
    ({"industry": "retail"}, ["Aardvark Global", "Zeta Gold", "Beta Silver", "Omega Silver"]),
    ({"industry": "telecom"}, []),
    ({"tier": "silver"}, ["Beta Silver", "Omega Silver"]),
    ({"tier": "silver", "product": "voice"}, ["Beta Silver"]),
])
def test_filters(client, listed, params, expected):
    assert names(client, **params) == expected


def test_a_code_matches_whole_codes_only(client):
    make_listing(PartnerFactory(name="Flexible", tier="gold"), products="messaging", services="x",
                 description="flexible staffing")
    assert names(client, product="flex") == []


@pytest.mark.parametrize("params", [{"country": "USA"}, {"country": "ZZ"}, {"product": "nope"}, {"tier": "registered"},
                                    {"industry": "x"}, {"q": "x" * 101}, {"page": "0"}, {"page": "abc"},
                                    {"page": "501"}])
def test_bad_filters_get_400_with_field_errors(client, params):
    response = client.get(reverse("api:directory"), params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)
    page = client.get(reverse("benefits:directory"), params)
    assert page.status_code == 400
    assert 'class="errorlist' in page.content.decode()


def test_pages(client, listed):
    html = client.get(reverse("benefits:directory")).content.decode()
    assert 'aria-label="Pages"' not in html  # one page only: no pager
    for i in range(25):
        make_listing(PartnerFactory(name=f"Bulk {i:02d}", tier="bronze"))
    html = client.get(reverse("benefits:directory"), {"tier": "bronze", "page": "2"}).content.decode()
    assert "Partners 21–26" in html and "?tier=bronze&amp;page=1" in html and ">Next<" not in html
    first = client.get(reverse("benefits:directory"), {"tier": "bronze"}).content.decode()
    assert "Partners 1–20" in first and "?tier=bronze&amp;page=2" in first
    body = client.get(reverse("api:directory"), {"page": 2}).json()
    assert len(body["results"]) == 10 and body["next"] is None and body["previous"].endswith("page=1")
    assert client.get(reverse("api:directory")).json()["next"].endswith("page=2")
    # Past the end: an empty page, not an error.
    assert client.get(reverse("api:directory"), {"page": 9}).json()["results"] == []


def test_public_data_only(client, listed, pam):
    listing = listed["Zeta Gold"]
    type(listing.partner).objects.filter(pk=listing.partner_id).update(pam=pam)
    body = client.get(reverse("api:directory_listing", kwargs={"partner_id": listing.partner_id})).json()
    assert set(body) == {"partner_id", "name", "tier", "tier_name", "description", "services", "products",
                         "industries", "countries_served", "website", "contact_email", "logo_url", "url"}
    assert body["products"] == ["Segment"]
    html = client.get(reverse("benefits:listing", kwargs={"partner_id": listing.partner_id})).content.decode()
    assert pam.email not in html and listing.partner.badge_token not in html and listing.partner.domain not in html


def test_public_logo_is_served_with_its_content_type(client, listed):
    response = client.get(reverse("benefits:listing_logo", kwargs={"partner_id": listed["Zeta Gold"].partner_id}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("n", [3, 30])
def test_query_count_does_not_grow(client, django_assert_max_num_queries, n):
    listings = [make_listing(PartnerFactory(name=f"P{i:03d}", tier=["bronze", "silver", "gold"][i % 3]))
                for i in range(n)]
    with django_assert_max_num_queries(1):  # one page query, no count
        assert client.get(reverse("benefits:directory"), {"q": "p", "product": "flex"}).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(reverse("api:directory"), {"country": "US"}).status_code == 200
    with django_assert_max_num_queries(1):
        url = reverse("benefits:listing", kwargs={"partner_id": listings[-1].partner_id})
        assert client.get(url).status_code == 200
