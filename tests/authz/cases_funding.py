"""Funding pages, API endpoints and the proof-of-performance download, for every role.

POSTs send invalid data, so a role that may act gets 400 (form or field errors) and nothing changes;
the other partner's admin and a PAM of other partners get 404 for the partner's objects. The decisions
and the payment are also posted with valid data ("-valid"): whoever may not act still gets 403 or 404,
never a form error, and the same status a deal registration decision answers (tests/funding/test_reviewers.py)."""

from decimal import Decimal

from funding import selectors, services

from .matrix import LOGIN, PARTNER_API, PARTNER_PAGE, PROGRAM_ADMIN_API, Case, expect

NF = 404
JSON = "application/json"


def world(people):
    from tests.funding.conftest import approved_past_mdf, pdf, submit_mdf

    partner, member = people.partner, people.partner_member
    program_year = selectors.current_program_year()
    services.allocation_set(partner=partner, program_year=program_year, amount=Decimal("50000"),
                            admin=people.program_admin)
    submitted = submit_mdf(partner, member)
    claimed = approved_past_mdf(partner, member, people.pam)
    claim = services.claim_submit(funding_request=claimed, user=member, actual_cost=Decimal("10000"), files=[pdf()])
    to_pay = approved_past_mdf(partner, member, people.pam)
    services.claim_submit(funding_request=to_pay, user=member, actual_cost=Decimal("10000"), files=[pdf()])
    services.claim_approve(funding_request=to_pay, reviewer=people.pam, approved_amount=Decimal("5000"), reason="ok")
    return {"funding_request": submitted, "funding_claimed": claimed, "funding_file": claim.files.get(),
            "funding_to_pay": to_pay}


def request_id(w):
    return {"pk": w["funding_request"].pk}


def claimed_id(w):
    return {"pk": w["funding_claimed"].pk}


def to_pay_id(w):
    return {"pk": w["funding_to_pay"].pk}


def approve(w):
    return {"approved_amount": "100.00", "reason": "Fits the plan."}


def reason(w):
    return {"reason": "Which audience?"}


def prefixed(prefix, body):
    """The page's form of an action has a prefix (several reason forms share the page: funding.forms)."""
    return lambda w: {f"{prefix}-{key}": value for key, value in body(w).items()}


def payment(w):
    return {"payment_reference": "PAY-1"}


def partner_id(w):
    return {"partner_id": w["funding_request"].partner_id}


def empty(w):
    return {}


def too_long(w):
    return {"reason": "x" * 5000}


ANY_USER_PAGE = expect(200, anonymous=LOGIN)
# Seen by the partner's users and the staff who may see the partner; outsiders get 404.
SEE_PAGE = expect(200, anonymous=LOGIN, other_partner_admin=NF, other_pam=NF)
SEE_API = expect(200, anonymous=403, other_partner_admin=NF, other_pam=NF)
# Acting as the partner (withdraw, answer, claim): the partner's users; staff who see it 403.
PARTNER_ACT_PAGE = expect(403, anonymous=LOGIN, partner_admin=400, partner_member=400, other_partner_admin=NF,
                          other_pam=NF)
