"""Reads of the dealreg app: lists, the review queue and conflict flags, in a fixed number of queries."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from program.selectors import program_year_for

from . import rules
from .models import (
    CustomerAccount,
    DealRegistration,
    DealRegistrationEvent,
    DealRegistrationLimits,
    ExcludedCustomerDomain,
    Opportunity,
    OpportunityPartner,
    SalesImport,
)


def with_conflicts(queryset: QuerySet[DealRegistration]) -> QuerySet[DealRegistration]:
    """Annotate the conflict flags (DESIGN.md §3) as subqueries: no query per row."""
    return queryset.annotate(
        conflict_other_partner=Exists(
            DealRegistration.objects.filter(domain=OuterRef("domain"), status__in=rules.ACTIVE_STATUSES).exclude(
                partner_id=OuterRef("partner_id")
            )
        ),
        conflict_existing_customer=Exists(CustomerAccount.objects.filter(domain=OuterRef("domain"))),
        # The registration's own opportunity (attached when it was approved) is the deal itself, not a
        # conflict. Coalesce: with no opportunity yet, "id <> NULL" would hide every opportunity; ids are > 0.
        conflict_opportunity=Exists(
            Opportunity.objects.filter(domain=OuterRef("domain")).exclude(
                pk=Coalesce(OuterRef("opportunity_id"), Value(0))
            )
        ),
        # Another partner already on the registration's opportunity (a claimed missing sourced opportunity,
        # or the one an approval attached): the PAM decides whether both sourced it.
        conflict_other_partner_attached=Exists(
            OpportunityPartner.objects.filter(opportunity_id=OuterRef("opportunity_id")).exclude(
                partner_id=OuterRef("partner_id")
            )
        ),
    )


# The flags with_conflicts annotates, by the names rules.Conflicts gives them.
CONFLICT_FLAGS = {"conflict_other_partner": "other_partner", "conflict_existing_customer": "existing_customer",
                  "conflict_opportunity": "opportunity", "conflict_other_partner_attached": "other_partner_attached"}


def registration_conflicts(registration: DealRegistration) -> rules.Conflicts:
    row = with_conflicts(DealRegistration.objects.filter(pk=registration.pk)).values(*CONFLICT_FLAGS).get()
    return rules.Conflicts(**{name: row[flag] for flag, name in CONFLICT_FLAGS.items()})


def conflict_details(registration: DealRegistration, *, visible: QuerySet[DealRegistration],
                     limit: int = 10) -> dict[str, list[Any]]:
    """What the conflict flags are about, by name: other partners' open or approved registrations for the
    domain (``visible``: the registrations the reader may open), the known customer accounts and the
    sales system's opportunities. Three queries, at most ``limit`` rows each."""
    others = list(
        DealRegistration.objects.filter(domain=registration.domain, status__in=rules.ACTIVE_STATUSES)
        .exclude(partner_id=registration.partner_id).select_related("partner").order_by("created_at", "pk")[:limit])
    openable = set(visible.filter(pk__in=[o.pk for o in others]).values_list("pk", flat=True)) if others else set()
    for other in others:
        other.may_open = other.pk in openable  # type: ignore[attr-defined]  # for the page
    accounts = list(CustomerAccount.objects.filter(domain=registration.domain).order_by("name", "pk")[:limit])
    opportunities = list(
        Opportunity.objects.filter(domain=registration.domain).exclude(pk=registration.opportunity_id or 0)
        .order_by("-close_date", "pk")[:limit])
    return {"registrations": others, "accounts": accounts, "opportunities": opportunities}


def review_details(registration: DealRegistration, *, visible: QuerySet[DealRegistration]) -> dict[str, Any]:
    """What staff see beside a registration: the conflict flags, what they are about, and the partner's
    other registrations for the domain."""
    return {
        "conflicts": registration_conflicts(registration),
        "conflict_details": conflict_details(registration, visible=visible),
        "same_partner_others": attach_same_partner_registrations([registration])[0].same_partner_others,  # type: ignore[attr-defined]
    }


def search(queryset: QuerySet[DealRegistration], *, status: str = "", q: str = "") -> QuerySet[DealRegistration]:
    if status:
        queryset = queryset.filter(status=status)
    q = (q or "").strip()
    if q:
        reference = q.upper().removeprefix("DR-")
        match = Q(customer_company__icontains=q) | Q(domain__icontains=q) | Q(contact_name__icontains=q)
        if reference.isdigit():
            match |= Q(pk=int(reference))
        queryset = queryset.filter(match)
    return queryset


