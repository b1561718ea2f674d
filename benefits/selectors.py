"""Reads of the benefits app. Each selector runs a fixed number of queries, whatever the data size."""

import datetime
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from partners.models import AgreementAcceptance, Completion, Course, Partner, ShowcaseListing
from program.models import ProgramYear
from program.selectors import program_year_for  # noqa: F401 - re-exported: the benefits views read it here

from . import rules
from .models import Benefit, BenefitInvitation, DirectoryLead, TierBenefit


def active_invitation(*, partner: Partner, benefit_code: str, program_year: ProgramYear) -> BenefitInvitation | None:
    """The partner's active invitation to a benefit of the program year, or None."""
    return (
        BenefitInvitation.objects.filter(
            partner=partner, benefit__code=benefit_code, benefit__program_year=program_year, withdrawn_at__isnull=True
        )
        .select_related("invited_by", "benefit")
        .first()
    )


def program_years() -> QuerySet[ProgramYear]:
    """Every program year with its tiers, for the program years page (2 queries)."""
    return ProgramYear.objects.prefetch_related("tiers")


def benefit_cells(*, program_year: ProgramYear, benefit_code: str) -> list[tuple[str, str]]:
    """(tier, availability) of each cell of one benefit of the year (1 query)."""
    return list(TierBenefit.objects.filter(benefit__program_year=program_year, benefit__code=benefit_code)
                .values_list("tier", "availability"))


def benefits_of_year(program_year: ProgramYear) -> list[Benefit]:
    """The year's benefits with their tier cells (2 queries)."""
    return list(
        Benefit.objects.filter(program_year=program_year)
        .prefetch_related(Prefetch("cells", queryset=TierBenefit.objects.order_by("pk")))
        .order_by("position", "pk")
    )


def benefit_facts(benefit: Benefit) -> rules.BenefitFacts:
    return rules.BenefitFacts(
        code=benefit.code, name=benefit.name, gate=benefit.gate, quantity_note=benefit.quantity_note,
        glossary=benefit.glossary,
        cells=tuple(rules.Cell(c.tier, c.availability, c.quantity) for c in benefit.cells.all()),
    )


def invitation_facts(invitation: BenefitInvitation) -> rules.InvitationFacts:
    by = invitation.invited_by
    return rules.InvitationFacts(
        benefit_code=invitation.benefit.code, invited_by=by.full_name or by.email, invited_at=invitation.invited_at,
        region=invitation.region, reason=invitation.reason, invitation_id=invitation.pk,
    )


def partner_facts(partner: Partner, program_year: ProgramYear, *, as_of: datetime.date) -> rules.PartnerFacts:
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
        has_pam=partner.pam_id is not None,
    )


@dataclass(frozen=True)
class BenefitOverview:
    program_year: ProgramYear | None
    partner_facts: rules.PartnerFacts | None
    statuses: list  # of (Benefit, rules.BenefitStatus)


def benefit_overview(partner: Partner, *, as_of: datetime.date | None = None, program_year: ProgramYear | None = None,
                     for_staff: bool = False) -> BenefitOverview:
    """Every benefit of the partner's program year and its status for the partner (at most 7 queries:
    program year 1-2, benefits + cells 2, invitations 1, agreements 1, certification 1). A caller that
    has looked up program_year_for(as_of) already (the tier page) passes it as ``program_year``."""
    as_of = as_of or timezone.localdate()
    year = program_year or program_year_for(as_of)
    benefits = benefits_of_year(year)
    facts = partner_facts(partner, year, as_of=as_of)
    statuses = [(b, rules.benefit_status(benefit_facts(b), facts, for_staff=for_staff)) for b in benefits]
    return BenefitOverview(year, facts, statuses)


def benefit_status_for(partner: Partner, *, benefit_code: str,
                       as_of: datetime.date | None = None) -> rules.BenefitStatus | None:
    """One benefit's status for a partner, e.g. for funding's eligibility check of POC/MDF
    (rules.Status.AVAILABLE means the partner may use it). None when the year has no such benefit."""
    as_of = as_of or timezone.localdate()
    year = program_year_for(as_of)
    benefit = Benefit.objects.filter(program_year=year, code=benefit_code).prefetch_related("cells").first()
    if benefit is None:
        return None
    return rules.benefit_status(benefit_facts(benefit), partner_facts(partner, year, as_of=as_of))


