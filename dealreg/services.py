"""Writes of the dealreg app: every deal registration transition and the sales-system imports.

Each transition is one function: keyword-only arguments, the state machine checked (dealreg/rules.py)
on a locked row, the change, its history event, the audit entry and the notification of the other side
all in one transaction. An impossible transition raises ValidationError and writes nothing.
"""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activity.actions import AuditAction
from activity.services import audit_record, notify
from core.csv_import import Row
from partners import selectors as partner_selectors
from partners.access import require_reviewer
from partners.domains import is_valid_domain, normalise_domain
from partners.models import Partner, User
from program.selectors import program_year_for

from . import history, rules, selectors
from .imports import ImportRejected, validate_account_rows, validate_opportunity_rows
from .models import CustomerAccount, DealRegistration, DealRegistrationEvent, Opportunity, OpportunityPartner, SalesImport
from .revenue import attachment_counts

MAX_ARR = Decimal("999999999999.99")
PRODUCT_CHOICES = {value for value, _label in Opportunity.ProductLine.choices}


# --- helpers -------------------------------------------------------------------------------------------

def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _snapshot(registration: DealRegistration) -> dict[str, Any]:
    return {
        "status": registration.status,
        "expires_on": registration.expires_on.isoformat() if registration.expires_on else None,
        "extension": registration.extension,
        "opportunity_id": registration.opportunity_id,
    }


def _partner_side(registration: DealRegistration) -> list[User]:
    """The partner's admins and whoever submitted it."""
    return partner_selectors.partner_admins(registration.partner, also=registration.submitted_by)


def _vendor_side(registration: DealRegistration) -> list[User]:
    """The partner's PAM; for a partner with no PAM, the program admins."""
    return partner_selectors.vendor_contacts(registration.partner)


def _url(registration: DealRegistration) -> str:
    return reverse("dealreg:detail", args=[registration.pk])


def _record(*, registration: DealRegistration, actor: User | None, action: str, before: dict[str, Any], reason: str,
            recipients: Iterable[User | None], kind: str, params: dict[str, Any],
            audit_extra: dict[str, Any] | None = None, reason_code: str = "",
            reason_params: dict[str, Any] | None = None) -> None:
    """History event, audit entry and notification, inside the caller's transaction. ``reason`` is what a person
    typed, kept as typed; what the portal itself says is ``reason_code`` with its ``reason_params``
    (dealreg/history.py renders them in the reader's language)."""
    event = DealRegistrationEvent.objects.create(
        registration=registration, actor=actor if actor is not None and actor.is_authenticated else None,
        action=action, from_status=before.get("status", ""), to_status=registration.status, reason=reason or "",
        reason_code=reason_code, reason_params=reason_params or {},
    )
    audit_record(
        actor=actor, action=AuditAction(f"dealreg.{action}"), obj=registration, before=before,
        after={**_snapshot(registration), **(audit_extra or {})},
        reason=_audit_reason(event), partner_id=registration.partner_id,
    )
    notify(recipients=recipients, kind=kind, params={"reference": registration.reference,
                                                     "customer": registration.customer_company, **params},
           url=_url(registration))


def _audit_reason(event: DealRegistrationEvent) -> str:
    """The audit trail is a record kept in the program's source language (as tiers keeps its tier changes): the
    portal's words in English, then the typed reason. The history event keeps the code; pages render that."""
    with translation.override(settings.LANGUAGE_CODE):
        return history.event_text(event)


def _conflict_codes(conflicts: rules.Conflicts) -> list[str]:
    """The conflict check as the notice names it: which of its findings hold (the words are the template's)."""
    return [name for name, _words in rules.CONFLICT_WORDS if getattr(conflicts, name)]


def _revenue_case(counts: bool, product_line: str) -> str:
    """Which of rules.revenue_words' three sentences a notice says (the notice renders it in the reader's
    language)."""
    if counts:
        return "counts"
    return "services" if product_line == rules.PROFESSIONAL_SERVICES else "not_added"


def _locked(registration: DealRegistration) -> DealRegistration:
    """Re-read the row under a lock: the state machine is checked on what is committed, not on a stale copy."""
    return (
        DealRegistration.objects.select_for_update(of=("self",))
        .select_related("partner", "partner__pam", "submitted_by")
        .get(pk=registration.pk)
    )


def _check_transition(registration: DealRegistration, action: str) -> None:
    error = rules.transition_error(action, registration.status)
    if error:
        raise ValidationError(error)


def _check_partner_actor(registration: DealRegistration, user: User) -> None:
    if user.partner_id != registration.partner_id:
        raise PermissionDenied(_("Only the partner that registered this deal may do this."))


def _check_reviewer(registration: DealRegistration, reviewer: User) -> None:
    """The partner's reviewers decide (partners.access.require_reviewer), but never a registration they submitted."""
    require_reviewer(reviewer, registration.partner)
    if reviewer.pk == registration.submitted_by_id:
        raise PermissionDenied(_("You submitted this registration, so someone else must decide it."))


