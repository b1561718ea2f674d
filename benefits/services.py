"""Writes of the benefits app: copying a program year with its benefits, invitations and the showcase
listing. Each runs in one transaction with its audit entry and notifications (activity.services)."""

import datetime
import io
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from modeltranslation.utils import get_translation_fields
from PIL import Image, UnidentifiedImageError

from activity.actions import AuditAction
from activity.services import audit_record, notify
from partners import selectors as partner_selectors
from partners import services as partner_services
from partners.models import Partner, ShowcaseListing, User
from program import copying
from program.models import ProgramYear
from tiers import services as tier_services

from . import rules, selectors
from .models import Benefit, BenefitInvitation, DirectoryLead, TierBenefit

MAX_REASON = 2000
MAX_REGION = 100


def _partner_users(partner: Partner) -> list[User]:
    return list(partner_selectors.partner_users(partner))


# Program years -----------------------------------------------------------------------------------

# Each text in every language too (django-modeltranslation's columns): the new year reads as the old one did.
BENEFIT_FIELDS = ("code", "name", "glossary", "gate", "quantity_note", "position",
                  *get_translation_fields("name", "glossary", "quantity_note"))
CELL_FIELDS = ("tier", "availability", "quantity")


def program_year_copy_with_benefits(*, source: ProgramYear, year: int, user: User | None) -> ProgramYear:
    """Copy a program year to a new calendar year: its settings and tier requirements
    (tiers.services.program_year_copy) and its benefits table, every Benefit and every TierBenefit
    cell, so the new year offers what the source offered until a program admin edits it.

    Invitations are not copied: a PAM gives them to a partner for one program year (issue #7).
    All or nothing, in one transaction. The tiers app cannot do this itself: benefits sit above it
    and tiers never imports them, which is why every way of copying a year calls this function."""
    try:
        with transaction.atomic():
            new = tier_services.program_year_copy(source=source, year=year, user=user)
            benefits = list(Benefit.objects.filter(program_year=source).prefetch_related("cells")
                            .order_by("position", "pk"))
            copies = Benefit.objects.bulk_create([
                Benefit(program_year=new, **{f: getattr(b, f) for f in BENEFIT_FIELDS}) for b in benefits
            ])
            cells = TierBenefit.objects.bulk_create([
                TierBenefit(benefit=copy, **{f: getattr(cell, f) for f in CELL_FIELDS})
                for benefit, copy in zip(benefits, copies, strict=True) for cell in benefit.cells.all()
            ])
            audit_record(actor=user, action=AuditAction.BENEFITS_PROGRAM_YEAR_COPY, obj=new, before={"from": source.year},
                         after={"year": new.year, "benefits": len(copies), "cells": len(cells)})
            copying.copy_year_rows(source=source, new=new, user=user)
    except IntegrityError as exc:
        # Two program admins copying to the same year at once: the second meets the unique year.
        raise ValidationError({"year": _("The %(year)s program year already exists; edit it instead.") % {"year": year}}) from exc
    return new


def invitation_create(*, actor: User, partner: Partner, benefit_code: str, reason: str, region: str = "",
                      as_of: datetime.date | None = None) -> BenefitInvitation:
    """Invite ``partner`` to an invite-only benefit of the current program year.

    Allowed only where the partner's tier has an invite-only cell for the benefit (guide p.6) and the
    partner has no active invitation to it. The partner row is locked so two staff inviting at
    once make one invitation (the partial unique constraint is the last line of defence)."""
    as_of = as_of or timezone.localdate()
    reason, region = (reason or "").strip(), (region or "").strip()
    errors = {}
    if len(reason) > MAX_REASON:
        errors["reason"] = _("Keep the reason under %(n)s characters.") % {"n": MAX_REASON}
    if len(region) > MAX_REGION:
        errors["region"] = _("Keep the region under %(n)s characters.") % {"n": MAX_REGION}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        year = selectors.program_year_for(as_of)
        benefit = (
            Benefit.objects.filter(program_year=year, code=benefit_code).prefetch_related("cells").first()
            if year else None
        )
        if benefit is None:
            raise ValidationError({"benefit": _("No such benefit in the current program year.")})
        already = BenefitInvitation.objects.filter(benefit=benefit, partner=partner, withdrawn_at__isnull=True).exists()
        problems = rules.invitation_problems(
            selectors.benefit_facts(benefit), tier=partner.tier, region=region, reason=reason, already_invited=already
        )
        if problems:
            raise ValidationError(problems)
        try:
            with transaction.atomic():
                invitation = BenefitInvitation.objects.create(
                    benefit=benefit, partner=partner, invited_by=actor, reason=reason, region=region
                )
        except IntegrityError as exc:
            raise ValidationError({"benefit": _("The partner already has an active invitation to this benefit.")}) from exc
        if benefit.gate == rules.GATE_RESELL_ADDENDUM:
            # The resell program: the invitation lets the partner accept the resell addendum (partners app).
            partner_services.resell_invitation_set(partner=partner, invited=True, actor=actor, reason=reason)
        audit_record(
            actor=actor, action=AuditAction.BENEFIT_INVITE, obj=invitation, partner_id=partner.pk, reason=reason,
            after={"benefit": benefit.code, "program_year": year.year, "region": region, "tier": partner.tier},
        )
        notify(
            recipients=_partner_users(partner), kind="benefits_invited",
            params={"actor": actor.full_name or actor.email, "partner": partner.name, "benefit": benefit.name,
                    "region": region or "", "program_year": year.name, "reason": reason},
            url=reverse("benefits:benefits"),
        )
    return invitation