# Invitations -------------------------------------------------------------------------------------


def invitable_benefits(partner: Partner, program_year: ProgramYear) -> list[Benefit]:
    """Benefits of the year whose cell at the partner's tier is invite-only (2 queries)."""
    return [b for b in benefits_of_year(program_year) if rules.may_invite(benefit_facts(b), partner.tier)]


def partner_invitations(partner: Partner, program_year: ProgramYear) -> list[BenefitInvitation]:
    """All invitations of the partner in the year, active first, with who invited and withdrew (1 query)."""
    return list(
        BenefitInvitation.objects.filter(partner=partner, benefit__program_year=program_year)
        .select_related("benefit", "invited_by", "withdrawn_by")
        .order_by("withdrawn_at", "-invited_at")
    )


def invitation_rows(invitations_qs: QuerySet[BenefitInvitation]) -> list[tuple[BenefitInvitation, bool]]:
    """Invitations with the partner, benefit and its cells, and whether the invitation counts at the
    partner's *current* tier (a partner that moved down keeps it only where the cell is still
    invite-only). 3 queries for any number of rows."""
    rows = list(
        invitations_qs.select_related("partner", "benefit", "invited_by", "withdrawn_by")
        .prefetch_related("benefit__cells")
    )
    return [(inv, inv.is_active and rules.may_invite(benefit_facts(inv.benefit), inv.partner.tier)) for inv in rows]


# Public showcase directory ---------------------------------------------------------------------------

# Highest tier first ("sorted by tier then name"); the directory lists Bronze and above only.
TIER_ORDERING = Case(
    *[When(partner__tier=tier, then=Value(position)) for position, tier in enumerate(reversed(rules.PUBLIC_TIERS))],
    default=Value(99), output_field=IntegerField(),
)


def published_listings() -> QuerySet[ShowcaseListing]:
    """Listings the public may see: partner active, Bronze or above, every field filled in."""
    complete = Q()
    for name, _ in rules.LISTING_FIELDS:
        complete &= ~Q(**{name: ""})
    return ShowcaseListing.objects.filter(
        complete, partner__is_active=True, partner__tier__in=rules.PUBLIC_TIERS
    )


def _code_filter(field_name: str, code: str) -> Q:
    # Codes are stored comma-separated; match one whole code.
    return Q(**{f"{field_name}__iregex": rf"(^|,){re.escape(code)}(,|$)"})


def _text_in_name(text: str) -> Q:
    return Q(partner__name__icontains=text)


def _text_in_listing(text: str) -> Q:
    return Q(description__icontains=text) | Q(services__icontains=text)


def _filtered_listings(*, country: str = "", product: str = "", industry: str = "",
                       tier: str = "") -> QuerySet[ShowcaseListing]:
    listings = published_listings()
    if country:
        listings = listings.filter(_code_filter("countries_served", country.upper()))
    if product:
        listings = listings.filter(_code_filter("products", product))
    if industry:
        listings = listings.filter(_code_filter("industries", industry))
    if tier:
        listings = listings.filter(partner__tier=tier)
    return listings


DIRECTORY_ORDER = ("tier_order", "partner__name", "partner_id")


def _in_directory_order(listings: QuerySet[ShowcaseListing]) -> QuerySet[ShowcaseListing]:
    return (
        listings.select_related("partner")
        .only(*[f for f in ("description", "services", "industries", "countries_served", "products", "logo",
                            "website", "contact_email", "updated_at")],
              "partner__name", "partner__tier", "partner__tier_since", "partner__country")
        .annotate(tier_order=TIER_ORDERING)
        .order_by(*DIRECTORY_ORDER)
    )


def directory_search(*, text: str = "", country: str = "", product: str = "", industry: str = "",
                     tier: str = "") -> QuerySet[ShowcaseListing]:
    """The public directory: published listings matching the filters, highest tier first, then by name.
    The text matches the partner's name, the listing's description or its services."""
    listings = _filtered_listings(country=country, product=product, industry=industry, tier=tier)
    text = text.strip()
    if text:
        listings = listings.filter(_text_in_name(text) | _text_in_listing(text))
    return _in_directory_order(listings)