def _required(value: str | None, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def _active_for_domain(*, domain: str, partner_id: int) -> DealRegistration | None:
    return (
        DealRegistration.objects.filter(domain=domain, partner_id=partner_id, status__in=rules.ACTIVE_STATUSES,
                                        already_closed=False)
        .order_by("created_at")
        .first()
    )


def _duplicate_message(existing: DealRegistration) -> str:
    return _(
        "Your company already has registration %(reference)s for %(domain)s (%(status)s, registered %(registered)s). "
        "Follow that one instead of registering the customer again."
    ) % {"reference": existing.reference, "domain": existing.domain, "status": existing.get_status_display().lower(),
         "registered": rules.day(existing.created_at)}


# --- partner side --------------------------------------------------------------------------------------

def registration_errors(*, partner: Partner, today: datetime.date, website: str | None = None, country: str | None = None,
                        products: list[str] | None = None, estimated_arr_usd: Decimal | None = None,
                        expected_close_date: datetime.date | None = None, confirmed: bool = False,
                        **_other: Any) -> dict[str, str | ValidationError]:
    """Every rule a new registration breaks, as {field: message}: what the page and the API show at once,
    field by field. Fields that are None were missing or malformed (the form or serializer says why)."""
    errors: dict[str, str | ValidationError] = {}
    if website is not None:
        domain = normalise_domain(website)
        if not is_valid_domain(domain):
            errors["website"] = _("Enter the customer's website domain, for example example.com.")
        elif refusal := rules.domain_refusal(domain, partner_domain=partner.domain,
                                             excluded=selectors.excluded_domains_for(domain)):
            errors["website"] = refusal
    if estimated_arr_usd is not None:
        if error := rules.estimated_arr_error(estimated_arr_usd):
            errors["estimated_arr_usd"] = error
        elif estimated_arr_usd > MAX_ARR:
            errors["estimated_arr_usd"] = _("The estimated ARR is too large.")
    if expected_close_date is not None and (error := rules.close_date_error(expected_close_date, today=today)):
        errors["expected_close_date"] = error
    if country is not None and (error := rules.country_error(country)):
        errors["country"] = error
    if products is not None:
        products = list(dict.fromkeys(products))
        if not products:
            errors["products"] = _("Choose at least one product of interest.")
        elif not set(products) <= PRODUCT_CHOICES:
            errors["products"] = _("Choose products from the list.")
    if not (partner.is_active and partner.is_registered):
        errors["__all__"] = _("Your company must be a registered partner to register deals.")
    if not confirmed:
        limits = selectors.limits_for(today)
        for field, message in rules.figures_to_confirm(
            estimated_arr_usd=estimated_arr_usd if "estimated_arr_usd" not in errors else None,
            expected_close_date=expected_close_date if "expected_close_date" not in errors else None,
            today=today, arr_above=limits.confirm_arr_above_usd, close_months=limits.confirm_close_months,
        ).items():
            errors[field] = ValidationError(message, code=CONFIRM_CODE)
    return errors


CONFIRM_CODE = "confirm"


def registration_submit(
    *, partner: Partner, submitted_by: User, customer_company: str, website: str, country: str, contact_name: str,
    contact_email: str, products: list[str], use_case: str, estimated_arr_usd: Decimal,
    expected_close_date: datetime.date, today: datetime.date | None = None, confirmed: bool = False,
) -> DealRegistration:
    """Register a deal. The domain is normalised; a second active registration of one partner for one
    domain is refused with the existing one named. Customers that cannot be registered (free mail, the
    vendor, the partner itself) are refused; unusual figures need ``confirmed``. Conflicts are flagged for
    the PAM, not refused."""
    today = _today(today)
    errors = registration_errors(
        partner=partner, today=today, website=website, country=country, products=products or [],
        estimated_arr_usd=estimated_arr_usd, expected_close_date=expected_close_date, confirmed=confirmed,
    )
    if errors:
        raise ValidationError(errors)
    domain = normalise_domain(website)
    products = list(dict.fromkeys(products))

    with transaction.atomic():
        existing = _active_for_domain(domain=domain, partner_id=partner.pk)
        if existing:
            raise ValidationError({"website": _duplicate_message(existing)})
        now = timezone.now()
        registration = DealRegistration(
            partner=partner, submitted_by=submitted_by, customer_company=customer_company.strip(), domain=domain,
            country=rules.normalise_country(country), contact_name=contact_name.strip(),
            contact_email=contact_email.strip().lower(),
            products=products, use_case=use_case.strip(), estimated_arr_usd=estimated_arr_usd,
            expected_close_date=expected_close_date, status=rules.SUBMITTED, waiting_since=now,
        )
        try:
            # A savepoint: two submissions of one partner for one domain at the same moment meet the
            # partial unique constraint; the loser gets the same clear message as above.
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            existing = _active_for_domain(domain=domain, partner_id=partner.pk)
            raise ValidationError({"website": _duplicate_message(existing) if existing else _("Try again.")})
        from .selectors import registration_conflicts

        conflicts = registration_conflicts(registration)
        # The conflict check goes to the PAM (notification, audit) but not into the history the partner
        # reads: it would tell the partner about another partner's registrations.
        _record(
            registration=registration, actor=submitted_by, action="submit", before={}, reason="",
            audit_extra={"conflicts": conflicts.flags()},
            recipients=_vendor_side(registration),
            kind="dealreg_submitted",
            params={"partner": partner.name, "domain": domain, "conflicts": _conflict_codes(conflicts)},
        )
    return registration


def _claimable_opportunity(*, opportunity_id: str, domain: str) -> Opportunity:
    """The closed-won opportunity a partner names by the sales system's id or the customer's domain."""
    opportunity_id = (opportunity_id or "").strip()
    if opportunity_id:
        opportunity = Opportunity.objects.filter(external_id=opportunity_id).first()
        if opportunity is None:
            raise ValidationError({"opportunity_id": _("The sales system has no opportunity %(opportunity)s.") % {
                "opportunity": opportunity_id}})
        return opportunity
    domain = normalise_domain(domain or "")
    if not is_valid_domain(domain):
        raise ValidationError({"website": _("Give the sales system's opportunity id or the customer's website domain.")})
    won = list(Opportunity.objects.filter(domain=domain, stage=Opportunity.Stage.CLOSED_WON)
               .exclude(product_line=Opportunity.ProductLine.PROFESSIONAL_SERVICES).order_by("-close_date", "pk")[:2])
    if not won:
        raise ValidationError({"website": _("The sales system has no closed-won opportunity for %(domain)s.") % {
            "domain": domain}})
    if len(won) > 1:
        raise ValidationError({"opportunity_id": _("The sales system has several closed-won opportunities for %(domain)s; "
                                                   "give the opportunity id your account team sees.") % {"domain": domain}})
    return won[0]


def registration_claim_submit(*, partner: Partner, submitted_by: User, opportunity_id: str = "", website: str = "",
                              sourced_how: str, country: str, contact_name: str, contact_email: str,
                              today: datetime.date | None = None) -> DealRegistration:
    """Register a missing sourced opportunity (guide p.10): one the sales system already closed won without the
    partner. The partner names it by the sales system's opportunity id or the customer domain and says how it
    sourced it; the PAM reviews it like any registration, with the close date and ARR in view."""
    today = _today(today)
    errors: dict[str, Any] = {}
    sourced_how = (sourced_how or "").strip()
    if not sourced_how:
        errors["sourced_how"] = _("Say how your company sourced this opportunity.")
    if error := rules.country_error(country):
        errors["country"] = error
    if not (contact_name or "").strip():
        errors["contact_name"] = _("Name the customer contact who can confirm your part in the sale.")
    if not (contact_email or "").strip():
        errors["contact_email"] = _("Give the customer contact's email address.")
    if not (partner.is_active and partner.is_registered):
        errors["__all__"] = _("Your company must be a registered partner to register deals.")
    named: Opportunity | None = None
    try:
        named = _claimable_opportunity(opportunity_id=opportunity_id, domain=website)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors or named is None:
        raise ValidationError(errors)
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=named.pk)
        attachment = OpportunityPartner.objects.filter(opportunity=opportunity, partner=partner).first()
        refusal = rules.claim_opportunity_error(
            stage=opportunity.stage, close_date=opportunity.close_date, arr_usd=opportunity.arr_usd,
            product_line=opportunity.product_line, today=today,
            already_counts=attachment is not None and attachment_counts(attachment, opportunity),
        )
        if refusal or opportunity.close_date is None:
            raise ValidationError({"opportunity_id": refusal})
        existing = DealRegistration.objects.filter(
            partner=partner, opportunity=opportunity, already_closed=True, status__in=rules.ACTIVE_STATUSES
        ).first()
        if existing:
            raise ValidationError({"opportunity_id": _("Your company already registered this opportunity as %(reference)s; "
                                                       "follow that one.") % {"reference": existing.reference}})
        now = timezone.now()
        registration = DealRegistration(
            partner=partner, submitted_by=submitted_by, customer_company=opportunity.account_name,
            domain=opportunity.domain, country=rules.normalise_country(country), contact_name=contact_name.strip(),
            contact_email=contact_email.strip().lower(), products=[opportunity.product_line], use_case="",
            estimated_arr_usd=opportunity.arr_usd, expected_close_date=opportunity.close_date,
            status=rules.SUBMITTED, waiting_since=now, opportunity=opportunity, already_closed=True,
            sourced_how=sourced_how,
        )
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            raise ValidationError({"opportunity_id": _("Your company registered this opportunity a moment ago.")})
        from .selectors import registration_conflicts

        conflicts = registration_conflicts(registration)
        _record(
            registration=registration, actor=submitted_by, action="submit_claim", before={}, reason=sourced_how,
            audit_extra={"conflicts": conflicts.flags(), "opportunity": opportunity.external_id},
            recipients=_vendor_side(registration),
            kind="dealreg_claim_submitted",
            params={"partner": partner.name, "opportunity": opportunity.external_id,
                    "close_date": opportunity.close_date.isoformat(), "arr_usd": str(opportunity.arr_usd),
                    "sourced_how": sourced_how, "conflicts": _conflict_codes(conflicts)},
        )
    return registration


