"""The tier view (tier page, partner home) is kept under a fingerprint of the rows behind it (core.fingerprint)
and read afresh after any write to them: the roster import, the API, the Django admin, a sales import, a
recalculation, a designation, a funding write.

These tests commit (``transaction=True``): inside a transaction nothing is kept, which is what every other
test of these pages sees."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core import fingerprint
from funding import services as funding_services
from partners.models import Person
from program.selectors import program_year_for
from tests.factories import PartnerFactory, UserFactory, accept_partner_agreement
from tiers import selectors, services

from .conftest import add_people, win

pytestmark = pytest.mark.django_db(transaction=True)


def _metrics(partner):
    partner.refresh_from_db()
    return selectors.tier_view(partner)["standing"]["metrics"]


def _queries(client, url, **headers):
    """(queries, the page's main content: the navigation's forms carry a CSRF token masked anew each time)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    html = response.content.decode()
    return len(ctx), html[html.index("<main"):html.index("</main>")] if "<main" in html else html


def test_the_tier_view_is_kept_until_a_row_behind_it_changes(partner, django_assert_num_queries):
    add_people(partner, certified=2)
    first = _metrics(partner)
    with django_assert_num_queries(2):  # the fingerprint and the open registrations; the rest is kept
        assert selectors.tier_view(partner)["standing"]["metrics"] == first
    add_people(partner, certified=1)
    assert _metrics(partner).certified_technical == first.certified_technical + 1


def test_the_tier_page_costs_fewer_queries_once_kept_and_follows_a_roster_import(client, partner, partner_admin):
    client.force_login(partner_admin)
    cold, _ = _queries(client, reverse("tiers:standing"))
    kept, html = _queries(client, reverse("tiers:standing"))
    assert kept < cold
    before = _metrics(partner).certified_technical
    csv = "name,email,job_role,course,completed_on,expires_on\nAda Lovelace,ada@acme.example,technical,platform,2022-03-01,\n"
    upload = io.BytesIO(csv.encode())
    upload.name = "roster.csv"
    assert client.post(reverse("partners:people_import"), {"file": upload}).status_code == 302
    assert _metrics(partner).certified_technical == before + 1
    _count, html_after = _queries(client, reverse("tiers:standing"))
    assert html_after != html


def test_the_api_completion_upsert_is_seen(partner, partner_admin):
    before = _metrics(partner).certified_technical
    api = APIClient()
    api.force_authenticate(partner_admin)
    rows = [{"email": "fay@acme.example", "name": "Fay", "course": "platform", "completed_on": "2022-01-10"}]
    assert api.post(reverse("api:completion_upsert"), {"rows": rows}, format="json").status_code == 200
    assert _metrics(partner).certified_technical == before + 1


