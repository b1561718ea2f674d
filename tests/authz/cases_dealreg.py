"""Deal registration pages and API: every role, including the other partner's admin (404) and the PAM of
other partners (404: the partner has its own PAM)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from dealreg import services
from dealreg.models import Opportunity

from .matrix import LOGIN, PARTNER_API, PARTNER_PAGE, PROGRAM_ADMIN_API, PROGRAM_ADMIN_PAGE, STAFF_API, STAFF_PAGE, Case, expect


def _data(domain):
    return {
        "customer_company": f"Customer {domain}", "website": domain, "country": "US", "contact_name": "C. Ontact",
        "contact_email": f"c@{domain}", "products": ["platform"], "use_case": "SMS reminders",
        "estimated_arr_usd": Decimal("10000"), "expected_close_date": timezone.localdate() + datetime.timedelta(days=30),
    }


def world(people):
    submitter, pam = people.partner_admin, people.pam
    submit = lambda domain: services.registration_submit(  # noqa: E731
        partner=people.partner, submitted_by=submitter, **_data(domain))
    submitted = submit("submitted.example")
    info = services.registration_request_info(registration=submit("info.example"), reviewer=pam, question="Who?")
    approved = services.registration_approve(registration=submit("approved.example"), reviewer=pam, reason="ok")
    extension = services.registration_approve(registration=submit("extension.example"), reviewer=pam, reason="ok")
    services.registration_request_extension(registration=extension, user=submitter, reason="Procurement is slow.")
    # A sale the sales system closed won without any partner: a missing sourced opportunity to claim.
    Opportunity.objects.create(external_id="WON-1", account_name="Won Inc", domain="won.example",
                               product_line="flex", arr_usd=Decimal("30000"), stage="closed_won",
                               close_date=timezone.localdate() - datetime.timedelta(days=10))
    return {"dr_submitted": submitted.pk, "dr_info": info.pk, "dr_approved": approved.pk, "dr_extension": extension.pk}


def _pk(key):
    return lambda world: {"pk": world[key]}


# Who sees one of the partner's registrations: its users, its PAM and PSA, program admins.
SEE_PAGE = expect(200, anonymous=LOGIN, other_partner_admin=404, other_pam=404)
SEE_API = expect(200, anonymous=403, other_partner_admin=404, other_pam=404)
# Partner actions: the partner's users; staff who can see it get 403; outsiders 404.
PARTNER_ACT_PAGE = expect(403, anonymous=LOGIN, partner_admin=302, partner_member=302, other_partner_admin=404,
                          other_pam=404)
PARTNER_ACT_API = expect(403, partner_admin=200, partner_member=200, other_partner_admin=404, other_pam=404)
# Reviews: the partner's PAM and program admins; PSA and the partner's users see it but may not decide.
REVIEW_PAGE = expect(403, anonymous=LOGIN, pam=302, program_admin=302, other_partner_admin=404, other_pam=404)
REVIEW_API = expect(403, pam=200, program_admin=200, other_partner_admin=404, other_pam=404)

JSON = "application/json"
OPPORTUNITY_ROW = {"external_id": "M-1", "account_name": "Matrix Inc", "domain": "matrix.example",
                   "product_line": "flex", "arr_usd": "100.00", "stage": "open", "close_date": ""}

CLAIM = {"opportunity_id": "WON-1", "sourced_how": "We ran the discovery workshop.", "country": "US",
         "contact_name": "C. Ontact", "contact_email": "c@won.example"}

CASES = [
    Case("dealreg:list", PARTNER_PAGE),
    Case("dealreg:create", PARTNER_PAGE),
    Case("dealreg:create", expect(403, anonymous=LOGIN, partner_admin=302, partner_member=302, other_partner_admin=302),
         method="post", data=lambda w: {**_data("new.example"), "products": "platform"}, id_suffix="-post"),
    Case("dealreg:claim", PARTNER_PAGE),
    Case("dealreg:claim", expect(403, anonymous=LOGIN, partner_admin=302, partner_member=302, other_partner_admin=302),
         method="post", data=lambda w: CLAIM, id_suffix="-post"),
    Case("dealreg:detail", SEE_PAGE, kwargs=_pk("dr_submitted")),
    Case("dealreg:withdraw", PARTNER_ACT_PAGE, kwargs=_pk("dr_submitted"), method="post", data=lambda w: {"reason": ""}),
    Case("dealreg:respond", PARTNER_ACT_PAGE, kwargs=_pk("dr_info"), method="post", data=lambda w: {"answer": "Us."}),
    Case("dealreg:request_extension", PARTNER_ACT_PAGE, kwargs=_pk("dr_approved"), method="post",
         data=lambda w: {"reason": "Budget moved a quarter."}),
    Case("dealreg:decide", REVIEW_PAGE, kwargs=_pk("dr_submitted"), method="post",
         data=lambda w: {"decision": "request_info", "reason": "Which team?"}),
    Case("dealreg:outcome", REVIEW_PAGE, kwargs=_pk("dr_approved"), method="post",
         data=lambda w: {"outcome": "lose", "reason": "Went with a competitor."}),
    Case("dealreg:extension_decide", REVIEW_PAGE, kwargs=_pk("dr_extension"), method="post",
         data=lambda w: {"grant": "yes", "reason": "Fine."}),
    Case("dealreg:queue", STAFF_PAGE),
    Case("dealreg:import", PROGRAM_ADMIN_PAGE),
    Case("api:dealreg-registrations", expect(200, anonymous=403)),
    Case("api:dealreg-registrations", {**PARTNER_API, "partner_admin": 201, "partner_member": 201,
                                       "other_partner_admin": 201},
         method="post", data=lambda w: {**_data("api-new.example"), "estimated_arr_usd": "10000.00",
                                        "expected_close_date": _data("x")["expected_close_date"].isoformat()},
         content_type=JSON, id_suffix="-post"),
    Case("api:dealreg-claims", {**PARTNER_API, "partner_admin": 201, "partner_member": 201,
                                "other_partner_admin": 201}, method="post", data=lambda w: CLAIM, content_type=JSON),
    Case("api:dealreg-queue", STAFF_API),
    Case("api:dealreg-registration", SEE_API, kwargs=_pk("dr_submitted")),
    Case("api:dealreg-withdraw", PARTNER_ACT_API, kwargs=_pk("dr_submitted"), method="post", data=lambda w: {},
         content_type=JSON),
    Case("api:dealreg-respond", PARTNER_ACT_API, kwargs=_pk("dr_info"), method="post",
         data=lambda w: {"answer": "The CIO."}, content_type=JSON),
    Case("api:dealreg-request-extension", PARTNER_ACT_API, kwargs=_pk("dr_approved"), method="post",
         data=lambda w: {"reason": "Legal review."}, content_type=JSON),
    Case("api:dealreg-approve", REVIEW_API, kwargs=_pk("dr_submitted"), method="post",
         data=lambda w: {"reason": "Clean."}, content_type=JSON),
    Case("api:dealreg-reject", REVIEW_API, kwargs=_pk("dr_submitted"), method="post",
         data=lambda w: {"reason_code": "not_a_fit", "reason": "Too small."}, content_type=JSON),
    Case("api:dealreg-request-info", REVIEW_API, kwargs=_pk("dr_submitted"), method="post",
         data=lambda w: {"reason": "Timeline?"}, content_type=JSON),
    Case("api:dealreg-win", REVIEW_API, kwargs=_pk("dr_approved"), method="post",
         data=lambda w: {"final_arr_usd": "12000.00", "closed_on": timezone.localdate().isoformat()}, content_type=JSON),
    Case("api:dealreg-lose", REVIEW_API, kwargs=_pk("dr_approved"), method="post",
         data=lambda w: {"reason": "No budget."}, content_type=JSON),
    Case("api:dealreg-decide-extension", REVIEW_API, kwargs=_pk("dr_extension"), method="post",
         data=lambda w: {"grant": False, "reason": "No."}, content_type=JSON),
    Case("api:dealreg-opportunity-import", PROGRAM_ADMIN_API, method="post",
         data=lambda w: {"rows": [OPPORTUNITY_ROW]}, content_type=JSON),
    Case("api:dealreg-account-import", PROGRAM_ADMIN_API, method="post",
         data=lambda w: {"rows": [{"external_id": "A-1", "name": "Matrix Inc", "domain": "matrix.example"}]},
         content_type=JSON),
]