def registration_withdraw(*, registration: DealRegistration, user: User, reason: str = "") -> DealRegistration:
    with transaction.atomic():
        registration = _locked(registration)
        _check_partner_actor(registration, user)
        _check_transition(registration, "withdraw")
        before = _snapshot(registration)
        registration.status = rules.next_status("withdraw")
        registration.save(update_fields=["status"])
        _record(
            registration=registration, actor=user, action="withdraw", before=before, reason=reason,
            recipients=_vendor_side(registration),
            kind="dealreg_withdrawn", params={"partner": registration.partner.name, "reason": reason or ""},
        )
    return registration


def registration_respond(*, registration: DealRegistration, user: User, answer: str) -> DealRegistration:
    """Answer a PAM's request for information: the registration goes back to submitted and waits anew."""
    answer = _required(answer, "answer", _("Write your answer to the PAM's question."))
    with transaction.atomic():
        registration = _locked(registration)
        _check_partner_actor(registration, user)
        _check_transition(registration, "respond")
        before = _snapshot(registration)
        registration.status = rules.next_status("respond")
        registration.waiting_since = timezone.now()
        registration.save(update_fields=["status", "waiting_since"])
        _record(
            registration=registration, actor=user, action="respond", before=before, reason=answer,
            recipients=_vendor_side(registration),
            kind="dealreg_answered", params={"partner": registration.partner.name, "answer": answer},
        )
    return registration


