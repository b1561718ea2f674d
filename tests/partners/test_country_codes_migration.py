"""The data migrations that normalise typed country codes: upper-cased and stripped, UK and EL mapped to
GB and GR; an unknown partner or customer country is kept and reported, an unknown code is dropped from a
showcase listing (shown to the public) and reported."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from dealreg.models import DealRegistration
from partners.models import Partner, ShowcaseListing
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

partners_migration = importlib.import_module("partners.migrations.0011_normalise_country_codes")
dealreg_migration = importlib.import_module("dealreg.migrations.0007_normalise_country_codes")


def test_partner_countries_and_listings_are_normalised(capsys):
    typed = {code: PartnerFactory(country=code) for code in ("us", "gb", "UK", "el", "ZZ", "DE")}
    # The form made every partner country valid: write what older versions let through.
    for code, partner in typed.items():
        Partner.objects.filter(pk=partner.pk).update(country=code)
    listing = ShowcaseListing.objects.create(partner=typed["DE"], countries_served="us, GB,zz,US,uk")
    clean = ShowcaseListing.objects.create(partner=typed["gb"], countries_served="FR,DE")
    partners_migration.normalise(apps, None)
    stored = {code: Partner.objects.get(pk=p.pk).country for code, p in typed.items()}
    assert stored == {"us": "US", "gb": "GB", "UK": "GB", "el": "GR", "ZZ": "ZZ", "DE": "DE"}
    listing.refresh_from_db()
    clean.refresh_from_db()
    assert listing.countries_served == "US,GB" and clean.countries_served == "FR,DE"
    out = capsys.readouterr().out
    assert f"partner {typed['ZZ'].pk}: 'ZZ'" in out and f"listing {listing.pk}: ZZ" in out


def test_customer_countries_are_normalised_and_unknown_ones_kept(partner, partner_admin, capsys):
    made = {}
    for n, code in enumerate(("de", "uk", "XX", "FR")):
        made[code] = DealRegistration.objects.create(
            partner=partner, submitted_by=partner_admin, customer_company=f"Customer {n}", domain=f"c{n}.example",
            country=code, contact_name="Hank", contact_email="hank@c.example", use_case="IVR",
            estimated_arr_usd=Decimal("1000"), expected_close_date=datetime.date(2027, 3, 1),
            waiting_since=timezone.now())
    dealreg_migration.normalise(apps, None)
    stored = {code: DealRegistration.objects.get(pk=r.pk).country for code, r in made.items()}
    assert stored == {"de": "DE", "uk": "GB", "XX": "XX", "FR": "FR"}
    assert f"registration {made['XX'].pk}: 'XX'" in capsys.readouterr().out
