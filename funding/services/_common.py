"""What every funding service shares: input checks (money, text, reasons), the state machine check, the
request's row lock, the audit entry, the ledger entry, who is notified, and the partner's locked MDF
allocation (created on first use with the tier default) with the return of an approved amount to it."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from activity.actions import AuditAction
from activity.models import AuditEntry
from activity.services import audit_record
from partners import selectors as partner_selectors
from partners.models import Partner, User
from program.models import ProgramYear

from .. import ledger, rules, selectors
from ..models import FundingRequest, LedgerEntry, MdfAllocation, Program

MAX_AMOUNT = Decimal("9999999999.99")


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
            params: dict[str, Any] | None = None) -> LedgerEntry:
    # What happened is data (kind, params); funding.ledger words it in the reader's language.
    return LedgerEntry.objects.create(
        partner_id=funding_request.partner_id, program_year_id=funding_request.program_year_id,
        program=funding_request.program, kind=kind, amount=amount, request=funding_request, actor=actor,
        params=params or {},
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
                        params=ledger.tier_default(partner.tier, program_year.year),
                    )
        except IntegrityError:
            pass  # another transaction created it first; lock theirs.
        allocation = locked.get(partner=partner, program_year=program_year)
    return allocation


def _give_back(*, funding_request: FundingRequest, amount: Decimal, actor: User | None, params: dict[str, Any]) -> None:
    """Return an approved amount that will not be paid (claim lower or rejected, expiry)."""
    if amount <= 0:
        return
    if funding_request.is_mdf:
        allocation = _lock_allocation(partner=funding_request.partner, program_year=funding_request.program_year, actor=actor)
        allocation.committed -= amount
        allocation.save(update_fields=["committed", "updated_at"])
    _ledger(funding_request=funding_request, kind=LedgerEntry.Kind.RETURNED, amount=amount, actor=actor, params=params)


def _check_partner_user(user: User, partner: Partner) -> None:
    """The partner's side of the workflow is its own users' (funding.access.request_for_user, the same rule)."""
    if user.partner_id != partner.pk:
        raise PermissionDenied(_("Only the partner's users may do this."))