def registration_request_extension(*, registration: DealRegistration, user: User, reason: str,
                                   today: datetime.date | None = None) -> DealRegistration:
    """Once per approved registration, before it expires (DESIGN.md §3). A PAM grants or declines it."""
    reason = _required(reason, "reason", _("Say why you need more time."))
    today = _today(today)
    with transaction.atomic():
        registration = _locked(registration)
        _check_partner_actor(registration, user)
        error = rules.extension_error(
            status=registration.status, extension=registration.extension, expires_on=registration.expires_on, today=today
        )
        if error:
            raise ValidationError(error)
        assert registration.expires_on is not None  # an approval has its expiry
        before = _snapshot(registration)
        registration.extension = DealRegistration.Extension.REQUESTED
        registration.save(update_fields=["extension"])
        _record(
            registration=registration, actor=user, action="request_extension", before=before, reason=reason,
            recipients=_vendor_side(registration),
            kind="dealreg_extension_requested",
            params={"partner": registration.partner.name, "expires_on": registration.expires_on.isoformat(),
                    "reason": reason},
        )
    return registration


# --- vendor side ---------------------------------------------------------------------------------------

def _locked_opportunity(registration: DealRegistration) -> Opportunity:
    """The opportunity an approval attached (an approved registration always has one), locked."""
    assert registration.opportunity_id is not None
    return Opportunity.objects.select_for_update().get(pk=registration.opportunity_id)


def _opportunity_for_approval(registration: DealRegistration) -> Opportunity:
    """The open opportunity for the customer domain, or a new one made from the registration."""
    opportunity = (
        Opportunity.objects.select_for_update()
        .filter(domain=registration.domain, stage=Opportunity.Stage.OPEN)
        .order_by("-updated_at", "-id")
        .first()
    )
    if opportunity is None:
        opportunity = Opportunity.objects.create(
            external_id=f"{registration.reference}",
            account_name=registration.customer_company,
            domain=registration.domain,
            product_line=registration.products[0],
            arr_usd=registration.estimated_arr_usd,
            stage=Opportunity.Stage.OPEN,
            close_date=registration.expected_close_date,
        )
    return opportunity


def _attach(*, opportunity: Opportunity, partner_id: int, on: datetime.date,
            source: str = OpportunityPartner.Source.DEAL_REGISTRATION) -> OpportunityPartner:
    """Attach the partner with the approval date: this is what makes its revenue count (dealreg/revenue.py).
    An earlier attachment by the sales team is kept, since it already counts from its own date; a later one
    (or one that does not count) gives way to the approval, which is the earlier evidence."""
    attachment = OpportunityPartner.objects.select_for_update().filter(opportunity=opportunity,
                                                                       partner_id=partner_id).first()
    if attachment is None:
        return OpportunityPartner.objects.create(opportunity=opportunity, partner_id=partner_id, attached_on=on,
                                                 source=source)
    if source == OpportunityPartner.Source.SOURCED_CLAIM:
        gives_way = not attachment_counts(attachment, opportunity)
    else:
        gives_way = attachment.attached_on > on
    if gives_way:
        attachment.attached_on, attachment.source = on, source
        attachment.save(update_fields=["attached_on", "source"])
    return attachment


