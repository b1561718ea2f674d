"""Funding requests from submission to decision, and their expiry: one function per transition of
DESIGN.md §3 (submitted → approved | rejected | info_requested; info_requested → submitted (answer);
submitted | info_requested → withdrawn; approved → expired when the claim window closes)."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activity.services import notify
from partners.access import require_reviewer
from partners.models import Partner, User

from .. import ledger, rules, selectors
from ..models import TWILIO_PRODUCTS, FundingRequest, LedgerEntry, MdfActivityType, Program
from ._common import (
    _approved,
    _audit,
    _check_partner_user,
    _check_transition,
    _deadline,
    _ensure_eligible,
    _give_back,
    _ledger,
    _lock,
    _lock_allocation,
    _money,
    _partner_recipients,
    _reason,
    _staff_recipients,
    _text,
    _url,
)


def _dates(starts_on: object, ends_on: object, today: datetime.date) -> None:
    if not isinstance(starts_on, datetime.date) or not isinstance(ends_on, datetime.date):
        raise ValidationError({"starts_on": _("Enter the start and end dates.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date must not be before the start date.")})
    # Funding is agreed before the work: the activity must not have started already.
    if starts_on < today:
        raise ValidationError({"starts_on": _("The start date must be today or later: funding is approved before the activity.")})


def _submit(*, partner: Partner, user: User, program: str, fields: dict[str, Any], today: datetime.date,
            note: dict[str, Any] | None = None) -> FundingRequest:
    with transaction.atomic():
        funding_request = FundingRequest(partner=partner, program=program, submitted_by=user, **fields)
        # Field checks here; the rules were checked above and the database enforces the constraints.
        funding_request.full_clean(validate_constraints=False)
        funding_request.save()
        _audit(actor=user, action="submit", funding_request=funding_request, before_status="",
               requested_amount=funding_request.requested_amount)
        notify(
            recipients=_staff_recipients(partner),
            kind="funding_submitted",
            params={"program": funding_request.program, "partner": str(partner), "reference": funding_request.reference,
                    "user": str(user), "title": funding_request.title,
                    "amount": str(funding_request.requested_amount), **(note or {})},
            url=_url(funding_request),
        )
    return funding_request


# ---------------------------------------------------------------- partner side


def poc_nominate(*, partner: Partner, user: User, title: str, customer_name: str, goals: str, success_criteria: str,
                 next_steps: str, products: list[str], requested_amount: Decimal | str, starts_on: datetime.date,
                 ends_on: datetime.date, today: datetime.date | None = None) -> FundingRequest:
    """A POC nomination (guide: "Proof-of-concept (POC) program")."""
    today = today or timezone.localdate()
    _check_partner_user(user, partner)
    program_year = selectors.current_program_year(today)
    _ensure_eligible(partner=partner, program=Program.POC, program_year=program_year)
    amount = _money(requested_amount, "requested_amount")
    maximum = program_year.poc_max_amount
    if amount > maximum:
        raise ValidationError(
            {"requested_amount": _("A POC nomination may request at most USD %(maximum)s in %(year)s.") % {
                "maximum": f"{maximum:,}", "year": program_year.year}})
    valid_products = {code for code, _label in TWILIO_PRODUCTS}
    products = list(dict.fromkeys(products or []))
    if not products:
        raise ValidationError({"products": _("Choose at least one Twilio product.")})
    if not set(products) <= valid_products:
        raise ValidationError({"products": _("Choose Twilio products from the list.")})
    _dates(starts_on, ends_on, today)
    fields = {
        "program_year": program_year, "requested_amount": amount, "starts_on": starts_on, "ends_on": ends_on,
        "title": _text(title, "title", max_length=200),
        "customer_name": _text(customer_name, "customer_name", max_length=200),
        "goals": _text(goals, "goals", max_length=4000),
        "success_criteria": _text(success_criteria, "success_criteria", max_length=4000),
        "next_steps": _text(next_steps, "next_steps", max_length=4000),
        "products": products,
    }
    return _submit(partner=partner, user=user, program=Program.POC, fields=fields, today=today)


def mdf_request_submit(*, partner: Partner, user: User, activity_type: str, title: str, description: str,
                       starts_on: datetime.date, ends_on: datetime.date, total_cost: Decimal | str,
                       requested_amount: Decimal | str, today: datetime.date | None = None) -> FundingRequest:
    """An MDF request: a co-investment of at most the program year's share of the activity's total cost."""
    today = today or timezone.localdate()
    _check_partner_user(user, partner)
    program_year = selectors.current_program_year(today)
    _ensure_eligible(partner=partner, program=Program.MDF, program_year=program_year)
    if activity_type not in MdfActivityType.values:
        raise ValidationError({"activity_type": _("Choose an eligible MDF activity from the list.")})
    total = _money(total_cost, "total_cost")
    amount = _money(requested_amount, "requested_amount")
    share = program_year.mdf_cofunding_share
    # The share and the dates together: the partner fixes everything at once.
    errors = rules.request_date_errors(starts_on, ends_on, today)
    if error := rules.share_error(total_cost=total, requested_amount=amount, share=share):
        errors["requested_amount"] = error
    if errors:
        raise ValidationError(errors)
    fields = {
        "program_year": program_year, "requested_amount": amount, "starts_on": starts_on, "ends_on": ends_on,
        "activity_type": activity_type, "total_cost": total, "cofunding_share": share,
        "title": _text(title, "title", max_length=200),
        "description": _text(description, "description", max_length=4000),
    }
    remaining = selectors.ledger_figures(partner=partner, program_year=program_year).remaining
    over = rules.allocation_warning(requested_amount=amount, remaining=remaining)
    note = {"over_allocation": True, "remaining": str(max(remaining, 0))} if over else None
    return _submit(partner=partner, user=user, program=Program.MDF, fields=fields, today=today, note=note)


def request_withdraw(*, funding_request: FundingRequest, user: User, reason: str = "") -> FundingRequest:
    """The partner withdraws before a decision."""
    with transaction.atomic():
        funding_request = _lock(funding_request)
        _check_partner_user(user, funding_request.partner)
        target = _check_transition(funding_request, "withdraw")
        before = funding_request.status
        funding_request.status = target
        funding_request.save(update_fields=["status", "updated_at"])
        reason = _text(reason, "reason", required=False, max_length=4000)
        _audit(actor=user, action="withdraw", funding_request=funding_request, before_status=before, reason=reason)
        notify(recipients=_staff_recipients(funding_request.partner),
               kind="funding_withdrawn", params={"reference": funding_request.reference,
                                                 "partner": str(funding_request.partner), "reason": reason or ""},
               url=_url(funding_request))
    return funding_request


def request_answer(*, funding_request: FundingRequest, user: User, answer: str,
                   requested_amount: Decimal | str | None = None) -> FundingRequest:
    """The partner answers a request for information; the request goes back to the queue. The partner may
    lower or change the requested amount in the answer (the same rules as on submission apply)."""
    with transaction.atomic():
        funding_request = _lock(funding_request)
        _check_partner_user(user, funding_request.partner)
        target = _check_transition(funding_request, "answer")
        answer = _text(answer, "answer", max_length=4000)
        before = funding_request.status
        changed = {}
        if requested_amount not in (None, ""):
            amount = _money(requested_amount, "requested_amount")
            if funding_request.is_mdf:
                assert funding_request.total_cost is not None and funding_request.cofunding_share is not None  # MDF
                cap = rules.cofunding_cap(total_cost=funding_request.total_cost, share=funding_request.cofunding_share)
                if amount > cap:
                    raise ValidationError({"requested_amount": _("Request at most USD %(cap)s (the co-investment share).") % {
                        "cap": f"{cap:,}"}})
            else:
                maximum = funding_request.program_year.poc_max_amount
                if amount > maximum:
                    raise ValidationError({"requested_amount": _("A POC nomination may request at most USD %(maximum)s.") % {
                        "maximum": f"{maximum:,}"}})
            if amount != funding_request.requested_amount:
                changed["requested_amount"] = amount
                funding_request.requested_amount = amount
        funding_request.status = target
        funding_request.save(update_fields=["status", "requested_amount", "updated_at"])
        _audit(actor=user, action="answer", funding_request=funding_request, before_status=before, reason=answer, **changed)
        notify(recipients=_staff_recipients(funding_request.partner),
               kind="funding_answered", params={"partner": str(funding_request.partner),
                                                "reference": funding_request.reference, "answer": answer},
               url=_url(funding_request))
    return funding_request


# ---------------------------------------------------------------- staff side


def request_info(*, funding_request: FundingRequest, reviewer: User, reason: str) -> FundingRequest:
    """The reviewer asks the partner for information (the question is the reason)."""
    with transaction.atomic():
        funding_request = _lock(funding_request)
        require_reviewer(reviewer, funding_request.partner)
        target = _check_transition(funding_request, "request_info")
        reason = _reason(reason)
        before = funding_request.status
        funding_request.status = target
        funding_request.save(update_fields=["status", "updated_at"])
        _audit(actor=reviewer, action="request_info", funding_request=funding_request, before_status=before, reason=reason)
        notify(recipients=_partner_recipients(funding_request),
               kind="funding_info_requested", params={"reference": funding_request.reference, "reason": reason},
               url=_url(funding_request))
    return funding_request


def request_reject(*, funding_request: FundingRequest, reviewer: User, reason: str) -> FundingRequest:
    with transaction.atomic():
        funding_request = _lock(funding_request)
        require_reviewer(reviewer, funding_request.partner)
        target = _check_transition(funding_request, "reject")
        reason = _reason(reason)
        before = funding_request.status
        funding_request.status = target
        funding_request.decided_by, funding_request.decided_at = reviewer, timezone.now()
        funding_request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        _audit(actor=reviewer, action="reject", funding_request=funding_request, before_status=before, reason=reason)
        notify(recipients=_partner_recipients(funding_request),
               kind="funding_rejected", params={"reference": funding_request.reference, "reason": reason},
               url=_url(funding_request))
    return funding_request


def request_approve(*, funding_request: FundingRequest, reviewer: User, approved_amount: Decimal | str,
                    reason: str) -> FundingRequest:
    """Approve with an amount (at most the requested one). Eligibility is checked again (the tier or the
    invitation may have changed since submission); an MDF approval never exceeds the remaining allocation."""
    with transaction.atomic():
        funding_request = _lock(funding_request)
        require_reviewer(reviewer, funding_request.partner)
        target = _check_transition(funding_request, "approve")
        reason = _reason(reason)
        amount = _money(approved_amount, "approved_amount")
        if amount > funding_request.requested_amount:
            raise ValidationError({"approved_amount": _("Approve at most the requested USD %(requested)s.") % {
                "requested": f"{funding_request.requested_amount:,}"}})
        partner, program_year = funding_request.partner, funding_request.program_year
        _ensure_eligible(partner=partner, program=funding_request.program, program_year=program_year)
        if funding_request.is_mdf:
            allocation = _lock_allocation(partner=partner, program_year=program_year, actor=reviewer)
            if amount > allocation.remaining:
                raise ValidationError({"approved_amount": _(
                    "Only USD %(remaining)s of %(partner)s's %(year)s MDF allocation (USD %(allocation)s) remains; "
                    "approve at most that, or raise the allocation first.") % {
                    "remaining": f"{allocation.remaining:,}", "partner": partner, "year": program_year.year,
                    "allocation": f"{allocation.amount:,}"}})
            allocation.committed += amount
            allocation.save(update_fields=["committed", "updated_at"])
        else:
            maximum = program_year.poc_max_amount
            if amount > maximum:
                raise ValidationError({"approved_amount": _("A POC nomination may receive at most USD %(maximum)s.") % {
                    "maximum": f"{maximum:,}"}})
        before = funding_request.status
        funding_request.status = target
        funding_request.approved_amount = amount
        funding_request.decided_by, funding_request.decided_at = reviewer, timezone.now()
        funding_request.claim_deadline = rules.claim_deadline(ends_on=funding_request.ends_on,
                                                              window_days=program_year.claim_window_days)
        funding_request.save(update_fields=["status", "approved_amount", "decided_by", "decided_at", "claim_deadline",
                                            "updated_at"])
        _ledger(funding_request=funding_request, kind=LedgerEntry.Kind.APPROVED, amount=amount, actor=reviewer)
        _audit(actor=reviewer, action="approve", funding_request=funding_request, before_status=before, reason=reason,
               approved_amount=amount, claim_deadline=funding_request.claim_deadline)
        notify(recipients=_partner_recipients(funding_request),
               kind="funding_approved",
               params={"reference": funding_request.reference, "amount": str(amount), "reason": reason,
                       "year": program_year.year, "claim_deadline": _deadline(funding_request).isoformat()},
               url=_url(funding_request))
    return funding_request


# ---------------------------------------------------------------- claim deadline (daily task)


def request_expire(*, funding_request: FundingRequest, today: datetime.date) -> FundingRequest:
    """The claim window closed without a claim: the approval lapses and its amount is returned."""
    with transaction.atomic():
        funding_request = _lock(funding_request)
        target = _check_transition(funding_request, "expire")
        if not rules.is_claim_overdue(deadline=_deadline(funding_request), today=today):
            raise ValidationError(_("%(reference)s can be claimed until %(deadline)s.") % {
                "reference": funding_request.reference, "deadline": f"{funding_request.claim_deadline:%Y-%m-%d}"})
        before = funding_request.status
        funding_request.status = target
        funding_request.save(update_fields=["status", "updated_at"])
        _give_back(funding_request=funding_request, amount=_approved(funding_request), actor=None,
                   params=ledger.expired(_deadline(funding_request)))
        reason = f"No claim by the deadline {funding_request.claim_deadline:%Y-%m-%d}."
        _audit(actor=None, action="expire", funding_request=funding_request, before_status=before, reason=reason)
        notify(recipients=[*_partner_recipients(funding_request), *_staff_recipients(funding_request.partner)],
               kind="funding_expired",
               params={"reference": funding_request.reference, "amount": str(funding_request.approved_amount),
                       "claim_deadline": _deadline(funding_request).isoformat()},
               url=_url(funding_request))
    return funding_request
