from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, Count, F, Func, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Cast, Lower, NullIf

from .models import (
    Agreement,
    AgreementAcceptance,
    Completion,
    Course,
    Invitation,
    Partner,
    PartnerRole,
    Person,
    StaffRole,
    User,
)
from .tokens import token_hash


def current_agreements() -> QuerySet[Agreement]:
    return Agreement.objects.filter(is_current=True).order_by("kind")


def has_accepted_partner_agreement(partner: Partner) -> bool:
    """Registered needs the current partner agreement; a partner that accepted it once stays enrolled."""
    return AgreementAcceptance.objects.filter(partner=partner, agreement__kind=Agreement.Kind.PARTNER).exists()


def agreements_to_accept(partner: Partner) -> QuerySet[Agreement]:
    accepted = AgreementAcceptance.objects.filter(partner=partner).values("agreement_id")
    return current_agreements().exclude(pk__in=accepted)


def current_completion(as_of: date) -> Q:
    """A completion counts while it has not expired (DESIGN.md §2: a current, not expired, completion)."""
    return Q(people__completions__expires_on__isnull=True) | Q(people__completions__expires_on__gte=as_of)


def with_roster_counts(partners: QuerySet[Partner], *, as_of: date) -> QuerySet[Partner]:
    """Annotate partners with people, platform-certified and sales-trained counts (distinct people).

    Guide, "Certification & training dedicated resources": developers who completed the Twilio platform
    course are platform-certified; people who completed Sellers Series 101 are sales trained. One person
    may count in both columns.
    """
    current = current_completion(as_of)
    return partners.annotate(
        people_count=Count("people", distinct=True),
        certified_count=Count("people", filter=Q(people__completions__course=Course.PLATFORM) & current, distinct=True),
        trained_count=Count("people", filter=Q(people__completions__course=Course.SELLERS_101) & current, distinct=True),
        user_count=Count("users", filter=Q(users__is_active=True), distinct=True),
    ).order_by("name", "pk")


# The counts with_roster_counts annotates, by the names pages read.
ROSTER_COUNTS = {"people_count": "people", "certified_count": "certified", "trained_count": "trained",
                 "user_count": "users"}


def with_counts(partners: list[Partner], *, as_of: date) -> list[Partner]:
    """``partners`` (a list, e.g. one page) with with_roster_counts' four counts set on each, in one query for
    the listed rows only; rows that carry them already are left as they are."""
    missing = [p for p in partners if not hasattr(p, "people_count")]
    if missing:
        rows = with_roster_counts(Partner.objects.filter(pk__in=[p.pk for p in missing]), as_of=as_of) \
            .order_by().values_list("pk", *ROSTER_COUNTS)
        counts = {pk: values for pk, *values in rows}
        for p in missing:
            for name, value in zip(ROSTER_COUNTS, counts[p.pk], strict=True):
                setattr(p, name, value)
    return partners


def roster_counts(partner: Partner, *, as_of: date) -> dict[str, int]:
    row = with_roster_counts(Partner.objects.filter(pk=partner.pk), as_of=as_of).values(*ROSTER_COUNTS).get()
    return {name: row[count] for count, name in ROSTER_COUNTS.items()}


def roster(partner: Partner, *, q: str = "", expiring_within: int | None = None,
           today: date | None = None) -> QuerySet[Person]:
    """The partner's people with their completions, two queries whatever the size, sorted naturally
    ("Person 2" before "Person 10"); ``q`` searches names and emails; ``expiring_within`` (days) keeps people
    with a completion that expires between ``today`` and that many days later."""
    completions = Completion.objects.order_by("course", "-completed_on")
    people = partner.people.prefetch_related(Prefetch("completions", queryset=completions))
    q = (q or "").strip()
    if q:
        people = people.filter(Q(name__icontains=q) | Q(email__icontains=q))
    if expiring_within is not None and today is not None:
        people = people.filter(
            completions__expires_on__gte=today, completions__expires_on__lte=today + timedelta(days=expiring_within),
        ).distinct()
    return people.order_by(*natural_order("name"), "pk")


def natural_order(field: str) -> list[Any]:
    """ORDER BY terms that sort text with its first number compared as a number. PostgreSQL only (regular
    expressions); elsewhere (SQLite for `make run`) plain text order."""
    if connection.vendor != "postgresql":
        return [Lower(field)]
    prefix = Func(F(field), Value(r"\d.*$"), Value(""), function="regexp_replace")
    number = Cast(NullIf(Func(F(field), Value(r"^\D*(\d{0,18}).*$"), Value(r"\1"), function="regexp_replace"),
                         Value("")), BigIntegerField())
    return [Lower(prefix), number.asc(nulls_first=True), Lower(field)]


def open_invitations(partner: Partner, *, now: datetime) -> QuerySet[Invitation]:
    return (Invitation.objects.filter(partner=partner, accepted_at__isnull=True, revoked_at__isnull=True,
                                      expires_at__gt=now)
            .select_related("invited_by").order_by("-created_at"))


def colleagues(partner: Partner) -> QuerySet[User]:
    return partner.users.filter(is_active=True).order_by("partner_role", "full_name", "email")


def invitation_by_token(token: str | None) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("partner", "invited_by").filter(token_hash=token_hash(token)).first()


def may_accept(partner: Partner, agreement: Agreement) -> bool:
    """Which agreements a partner may accept (guide, "Partner agreements"): the resell addendum only
    once the partner is invited to the invite-only resell program."""
    return agreement.kind != Agreement.Kind.RESELL_ADDENDUM or partner.resell_invited


# --- Recipients of notifications: active users only -----------------------------------------------------


def partner_admins(partner: Partner, *, also: User | None = None) -> list[User]:
    """The partner's active admins; ``also`` (e.g. whoever submitted a request) is added while that user is
    active and still one of the partner's, once."""
    users = list(User.objects.filter(partner_id=partner.pk, partner_role=PartnerRole.ADMIN, is_active=True)
                 .order_by("full_name", "email", "id"))
    if also is not None and also.is_active and also.partner_id == partner.pk and also not in users:
        users.append(also)
    return users


def partner_users(partner: Partner) -> QuerySet[User]:
    """All active users of the partner."""
    return User.objects.filter(partner_id=partner.pk, is_active=True).order_by("id")


def partners_admins(partner_ids: Iterable[int]) -> QuerySet[User]:
    """The active admins of many partners, by partner."""
    return User.objects.filter(partner_id__in=list(partner_ids), partner_role=PartnerRole.ADMIN,
                               is_active=True).order_by("partner_id", "id")


def active_partner_users() -> QuerySet[User]:
    """Every active user of a partner: who hears about its partner's changes (tiers joins it on the server to
    the ~75,000 partners an annual recalculation moves)."""
    return User.objects.filter(partner__isnull=False, is_active=True)


def partners_users(partner_ids: Iterable[int]) -> QuerySet[User]:
    """The active users of many partners, by partner."""
    return active_partner_users().filter(partner_id__in=list(partner_ids)).order_by("partner_id", "id")


def program_admins() -> QuerySet[User]:
    return User.objects.filter(staff_role=StaffRole.PROGRAM_ADMIN, is_active=True).order_by("id")


def vendor_contacts(partner: Partner) -> list[User]:
    """Who on the vendor's side hears about a partner's requests: its PAM while active, else the program
    admins."""
    pam = partner.pam
    if pam is not None and pam.is_active:
        return [pam]
    return list(program_admins())
