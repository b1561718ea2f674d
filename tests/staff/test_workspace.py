"""The staff workspace: the worklist home, the reports and charts, the partner 360.

Query counts are asserted at two sizes of the book (build_portal.demo_book writes a realistic book)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from build_portal.demo_book import build_book
from build_portal.staff import selectors
from dealreg.models import DealRegistration
from partners.models import Partner, StaffRole, TierLevel
from program.selectors import program_year_or_none
from tests.factories import PartnerFactory, UserFactory


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


@pytest.fixture
def book_pam(db):
    return UserFactory(email="book-pam@vendor.example", staff_role=StaffRole.PAM)


PAGES = [
    lambda p: reverse("staff:home"),
    lambda p: reverse("staff:home") + "?pam=none",
    lambda p: reverse("staff:reports"),
    lambda p: reverse("staff:chart", kwargs={"name": "tier-mix"}),
    lambda p: reverse("staff:chart", kwargs={"name": "tier-runs"}),
    lambda p: reverse("staff:chart", kwargs={"name": "deal-pipeline"}),
    lambda p: reverse("staff:chart", kwargs={"name": "mdf-by-tier"}),
    lambda p: reverse("staff:chart", kwargs={"name": "tier-movements"}),
    lambda p: reverse("staff:chart", kwargs={"name": "review-times"}),
    lambda p: reverse("staff:partner", kwargs={"pk": p.pk}),
]


@pytest.mark.parametrize("role", ["program_admin", "pam"])
def test_staff_pages_query_counts_do_not_grow_with_the_book(client, people, book_pam, role):
    user = getattr(people, role)
    client.force_login(user)
    build_book(size=30)
    partner = Partner.objects.filter(domain="p014.book.example").get()
    if role == "pam":
        Partner.objects.filter(pk=partner.pk).update(pam=user)
    small = [_queries(client, page(partner))[0] for page in PAGES]
    build_book(size=90, offset=100)
    assert Partner.objects.filter(domain__endswith=".book.example").count() == 120
    large = [_queries(client, page(partner))[0] for page in PAGES]
    assert large == small


def test_worklist_lists_overdue_deal_reviews_with_their_due_date(client, pam, partner, partner_admin):
    today = timezone.localdate()
    allowed = program_year_or_none(today).deal_review_business_days
    waiting = today - datetime.timedelta(days=14)
    late = DealRegistration.objects.create(
        partner=partner, submitted_by=partner_admin, customer_company="Late Corp", domain="late.example",
        country="US", contact_name="A", contact_email="a@late.example", use_case="x",
        estimated_arr_usd=Decimal("1000"), expected_close_date=today + datetime.timedelta(days=30),
        waiting_since=timezone.make_aware(datetime.datetime.combine(waiting, datetime.time(9))),
    )
    client.force_login(pam)
    body = client.get(reverse("staff:home")).content.decode()
    assert f'href="{reverse("dealreg:detail", args=[late.pk])}"' in body
    assert "1 overdue" in body
    section = selectors.deal_reviews(Partner.objects.filter(pk=partner.pk), today=today,
                                     program_year=program_year_or_none(today))
    assert section.count == 1 and section.extra["overdue"] == 1
    assert section.rows[0].is_overdue and section.rows[0].due_on < today
    assert f"was due {section.rows[0].due_on:%-d %b %Y}" in body
    assert allowed >= 1


def test_program_admin_filters_the_worklist_by_pam(client, program_admin, pam, other_pam, partner, other_partner):
    lonely = PartnerFactory(name="Lonely Gold", tier=TierLevel.GOLD, pam=None)
    client.force_login(program_admin)
    everyone = client.get(reverse("staff:home")).content.decode()
    assert "Lonely Gold" in everyone
    mine = client.get(reverse("staff:home") + f"?pam={other_pam.pk}").content.decode()
    assert "Lonely Gold" not in mine
    unassigned = client.get(reverse("staff:home") + "?pam=none").content.decode()
    assert "Lonely Gold" in unassigned and reverse("partners:partner_team", args=[lonely.pk]) in unassigned
    # A PAM's ?pam= is ignored: only program admins look at another book.
    client.force_login(pam)
    assert "Lonely Gold" in client.get(reverse("staff:home") + f"?pam={other_pam.pk}").content.decode()


def test_worklist_near_promotion_and_expiring_certifications(db, program_admin):
    build_book(size=60)
    today = timezone.localdate()
    year = program_year_or_none(today)
    requirements = selectors._requirements(year)
    partners = Partner.objects.filter(domain__endswith=".book.example")
    near = selectors.near_promotion(partners, today=today, requirements=requirements)
    assert near.count >= 1
    for row in near.rows:
        assert len(row["gap"]) == 1 or all(g.have >= g.need * Decimal("0.8") for g in row["gap"])
    expiring = selectors.expiring_certifications(partners, today=today, requirements=requirements)
    assert expiring.count >= 1
    assert all("needs" in reason for row in expiring.rows for reason in row["reasons"])


def test_partner_360_links_every_section_to_its_full_list(client, program_admin, partner, partner_admin):
    client.force_login(program_admin)
    body = client.get(reverse("staff:partner", args=[partner.pk])).content.decode()
    for url in (reverse("tiers:partner_standing", args=[partner.pk]),
                reverse("dealreg:queue") + f"?status=all&amp;partner={partner.pk}",
                reverse("funding:partner_funding", args=[partner.pk]),
                reverse("benefits:partner_invitations", args=[partner.pk]),
                reverse("partners:audit") + f"?partner={partner.pk}"):
        assert f'href="{url}"' in body, url


def test_partner_360_hides_the_audit_trail_from_pams(client, pam, partner):
    client.force_login(pam)
    body = client.get(reverse("staff:partner", args=[partner.pk])).content.decode()
    assert 'id="audit"' not in body and reverse("partners:audit") not in body


def test_deal_queue_narrowed_to_a_partner_the_user_cannot_see_shows_nothing(client, pam, other_partner,
                                                                           other_partner_admin):
    today = timezone.localdate()
    DealRegistration.objects.create(
        partner=other_partner, submitted_by=other_partner_admin, customer_company="Hidden Corp",
        domain="hidden.example", country="US", contact_name="A", contact_email="a@hidden.example", use_case="x",
        estimated_arr_usd=Decimal("1000"), expected_close_date=today + datetime.timedelta(days=30),
        waiting_since=timezone.now())
    client.force_login(pam)
    body = client.get(reverse("dealreg:queue") + f"?status=all&partner={other_partner.pk}").content.decode()
    assert "Hidden Corp" not in body


def test_staff_tier_page_speaks_about_the_partner_and_links_back(client, pam, partner):
    client.force_login(pam)
    body = client.get(reverse("tiers:partner_standing", args=[partner.pk])).content.decode()
    assert "your tier" not in body.lower().replace("your tier's", "")
    assert f'href="{reverse("staff:partner", args=[partner.pk])}"' in body


def test_chart_is_an_svg_without_script_under_a_strict_policy(client, pam, partner):
    client.force_login(pam)
    response = client.get(reverse("staff:chart", kwargs={"name": "tier-mix"}))
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    body = response.content.decode()
    assert body.startswith("<svg") and "Silver" in body


def _near_promotion_by_python(partners, *, today, requirements):
    """The rule as tiers.rules states it, partner by partner: what the set-based statement must agree with."""
    from tiers import rules as tier_rules
    from tiers import selectors as tier_selectors
    candidates = dict(partners.exclude(tier__in=["", TierLevel.GLOBAL_STRATEGIC]).values_list("pk", "tier"))
    metrics = tier_selectors.metrics_by_partner(kind=tier_rules.MIDYEAR, as_of=today, partner_ids=set(candidates))
    found = []
    for pid, tier in candidates.items():
        upcoming = tier_rules.next_tier(tier, requirements)
        gap = tier_rules.promotion_gap(upcoming, metrics[pid]) if upcoming else None
        if gap:
            found.append((pid, upcoming, gap))
    found.sort(key=lambda f: (len(f[2]), -min(row.percent for row in f[2]), f[0]))
    return len(found), [(pid, upcoming.level, gap) for pid, upcoming, gap in found[:selectors.SECTION_ROWS]]


def test_near_promotion_matches_the_rule_partner_by_partner(db, program_admin):
    build_book(size=80)
    today = timezone.localdate()
    requirements = selectors._requirements(program_year_or_none(today))
    for partners in (Partner.objects.filter(domain__endswith=".book.example"), Partner.objects.none(),
                     Partner.objects.filter(domain__endswith=".book.example", tier=TierLevel.BRONZE)):
        near = selectors.near_promotion(partners, today=today, requirements=requirements)
        count, rows = _near_promotion_by_python(partners, today=today, requirements=requirements)
        assert near.count == count
        assert [(r["partner"].pk, r["next_tier"].level, r["gap"]) for r in near.rows] == rows
    assert count >= 1 or near.count == 0


def test_near_promotion_query_count_does_not_grow_with_the_book(db, program_admin):
    today = timezone.localdate()
    requirements = selectors._requirements(program_year_or_none(today))
    partners = Partner.objects.filter(domain__endswith=".book.example")
    counts = []
    for size, offset in ((40, 0), (160, 40)):
        build_book(size=size, offset=offset)
        with CaptureQueriesContext(connection) as ctx:
            near = selectors.near_promotion(partners, today=today, requirements=requirements)
        assert near.count >= 1
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 5


def test_near_promotion_reads_the_same_without_postgresql(db, program_admin, monkeypatch):
    """`make run` serves SQLite, which cannot run the set-based statement: its Python path lists the same
    partners in the same order, with the same count."""
    build_book(size=80)
    today = timezone.localdate()
    requirements = selectors._requirements(program_year_or_none(today))
    partners = Partner.objects.filter(domain__endswith=".book.example")
    on_postgresql = selectors.near_promotion(partners, today=today, requirements=requirements)
    monkeypatch.setattr(selectors.connection, "vendor", "sqlite")
    elsewhere = selectors.near_promotion(partners, today=today, requirements=requirements)
    assert on_postgresql.count >= 1
    assert (elsewhere.count, elsewhere.rows) == (on_postgresql.count, on_postgresql.rows)