def review_state(registrations: Iterable[DealRegistration], *, today: datetime.date | None = None
                 ) -> Iterable[DealRegistration]:
    """Set ``business_days_waiting`` and ``is_overdue`` on open registrations (review service level)."""
    today = today or timezone.localdate()
    allowed = program_year_for(today).deal_review_business_days
    for r in registrations:
        waiting = timezone.localdate(r.waiting_since)
        r.business_days_waiting = rules.business_days_between(waiting, today)  # type: ignore[attr-defined]  # for the page
        r.is_overdue = r.status == rules.SUBMITTED and rules.is_review_overdue(  # type: ignore[attr-defined]
            waiting_since=waiting, today=today, allowed_business_days=allowed
        )
    return registrations


def overdue(queryset: QuerySet[DealRegistration], *, today: datetime.date | None = None) -> QuerySet[DealRegistration]:
    """Submitted registrations past the review service level (ProgramYear.deal_review_business_days)."""
    today = today or timezone.localdate()
    cutoff = rules.overdue_cutoff(today=today, allowed_business_days=program_year_for(today).deal_review_business_days)
    return queryset.filter(status=rules.SUBMITTED, waiting_since__date__lte=cutoff)


def queue_rows(queryset: QuerySet[DealRegistration]) -> QuerySet[DealRegistration]:
    """The queue's columns (partner, PAM, submitter, conflict flags), keeping the queryset's order."""
    return with_conflicts(queryset.select_related("partner", "partner__pam", "submitted_by", "opportunity"))


# What a row of the review queue page shows (templates/dealreg/queue.html, dealreg.views._queue_rows_key), and
# what review_state and attach_same_partner_registrations read: a page's 25 rows are built with these columns
# only (a field added to a row goes in here too, or each row reads it with a query of its own).
QUEUE_PAGE_FIELDS = ("id", "status", "partner_id", "customer_company", "domain", "already_closed", "opportunity_id",
                     "estimated_arr_usd", "waiting_since", "expires_on", "extension",
                     "partner__name", "partner__tier", "partner__pam_id",
                     "opportunity__external_id", "opportunity__close_date", "opportunity__arr_usd")


def queue_page_rows(ids: list[int], *, with_pam: bool) -> list[DealRegistration]:
    """The review queue page's rows for the registrations ``ids``, in that order, with their conflict flags
    (``with_pam``: and the partner's PAM, for the manager view). The page reads its ids first, from the ordered
    and filtered queue: as one statement, the ordering, the visibility semi-join, the joins and the conflict
    EXISTS took ~7 ms of PostgreSQL planning alone at 100,000 partners; split, both plan in ~2 ms."""
    if not ids:
        return []
    related = ("partner", "opportunity", *(("partner__pam",) if with_pam else ()))
    fields = (*QUEUE_PAGE_FIELDS, *(("partner__pam__full_name", "partner__pam__email") if with_pam else ()))
    rows = with_conflicts(DealRegistration.objects.select_related(*related).only(*fields)
                          .filter(pk__in=ids).order_by()).in_bulk()
    return [rows[pk] for pk in ids if pk in rows]


def review_queue(queryset: QuerySet[DealRegistration]) -> QuerySet[DealRegistration]:
    """Oldest first: the registration that has waited longest is decided first."""
    return queue_rows(queryset).order_by("waiting_since", "pk")


def attach_same_partner_registrations(registrations: Iterable[DealRegistration]) -> list[DealRegistration]:
    """For each registration, the partner's other registrations for that domain: one query for a page."""
    registrations = list(registrations)
    if not registrations:
        return registrations
    pairs = {(r.partner_id, r.domain) for r in registrations}
    others = defaultdict(list)
    rows = DealRegistration.objects.filter(
        partner_id__in={p for p, _ in pairs}, domain__in={d for _, d in pairs}
    ).only("pk", "partner_id", "domain", "status", "created_at").order_by("created_at")
    for other in rows:
        if (other.partner_id, other.domain) in pairs:
            others[(other.partner_id, other.domain)].append(other)
    for r in registrations:
        r.same_partner_others = [o for o in others[(r.partner_id, r.domain)] if o.pk != r.pk]  # type: ignore[attr-defined]  # for the page
    return registrations


def history(registration: DealRegistration) -> QuerySet[DealRegistrationEvent]:
    return DealRegistrationEvent.objects.filter(registration=registration).select_related("actor")


def excluded_domains_for(domain: str) -> dict[str, str]:
    """{excluded domain: reason} among ``domain`` and its parent domains (one query)."""
    return dict(ExcludedCustomerDomain.objects.filter(domain__in=rules.domain_and_parents(domain))
                .values_list("domain", "reason"))


def limits_for(day: datetime.date) -> DealRegistrationLimits:
    """The year's confirmation limits; the model's defaults when a program admin has not set them."""
    return DealRegistrationLimits.objects.filter(year=day.year).first() or DealRegistrationLimits(year=day.year)


def recent_imports(limit: int = 10) -> QuerySet[SalesImport]:
    return SalesImport.objects.select_related("imported_by")[:limit]
