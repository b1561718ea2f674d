"""Benefits, invitations, showcase directory and tier badge: every page and endpoint × every role.

The world: the partner (Silver) has a complete, published listing with a logo and an active
invitation to the partner solution architect (invite-only at Silver). The other partner (Silver)
has no listing, so its directory page is 404 for everyone.
"""

from benefits.models import BenefitInvitation
from tests.benefits.helpers import make_listing
from tests.factories import benefit_of_this_year

from .matrix import LOGIN, PARTNER_API, PARTNER_PAGE, PUBLIC, STAFF_API, STAFF_PAGE, Case, expect


def world(people):
    listing = make_listing(people.partner)
    invitation = BenefitInvitation.objects.create(
        benefit=benefit_of_this_year("partner-solution-architect"), partner=people.partner,
        invited_by=people.pam, reason="Strong Flex practice",
    )
    return {"listing": listing, "invitation": invitation, "benefits_partner": people.partner,
            "benefits_other_partner": people.other_partner}


def partner_kw(world):
    return {"partner_id": world["benefits_partner"].pk}


def invitation_kw(world):
    return {"invitation_id": world["invitation"].pk}


def token_kw(world):
    return {"token": world["benefits_partner"].badge_token}


# Partner users of either company reach their own company's pages; staff are not partner users.
OWN_COMPANY_CHANGE = expect(403, anonymous=LOGIN, partner_admin=302, other_partner_admin=302)
# Staff pages about the partner: its PAM, PSA and program admins see; the other PAM gets 404.
PARTNER_STAFF_PAGE = expect(403, anonymous=LOGIN, pam=200, psa=200, program_admin=200, other_pam=404)
INVITE_PAGE_POST = expect(403, anonymous=LOGIN, pam=302, program_admin=302, other_pam=404)
WITHDRAW_PAGE_POST = expect(403, anonymous=LOGIN, pam=302, program_admin=302, other_pam=404,
                            other_partner_admin=404)
NOT_FOUND_FOR_ALL = expect(404)

CASES = [
    # Partner pages
    Case("benefits:benefits", PARTNER_PAGE),
    Case("benefits:badge", PARTNER_PAGE),
    Case("benefits:showcase", PARTNER_PAGE),
    Case("benefits:showcase", OWN_COMPANY_CHANGE, method="post", data=lambda w: {"description": "Updated"},
         id_suffix="-post"),
    # The directory leads of one's own company: its admins and members read them.
    Case("benefits:leads", PARTNER_PAGE),
    Case("benefits:showcase_logo", expect(403, anonymous=LOGIN, partner_admin=200, partner_member=200,
                                          other_partner_admin=404)),
    # Staff pages
    Case("benefits:invitations", STAFF_PAGE),
    Case("benefits:partner_invitations", PARTNER_STAFF_PAGE, kwargs=partner_kw),
    Case("benefits:partner_invitations", INVITE_PAGE_POST, kwargs=partner_kw, method="post",
         data=lambda w: {"benefit": "resell-program", "reason": "Resell pilot"}, id_suffix="-post"),
    Case("benefits:invitation_withdraw", WITHDRAW_PAGE_POST, kwargs=invitation_kw, method="post",
         data=lambda w: {"reason": "Practice changed"}),
    # Copying a program year with its benefits: program admins only (the form is on tiers:program_years).
    Case("benefits:program_year_copy", expect(403, anonymous=LOGIN, program_admin=302), method="post",
         data=lambda w: {"source": "2022", "year": "2031"}),
    Case("benefits:program_year_copy", expect(405, anonymous=LOGIN), id_suffix="-get"),
    # Public pages: published listings and badges (by token) only
    Case("benefits:directory", PUBLIC),
    Case("benefits:listing", PUBLIC, kwargs=partner_kw),
    Case("benefits:listing", NOT_FOUND_FOR_ALL, kwargs=lambda w: {"partner_id": w["benefits_other_partner"].pk},
         id_suffix="-unpublished"),
    # Anyone may write to a published listing's partner, logged in or not (no login redirect); an empty
    # message is refused on the page itself, and the API creates the lead.
    Case("benefits:listing", expect(400), kwargs=partner_kw, method="post", data=lambda w: {"name": "Vera"},
         id_suffix="-contact-post"),
    Case("benefits:listing", NOT_FOUND_FOR_ALL, kwargs=lambda w: {"partner_id": w["benefits_other_partner"].pk},
         method="post", data=lambda w: {"name": "Vera"}, id_suffix="-contact-unpublished"),
    Case("benefits:listing_logo", PUBLIC, kwargs=partner_kw),
    Case("benefits:listing_logo", NOT_FOUND_FOR_ALL,
         kwargs=lambda w: {"partner_id": w["benefits_other_partner"].pk}, id_suffix="-unpublished"),
    Case("benefits:badge_svg", PUBLIC, kwargs=token_kw),
    Case("benefits:badge_svg", NOT_FOUND_FOR_ALL, kwargs=lambda w: {"token": "not-a-real-token"},
         id_suffix="-unknown"),
    Case("benefits:badge_verify", PUBLIC, kwargs=token_kw),
    Case("benefits:badge_verify", NOT_FOUND_FOR_ALL, kwargs=lambda w: {"token": str(w["benefits_partner"].pk)},
         id_suffix="-id-is-not-a-token"),
    # API
    Case("api:benefits", PARTNER_API),
    Case("api:badge", PARTNER_API),
    Case("api:showcase", PARTNER_API),
    Case("api:showcase", expect(403, partner_admin=200, other_partner_admin=200), method="patch",
         data=lambda w: {"description": "Updated"}, content_type="application/json", id_suffix="-patch"),
    Case("api:benefit_invitations", STAFF_API),
    Case("api:partner_benefit_invitations", expect(403, pam=200, psa=200, program_admin=200, other_pam=404),
         kwargs=partner_kw),
    Case("api:partner_benefit_invitations", expect(403, pam=201, program_admin=201, other_pam=404),
         kwargs=partner_kw, method="post", data=lambda w: {"benefit": "resell-program", "reason": "Resell pilot"},
         content_type="application/json", id_suffix="-post"),
    Case("api:benefit_invitation_withdraw", expect(403, pam=200, program_admin=200, other_pam=404,
                                                   other_partner_admin=404),
         kwargs=invitation_kw, method="post", data=lambda w: {"reason": "Practice changed"},
         content_type="application/json"),
    Case("api:program_year_copy", expect(403, anonymous=403, program_admin=201), method="post",
         data=lambda w: {"source": 2022, "year": 2032}, content_type="application/json"),
    Case("api:directory_leads", PARTNER_API),
    Case("api:directory_lead_create", expect(201), kwargs=partner_kw, method="post",
         data=lambda w: {"name": "Vera", "email": "vera@customer.example", "message": "Hello"},
         content_type="application/json"),
    Case("api:directory_lead_create", NOT_FOUND_FOR_ALL, kwargs=lambda w: {"partner_id": w["benefits_other_partner"].pk},
         method="post", data=lambda w: {"name": "Vera", "email": "vera@customer.example", "message": "Hello"},
         content_type="application/json", id_suffix="-unpublished"),
    Case("api:directory", PUBLIC),
    Case("api:directory_listing", PUBLIC, kwargs=partner_kw),
    Case("api:directory_listing", NOT_FOUND_FOR_ALL,
         kwargs=lambda w: {"partner_id": w["benefits_other_partner"].pk}, id_suffix="-unpublished"),
]
