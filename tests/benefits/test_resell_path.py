"""The resell path (guide p.4 "Partner agreements": "If qualified and invited to the resell program, you must sign
the resell addendum"): a PAM's invitation to the resell program lets the partner accept the resell addendum;
both make the partner a resell partner, recorded with who and when; withdrawing the invitation ends it. The
benefits page, the benefits API and the agreements API say the same at every step."""

import pytest
from django.urls import reverse

from activity.models import AuditEntry
from benefits.models import BenefitInvitation
from partners.models import Agreement, Partner

pytestmark = pytest.mark.django_db


def benefits_api(client):
    return {b["code"]: b for b in client.get(reverse("api:benefits")).json()["benefits"]}


def addendum_may_accept(client):
    listed = {a["kind"]: a for a in client.get(reverse("api:agreement_list")).json()}
    return listed["resell_addendum"]["may_accept"]


def benefits_page_status(client):
    html = client.get(reverse("benefits:benefits")).content.decode()
    marker = 'id="benefit-resell-program" data-status="'
    return html[html.index(marker) + len(marker):].split('"', 1)[0]


def test_invitation_then_addendum_make_a_resell_partner_and_withdrawal_ends_it(client, partner, partner_admin, pam):
    client.force_login(partner_admin)
    assert (benefits_api(client)["resell-program"]["status"], addendum_may_accept(client)) == ("invite_only", False)
    assert benefits_page_status(client) == "invite_only"

    client.force_login(pam)
    response = client.post(reverse("api:partner_benefit_invitations", kwargs={"partner_id": partner.pk}),
                           {"benefit": "resell-program", "reason": "Qualified for resell"},
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    partner.refresh_from_db()
    assert (partner.resell_invited, partner.partner_type) == (True, "si")  # not yet: the addendum is missing

    client.force_login(partner_admin)
    resell = benefits_api(client)["resell-program"]
    assert (resell["status"], resell["missing"]) == ("gated", ["the resell addendum"])
    assert "still needs the resell addendum" in resell["explanation"]
    assert addendum_may_accept(client) is True
    assert benefits_page_status(client) == "gated"
    page = client.get(reverse("partners:agreements")).content.decode()
    assert "Accept the Resell addendum" in page

    addendum = Agreement.objects.get(kind=Agreement.Kind.RESELL_ADDENDUM, is_current=True)
    assert client.post(reverse("partners:agreements"), {"agreement": addendum.pk}).status_code == 302
    partner.refresh_from_db()
    assert partner.partner_type == "resell"
    change = AuditEntry.objects.get(action="partners.partner_type_change")
    assert (change.actor, change.partner_id, change.before, change.after) == (
        partner_admin, partner.pk, {"partner_type": "si"}, {"partner_type": "resell"})
    assert change.at is not None
    assert benefits_api(client)["resell-program"]["status"] == "invited"
    assert benefits_page_status(client) == "invited"
    assert client.get(reverse("api:my_partner")).json()["partner_type"] == "resell"

    client.force_login(pam)
    invitation = BenefitInvitation.objects.get(partner=partner)
    response = client.post(reverse("api:benefit_invitation_withdraw", kwargs={"invitation_id": invitation.pk}),
                           {"reason": "Resell terms ended"}, content_type="application/json")
    assert response.status_code == 200, response.json()
    partner.refresh_from_db()
    assert (partner.resell_invited, partner.partner_type) == (False, "si")
    ended = AuditEntry.objects.filter(action="partners.partner_type_change").latest("pk")
    assert (ended.actor, ended.after) == (pam, {"partner_type": "si"})
    assert "withdrawn" in ended.reason

    client.force_login(partner_admin)
    assert (benefits_api(client)["resell-program"]["status"], addendum_may_accept(client)) == ("invite_only", False)
    assert benefits_page_status(client) == "invite_only"


def test_invited_again_with_the_addendum_already_accepted_is_resell_at_once(client, partner, partner_admin, pam):
    from benefits import services

    invitation = services.invitation_create(actor=pam, partner=partner, benefit_code="resell-program", reason="Pilot")
    client.force_login(partner_admin)
    addendum = Agreement.objects.get(kind=Agreement.Kind.RESELL_ADDENDUM, is_current=True)
    assert client.post(reverse("api:agreement_accept", args=[addendum.pk])).status_code == 201
    services.invitation_withdraw(actor=pam, invitation=invitation, reason="Paused")
    assert Partner.objects.get(pk=partner.pk).partner_type == "si"
    services.invitation_create(actor=pam, partner=partner, benefit_code="resell-program", reason="Resumed")
    assert Partner.objects.get(pk=partner.pk).partner_type == "resell"
    assert benefits_api(client)["resell-program"]["status"] == "invited"
