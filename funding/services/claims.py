"""Claims on approved requests: submission with proof of performance, review, payment, and the daily
claim-deadline run (reminders and expiry). approved → claim_submitted → claim_approved | claim_rejected;
claim_approved → paid."""

import datetime
import os
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activity.services import notify
from partners.access import require_reviewer
from partners.models import User

from .. import ledger, rules
from ..access import require_payer
from ..models import Claim, ClaimFile, ClaimReminder, FundingRequest, LedgerEntry, Status
from ._common import (
    _approved,
    _audit,
    _check_partner_user,
    _check_transition,
    _deadline,
    _give_back,
    _ledger,
    _lock,
    _money,
    _partner_recipients,
    _reason,
    _staff_recipients,
    _text,
    _url,
)
from .requests import request_expire


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
                   params=ledger.not_claimed())
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
                   params=ledger.claim_rejected())
        _audit(actor=reviewer, action="claim_reject", funding_request=funding_request, before_status=before, reason=reason)
        notify(recipients=_partner_recipients(funding_request),
               kind="funding_claim_rejected", params={"reference": funding_request.reference, "reason": reason},
               url=_url(funding_request))
    return claim


def claim_mark_paid(*, funding_request: FundingRequest, admin: User, payment_reference: str, reason: str = "") -> Claim:
    """A program admin records the payment of an approved claim (funding.access.require_payer, the rule of
    the page and the API, checked here too so no other caller can skip it)."""
    require_payer(admin)
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
                params=ledger.payment(reference))
        _audit(actor=admin, action="pay", funding_request=funding_request, before_status=before,
               reason=_text(reason, "reason", required=False, max_length=4000), payment_reference=reference,
               paid_amount=claim.approved_amount)
        notify(recipients=_partner_recipients(funding_request),
               kind="funding_paid", params={"reference": funding_request.reference,
                                            "amount": str(claim.approved_amount), "payment_reference": reference},
               url=_url(funding_request))
    return claim


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