def registration_approve(*, registration: DealRegistration, reviewer: User, reason: str,
                         today: datetime.date | None = None) -> DealRegistration:
    reason = _required(reason, "reason", _("Give a reason for the approval."))
    today = _today(today)
    with transaction.atomic():
        # Lock every active registration for the domain: two PAMs approving two partners' registrations
        # for one customer are served one after the other, and the second sees the first's approval.
        list(
            DealRegistration.objects.select_for_update()
            .filter(domain=registration.domain, status__in=rules.ACTIVE_STATUSES)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        registration = _locked(registration)
        _check_reviewer(registration, reviewer)
        _check_transition(registration, "approve")
        if registration.already_closed:
            return _approve_claim(registration=registration, reviewer=reviewer, reason=reason, today=today)
        _refuse_second_approval(registration)
        before = _snapshot(registration)
        program_year = program_year_for(today)
        opportunity = _opportunity_for_approval(registration)
        _attach(opportunity=opportunity, partner_id=registration.partner_id, on=today)
        registration.status = rules.next_status("approve")
        registration.decided_by = reviewer
        registration.decided_at = timezone.now()
        registration.decision_note = reason
        registration.approved_on = today
        registration.expires_on = rules.expiry_date(approved_on=today, expiry_days=program_year.deal_expiry_days)
        registration.opportunity = opportunity
        try:
            # The partial unique constraint is the last word if a concurrent approval slipped past the lock.
            with transaction.atomic():
                registration.save(update_fields=[
                    "status", "decided_by", "decided_at", "decision_note", "approved_on", "expires_on", "opportunity",
                ])
        except IntegrityError:
            _refuse_second_approval(registration)
            raise
        _record(
            registration=registration, actor=reviewer, action="approve", before=before, reason=reason,
            recipients=_partner_side(registration),
            kind="dealreg_approved", params={"expires_on": registration.expires_on.isoformat(), "reason": reason},
        )
    return registration


def _approve_claim(*, registration: DealRegistration, reviewer: User, reason: str, today: datetime.date) -> DealRegistration:
    """Approve a missing sourced opportunity: the partner is added to the opportunity that already closed won
    and, since there is nothing left to protect, the registration is won at once with the sales system's ARR
    and close date. Another partner on the opportunity or registered for the customer was flagged for the
    PAM; it does not block (every partner attached in time counts in full)."""
    opportunity = _locked_opportunity(registration)
    error = rules.claim_opportunity_error(
        stage=opportunity.stage, close_date=opportunity.close_date, arr_usd=opportunity.arr_usd,
        product_line=opportunity.product_line, already_counts=False, today=today,
    )
    if error:
        raise ValidationError(_("The sales system changed this opportunity since it was registered: %(why)s") % {"why": error})
    if error := rules.win_close_date_error(closed_on=opportunity.close_date, approved_on=today,
                                           already_closed=True, today=today):
        raise ValidationError(error)
    assert opportunity.close_date is not None  # claim_opportunity_error refuses an opportunity without one
    before = _snapshot(registration)
    attachment = _attach(opportunity=opportunity, partner_id=registration.partner_id, on=today,
                         source=OpportunityPartner.Source.SOURCED_CLAIM)
    registration.status = rules.next_status("approve")
    registration.decided_by = reviewer
    registration.decided_at = timezone.now()
    registration.decision_note = reason
    registration.approved_on = today
    DealRegistrationEvent.objects.create(registration=registration, actor=reviewer, action="approve",
                                         from_status=before["status"], to_status=registration.status, reason=reason)
    audit_record(actor=reviewer, action=AuditAction.DEALREG_APPROVE, obj=registration, before=before,
                 after={**_snapshot(registration), "approved_claim": True, "attached_on": attachment.attached_on.isoformat(),
                        "source": attachment.source},
                 reason=reason, partner_id=registration.partner_id)
    # Nothing is left to protect: the approval is won at once, the next step of the same table.
    registration.status = rules.next_status("win")
    registration.final_arr_usd = opportunity.arr_usd
    registration.closed_on = opportunity.close_date
    registration.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "approved_on",
                                     "final_arr_usd", "closed_on"])
    _record(
        registration=registration, actor=reviewer, action="win", before={**before, "status": rules.next_status("approve")},
        reason="", reason_code=history.CLAIM_WON,
        reason_params={"close_date": opportunity.close_date.isoformat(), "arr_usd": str(opportunity.arr_usd),
                       "opportunity": opportunity.external_id},
        audit_extra={"approved_claim": True},
        recipients=_partner_side(registration),
        kind="dealreg_claim_approved",
        params={"opportunity": opportunity.external_id, "close_date": opportunity.close_date.isoformat(),
                "arr_usd": str(opportunity.arr_usd), "reason": reason,
                "revenue": _revenue_case(attachment_counts(attachment, opportunity), opportunity.product_line)},
    )
    return registration


def _refuse_second_approval(registration: DealRegistration) -> None:
    approved = (
        DealRegistration.objects.filter(domain=registration.domain, status=rules.APPROVED)
        .exclude(pk=registration.pk)
        .select_related("partner")
        .first()
    )
    if approved is not None:
        raise ValidationError(
            _("%(reference)s by %(partner)s is already approved for %(domain)s; "
              "only one registration per customer can be approved at a time.")
            % {"reference": approved.reference, "partner": approved.partner.name, "domain": registration.domain}
        )


def registration_reject(*, registration: DealRegistration, reviewer: User, reason_code: str, reason: str) -> DealRegistration:
    if reason_code not in DealRegistration.RejectReason.values:
        raise ValidationError({"reason_code": _("Choose a rejection reason.")})
    reason = _required(reason, "reason", _("Explain the rejection to the partner."))
    with transaction.atomic():
        registration = _locked(registration)
        _check_reviewer(registration, reviewer)
        _check_transition(registration, "reject")
        before = _snapshot(registration)
        registration.status = rules.next_status("reject")
        registration.decided_by = reviewer
        registration.decided_at = timezone.now()
        registration.reject_reason = reason_code
        registration.decision_note = reason
        registration.save(update_fields=["status", "decided_by", "decided_at", "reject_reason", "decision_note"])
        _record(
            registration=registration, actor=reviewer, action="reject", before=before, reason=reason,
            reason_code=history.REJECTED, reason_params={"reject_reason": reason_code},
            recipients=_partner_side(registration),
            kind="dealreg_rejected", params={"reject_reason": reason_code, "reason": reason},
        )
    return registration


def registration_request_info(*, registration: DealRegistration, reviewer: User, question: str) -> DealRegistration:
    question = _required(question, "reason", _("Ask the partner what you need to know."))
    with transaction.atomic():
        registration = _locked(registration)
        _check_reviewer(registration, reviewer)
        _check_transition(registration, "request_info")
        before = _snapshot(registration)
        registration.status = rules.next_status("request_info")
        registration.save(update_fields=["status"])
        _record(
            registration=registration, actor=reviewer, action="request_info", before=before, reason=question,
            recipients=_partner_side(registration),
            kind="dealreg_info_requested", params={"question": question},
        )
    return registration