def directory_slice(*, offset: int, limit: int, text: str = "", **filters: str) -> QuerySet[ShowcaseListing]:
    """Rows offset..offset+limit of directory_search, as one query.

    On PostgreSQL a text search is a UNION of two ordered, limited branches: the name (on
    partners_partner) and the description / services (on partners_showcaselisting) live in two
    tables, and one OR across both can use no index, so PostgreSQL used to walk the whole ordering
    index (about 2 s at 100,000 partners for a word nobody uses) or scan and sort every listing.
    Split, each branch's text is on one table, so the planner picks per branch from its own
    estimate: the trigram GIN indexes of migration 0007 when the text is rare (a few hundred matches
    to sort), or the walk of the ordering index (0006) that stops after the page when it is common.
    UNION (not UNION ALL) drops a listing that both branches found."""
    text = text.strip()
    end = offset + limit
    if not text or connection.vendor != "postgresql":
        # SQLite (`make run`) cannot order and limit inside a UNION; its few rows need no index.
        return directory_search(text=text, **filters)[offset:end]
    listings = _filtered_listings(**filters)
    by_name = _in_directory_order(listings.filter(_text_in_name(text)))[:end]
    by_listing = _in_directory_order(listings.filter(_text_in_listing(text)))[:end]
    return by_name.union(by_listing).order_by(*DIRECTORY_ORDER)[offset:end]


@dataclass(frozen=True)
class DirectoryPage:
    number: int
    entries: list
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def first_index(self) -> int:
        return (self.number - 1) * DIRECTORY_PAGE_SIZE + 1 if self.entries else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * DIRECTORY_PAGE_SIZE + len(self.entries)


DIRECTORY_PAGE_SIZE = 20
DIRECTORY_MAX_PAGE = 500  # 10,000 results; past that, a narrower search is the better answer


def directory_page(*, page: int | str = 1, **filters: str) -> DirectoryPage:
    """One page of the directory in ONE query, whatever the number of partners.

    No total count: counting every match is a scan of all listings (about a second at 100,000
    partners), while a page is a walk of the ordering index benefits_directory_order (see
    migration 0006) that stops after the page, or for a rare text the few trigram matches sorted
    (migration 0007, directory_slice). We fetch one row more to know if there is a next page."""
    page = min(max(int(page), 1), DIRECTORY_MAX_PAGE)
    offset = (page - 1) * DIRECTORY_PAGE_SIZE
    rows = list(directory_slice(offset=offset, limit=DIRECTORY_PAGE_SIZE + 1, **filters))
    return DirectoryPage(number=page, entries=rows[:DIRECTORY_PAGE_SIZE], has_next=len(rows) > DIRECTORY_PAGE_SIZE)


def listing_of(partner: Partner) -> ShowcaseListing | None:
    """The partner's own listing (draft or published), or None."""
    return ShowcaseListing.objects.filter(partner=partner).first()


def listing_state(partner: Partner, listing: ShowcaseListing | None) -> tuple[list[str], list[str]]:
    """What the listing lacks and why it is not published (both empty: it is in the directory)."""
    values = {name: getattr(listing, name) for name, _ in rules.LISTING_FIELDS} if listing else {}
    if listing is not None:
        values["logo"] = listing.logo.name
    missing = rules.listing_missing(values)
    return missing, rules.publication_blockers(tier=partner.tier, is_active=partner.is_active, missing=missing)


def published_listing(partner_id: int) -> ShowcaseListing | None:
    """One published listing by its partner's id, or None (unpublished and absent look the same)."""
    return published_listings().select_related("partner").filter(partner_id=partner_id).first()


def badge_partner(token: str | None) -> Partner | None:
    """The partner a badge token belongs to, or None. Only the token finds it: ids are never accepted."""
    if not token or len(token) > 64:
        return None
    return Partner.objects.filter(badge_token=token).first()


def leads_of(partner: Partner) -> QuerySet[DirectoryLead]:
    """The partner's directory leads, newest first."""
    return DirectoryLead.objects.filter(partner=partner).order_by("-created_at", "-pk")