def test_a_person_deleted_in_the_django_admin_is_seen(client, partner):
    person = add_people(partner, certified=1)[0]
    before = _metrics(partner).certified_technical
    root = UserFactory(email="root@vendor.example", staff_role="program_admin", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.post(reverse("admin:partners_person_delete", args=[person.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Person.objects.filter(pk=person.pk).exists()
    assert _metrics(partner).certified_technical == before - 1


def test_a_sales_import_is_seen(tmp_path, partner):
    before = _metrics(partner).revenue_usd
    closed = timezone.localdate() - datetime.timedelta(days=10)
    path = tmp_path / "opportunities.csv"
    path.write_text("external_id,account_name,domain,product_line,arr_usd,stage,close_date,partner_domain,attached_on\n"
                    f"SF-9,Initech,initech.example,platform,120000,closed_won,{closed},acme.example,{closed}\n")
    call_command("import_opportunities", str(path))
    assert _metrics(partner).revenue_usd == before + Decimal("120000")
    # The same opportunity changed by a second import (an UPDATE of the kept row) is seen too.
    path.write_text(path.read_text().replace("120000", "150000"))
    call_command("import_opportunities", str(path))
    assert _metrics(partner).revenue_usd == before + Decimal("150000")


def test_a_recalculation_and_a_designation_are_seen(partner, program_admin):
    today = timezone.localdate()
    add_people(partner, certified=3, both=5)
    win(partner, "150000", today - datetime.timedelta(days=5))
    assert selectors.tier_view(partner)["standing"]["last_assessment"] is None
    services.recalculate(kind="midyear", as_of=today, apply=True)
    partner.refresh_from_db()
    view = selectors.tier_view(partner)
    assert view["standing"]["last_assessment"] is not None and view["standing"]["history"]
    services.designation_give(partner=partner, user=program_admin, reason="Strategic account")
    partner.refresh_from_db()
    assert selectors.tier_view(partner)["standing"]["designated"]


def test_the_partner_home_follows_a_deal_registration_and_a_funding_write(client, partner, partner_admin,
                                                                          program_admin):
    from build_portal.partner_home import HOME_ROWS
    from dealreg import services as dealreg_services

    client.force_login(partner_admin)
    cold, html = _queries(client, reverse("partner_home"))
    kept, same = _queries(client, reverse("partner_home"))
    assert kept < cold and same == html
    today = timezone.localdate()
    dealreg_services.registration_submit(
        partner=partner, submitted_by=partner_admin, customer_company="Kept Retail", website="kept-retail.example",
        country="US", contact_name="Casey", contact_email="casey@kept-retail.example", products=["flex"],
        use_case="Contact centre", estimated_arr_usd=Decimal("50000"),
        expected_close_date=today + datetime.timedelta(days=60))
    _count, after = _queries(client, reverse("partner_home"))
    assert after != html and "$50,000" in after and "$50,000" not in html
    before = fingerprint.digest(HOME_ROWS, partner_id=partner.pk)
    funding_services.allocation_set(partner=partner, program_year=program_year_for(today),
                                    amount=Decimal("12345.00"), admin=program_admin, reason="Plan")
    assert fingerprint.digest(HOME_ROWS, partner_id=partner.pk) != before


def test_kept_pages_cost_the_same_queries_in_every_language(client, partner_admin):
    client.force_login(partner_admin)
    for url in (reverse("tiers:standing"), reverse("partner_home")):
        counts = {}
        for language in ("en", "fr", "ja"):
            _queries(client, url, HTTP_ACCEPT_LANGUAGE=language)  # each language's entry is its own
            counts[language], _html = _queries(client, url, HTTP_ACCEPT_LANGUAGE=language)
            assert client.get(url, HTTP_ACCEPT_LANGUAGE=language)["Content-Language"] == language
        assert len(set(counts.values())) == 1, (url, counts)


def test_a_partner_home_is_kept_per_role(client, partner, partner_admin, partner_member):
    client.force_login(partner_admin)
    _queries(client, reverse("partner_home"))
    client.force_login(partner_member)
    _count, html = _queries(client, reverse("partner_home"))
    assert "You are a partner member" in html


def test_nothing_is_kept_inside_a_transaction(partner):
    with transaction.atomic():
        assert fingerprint.digest(selectors.TIER_VIEW_ROWS, partner_id=partner.pk) is None
        before = selectors.tier_view(partner)["standing"]["metrics"].certified_technical
        add_people(partner, certified=1)
        assert selectors.tier_view(partner)["standing"]["metrics"].certified_technical == before + 1


def test_another_partners_writes_leave_the_kept_view_alone(partner, django_assert_num_queries):
    other = PartnerFactory(name="Other Co", domain="other.example", tier="registered")
    accept_partner_agreement(other, UserFactory(email="a@other.example", partner=other, partner_role="admin"))
    selectors.tier_view(partner)
    add_people(other, certified=4)
    with django_assert_num_queries(2):
        selectors.tier_view(partner)


def test_the_pipeline_is_read_on_every_view_and_a_registration_leaves_the_rest_kept(partner, partner_admin,
                                                                                    django_assert_num_queries):
    from dealreg import services as dealreg_services

    today = timezone.localdate()
    add_people(partner, certified=5, both=5)  # Silver's people: a large enough win alone lifts the tier
    selectors.tier_view(partner)
    kept = fingerprint.digest(selectors.TIER_VIEW_ROWS, partner_id=partner.pk)
    registration = dealreg_services.registration_submit(
        partner=partner, submitted_by=partner_admin, customer_company="Open Co", website="open-co.example",
        country="US", contact_name="Casey", contact_email="casey@open-co.example", products=["flex"],
        use_case="Contact centre", estimated_arr_usd=Decimal("500000"),
        expected_close_date=today + datetime.timedelta(days=60))
    assert fingerprint.digest(selectors.TIER_VIEW_ROWS, partner_id=partner.pk) == kept
    with django_assert_num_queries(2):  # the fingerprint and the open registrations
        view = selectors.tier_view(partner)
    assert registration.pk in [step.registration_id for step in view["pipeline"]]
    dealreg_services.registration_withdraw(registration=registration, user=partner_admin, reason="Lost interest")
    after = selectors.tier_view(partner)
    assert registration.pk not in [step.registration_id for step in after["pipeline"]]
    assert after["key"] != view["key"]  # the page's kept standing names the pipeline too
