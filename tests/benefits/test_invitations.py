"""Invitations to invite-only cells: who may invite and withdraw, the rules, notifications, audit,
partners that move down, and two staff inviting at once."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from activity.models import AuditEntry, Notification
from benefits import services
from benefits.models import Benefit, BenefitInvitation
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bronze(partner, set_tier):
    return set_tier(partner, "bronze")


def invite_url(partner):
    return reverse("api:partner_benefit_invitations", kwargs={"partner_id": partner.pk})


def test_pam_invites_bronze_partner_to_poc_with_region(client, pam, bronze, partner_admin, partner_member):
    client.force_login(pam)
    response = client.post(invite_url(bronze), {"benefit": "poc-cofunding", "region": "EMEA", "reason": "Pilot"},
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    invitation = BenefitInvitation.objects.get()
    assert (invitation.partner, invitation.invited_by, invitation.region) == (bronze, pam, "EMEA")
    notified = set(Notification.objects.values_list("recipient__email", flat=True))
    assert notified == {partner_admin.email, partner_member.email}
    entry = AuditEntry.objects.get(action="benefit.invite")
    assert entry.partner_id == bronze.pk and entry.reason == "Pilot"
    client.force_login(partner_member)
    poc = {b["code"]: b for b in client.get(reverse("api:benefits")).json()["benefits"]}["poc-cofunding"]
    assert poc["status"] == "invited"
    assert poc["invitation"]["region"] == "EMEA"
    assert "Invited for EMEA by" in poc["explanation"]


@pytest.mark.parametrize(("payload", "field"), [
    ({"benefit": "poc-cofunding", "reason": "Pilot"}, "region"),  # POC needs a region
    ({"benefit": "poc-cofunding", "region": "EMEA", "reason": "   "}, "reason"),
    ({"benefit": "poc-cofunding", "region": "EMEA"}, "reason"),
    ({"benefit": "deal-registration", "reason": "x"}, "benefit"),  # included at Bronze: nothing to invite to
    ({"benefit": "business-plan", "reason": "x"}, "benefit"),  # absent at Bronze
    ({"benefit": "no-such-benefit", "reason": "x"}, "benefit"),
    ({"benefit": ["poc-cofunding"], "region": "EMEA", "reason": "x"}, "benefit"),  # wrong type
    ({"benefit": "poc-cofunding", "region": "EMEA", "reason": "x" * 2001}, "reason"),
    ({"benefit": "poc-cofunding", "region": "E" * 101, "reason": "x"}, "region"),
    ({"benefit": "poc-cofunding", "region": "EMEA", "reason": "x", "partner": 999}, "partner"),  # mass assignment
    ({"benefit": "poc-cofunding", "region": "EMEA", "reason": "x", "invited_by": 1}, "invited_by"),
])
def test_bad_invitations_get_field_errors_and_write_nothing(client, pam, bronze, payload, field):
    client.force_login(pam)
    response = client.post(invite_url(bronze), payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not BenefitInvitation.objects.exists()
    assert not Notification.objects.exists()


def test_mdf_invitation_needs_no_region_on_the_page_or_the_api(client, pam, bronze):
    """Only POC is "select regions" in the guide (p.9); MDF at Bronze is invite-only with no region named."""
    client.force_login(pam)
    page_url = reverse("benefits:partner_invitations", kwargs={"partner_id": bronze.pk})
    assert client.post(page_url, {"benefit": "mdf-cofunding", "reason": "Campaign"}).status_code == 302
    assert BenefitInvitation.objects.get().region == ""
    BenefitInvitation.objects.all().delete()
    response = client.post(invite_url(bronze), {"benefit": "mdf-cofunding", "reason": "Campaign"},
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["region"] == ""


def test_second_active_invitation_is_refused(client, pam, bronze):
    client.force_login(pam)
    payload = {"benefit": "mdf-cofunding", "region": "APAC", "reason": "Campaign"}
    assert client.post(invite_url(bronze), payload, content_type="application/json").status_code == 201
    response = client.post(invite_url(bronze), payload, content_type="application/json")
    assert response.status_code == 400
    assert "already has an active invitation" in response.json()["benefit"][0]


def test_page_form_shows_errors_next_to_fields(client, pam, bronze):
    client.force_login(pam)
    url = reverse("benefits:partner_invitations", kwargs={"partner_id": bronze.pk})
    page = client.get(url).content.decode()
    assert '<option value="poc-cofunding">' in page and '<option value="deal-registration">' not in page
    response = client.post(url, {"benefit": "poc-cofunding", "reason": "Pilot"})
    assert response.status_code == 400
    assert "Name the region this" in response.content.decode()
    assert not BenefitInvitation.objects.exists()
    response = client.post(url, {"benefit": "poc-cofunding", "reason": "Pilot", "region": "LATAM"})
    assert response.status_code == 302
    assert BenefitInvitation.objects.get().region == "LATAM"


def test_pam_of_unassigned_partner_may_see_but_not_invite(client, pam):
    unassigned = PartnerFactory(tier="bronze", pam=None)
    client.force_login(pam)
    assert client.get(invite_url(unassigned)).status_code == 200
    response = client.post(invite_url(unassigned), {"benefit": "poc-cofunding", "region": "EMEA", "reason": "x"},
                           content_type="application/json")
    assert response.status_code == 403
    assert not BenefitInvitation.objects.exists()


def test_program_admin_invites_any_partner(client, program_admin, other_partner):
    client.force_login(program_admin)
    response = client.post(invite_url(other_partner), {"benefit": "partner-solution-architect", "reason": "Growth"},
                           content_type="application/json")
    assert response.status_code == 201


def test_withdraw_needs_a_reason_notifies_and_keeps_history(client, pam, bronze, partner_admin):
    invitation = services.invitation_create(actor=pam, partner=bronze, benefit_code="poc-cofunding",
                                            reason="Pilot", region="EMEA")
    Notification.objects.all().delete()
    client.force_login(pam)
    url = reverse("api:benefit_invitation_withdraw", kwargs={"invitation_id": invitation.pk})
    assert client.post(url, {}, content_type="application/json").status_code == 400
    assert client.post(url, {"reason": "Region closed", "withdrawn_at": "2020-01-01"},
                       content_type="application/json").status_code == 400  # mass assignment refused
    response = client.post(url, {"reason": "Region closed"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    invitation.refresh_from_db()
    assert invitation.withdrawn_by == pam and invitation.withdraw_reason == "Region closed"
    assert Notification.objects.get().recipient == partner_admin
    assert AuditEntry.objects.filter(action="benefit.invitation_withdraw").count() == 1
    again = client.post(url, {"reason": "again"}, content_type="application/json")
    assert again.status_code == 400
    # Withdrawn, so it can be made again.
    services.invitation_create(actor=pam, partner=bronze, benefit_code="poc-cofunding", reason="Back", region="EMEA")
    assert BenefitInvitation.objects.filter(partner=bronze).count() == 2


def test_withdraw_page(client, pam, bronze):
    invitation = services.invitation_create(actor=pam, partner=bronze, benefit_code="mdf-cofunding",
                                            reason="Campaign", region="EMEA")
    client.force_login(pam)
    url = reverse("benefits:invitation_withdraw", kwargs={"invitation_id": invitation.pk})
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Give a reason" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.is_active
    client.post(url, {"reason": "Done"})
    invitation.refresh_from_db()
    assert not invitation.is_active


def _status(client, code):
    return {b["code"]: b for b in client.get(reverse("api:benefits")).json()["benefits"]}[code]["status"]


def test_moving_down_keeps_only_invitations_the_new_tier_still_allows(
        client, pam, program_admin, partner, partner_member, set_tier, accept, partner_admin):
    """Gold → Silver keeps resell (invite-only at both); Silver → Bronze loses the PSA (absent at Bronze)."""
    set_tier(partner, "gold")
    accept(partner, "resell_addendum", partner_admin)
    services.invitation_create(actor=pam, partner=partner, benefit_code="resell-program", reason="Resell")
    services.invitation_create(actor=pam, partner=partner, benefit_code="business-plan", reason="Plan")
    client.force_login(partner_member)
    assert _status(client, "resell-program") == "invited"
    assert _status(client, "business-plan") == "invited"
    set_tier(partner, "silver")
    assert _status(client, "resell-program") == "invited"
    assert _status(client, "business-plan") == "from_tier"
    services.invitation_create(actor=pam, partner=partner, benefit_code="partner-solution-architect", reason="PSA")
    assert _status(client, "partner-solution-architect") == "invited"
    set_tier(partner, "bronze")
    assert _status(client, "partner-solution-architect") == "from_tier"
    assert _status(client, "resell-program") == "from_tier"
    # The program admin's list marks them dormant rather than hiding them.
    client.force_login(program_admin)
    rows = client.get(reverse("api:benefit_invitations")).json()["results"]
    assert {r["benefit"]: r["counts_at_current_tier"] for r in rows} == {
        "resell-program": False, "business-plan": False, "partner-solution-architect": False}
    page = client.get(reverse("benefits:invitations")).content.decode()
    assert page.count("Dormant at current tier") == 3


@pytest.mark.parametrize("n", [2, 12])
def test_invitation_lists_query_count_does_not_grow(client, program_admin, pam, django_assert_max_num_queries, n):
    for _ in range(n):
        services.invitation_create(actor=pam, partner=PartnerFactory(tier="bronze", pam=pam),
                                   benefit_code="poc-cofunding", reason="r", region="EMEA")
    client.force_login(program_admin)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("api:benefit_invitations"))
    assert response.json()["count"] == n
    with django_assert_max_num_queries(16):
        page = client.get(reverse("benefits:invitations"))
    assert page.content.decode().count("Counts</span>") == n


def test_pam_sees_only_their_partners_invitations(client, pam, other_pam, other_partner, bronze):
    services.invitation_create(actor=other_pam, partner=other_partner, benefit_code="partner-solution-architect",
                               reason="x")
    services.invitation_create(actor=pam, partner=bronze, benefit_code="poc-cofunding", reason="x", region="EMEA")
    client.force_login(pam)
    rows = client.get(reverse("api:benefit_invitations")).json()["results"]
    assert [r["partner_id"] for r in rows] == [bronze.pk]


@pytest.mark.django_db(transaction=True)
def test_two_staff_inviting_at_once_make_one_invitation():
    from benefits.models import TierBenefit
    from benefits.program_2022 import load_program_year  # transaction tests start from an empty database
    from partners.models import Agreement, StaffRole
    from program.models import ProgramYear
    from tiers.models import Tier

    load_program_year(ProgramYear=ProgramYear, Tier=Tier, Benefit=Benefit, TierBenefit=TierBenefit,
                      Agreement=Agreement)
    pam_user = UserFactory(staff_role=StaffRole.PAM)
    admin_user = UserFactory(staff_role=StaffRole.PROGRAM_ADMIN)
    target = PartnerFactory(tier="bronze", pam=pam_user)
    barrier = threading.Barrier(2)
    outcomes = []

    def invite(actor):
        try:
            barrier.wait()
            services.invitation_create(actor=actor, partner=target, benefit_code="poc-cofunding", reason="r",
                                       region="EMEA")
            outcomes.append("ok")
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test compares
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=invite, args=(u,)) for u in (pam_user, admin_user)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ValidationError", "ok"]
    assert BenefitInvitation.objects.filter(partner=target, withdrawn_at__isnull=True).count() == 1
