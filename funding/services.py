"""Every write of the funding app. One function per transition of DESIGN.md §3:

    submitted → approved | rejected | info_requested;  info_requested → submitted (answer);
    submitted | info_requested → withdrawn;  approved → claim_submitted → claim_approved | claim_rejected;
    claim_approved → paid;  approved → expired (claim window closed).

Each one locks the request, checks the state machine (an impossible transition raises ValidationError
and writes nothing), writes the money events to the ledger, and records the audit entry and the
notifications in the same transaction. MDF approvals lock the partner's allocation row first, so two
PAMs approving at the same moment are serialised and the database check refuses an over-spend.
"""

import datetime
import os
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activity.actions import AuditAction
from activity.models import AuditEntry
from activity.services import audit_record, notify
from partners import selectors as partner_selectors
from partners.access import require_reviewer
from partners.models import Partner, User
from program.models import ProgramYear

from . import rules, selectors
from .models import (
    TWILIO_PRODUCTS,
    Claim,
    ClaimFile,
    ClaimReminder,
    FundingRequest,
    LedgerEntry,
    MdfActivityType,
    MdfAllocation,
    MdfTierDefault,
    Program,
    Status,
)

MAX_AMOUNT = Decimal("9999999999.99")


# ---------------------------------------------------------------- helpers


def tier_defaults_copy(*, source: ProgramYear, new: ProgramYear, user: User | None) -> None:
    """A copied program year starts with the MDF tier defaults of the year it copies (partners' own
    allocations are not copied: a new year starts from the defaults). Runs in every copy of a year
    (program.copying, registered in FundingConfig.ready)."""
    defaults = MdfTierDefault.objects.bulk_create([
        MdfTierDefault(program_year=new, tier=d.tier, amount=d.amount)
        for d in MdfTierDefault.objects.filter(program_year=source).order_by("tier")
    ])
    audit_record(actor=user, action=AuditAction.TIER_DEFAULTS_COPY, obj=new, before={"from": source.year},
                 after={"year": new.year, "tier_defaults": len(defaults)})


def _money(value: object, field: str, *, allow_zero: bool = False) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter an amount in USD, e.g. 1500.00.")})
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount in USD, e.g. 1500.00.")})
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite Decimal's exponent is a number
    if exponent < -2:
        raise ValidationError({field: _("Use at most two decimal places (cents).")})
    if amount < 0 or (amount == 0 and not allow_zero):
        message = _("The amount cannot be negative.") if allow_zero else _("The amount must be positive.")
        raise ValidationError({field: message})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("The amount is too large.")})
    return amount.quantize(rules.CENT)