PARTNER_ACT_API = expect(403, anonymous=403, partner_admin=400, partner_member=400, other_partner_admin=NF, other_pam=NF)
# Deciding (approve, reject, request info, claim review): the partner's PAM and program admins; PSA 403.
REVIEW_PAGE = expect(403, anonymous=LOGIN, other_partner_admin=NF, other_pam=NF, pam=400, program_admin=400)
REVIEW_API = expect(403, anonymous=403, other_partner_admin=NF, other_pam=NF, pam=400, program_admin=400)
# With valid data: the deciders' action is done (page: redirect; API: 200), everyone else as above.
REVIEW_DONE_PAGE = expect(403, anonymous=LOGIN, pam=302, program_admin=302, other_partner_admin=NF, other_pam=NF)
REVIEW_DONE_API = expect(403, pam=200, program_admin=200, other_partner_admin=NF, other_pam=NF)
PAY_PAGE = expect(403, anonymous=LOGIN, other_partner_admin=NF, other_pam=NF, program_admin=400)
PAY_API = expect(403, anonymous=403, other_partner_admin=NF, other_pam=NF, program_admin=400)
QUEUE_PAGE = expect(403, anonymous=LOGIN, pam=200, other_pam=200, program_admin=200)
QUEUE_API = expect(403, anonymous=403, pam=200, other_pam=200, program_admin=200)
STAFF_PARTNER_PAGE = expect(403, anonymous=LOGIN, pam=200, psa=200, program_admin=200, other_pam=NF)
STAFF_PARTNER_API = expect(403, anonymous=403, pam=200, psa=200, program_admin=200, other_pam=NF)
PAY_DONE_PAGE = expect(403, anonymous=LOGIN, other_partner_admin=NF, other_pam=NF, program_admin=302)
PAY_DONE_API = expect(403, other_partner_admin=NF, other_pam=NF, program_admin=200)
ADMIN_POST_PAGE = expect(403, anonymous=LOGIN, program_admin=400)
ADMIN_POST_API = expect(403, anonymous=403, program_admin=400)
PARTNER_POST_API = expect(403, anonymous=403, partner_admin=400, partner_member=400, other_partner_admin=400)
PARTNER_POST_PAGE = expect(403, anonymous=LOGIN, partner_admin=400, partner_member=400, other_partner_admin=400)

