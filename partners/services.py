"""Writes of the partners app. Each runs in one transaction with its audit entry and notifications."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from activity.services import audit_record, notify

from .domains import is_valid_domain, normalise_domain
from .models import Agreement, AgreementAcceptance, Partner, PartnerRole, TierLevel, User


def agreement_accept(*, partner, agreement, user, ip_address=None):
    """Record the acceptance of one agreement version. The partner agreement makes the partner Registered."""
    if user.partner_id != partner.pk or not user.is_partner_admin:
        raise ValidationError("Only a partner admin of this company may accept its agreements.")
    if not agreement.is_current:
        raise ValidationError("This version of the agreement is no longer current.")
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        acceptance, created = AgreementAcceptance.objects.get_or_create(
            agreement=agreement, partner=partner, defaults={"accepted_by": user, "ip_address": ip_address}
        )
        if not created:
            return acceptance
        audit_record(
            actor=user, action="partners.agreement_accept", obj=acceptance, partner_id=partner.pk,
            after={"agreement": agreement.kind, "version": agreement.version, "ip": ip_address},
        )
        if agreement.kind == Agreement.Kind.PARTNER and not partner.tier:
            partner.tier = TierLevel.REGISTERED
            partner.tier_since = timezone.localdate()
            partner.save(update_fields=["tier", "tier_since"])
            audit_record(
                actor=user, action="tiers.tier_change", obj=partner, partner_id=partner.pk,
                before={"tier": ""}, after={"tier": TierLevel.REGISTERED},
                reason="Partner agreement accepted: every partner starts at Registered.",
            )
            notify(
                recipients=list(partner.users.all()),
                subject=f"{partner.name} is now a Registered partner",
                body="Your company accepted the partner agreement and is now at the Registered tier.",
                url="/partner/",
            )
        return acceptance


def partner_apply(*, company_name, website, country, email, full_name, password):
    """A prospective partner applies: the company is created and its first user is its partner admin."""
    domain = normalise_domain(website)
    errors = {}
    if not is_valid_domain(domain):
        errors["website"] = "Enter your company's website, e.g. https://example.com."
    elif Partner.objects.filter(domain=domain).exists():
        errors["website"] = "A partner with this website is already enrolled; ask its partner admin to invite you."
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = "An account with this email address already exists."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            partner = Partner.objects.create(
                name=company_name, website=website, domain=domain, country=country.upper(),
                partner_type=Partner.PartnerType.SI,
            )
            user = User.objects.create_user(
                email=email, password=password, full_name=full_name, partner=partner, partner_role=PartnerRole.ADMIN
            )
            audit_record(actor=user, action="partners.apply", obj=partner, partner_id=partner.pk,
                         after={"name": partner.name, "domain": domain, "country": partner.country})
    except IntegrityError:
        raise ValidationError({"website": "A partner with this website or user with this email already exists."})
    return partner, user