def _text(value: str | None, field: str, *, required: bool = True, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if max_length and len(value) > max_length:
        raise ValidationError({field: _("Use at most %(max)s characters.") % {"max": max_length}})
    return value


def _reason(reason: str | None, field: str = "reason") -> str:
    return _text(reason, field, max_length=4000)


def _check_transition(funding_request: FundingRequest, action: str) -> str:
    """The one place a request's impossible transition is refused (the table in funding/rules.py); returns
    the status the action leads to."""
    error = rules.transition_error(action, funding_request.status, reference=funding_request.reference,
                                   status_words=funding_request.get_status_display().lower())
    if error:
        raise ValidationError(error, code="invalid_transition")
    return rules.next_status(action)


def _approved(funding_request: FundingRequest) -> Decimal:
    """The approved amount, which every funded request has (the funding_funded_has_amount_and_deadline check)."""
    assert funding_request.approved_amount is not None
    return funding_request.approved_amount


def _deadline(funding_request: FundingRequest) -> datetime.date:
    """The claim deadline, which every funded request has (the same check)."""
    assert funding_request.claim_deadline is not None
    return funding_request.claim_deadline


def _lock(funding_request: FundingRequest) -> FundingRequest:
    return (
        FundingRequest.objects.select_for_update(of=("self",))
        .select_related("partner", "program_year", "submitted_by")
        .get(pk=funding_request.pk)
    )


def _url(funding_request: FundingRequest) -> str:
    return reverse("funding:request_detail", args=[funding_request.pk])


def _partner_recipients(funding_request: FundingRequest) -> list[User]:
    return partner_selectors.partner_admins(funding_request.partner, also=funding_request.submitted_by)


def _staff_recipients(partner: Partner) -> list[User]:
    return partner_selectors.vendor_contacts(partner)


def _audit(*, actor: User | None, action: str, funding_request: FundingRequest, before_status: str, reason: str = "",
           **after: Any) -> AuditEntry:
    return audit_record(
        actor=actor, action=AuditAction(f"funding.{action}"), obj=funding_request, partner_id=funding_request.partner_id,
        before={"status": before_status}, after={"status": funding_request.status, **{k: str(v) for k, v in after.items()}},
        reason=reason,
    )


def _ledger(*, funding_request: FundingRequest, kind: str, amount: Decimal, actor: User | None,
            note: str = "") -> LedgerEntry:
    return LedgerEntry.objects.create(
        partner_id=funding_request.partner_id, program_year_id=funding_request.program_year_id,
        program=funding_request.program, kind=kind, amount=amount, request=funding_request, actor=actor, note=note[:300],
    )


def _ensure_eligible(*, partner: Partner, program: str, program_year: ProgramYear) -> rules.Eligibility:
    verdict = selectors.eligibility(partner=partner, program=program, program_year=program_year)
    if not verdict.eligible:
        raise ValidationError(" ".join([verdict.reason, *verdict.how_to_become_eligible]), code="not_eligible")
    return verdict


def _lock_allocation(*, partner: Partner, program_year: ProgramYear, actor: User | None) -> MdfAllocation:
    """The partner's allocation row for the year, locked until the transaction ends. Created on first use
    with the tier default of the year (and its ledger entry); a concurrent creator makes us wait and reuse it."""
    locked = MdfAllocation.objects.select_for_update()
    allocation = locked.filter(partner=partner, program_year=program_year).first()
    if allocation is None:
        amount = selectors.tier_default(program_year=program_year, tier=partner.tier)
        try:
            with transaction.atomic():
                allocation = MdfAllocation.objects.create(partner=partner, program_year=program_year, amount=amount)
                if amount:
                    LedgerEntry.objects.create(
                        partner=partner, program_year=program_year, program=Program.MDF,
                        kind=LedgerEntry.Kind.ALLOCATION, amount=amount, actor=actor,
                        note=f"{partner.get_tier_display()} tier default for {program_year.year}",
                    )
        except IntegrityError:
            pass  # another transaction created it first; lock theirs.
        allocation = locked.get(partner=partner, program_year=program_year)
    return allocation


def _give_back(*, funding_request: FundingRequest, amount: Decimal, actor: User | None, note: str) -> None:
    """Return an approved amount that will not be paid (claim lower or rejected, expiry)."""
    if amount <= 0:
        return
    if funding_request.is_mdf:
        allocation = _lock_allocation(partner=funding_request.partner, program_year=funding_request.program_year, actor=actor)
        allocation.committed -= amount
        allocation.save(update_fields=["committed", "updated_at"])
    _ledger(funding_request=funding_request, kind=LedgerEntry.Kind.RETURNED, amount=amount, actor=actor, note=note)


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


def _check_partner_user(user: User, partner: Partner) -> None:
    if user.partner_id != partner.pk:
        raise ValidationError(_("Only the partner's own users may do this."))


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


def claim_submit(*, funding_request: FundingRequest, user: User, actual_cost: Decimal | str, files: Iterable[UploadedFile],
                 notes: str = "", today: datetime.date | None = None) -> Claim:
    """After the activity, within the claim window: actual cost and proof-of-performance files."""
    today = today or timezone.localdate()
    with transaction.atomic():
        funding_request = _lock(funding_request)
        _check_partner_user(user, funding_request.partner)
        target = _check_transition(funding_request, "claim")
        if refusal := rules.claim_refusal(ends_on=funding_request.ends_on, deadline=funding_request.claim_deadline,
                                          today=today):
            raise ValidationError(refusal)
        cost = _money(actual_cost, "actual_cost")
        checked = _check_proof_files(files)
        claim = Claim.objects.create(request=funding_request, actual_cost=cost, submitted_by=user,
                                     notes=_text(notes, "notes", required=False, max_length=4000))
        saved = []
        try:
            for upload, content_type in checked:
                row = ClaimFile(claim=claim, original_name=os.path.basename(upload.name or "")[:200] or "proof",
                                content_type=content_type, size=upload.size or 0)
                row.file.save(upload.name, upload, save=False)
                saved.append(row.file.name)
                row.save()
            before = funding_request.status
            funding_request.status = target
            funding_request.save(update_fields=["status", "updated_at"])
            _audit(actor=user, action="claim_submit", funding_request=funding_request, before_status=before,
                   actual_cost=cost, files=len(checked))
            notify(recipients=_staff_recipients(funding_request.partner),
                   kind="funding_claim_submitted",
                   params={"reference": funding_request.reference, "partner": str(funding_request.partner),
                           "actual_cost": str(cost), "files": len(checked)},
                   url=_url(funding_request))
        except Exception:
            for name in saved:  # the rows roll back; do not leave their files behind in the storage
                default_storage.delete(name)
            raise
    return claim


def _check_proof_files(files: Iterable[UploadedFile] | None) -> list[tuple[UploadedFile, str]]:
    files = list(files or [])
    if not files:
        raise ValidationError({"files": _("Attach at least one proof-of-performance file (PDF, PNG or JPEG).")})
    if len(files) > rules.PROOF_MAX_FILES:
        raise ValidationError({"files": _("Attach at most %(max)s files.") % {"max": rules.PROOF_MAX_FILES}})
    checked = []
    for upload in files:
        name = os.path.basename(getattr(upload, "name", "") or "file")
        if (upload.size or 0) > rules.PROOF_MAX_BYTES:
            raise ValidationError({"files": _("%(name)s is larger than %(megabytes)s MB.") % {
                "name": name, "megabytes": rules.PROOF_MAX_BYTES // (1024 * 1024)}})
        if upload.size == 0:
            raise ValidationError({"files": _("%(name)s is empty.") % {"name": name}})
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        sniffed = rules.sniff_proof_type(head)
        if sniffed is None:
            raise ValidationError({"files": _(
                "%(name)s is not a PDF, PNG or JPEG file (checked by its content, not its name).") % {"name": name}})
        checked.append((upload, sniffed[0]))
    return checked


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


def claim_approve(*, funding_request: FundingRequest, reviewer: User, approved_amount: Decimal | str, reason: str) -> Claim:
    """Pay at most the approved amount and (MDF) the co-investment share of the actual cost; the rest of
    the approved amount goes back to the allocation."""
    with transaction.atomic():
        funding_request = _lock(funding_request)
        require_reviewer(reviewer, funding_request.partner)
        target = _check_transition(funding_request, "approve_claim")
        reason = _reason(reason)
        claim = Claim.objects.select_for_update().get(request=funding_request)
        amount = _money(approved_amount, "approved_amount")
        cap = rules.claim_cap(program=funding_request.program, approved_amount=_approved(funding_request),
                              actual_cost=claim.actual_cost, share=funding_request.cofunding_share)
        if amount > cap:
            if cap == funding_request.approved_amount:
                message = _("Approve at most USD %(cap)s (the approved amount).")
            elif funding_request.is_mdf:
                message = _("Approve at most USD %(cap)s (the co-investment share of the actual cost).")
            else:
                message = _("Approve at most USD %(cap)s (the actual cost).")
            raise ValidationError({"approved_amount": message % {"cap": f"{cap:,}"}})
        before = funding_request.status
        claim.approved_amount = amount
        claim.decided_by, claim.decided_at = reviewer, timezone.now()
        claim.save(update_fields=["approved_amount", "decided_by", "decided_at"])
        funding_request.status = target
        funding_request.save(update_fields=["status", "updated_at"])
        _ledger(funding_request=funding_request, kind=LedgerEntry.Kind.CLAIM_APPROVED, amount=amount, actor=reviewer)
        _give_back(funding_request=funding_request, amount=_approved(funding_request) - amount, actor=reviewer,
                   note="Approved amount not claimed")
        _audit(actor=reviewer, action="claim_approve", funding_request=funding_request, before_status=before,
               reason=reason, claim_amount=amount)
        notify(recipients=_partner_recipients(funding_request),
               kind="funding_claim_approved",
               params={"reference": funding_request.reference, "amount": str(amount), "reason": reason},
               url=_url(funding_request))
    return claim


def claim_reject(*, funding_request: FundingRequest, reviewer: User, reason: str) -> Claim:
    """The claim is refused; the approved amount goes back to the allocation."""
    with transaction.atomic():
        funding_request = _lock(funding_request)
        require_reviewer(reviewer, funding_request.partner)
        target = _check_transition(funding_request, "reject_claim")
        reason = _reason(reason)
        claim = Claim.objects.select_for_update().get(request=funding_request)
        claim.decided_by, claim.decided_at = reviewer, timezone.now()
        claim.save(update_fields=["decided_by", "decided_at"])
        before = funding_request.status
        funding_request.status = target
        funding_request.save(update_fields=["status", "updated_at"])
        _give_back(funding_request=funding_request, amount=_approved(funding_request), actor=reviewer,
                   note="Claim rejected")
        _audit(actor=reviewer, action="claim_reject", funding_request=funding_request, before_status=before, reason=reason)
        notify(recipients=_partner_recipients(funding_request),
               kind="funding_claim_rejected", params={"reference": funding_request.reference, "reason": reason},
               url=_url(funding_request))
    return claim


def claim_mark_paid(*, funding_request: FundingRequest, admin: User, payment_reference: str, reason: str = "") -> Claim:
    with transaction.atomic():
        funding_request = _lock(funding_request)
        target = _check_transition(funding_request, "pay")
        reference = _text(payment_reference, "payment_reference", max_length=100)
        claim = Claim.objects.select_for_update().get(request=funding_request)
        claim.payment_reference, claim.paid_by, claim.paid_at = reference, admin, timezone.now()
        claim.save(update_fields=["payment_reference", "paid_by", "paid_at"])
        before = funding_request.status
        funding_request.status = target
        funding_request.save(update_fields=["status", "updated_at"])
        assert claim.approved_amount is not None  # an approved claim has its amount
        _ledger(funding_request=funding_request, kind=LedgerEntry.Kind.PAID, amount=claim.approved_amount, actor=admin,
                note=f"Payment {reference}")
        _audit(actor=admin, action="pay", funding_request=funding_request, before_status=before,
               reason=_text(reason, "reason", required=False, max_length=4000), payment_reference=reference,
               paid_amount=claim.approved_amount)
        notify(recipients=_partner_recipients(funding_request),
               kind="funding_paid", params={"reference": funding_request.reference,
                                            "amount": str(claim.approved_amount), "payment_reference": reference},
               url=_url(funding_request))
    return claim


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
                   note=f"Not claimed by {funding_request.claim_deadline:%Y-%m-%d}")
        reason = f"No claim by the deadline {funding_request.claim_deadline:%Y-%m-%d}."
        _audit(actor=None, action="expire", funding_request=funding_request, before_status=before, reason=reason)
        notify(recipients=[*_partner_recipients(funding_request), *_staff_recipients(funding_request.partner)],
               kind="funding_expired",
               params={"reference": funding_request.reference, "amount": str(funding_request.approved_amount),
                       "claim_deadline": _deadline(funding_request).isoformat()},
               url=_url(funding_request))
    return funding_request


def claim_remind(*, funding_request: FundingRequest, days_before: int, today: datetime.date) -> bool:
    """Remind the partner once per threshold; returns False when this reminder was already sent."""
    with transaction.atomic():
        funding_request = _lock(funding_request)
        if not rules.may("claim", funding_request.status):  # claimed, expired or decided meanwhile
            return False
        _reminder, created = ClaimReminder.objects.get_or_create(request=funding_request, days_before=days_before)
        if not created:
            return False
        days_left = (_deadline(funding_request) - today).days
        notify(recipients=_partner_recipients(funding_request),
               kind="funding_claim_reminder",
               params={"reference": funding_request.reference, "claim_deadline": _deadline(funding_request).isoformat(),
                       "days_left": days_left, "amount": str(funding_request.approved_amount),
                       "title": funding_request.title},
               url=_url(funding_request))
    return True


def claim_deadlines_run(*, today: datetime.date | None = None) -> dict[str, int]:
    """Daily: expire approvals whose claim window closed, then send the reminders due. Safe to run twice."""
    today = today or timezone.localdate()
    expired = reminded = 0
    overdue = FundingRequest.objects.filter(status=Status.APPROVED, claim_deadline__lt=today).order_by("id")
    for funding_request in overdue.only("pk"):
        try:
            request_expire(funding_request=funding_request, today=today)
            expired += 1
        except ValidationError:
            pass  # claimed or expired by someone else meanwhile
    horizon = today + datetime.timedelta(days=max(rules.REMINDER_DAYS))
    upcoming = FundingRequest.objects.filter(status=Status.APPROVED, claim_deadline__gte=today,
                                             claim_deadline__lte=horizon).order_by("id")
    for funding_request in upcoming.only("pk", "claim_deadline"):
        days = rules.reminder_due(deadline=_deadline(funding_request), today=today)
        if days and claim_remind(funding_request=funding_request, days_before=days, today=today):
            reminded += 1
    return {"expired": expired, "reminded": reminded}


# ---------------------------------------------------------------- allocations (program admin)


def allocation_set(*, partner: Partner, program_year: ProgramYear, amount: Decimal | str, admin: User,
                   reason: str = "") -> MdfAllocation:
    """Set one partner's MDF allocation for the year (it then no longer follows the tier default)."""
    amount = _money(amount, "amount", allow_zero=True)
    with transaction.atomic():
        allocation = _lock_allocation(partner=partner, program_year=program_year, actor=admin)
        if amount < allocation.committed:
            raise ValidationError({"amount": _(
                "USD %(committed)s of %(partner)s's allocation is already approved; "
                "the allocation cannot be lower than that.") % {"committed": f"{allocation.committed:,}", "partner": partner}})
        before = {"amount": str(allocation.amount), "is_custom": allocation.is_custom}
        delta = amount - allocation.amount
        allocation.amount, allocation.is_custom = amount, True
        allocation.save(update_fields=["amount", "is_custom", "updated_at"])
        if delta:
            LedgerEntry.objects.create(partner=partner, program_year=program_year, program=Program.MDF,
                                       kind=LedgerEntry.Kind.ALLOCATION, amount=delta, actor=admin,
                                       note=(reason or "Allocation set for the partner")[:300])
        audit_record(actor=admin, action=AuditAction.ALLOCATION_SET, obj=allocation, partner_id=partner.pk, before=before,
                     after={"amount": str(amount), "is_custom": True}, reason=reason)
        notify(recipients=partner_selectors.partner_admins(partner),
               kind="funding_allocation_set",
               params={"year": program_year.year, "amount": str(amount), "reason": reason or ""},
               url=reverse("funding:overview"))
    return allocation


def tier_default_set(*, program_year: ProgramYear, tier: str, amount: Decimal | str, admin: User,
                     reason: str = "") -> MdfTierDefault:
    """Set the tier's default allocation and apply it to the tier's partners that follow the default.
    Refused (nothing written) if a partner already has more approved than the new default."""
    amount = _money(amount, "amount", allow_zero=True)
    with transaction.atomic():
        default, _created = MdfTierDefault.objects.select_for_update().get_or_create(
            program_year=program_year, tier=tier, defaults={"amount": amount})
        before = str(default.amount)
        default.amount = amount
        default.save(update_fields=["amount"])
        following = list(
            MdfAllocation.objects.select_for_update().select_related("partner")
            .filter(program_year=program_year, is_custom=False, partner__tier=tier).order_by("id")
        )
        short = [a for a in following if a.committed > amount]
        if short:
            names = ", ".join(_("%(partner)s (USD %(committed)s approved)") % {"partner": a.partner,
                                                                              "committed": f"{a.committed:,}"}
                              for a in short)
            raise ValidationError({"amount": _("Lower than what is already approved for: %(partners)s.") % {
                "partners": names}})
        entries = []
        for allocation in following:
            delta = amount - allocation.amount
            if delta:
                allocation.amount = amount
                allocation.save(update_fields=["amount", "updated_at"])
                entries.append(LedgerEntry(partner=allocation.partner, program_year=program_year, program=Program.MDF,
                                           kind=LedgerEntry.Kind.ALLOCATION, amount=delta, actor=admin,
                                           note=f"Tier default for {default.get_tier_display()} changed"))
        LedgerEntry.objects.bulk_create(entries)
        audit_record(actor=admin, action=AuditAction.TIER_DEFAULT_SET, obj=default, before={"amount": before},
                     after={"amount": str(amount), "allocations_changed": len(entries)}, reason=reason)
    return default