def registration_win(*, registration: DealRegistration, reviewer: User, final_arr_usd: Decimal | None,
                     closed_on: datetime.date | None, reason: str = "", today: datetime.date | None = None) -> DealRegistration:
    """Won, with the final ARR and close date: the opportunity becomes closed-won, which is the revenue
    the tier engine counts for the partner attached on approval. A close date before the approval is refused
    (the attachment would come after the close and not count) unless the registration claimed an opportunity
    that had already closed. The partner is told whether the revenue counts, by the rule that counts it."""
    today = _today(today)

    def field_errors(registration: DealRegistration) -> dict[str, str]:
        errors = {}
        if final_arr_usd is None or final_arr_usd <= 0:
            errors["final_arr_usd"] = _("The final ARR must be more than 0 USD.")
        elif final_arr_usd > MAX_ARR:
            errors["final_arr_usd"] = _("The final ARR is too large.")
        if error := rules.win_close_date_error(closed_on=closed_on, approved_on=registration.approved_on,
                                               already_closed=registration.already_closed, today=today):
            errors["closed_on"] = error
        return errors

    if errors := field_errors(registration):
        raise ValidationError(errors)
    with transaction.atomic():
        registration = _locked(registration)
        _check_reviewer(registration, reviewer)
        _check_transition(registration, "win")
        if errors := field_errors(registration):
            raise ValidationError(errors)
        assert final_arr_usd is not None and closed_on is not None  # field_errors refuses them missing
        before = _snapshot(registration)
        opportunity = _locked_opportunity(registration)
        opportunity.stage = Opportunity.Stage.CLOSED_WON
        opportunity.arr_usd = final_arr_usd
        opportunity.close_date = closed_on
        opportunity.save(update_fields=["stage", "arr_usd", "close_date", "updated_at"])
        registration.status = rules.next_status("win")
        registration.final_arr_usd = final_arr_usd
        registration.closed_on = closed_on
        registration.save(update_fields=["status", "final_arr_usd", "closed_on"])
        attachment = OpportunityPartner.objects.filter(opportunity=opportunity,
                                                       partner_id=registration.partner_id).first()
        counts = attachment is not None and attachment_counts(attachment, opportunity)
        _record(
            registration=registration, actor=reviewer, action="win", before=before,
            reason=reason, reason_code=history.WON,
            reason_params={"arr_usd": str(final_arr_usd), "closed_on": closed_on.isoformat()},
            audit_extra={"revenue_counts": counts},
            recipients=_partner_side(registration),
            kind="dealreg_won",
            params={"closed_on": closed_on.isoformat(), "arr_usd": str(final_arr_usd), "close_date": closed_on.isoformat(),
                    "revenue": _revenue_case(counts, opportunity.product_line)},
        )
    return registration


def _won_inside_protection(registration: DealRegistration) -> Opportunity | None:
    """The opportunity closed won between the approval and the expiry: the sale the registration protected."""
    opportunity = _locked_opportunity(registration)
    won = rules.in_protection_window(stage=opportunity.stage, close_date=opportunity.close_date,
                                     approved_on=registration.approved_on, expires_on=registration.expires_on)
    return opportunity if won else None


def _end_protection(registration: DealRegistration) -> None:
    """Lost and expired end the protection of an opportunity still open: the partner's attachment made by the
    approval goes, and an opportunity the approval created (nothing in the sales system behind it) is closed
    as lost. Callers first keep an opportunity that closed won inside the protection window (revenue.py)."""
    assert registration.opportunity_id is not None
    OpportunityPartner.objects.filter(
        opportunity_id=registration.opportunity_id, partner_id=registration.partner_id,
        source=OpportunityPartner.Source.DEAL_REGISTRATION,
    ).delete()
    Opportunity.objects.filter(
        pk=registration.opportunity_id, external_id=registration.reference, stage=Opportunity.Stage.OPEN
    ).update(stage=Opportunity.Stage.CLOSED_LOST, updated_at=timezone.now())


def registration_lose(*, registration: DealRegistration, reviewer: User, reason: str) -> DealRegistration:
    reason = _required(reason, "reason", _("Say why the deal was lost."))
    with transaction.atomic():
        registration = _locked(registration)
        _check_reviewer(registration, reviewer)
        _check_transition(registration, "lose")
        opportunity = _locked_opportunity(registration)
        if opportunity.stage == Opportunity.Stage.CLOSED_WON:
            raise ValidationError(
                _("The sales system records %(opportunity)s as closed won on %(closed_on)s; mark the registration "
                  "won instead.") % {"opportunity": opportunity.external_id, "closed_on": rules.day(opportunity.close_date)}
            )
        before = _snapshot(registration)
        _end_protection(registration)
        registration.status = rules.next_status("lose")
        registration.closed_on = timezone.localdate()
        registration.save(update_fields=["status", "closed_on"])
        _record(
            registration=registration, actor=reviewer, action="lose", before=before, reason=reason,
            recipients=_partner_side(registration),
            kind="dealreg_lost", params={"reason": reason},
        )
    return registration


