"""Reads of the benefits app. Each selector runs a fixed number of queries, whatever the data size."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from partners.models import AgreementAcceptance, Completion, Course
from tiers.models import ProgramYear

from . import rules
from .models import Benefit, BenefitInvitation, TierBenefit


def active_invitation(*, partner, benefit_code, program_year):
    """The partner's active invitation to a benefit of the program year, or None."""
    return (
        BenefitInvitation.objects.filter(
            partner=partner, benefit__code=benefit_code, benefit__program_year=program_year, withdrawn_at__isnull=True
        )
        .select_related("invited_by", "benefit")
        .first()
    )


def benefits_of_year(program_year):
    """The year's benefits with their tier cells (2 queries)."""
    return list(
        Benefit.objects.filter(program_year=program_year)
        .prefetch_related(Prefetch("cells", queryset=TierBenefit.objects.order_by("pk")))
        .order_by("position", "pk")
    )


def benefit_facts(benefit):
    return rules.BenefitFacts(
        code=benefit.code, name=benefit.name, gate=benefit.gate, quantity_note=benefit.quantity_note,
        glossary=benefit.glossary,
        cells=tuple(rules.Cell(c.tier, c.availability, c.quantity) for c in benefit.cells.all()),
    )


def invitation_facts(invitation):
    by = invitation.invited_by
    return rules.InvitationFacts(
        benefit_code=invitation.benefit.code, invited_by=by.full_name or by.email, invited_at=invitation.invited_at,
        region=invitation.region, reason=invitation.reason, invitation_id=invitation.pk,
    )


def partner_facts(partner, program_year, *, as_of):
    """The partner's tier, active invitations of the year, accepted agreement kinds and Segment
    certification (3 queries)."""
    invitations = (
        BenefitInvitation.objects.filter(partner=partner, benefit__program_year=program_year,
                                         withdrawn_at__isnull=True)
        .select_related("invited_by", "benefit")
    )
    # Any accepted version of an agreement kind counts, as for the partner agreement
    # (partners.selectors.has_accepted_partner_agreement).
    kinds = AgreementAcceptance.objects.filter(partner=partner).values_list("agreement__kind", flat=True).distinct()
    segment_certified = Completion.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=as_of),
        person__partner=partner, course=Course.SEGMENT_SALES, completed_on__lte=as_of,
    ).exists()
    return rules.PartnerFacts(
        tier=partner.tier,
        invitations={inv.benefit.code: invitation_facts(inv) for inv in invitations},
        agreement_kinds=frozenset(kinds),
        segment_certified=segment_certified,
    )


@dataclass(frozen=True)
class BenefitOverview:
    program_year: ProgramYear | None
    partner_facts: rules.PartnerFacts | None
    statuses: list  # of (Benefit, rules.BenefitStatus)


def benefit_overview(partner, *, as_of=None):
    """Every benefit of the partner's program year and its status for the partner (at most 7 queries:
    program year 1-2, benefits + cells 2, invitations 1, agreements 1, certification 1)."""
    as_of = as_of or timezone.localdate()
    year = ProgramYear.for_date(as_of)
    if year is None:
        return BenefitOverview(None, None, [])
    benefits = benefits_of_year(year)
    facts = partner_facts(partner, year, as_of=as_of)
    return BenefitOverview(year, facts, [(b, rules.benefit_status(benefit_facts(b), facts)) for b in benefits])


def benefit_status_for(partner, *, benefit_code, as_of=None):
    """One benefit's status for a partner, e.g. for funding's eligibility check of POC/MDF
    (rules.Status.AVAILABLE means the partner may use it). None when the year has no such benefit."""
    as_of = as_of or timezone.localdate()
    year = ProgramYear.for_date(as_of)
    benefit = (
        Benefit.objects.filter(program_year=year, code=benefit_code).prefetch_related("cells").first()
        if year else None
    )
    if benefit is None:
        return None
    return rules.benefit_status(benefit_facts(benefit), partner_facts(partner, year, as_of=as_of))
