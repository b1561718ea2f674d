from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Lower, NullIf

from activity.selectors import CappedCount, CappedPaginator

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
    return Q(expires_on__isnull=True) | Q(expires_on__gte=as_of)


def _count(queryset: QuerySet[Any], counted: str = "pk", *, distinct: bool = False) -> Coalesce:
    """The number of rows of ``queryset`` (correlated on ``partner_id``) as a subquery, 0 when there are none."""
    rows = queryset.order_by().values("partner_id").annotate(n=Count(counted, distinct=distinct)).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _certified(as_of: date, course: str) -> QuerySet[Completion]:
    # Completion.partner is the person's partner (kept equal by a composite key): no join of the roster.
    return Completion.objects.filter(course=course).filter(current_completion(as_of))


def with_roster_counts(partners: QuerySet[Partner], *, as_of: date) -> QuerySet[Partner]:
    """Annotate partners with people, platform-certified and sales-trained counts (distinct people).

    Guide, "Certification & training dedicated resources": developers who completed the Twilio platform
    course are platform-certified; people who completed Sellers Series 101 are sales trained. One person
    may count in both columns.

    Each count is a subquery of its own table, read through the partner's index: one join of people,
    completions and users multiplied every partner's rows before the distinct counts (15-30 s for the
    export of 100,000 partners).
    """
    partner = OuterRef("pk")
    return partners.annotate(
        people_count=_count(Person.objects.filter(partner_id=partner)),
        certified_count=_count(_certified(as_of, Course.PLATFORM).filter(partner_id=partner), "person_id",
                               distinct=True),
        trained_count=_count(_certified(as_of, Course.SELLERS_101).filter(partner_id=partner), "person_id",
                             distinct=True),
        user_count=_count(User.objects.filter(partner_id=partner, is_active=True)),
    ).order_by("name", "pk")


class PartnerSearchPaginator(CappedPaginator):
    """A text search of the partner list counts up to 1,000 matches (20 pages): a common word matches a tenth
    of the partners, and counting 10,000 of them meant reading 100,000 names (160 ms at a million partners);
    beyond, the other filters or a longer text narrow it."""

    CAP = 1_000


# The counts with_roster_counts annotates, by the names pages read.
ROSTER_COUNTS = {"people_count": "people", "certified_count": "certified", "trained_count": "trained",
                 "user_count": "users"}
# A roster page says "10000+ people" beyond this: counting a million people costs on every view what the page
# of 50 does not, and nobody reads the difference between 10,000 and 10,001 from a card.
ROSTER_COUNT_CAP = 10_000


def with_counts(partners: list[Partner], *, as_of: date) -> list[Partner]:
    """``partners`` (a list, e.g. one page) with with_roster_counts' four counts set on each, for the listed
    rows only; rows that carry them already are left as they are.

    Three grouped queries on the listed ids rather than with_roster_counts' correlated subqueries: the
    planner sees the ids, so a partner holding most of the roster does not make it scan the whole roster
    for each of the page's partners (5 s for a page when one partner had a million people)."""
    missing = [p for p in partners if not hasattr(p, "people_count")]
    if missing:
        ids = [p.pk for p in missing]
        people = dict(Person.objects.filter(partner_id__in=ids).order_by().values("partner_id")
                      .annotate(n=Count("pk")).values_list("partner_id", "n"))
        completions = {pk: (certified, trained) for pk, certified, trained in (
            Completion.objects.filter(partner_id__in=ids).filter(current_completion(as_of)).order_by()
            .values("partner_id")
            .annotate(certified=Count("person_id", filter=Q(course=Course.PLATFORM), distinct=True),
                      trained=Count("person_id", filter=Q(course=Course.SELLERS_101), distinct=True))
            .values_list("partner_id", "certified", "trained"))}
        users = dict(User.objects.filter(partner_id__in=ids, is_active=True).order_by().values("partner_id")
                     .annotate(n=Count("pk")).values_list("partner_id", "n"))
        for p in missing:
            p.people_count = people.get(p.pk, 0)  # type: ignore[attr-defined]  # as with_roster_counts names them
            p.certified_count, p.trained_count = completions.get(p.pk, (0, 0))  # type: ignore[attr-defined]
            p.user_count = users.get(p.pk, 0)  # type: ignore[attr-defined]
    return partners


def roster_counts(partner: Partner, *, as_of: date, cap: int = ROSTER_COUNT_CAP) -> dict[str, CappedCount]:
    """One partner's people, platform-certified, sales-trained and users, each counted up to ``cap`` (shown as
    "cap+" beyond), in one query: the time stays that of a small roster however many people it holds."""
    counted = {
        "people": Person.objects.filter(partner_id=partner.pk).values("pk"),
        "certified": _certified(as_of, Course.PLATFORM).filter(partner_id=partner.pk).values("person_id").distinct(),
        "trained": _certified(as_of, Course.SELLERS_101).filter(partner_id=partner.pk).values("person_id").distinct(),
        "users": User.objects.filter(partner_id=partner.pk, is_active=True).values("pk"),
    }
    columns: list[str] = []
    params: list[Any] = []
    for name, queryset in counted.items():
        sql, query_params = queryset.order_by()[: cap + 1].query.sql_with_params()
        # Django's own compiled query and a fixed name: nothing typed by a user is in the text.
        columns.append(f"(SELECT COUNT(*) FROM ({sql}) AS {name})")  # noqa: S608
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        row = cursor.fetchone()
    return {name: CappedCount(value, cap) for name, value in zip(counted, row, strict=True)}


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
        # A semi-join, not a join and DISTINCT: the page keeps the natural order of the roster's index.
        people = people.filter(Exists(Completion.objects.filter(
            person_id=OuterRef("pk"), expires_on__gte=today, expires_on__lte=today + timedelta(days=expiring_within))))
    # partners_person_natural_order (migration 0012) holds the partner's people in this order: a page reads its
    # 50 rows from the index instead of sorting the whole roster.
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