def registration_decide_extension(*, registration: DealRegistration, reviewer: User, grant: bool, reason: str,
                                  today: datetime.date | None = None) -> DealRegistration:
    """Grant (the expiry moves by the program year's expiry period) or decline the one extension request."""
    reason = _required(reason, "reason", _("Give a reason for your decision on the extension."))
    today = _today(today)
    with transaction.atomic():
        registration = _locked(registration)
        _check_reviewer(registration, reviewer)
        if "decide_extension" not in rules.allowed_actions(registration.status, side=rules.REVIEWER,
                                                           extension=registration.extension):
            raise ValidationError(_("There is no pending extension request on this registration."))
        assert registration.expires_on is not None  # an approval has its expiry
        before = _snapshot(registration)
        if grant:
            registration.extension = DealRegistration.Extension.GRANTED
            registration.expires_on = registration.expires_on + datetime.timedelta(days=program_year_for(today).deal_expiry_days)
        else:
            registration.extension = DealRegistration.Extension.DECLINED
        registration.save(update_fields=["extension", "expires_on"])
        action = "grant_extension" if grant else "decline_extension"
        _record(
            registration=registration, actor=reviewer, action=action, before=before, reason=reason,
            recipients=_partner_side(registration),
            kind="dealreg_extension_granted" if grant else "dealreg_extension_declined",
            params={"expires_on": registration.expires_on.isoformat(), "reason": reason},
        )
    return registration


# --- daily job -----------------------------------------------------------------------------------------

def registration_expire(*, registration: DealRegistration, today: datetime.date | None = None) -> DealRegistration:
    """System transition: an approval past its expiry date ends (the last protected day is expires_on)."""
    today = _today(today)
    with transaction.atomic():
        registration = _locked(registration)
        _check_transition(registration, "expire")
        assert registration.expires_on is not None  # an approval has its expiry
        if registration.expires_on >= today:
            raise ValidationError(_("%(reference)s is protected until %(expires_on)s.") % {
                "reference": registration.reference, "expires_on": rules.day(registration.expires_on)})
        before = _snapshot(registration)
        # An approved attachment is never removed once the opportunity closed won inside the protection window
        # (dealreg/revenue.py): nobody marked it won in the portal, but the sale happened while it was protected.
        won = _won_inside_protection(registration)
        counts = False
        if won is None:
            _end_protection(registration)
        else:
            attachment = OpportunityPartner.objects.filter(opportunity=won, partner_id=registration.partner_id).first()
            counts = attachment is not None and attachment_counts(attachment, won)
        registration.status = rules.next_status("expire")
        registration.save(update_fields=["status"])
        _record(
            registration=registration, actor=None, action="expire", before=before,
            reason="", reason_code=history.EXPIRED,
            reason_params={"expires_on": registration.expires_on.isoformat(),
                           **({"close_date": won.close_date.isoformat()}
                              if won is not None and won.close_date is not None else {})},
            audit_extra={"attachment_kept": won is not None},
            recipients=_partner_side(registration) + _vendor_side(registration),
            kind="dealreg_expired",
            params={"expires_on": registration.expires_on.isoformat(), "kept": won is not None,
                    **({"close_date": won.close_date.isoformat(), "revenue": _revenue_case(counts, won.product_line)}
                       if won is not None and won.close_date is not None else {})},
        )
    return registration


def _send_reminder(*, registration_id: int, today: datetime.date) -> bool:
    with transaction.atomic():
        registration = DealRegistration.objects.select_for_update(of=("self",)).select_related(
            "partner", "partner__pam", "submitted_by"
        ).get(pk=registration_id)
        # Re-checked under the lock: a second run (or a concurrent one) finds the reminder recorded.
        if (registration.status != rules.APPROVED or registration.expires_on is None
                or registration.reminder_sent_for == registration.expires_on):
            return False
        registration.reminder_sent_for = registration.expires_on
        registration.save(update_fields=["reminder_sent_for"])
        days = (registration.expires_on - today).days
        audit_record(
            actor=None, action=AuditAction.DEALREG_REMIND_EXPIRY, obj=registration, partner_id=registration.partner_id,
            after={"expires_on": registration.expires_on.isoformat()},
        )
        notify(
            recipients=_partner_side(registration), kind="dealreg_expiry_reminder",
            params={"reference": registration.reference, "customer": registration.customer_company, "days": days,
                    "expires_on": registration.expires_on.isoformat(), "may_extend": not registration.extension},
            url=_url(registration),
        )
    return True