CASES = [
    # Pages.
    Case("funding:overview", PARTNER_PAGE),
    Case("funding:eligibility", PARTNER_PAGE),
    Case("funding:poc_new", PARTNER_PAGE),
    Case("funding:poc_new", PARTNER_POST_PAGE, method="post", data=empty, id_suffix="-post"),
    Case("funding:mdf_new", PARTNER_PAGE),
    Case("funding:mdf_new", PARTNER_POST_PAGE, method="post", data=empty, id_suffix="-post"),
    Case("funding:requests", ANY_USER_PAGE),
    Case("funding:request_detail", SEE_PAGE, kwargs=request_id),
    Case("funding:request_withdraw", PARTNER_ACT_PAGE, kwargs=request_id, method="post", data=too_long),
    Case("funding:request_answer", PARTNER_ACT_PAGE, kwargs=request_id, method="post", data=empty),
    Case("funding:request_approve", REVIEW_PAGE, kwargs=request_id, method="post", data=empty),
    Case("funding:request_reject", REVIEW_PAGE, kwargs=request_id, method="post", data=empty),
    Case("funding:request_info", REVIEW_PAGE, kwargs=request_id, method="post", data=empty),
    Case("funding:request_claim", {**PARTNER_ACT_PAGE, "partner_admin": 200, "partner_member": 200}, kwargs=claimed_id),
    Case("funding:request_claim", PARTNER_ACT_PAGE, kwargs=claimed_id, method="post", data=empty, id_suffix="-post"),
    Case("funding:claim_approve", REVIEW_PAGE, kwargs=claimed_id, method="post", data=empty),
    Case("funding:claim_reject", REVIEW_PAGE, kwargs=claimed_id, method="post", data=empty),
    Case("funding:claim_pay", PAY_PAGE, kwargs=claimed_id, method="post", data=empty),
    Case("funding:request_approve", REVIEW_DONE_PAGE, kwargs=request_id, method="post", data=approve, id_suffix="-valid"),
    Case("funding:request_reject", REVIEW_DONE_PAGE, kwargs=request_id, method="post", data=prefixed("reject", reason),
         id_suffix="-valid"),
    Case("funding:request_info", REVIEW_DONE_PAGE, kwargs=request_id, method="post", data=prefixed("info", reason),
         id_suffix="-valid"),
    Case("funding:claim_approve", REVIEW_DONE_PAGE, kwargs=claimed_id, method="post", data=prefixed("claim", approve),
         id_suffix="-valid"),
    Case("funding:claim_reject", REVIEW_DONE_PAGE, kwargs=claimed_id, method="post",
         data=prefixed("claim_reject", reason), id_suffix="-valid"),
    Case("funding:claim_pay", PAY_DONE_PAGE, kwargs=to_pay_id, method="post", data=payment, id_suffix="-valid"),
    Case("funding:claim_file", SEE_PAGE, kwargs=lambda w: {"pk": w["funding_file"].pk}),
    Case("funding:queue", QUEUE_PAGE),
    Case("funding:queue_export", QUEUE_PAGE),
    Case("funding:partner_funding", STAFF_PARTNER_PAGE, kwargs=partner_id),
    Case("funding:allocations", expect(403, anonymous=LOGIN, program_admin=200)),
    Case("funding:allocations_export", expect(403, anonymous=LOGIN, program_admin=200)),
    Case("funding:allocations", ADMIN_POST_PAGE, method="post", data=empty, id_suffix="-post"),
    Case("funding:allocation_set", ADMIN_POST_PAGE, kwargs=partner_id, method="post", data=empty),
    # API.
    Case("api:funding-eligibility", PARTNER_API),
    Case("api:funding-summary", PARTNER_API),
    Case("api:funding-poc-create", PARTNER_POST_API, method="post", data=empty),
    Case("api:funding-mdf-create", PARTNER_POST_API, method="post", data=empty),
    Case("api:funding-requests", expect(200, anonymous=403)),
    Case("api:funding-request-detail", SEE_API, kwargs=request_id),
    Case("api:funding-request-withdraw", PARTNER_ACT_API, kwargs=request_id, method="post", data=too_long),
    Case("api:funding-request-answer", PARTNER_ACT_API, kwargs=request_id, method="post", data=empty),
    Case("api:funding-request-approve", REVIEW_API, kwargs=request_id, method="post", data=empty),
    Case("api:funding-request-reject", REVIEW_API, kwargs=request_id, method="post", data=empty),
    Case("api:funding-request-info", REVIEW_API, kwargs=request_id, method="post", data=empty),
    Case("api:funding-claim", PARTNER_ACT_API, kwargs=claimed_id, method="post", data=empty),
    Case("api:funding-claim-approve", REVIEW_API, kwargs=claimed_id, method="post", data=empty),
    Case("api:funding-claim-reject", REVIEW_API, kwargs=claimed_id, method="post", data=empty),
    Case("api:funding-claim-pay", PAY_API, kwargs=claimed_id, method="post", data=empty),
    Case("api:funding-request-approve", REVIEW_DONE_API, kwargs=request_id, method="post", data=approve,
         content_type=JSON, id_suffix="-valid"),
    Case("api:funding-request-reject", REVIEW_DONE_API, kwargs=request_id, method="post", data=reason,
         content_type=JSON, id_suffix="-valid"),
    Case("api:funding-request-info", REVIEW_DONE_API, kwargs=request_id, method="post", data=reason,
         content_type=JSON, id_suffix="-valid"),
    Case("api:funding-claim-approve", REVIEW_DONE_API, kwargs=claimed_id, method="post", data=approve,
         content_type=JSON, id_suffix="-valid"),
    Case("api:funding-claim-reject", REVIEW_DONE_API, kwargs=claimed_id, method="post", data=reason,
         content_type=JSON, id_suffix="-valid"),
    Case("api:funding-claim-pay", PAY_DONE_API, kwargs=to_pay_id, method="post", data=payment, content_type=JSON,
         id_suffix="-valid"),
    Case("api:funding-claim-file", SEE_API, kwargs=lambda w: {"pk": w["funding_file"].pk}),
    Case("api:funding-queue", QUEUE_API),
    Case("api:funding-partner-summary", STAFF_PARTNER_API, kwargs=partner_id),
    Case("api:funding-allocations", PROGRAM_ADMIN_API),
    Case("api:funding-allocation-set", ADMIN_POST_API, kwargs=partner_id, method="post", data=empty),
    Case("api:funding-tier-default", ADMIN_POST_API, method="post", data=empty),
]