def invitation_withdraw(*, actor: User, invitation: BenefitInvitation, reason: str) -> BenefitInvitation:
    """Withdraw an active invitation, with a reason. The row stays as history."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("Keep the reason under %(n)s characters.") % {"n": MAX_REASON}})
    with transaction.atomic():
        invitation = (
            BenefitInvitation.objects.select_for_update().select_related("benefit", "partner").get(pk=invitation.pk)
        )
        if invitation.withdrawn_at is not None:
            raise ValidationError({"non_field_errors": _("This invitation was already withdrawn.")})
        invitation.withdrawn_at = timezone.now()
        invitation.withdrawn_by = actor
        invitation.withdraw_reason = reason
        invitation.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
        if invitation.benefit.gate == rules.GATE_RESELL_ADDENDUM:
            # Withdrawing the resell invitation ends the partner's resell type (another year's active invitation
            # to the resell program keeps it).
            still_invited = BenefitInvitation.objects.filter(
                partner=invitation.partner, benefit__gate=rules.GATE_RESELL_ADDENDUM, withdrawn_at__isnull=True
            ).exists()
            if not still_invited:
                partner_services.resell_invitation_set(partner=invitation.partner, invited=False, actor=actor,
                                                       reason=reason)
        audit_record(
            actor=actor, action=AuditAction.BENEFIT_INVITATION_WITHDRAW, obj=invitation, partner_id=invitation.partner_id,
            reason=reason, before={"active": True}, after={"active": False, "benefit": invitation.benefit.code},
        )
        notify(
            recipients=_partner_users(invitation.partner),
            kind="benefits_invitation_withdrawn",
            params={"actor": actor.full_name or actor.email, "partner": invitation.partner.name,
                    "benefit": invitation.benefit.name, "reason": reason},
            url=reverse("benefits:benefits"),
        )
    return invitation


# Showcase listing ---------------------------------------------------------------------------------

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4096 * 4096
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}


def validate_logo(upload: UploadedFile) -> tuple[str, bytes]:
    """Check a logo by its content, not its name: size-limited, and Pillow must read and verify it
    as PNG or JPEG. Returns the file extension to store it under."""
    if (upload.size or 0) > LOGO_MAX_BYTES:
        raise ValidationError({"logo": _("The logo must be at most %(size)s KB.") % {"size": LOGO_MAX_BYTES // 1024}})
    upload.seek(0)
    content = upload.read(LOGO_MAX_BYTES + 1)
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(content)) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
        if image_format in LOGO_FORMATS and width * height <= LOGO_MAX_PIXELS:
            # verify() does not decode the pixels; load() does, and catches truncated files.
            with Image.open(io.BytesIO(content)) as image:
                image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError({"logo": _("The logo is not a readable PNG or JPEG image.")}) from exc
    if image_format not in LOGO_FORMATS:
        raise ValidationError({"logo": _("The logo must be a PNG or JPEG image.")})
    if width * height > LOGO_MAX_PIXELS:
        raise ValidationError({"logo": _("The logo is too large: at most 4096 × 4096 pixels.")})
    return LOGO_FORMATS[image_format], content


LISTING_TEXT_FIELDS = ("description", "services", "industries", "countries_served", "products", "website",
                       "contact_email")


def listing_save(*, actor: User, partner: Partner, values: dict[str, Any], logo: UploadedFile | None = None,
                 remove_logo: bool = False) -> ShowcaseListing:
    """Create or update the partner's showcase listing draft. ``values`` holds only the fields to change
    (validated for shape by the form or serializer); ``logo`` is an uploaded file, checked here."""
    unknown = set(values) - set(LISTING_TEXT_FIELDS)
    if unknown:
        raise ValidationError({"non_field_errors": _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}})
    logo_content = validate_logo(logo) if logo is not None else None
    old_logo_name = None
    with transaction.atomic():
        listing, _created = ShowcaseListing.objects.select_for_update().get_or_create(partner=partner)
        before = {name: getattr(listing, name) for name in LISTING_TEXT_FIELDS} | {"logo": listing.logo.name}
        for name, value in values.items():
            setattr(listing, name, value)
        if logo_content is not None or remove_logo:
            old_logo_name = listing.logo.name or None
            listing.logo = ""
        if logo_content is not None:
            extension, content = logo_content
            # A random name: the stored path says nothing about the partner and never collides.
            listing.logo.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
        listing.save()
        after = {name: getattr(listing, name) for name in LISTING_TEXT_FIELDS} | {"logo": listing.logo.name}
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        audit_record(actor=actor, action=AuditAction.SHOWCASE_SAVE, obj=listing, partner_id=partner.pk,
                     before={k: before[k] for k in changed}, after=changed)
        if old_logo_name:
            transaction.on_commit(lambda: default_storage.delete(old_logo_name))
    return listing


# Directory leads ----------------------------------------------------------------------------------

LEAD_FIELDS = ("name", "email", "company", "country", "message")


def lead_create(*, listing: ShowcaseListing, name: str, email: str, message: str, company: str = "",
                country: str = "") -> DirectoryLead:
    """Record a visitor's message to the partner of a published listing and tell the partner's admins
    (their addresses stay private: the email comes from the portal and names the visitor to reply to).
    The form or serializer checked the shape; the caller checked the visitor's rate limit."""
    partner = listing.partner
    with transaction.atomic():
        lead = DirectoryLead.objects.create(
            partner=partner, name=name.strip(), email=email.strip(), company=(company or "").strip(),
            country=(country or "").strip().upper(), message=message.strip(),
        )
        notify(
            recipients=partner_selectors.partner_admins(partner), kind="benefits_directory_lead",
            params={"partner": partner.name, "name": lead.name, "email": lead.email, "company": lead.company,
                    "country": lead.country, "message": lead.message},
            url=reverse("benefits:leads"),
        )
    return lead