def registrations_expire_and_remind(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily job: expire approvals past their expiry date, remind those within the reminder window.
    Safe to run twice: expired ones are no longer approved and a reminder is recorded per expiry date."""
    today = _today(today)
    expired = 0
    for registration in DealRegistration.objects.filter(status=rules.APPROVED, expires_on__lt=today).order_by("pk"):
        try:
            registration_expire(registration=registration, today=today)
        except ValidationError:
            continue  # decided or extended meanwhile
        expired += 1
    reminded = 0
    reminder_days = program_year_for(today).deal_reminder_days
    candidates = (
        DealRegistration.objects.filter(status=rules.APPROVED, expires_on__gte=today)
        .filter(Q(reminder_sent_for__isnull=True) | ~Q(reminder_sent_for=F("expires_on")))
        .values_list("pk", "expires_on")
    )
    for pk, expires_on in candidates:
        if expires_on is not None and rules.reminder_due(expires_on=expires_on, today=today, reminder_days=reminder_days):
            reminded += _send_reminder(registration_id=pk, today=today)
    return {"expired": expired, "reminded": reminded}


# --- sales-system imports ------------------------------------------------------------------------------

def opportunities_import(*, rows: Sequence[Row], actor: User | None, source: str) -> SalesImport:
    """Upsert opportunities by external id, all or nothing. ``rows`` are (line, dict) pairs.

    Raises ImportRejected (a ValidationError) listing every bad row; nothing is written then.
    Running the same rows twice changes nothing the second time.
    """
    cleaned = validate_opportunity_rows(rows)
    with transaction.atomic():
        batch = SalesImport.objects.create(kind=SalesImport.Kind.OPPORTUNITIES, source=source[:200],
                                           imported_by=actor if actor and actor.is_authenticated else None,
                                           rows=len(cleaned))
        existing = {o.external_id: o for o in Opportunity.objects.select_for_update().filter(
            external_id__in=[r["external_id"] for r in cleaned])}
        fields = ("account_name", "domain", "product_line", "arr_usd", "stage", "close_date")
        to_create, to_update = [], []
        now = timezone.now()
        for row in cleaned:
            current = existing.get(row["external_id"])
            if current is None:
                to_create.append(Opportunity(external_id=row["external_id"], **{f: row[f] for f in fields}))
            elif any(getattr(current, f) != row[f] for f in fields):
                for f in fields:
                    setattr(current, f, row[f])
                current.updated_at = now
                to_update.append(current)
        try:
            with transaction.atomic():
                Opportunity.objects.bulk_create(to_create)
        except IntegrityError:
            raise ImportRejected([(0, "external_id", _("Another import created some of these opportunities at the "
                                                        "same moment; run the import again."))])
        Opportunity.objects.bulk_update(to_update, [*fields, "updated_at"])
        by_external_id = {o.external_id: o for o in Opportunity.objects.filter(
            external_id__in=[r["external_id"] for r in cleaned])}
        attachments_changed = _import_attachments(cleaned, by_external_id)
        changed_ids = {o.external_id for o in to_update} | attachments_changed
        batch.created = len(to_create)
        batch.updated = len(changed_ids - {o.external_id for o in to_create})
        batch.unchanged = len(cleaned) - batch.created - batch.updated
        batch.save(update_fields=["created", "updated", "unchanged"])
        audit_record(actor=actor, action=AuditAction.IMPORT_OPPORTUNITIES, obj=batch,
                     after={"rows": batch.rows, "created": batch.created, "updated": batch.updated})
    return batch


def sales_import(*, kind: str, rows: Sequence[Row], actor: User | None, source: str) -> SalesImport:
    """One upload of the sales system, by its kind: opportunities or customer accounts."""
    if kind == SalesImport.Kind.OPPORTUNITIES:
        return opportunities_import(rows=rows, actor=actor, source=source)
    return customer_accounts_import(rows=rows, actor=actor, source=source)


def _import_attachments(cleaned: list[dict[str, Any]], by_external_id: dict[str, Opportunity]) -> set[str]:
    """The sales team's attachments (partner_domain + attached_on). An attachment made by an approved deal
    registration is left as it is: the sales system does not know about it."""
    wanted = {}
    for row in cleaned:
        if row["partner"] is not None:
            wanted[(by_external_id[row["external_id"]].pk, row["partner"].pk)] = (row["attached_on"], row["external_id"])
    if not wanted:
        return set()
    existing = {
        (a.opportunity_id, a.partner_id): a
        for a in OpportunityPartner.objects.select_for_update().filter(
            opportunity_id__in={k[0] for k in wanted}, partner_id__in={k[1] for k in wanted})
    }
    to_create, to_update, changed = [], [], set()
    for (opportunity_id, partner_id), (attached_on, external_id) in wanted.items():
        current = existing.get((opportunity_id, partner_id))
        if current is None:
            to_create.append(OpportunityPartner(opportunity_id=opportunity_id, partner_id=partner_id,
                                                attached_on=attached_on, source=OpportunityPartner.Source.SALES_TEAM))
            changed.add(external_id)
        elif current.source == OpportunityPartner.Source.SALES_TEAM and current.attached_on != attached_on:
            current.attached_on = attached_on
            to_update.append(current)
            changed.add(external_id)
    OpportunityPartner.objects.bulk_create(to_create)
    OpportunityPartner.objects.bulk_update(to_update, ["attached_on"])
    return changed


def customer_accounts_import(*, rows: Sequence[Row], actor: User | None, source: str) -> SalesImport:
    """Upsert known customer accounts by external id, all or nothing, like opportunities_import."""
    cleaned = validate_account_rows(rows)
    with transaction.atomic():
        batch = SalesImport.objects.create(kind=SalesImport.Kind.CUSTOMER_ACCOUNTS, source=source[:200],
                                           imported_by=actor if actor and actor.is_authenticated else None,
                                           rows=len(cleaned))
        existing = {a.external_id: a for a in CustomerAccount.objects.select_for_update().filter(
            external_id__in=[r["external_id"] for r in cleaned])}
        to_create, to_update = [], []
        for row in cleaned:
            current = existing.get(row["external_id"])
            if current is None:
                to_create.append(CustomerAccount(**row))
            elif (current.name, current.domain) != (row["name"], row["domain"]):
                current.name, current.domain = row["name"], row["domain"]
                to_update.append(current)
        try:
            with transaction.atomic():
                CustomerAccount.objects.bulk_create(to_create)
        except IntegrityError:
            raise ImportRejected([(0, "external_id", _("Another import created some of these accounts at the same "
                                                        "moment; run the import again."))])
        CustomerAccount.objects.bulk_update(to_update, ["name", "domain"])
        batch.created, batch.updated = len(to_create), len(to_update)
        batch.unchanged = len(cleaned) - batch.created - batch.updated
        batch.save(update_fields=["created", "updated", "unchanged"])
        audit_record(actor=actor, action=AuditAction.IMPORT_CUSTOMER_ACCOUNTS, obj=batch,
                     after={"rows": batch.rows, "created": batch.created, "updated": batch.updated})
    return batch
