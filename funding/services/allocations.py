"""MDF allocations (program admins): one partner's allocation, a tier's default for the year, and the
defaults a copied program year starts with."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from activity.actions import AuditAction
from activity.services import audit_record, notify
from core.formatting import money
from partners import selectors as partner_selectors
from partners.models import Partner, User
from program.models import ProgramYear

from .. import ledger
from ..access import require_allocation_admin
from ..models import LedgerEntry, MdfAllocation, MdfTierDefault, Program
from ._common import _lock_allocation, _money


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


# ---------------------------------------------------------------- allocations (program admin)


def allocation_set(*, partner: Partner, program_year: ProgramYear, amount: Decimal | str, admin: User,
                   reason: str = "") -> MdfAllocation:
    """Set one partner's MDF allocation for the year (it then no longer follows the tier default)."""
    require_allocation_admin(admin)
    amount = _money(amount, "amount", allow_zero=True)
    with transaction.atomic():
        allocation = _lock_allocation(partner=partner, program_year=program_year, actor=admin)
        if amount < allocation.committed:
            raise ValidationError({"amount": _(
                "%(committed)s of %(partner)s's allocation is already approved; "
                "the allocation cannot be lower than that.") % {"committed": money(allocation.committed), "partner": partner}})
        before = {"amount": str(allocation.amount), "is_custom": allocation.is_custom}
        delta = amount - allocation.amount
        allocation.amount, allocation.is_custom = amount, True
        allocation.save(update_fields=["amount", "is_custom", "updated_at"])
        if delta:
            LedgerEntry.objects.create(partner=partner, program_year=program_year, program=Program.MDF,
                                       kind=LedgerEntry.Kind.ALLOCATION, amount=delta, actor=admin,
                                       note=reason[:300])  # the kind says what happened; the admin's note why
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
    require_allocation_admin(admin)
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
                                           params=ledger.tier_default_changed(tier)))
        LedgerEntry.objects.bulk_create(entries)
        audit_record(actor=admin, action=AuditAction.TIER_DEFAULT_SET, obj=default, before={"amount": before},
                     after={"amount": str(amount), "allocations_changed": len(entries)}, reason=reason)
    return default
