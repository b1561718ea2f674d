"""The `tier_benefits` inclusion tag the tier page includes, and its selector's query count."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from benefits.models import Benefit, BenefitInvitation
from benefits.selectors import benefit_overview
from partners.models import Agreement, AgreementAcceptance, Course
from program.selectors import program_year_for
from tests.factories import CompletionFactory, PartnerFactory, PersonFactory, benefit_of_this_year

pytestmark = pytest.mark.django_db


def render(partner):
    return Template("{% load benefits_tags %}{% tier_benefits partner %}").render(Context({"partner": partner}))


def test_tag_lists_every_benefit_of_the_year_with_its_status(partner, pam):
    poc = benefit_of_this_year("poc-cofunding")
    partner.tier = "bronze"
    partner.save()
    BenefitInvitation.objects.create(benefit=poc, partner=partner, invited_by=pam, reason="EMEA pilot", region="EMEA")
    html = render(partner)
    assert html.count("<tr id=\"benefit-") == Benefit.objects.filter(program_year=poc.program_year).count()
    assert 'id="benefit-poc-cofunding" data-status="invited"' in html
    assert 'id="benefit-mdf-cofunding" data-status="invite_only"' in html
    assert 'id="benefit-partner-account-manager" data-status="from_tier"' in html
    assert "Available from Silver." in html
    assert 'id="benefit-partner-support-program" data-status="gated"' in html


def _add_history(partner, pam, n):
    """n people with Segment completions, n accepted agreements, n withdrawn invitations."""
    year_benefits = list(Benefit.objects.filter(cells__availability="invite_only").distinct()[:n])
    for i in range(n):
        person = PersonFactory(partner=partner)
        CompletionFactory(person=person, course=Course.SEGMENT_SALES, completed_on=datetime.date(2022, 1, 1 + i),
                          expires_on=None)
    for benefit in year_benefits:
        BenefitInvitation.objects.create(benefit=benefit, partner=partner, invited_by=pam, reason="r",
                                         withdrawn_at=timezone.now(), withdrawn_by=pam)
        BenefitInvitation.objects.create(benefit=benefit, partner=partner, invited_by=pam, reason="r")


@pytest.mark.parametrize("n", [1, 6])
def test_overview_query_count_does_not_grow(partner, pam, partner_admin, django_assert_max_num_queries, n):
    for kind in ("segment", "support_addendum"):
        AgreementAcceptance.objects.create(agreement=Agreement.objects.get(kind=kind, is_current=True),
                                           partner=partner, accepted_by=partner_admin)
    for _ in range(n):
        PartnerFactory()  # other partners' data must not matter either
    _add_history(partner, pam, n)
    with django_assert_max_num_queries(7):
        overview = benefit_overview(partner)
        statuses = {s.code: s.status for _, s in overview.statuses}
    assert statuses["segment-promotion"] == "included"
    assert statuses["partner-support-program"] == "included"


def test_overview_takes_the_program_year_the_page_has_looked_up(partner, django_assert_max_num_queries):
    """The tier page passes its program year on: the same overview without looking the year up again."""
    year = program_year_for(timezone.localdate())
    with django_assert_max_num_queries(5):
        overview = benefit_overview(partner, program_year=year)
    assert overview == benefit_overview(partner)
    assert overview.statuses


def _queries(partner, **kwargs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benefits.templatetags.benefits_tags import tier_benefits

    with CaptureQueriesContext(connection) as ctx:
        html = tier_benefits(partner, **kwargs)
    return len(ctx.captured_queries), html


def test_a_published_years_list_is_rendered_once_per_facts_and_language(partner, pam):
    from django.utils import translation

    year = program_year_for(timezone.localdate())
    first, html = _queries(partner, program_year=year)
    again, same = _queries(partner, program_year=year)
    assert same == html and again == first - 2  # the year's benefits and their cells are not read again
    # Another language reads the same facts in other words: its own entry.
    with translation.override("fr"):
        assert _queries(partner, program_year=year)[0] == first
        assert _queries(partner, program_year=year)[0] == again
    # Staff read "this partner's" where the partner reads "your": their own entry too.
    assert _queries(partner, program_year=year, for_staff=True)[0] == first


def test_a_change_of_the_partners_facts_shows_at_once(partner, pam):
    year = program_year_for(timezone.localdate())
    partner.tier = "bronze"
    partner.save()
    assert 'id="benefit-poc-cofunding" data-status="invite_only"' in _queries(partner, program_year=year)[1]
    BenefitInvitation.objects.create(benefit=benefit_of_this_year("poc-cofunding"), partner=partner, invited_by=pam,
                                     reason="EMEA pilot", region="EMEA")
    assert 'id="benefit-poc-cofunding" data-status="invited"' in _queries(partner, program_year=year)[1]
    partner.tier = "silver"
    partner.save()
    assert 'id="benefit-partner-account-manager" data-status="included"' in _queries(partner, program_year=year)[1]


def test_a_draft_years_list_is_never_kept(partner, pam):
    from benefits.services import program_year_copy_with_benefits

    today = timezone.localdate()
    draft = program_year_copy_with_benefits(source=program_year_for(today), year=today.year + 1, user=None)
    first, html = _queries(partner, program_year=draft)
    Benefit.objects.filter(program_year=draft, code="poc-cofunding").update(name="Proof of concept, renamed")
    again, changed = _queries(partner, program_year=draft)
    assert again == first and "Proof of concept, renamed" in changed and changed != html
