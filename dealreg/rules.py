"""Deal registration rules as plain functions over plain values (no database).

The state machine is DESIGN.md §3: submitted -> approved | rejected | info_requested,
info_requested -> submitted, approved -> won | lost | expired, withdrawn by the partner before a decision.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext, pgettext_lazy

from core.formatting import money
from core.workflow import PARTNER, REVIEWER, SCHEDULE, Transition  # noqa: F401 - the sides, re-exported

from .countries import ISO_3166_ALPHA2

SUBMITTED = "submitted"
INFO_REQUESTED = "info_requested"
APPROVED = "approved"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
WON = "won"
LOST = "lost"
EXPIRED = "expired"

# Open = waiting for a decision. Active = open or approved: a partner may hold one active registration per domain.
OPEN_STATUSES = (SUBMITTED, INFO_REQUESTED)
ACTIVE_STATUSES = (SUBMITTED, INFO_REQUESTED, APPROVED)
FINAL_STATUSES = (REJECTED, WITHDRAWN, WON, LOST, EXPIRED)

# The deal registration workflow of DESIGN.md §3, the one table services check and pages, API and
# tests read: action -> who takes it, the statuses it may start from, the status it leads to.
TRANSITIONS: dict[str, Transition] = {
    "approve": Transition(REVIEWER, (SUBMITTED,), APPROVED),
    "reject": Transition(REVIEWER, (SUBMITTED,), REJECTED),
    "request_info": Transition(REVIEWER, (SUBMITTED,), INFO_REQUESTED),
    "respond": Transition(PARTNER, (INFO_REQUESTED,), SUBMITTED),
    # "Withdrawn by the partner before a decision": while it is submitted or waiting for the partner's answer.
    "withdraw": Transition(PARTNER, (SUBMITTED, INFO_REQUESTED), WITHDRAWN),
    "win": Transition(REVIEWER, (APPROVED,), WON),
    "lose": Transition(REVIEWER, (APPROVED,), LOST),
    "expire": Transition(SCHEDULE, (APPROVED,), EXPIRED),
    # "One extension request" of an approval (DESIGN.md §3): the status stays approved; the extension's own
    # state (EXTENSION_NEEDS) says whether it may be asked for or decided.
    "request_extension": Transition(PARTNER, (APPROVED,), APPROVED),
    "decide_extension": Transition(REVIEWER, (APPROVED,), APPROVED),
}

# The extension state (DealRegistration.extension) an extension action needs: none asked yet, or one pending.
EXTENSION_NONE = ""
EXTENSION_REQUESTED = "requested"
EXTENSION_NEEDS = {"request_extension": EXTENSION_NONE, "decide_extension": EXTENSION_REQUESTED}


def allowed_actions(status: str, *, side: str, extension: str = EXTENSION_NONE) -> tuple[str, ...]:
    """The actions ``side`` may take on a registration in ``status`` (and ``extension`` state), in the
    table's order: what a page offers as buttons and what a service accepts."""
    return tuple(
        action for action, t in TRANSITIONS.items()
        if t.side == side and status in t.sources and EXTENSION_NEEDS.get(action, extension) == extension
    )


# Why an action is refused, one whole sentence per action (translators see the sentence, not a verb to glue in);
# %(status)s is one of STATUS_WORDS.
TRANSITION_REFUSALS = {
    "approve": gettext_lazy("You cannot approve a registration that is %(status)s."),
    "reject": gettext_lazy("You cannot reject a registration that is %(status)s."),
    "request_info": gettext_lazy("You cannot request information on a registration that is %(status)s."),
    "respond": gettext_lazy("You cannot answer the information request of a registration that is %(status)s."),
    "withdraw": gettext_lazy("You cannot withdraw a registration that is %(status)s."),
    "win": gettext_lazy("You cannot mark as won a registration that is %(status)s."),
    "lose": gettext_lazy("You cannot mark as lost a registration that is %(status)s."),
    "expire": gettext_lazy("You cannot expire a registration that is %(status)s."),
}

# A registration's status as the end of a sentence: "a registration that is …", "this one is …".
STATUS_CONTEXT = "registration status: completes 'a registration that is …'"
STATUS_WORDS = {
    SUBMITTED: pgettext_lazy(STATUS_CONTEXT, "submitted"),
    INFO_REQUESTED: pgettext_lazy(STATUS_CONTEXT, "waiting for information"),
    APPROVED: pgettext_lazy(STATUS_CONTEXT, "approved"),
    REJECTED: pgettext_lazy(STATUS_CONTEXT, "rejected"),
    WITHDRAWN: pgettext_lazy(STATUS_CONTEXT, "withdrawn"),
    WON: pgettext_lazy(STATUS_CONTEXT, "won"),
    LOST: pgettext_lazy(STATUS_CONTEXT, "lost"),
    EXPIRED: pgettext_lazy(STATUS_CONTEXT, "expired"),
}


def day(value):
    """A date as the messages write it, "05 Dec 2026", with the month named in the active language."""
    return date_format(value, "d M Y")


def estimated_arr_error(value):
    if value is None or value <= 0:
        return _("The estimated ARR must be more than 0 USD.")
    return None


def normalise_country(value):
    return (value or "").strip().upper()


# Codes reserved by ISO for other uses that partners type for a country (the EU's codes for the UK and Greece).
COUNTRY_HINTS = {"UK": "GB", "EL": "GR"}


def country_error(value):
    """The customer's country (DESIGN.md §3) must be an ISO 3166-1 alpha-2 code; None when it is one."""
    code = normalise_country(value)
    if code in ISO_3166_ALPHA2:
        return None
    if code in COUNTRY_HINTS:
        return _("%(code)s is not an ISO 3166-1 country code; use %(hint)s.") % {"code": code, "hint": COUNTRY_HINTS[code]}
    if not code:
        return _("An empty value is not an ISO 3166-1 country code. Enter the two-letter code, for example US, DE or GB.")
    return _("%(code)s is not an ISO 3166-1 country code. Enter the two-letter code, for example US, DE or GB.") % {
        "code": code}


def close_date_error(value, *, today):
    """The expected close date must be in the future (DESIGN.md §3): today is not enough."""
    if value is None or value <= today:
        return _("The expected close date must be in the future.")
    return None


def win_close_date_error(*, closed_on, approved_on, already_closed, today):
    """The close date a registration is won with. Not in the future; and not before the approval, because the
    approval is when the partner was added to the opportunity and an attachment after the close does not count
    (guide p.10: "before the close of a sale") — unless the registration claimed a missing sourced opportunity
    that had already closed, whose approval counts after the close by the guide's own words."""
    if closed_on is None:
        return _("Enter the close date.")
    if closed_on > today:
        return _("The close date cannot be in the future.")
    if not already_closed and approved_on is not None and closed_on < approved_on:
        return _("The close date %(closed_on)s is before the approval on %(approved_on)s: the partner "
                 "was added to the opportunity on approval, and a sale that closed before that does not count. Mark "
                 "it lost; once the sales system records the sale, the partner can register it as a missing sourced "
                 "opportunity.") % {"closed_on": day(closed_on), "approved_on": day(approved_on)}
    return None


# --- revenue attribution (the rule is written once, in dealreg/revenue.py) ------------------------------

SALES_TEAM = "sales_team"
DEAL_REGISTRATION = "deal_registration"
SOURCED_CLAIM = "sourced_claim"
CLOSED_WON = "closed_won"
PROFESSIONAL_SERVICES = "professional_services"


def attachment_counts(*, source, attached_on, stage, close_date, product_line):
    """The revenue rule of dealreg/revenue.py for one attachment, as plain values (the query there is the same
    rule for any number of partners; tests hold the two together)."""
    if stage != CLOSED_WON or close_date is None or product_line == PROFESSIONAL_SERVICES:
        return False
    return attached_on <= close_date or source == SOURCED_CLAIM


def in_protection_window(*, stage, close_date, approved_on, expires_on):
    """An approved registration protected the opportunity from approval to expiry; one that closed won inside
    that window keeps the partner's attachment when the registration later expires."""
    return (stage == CLOSED_WON and close_date is not None and approved_on is not None and expires_on is not None
            and approved_on <= close_date <= expires_on)


def revenue_words(*, counts, close_date, product_line):
    """What a message tells the partner about the revenue of a won deal: true by the rule above."""
    if counts:
        return _("It counts towards your tier revenue in every recalculation whose revenue window includes "
                 "%(close_date)s.") % {"close_date": day(close_date)}
    if product_line == PROFESSIONAL_SERVICES:
        return _("Professional-services revenue does not count towards tier revenue (guide p.10).")
    return _("It does not count towards your tier revenue: your company was not added to the opportunity by its close.")


def claim_opportunity_error(*, stage, close_date, arr_usd, product_line, already_counts, today):
    """Why an opportunity cannot be claimed as a missing sourced opportunity; None when it can."""
    if stage != CLOSED_WON or close_date is None:
        return _("The sales system does not record this opportunity as closed won; register an open deal with the "
                 "deal registration form instead.")
    if close_date > today:
        return _("The sales system records a close date in the future; wait until it has closed.")
    if product_line == PROFESSIONAL_SERVICES:
        return _("Professional-services revenue never counts towards tier revenue (guide p.10): there is nothing to claim.")
    if arr_usd is None or arr_usd <= 0:
        return _("The opportunity has no ARR in the sales system: there is nothing to claim.")
    if already_counts:
        return _("Your company is already on this opportunity in time: its revenue already counts.")
    return None


def transition_error(action: str, status: str) -> str | None:
    """None when ``action`` may happen in ``status``; otherwise the sentence that says why not."""
    if status in TRANSITIONS[action].sources:
        return None
    return TRANSITION_REFUSALS[action] % {"status": STATUS_WORDS.get(status, status)}


def next_status(action: str) -> str:
    return TRANSITIONS[action].target


def business_days_between(start: datetime.date, end: datetime.date) -> int:
    """Whole business days (Monday–Friday) after ``start`` up to and including ``end``; 0 if end <= start."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    weekday = start.weekday()
    for i in range(1, rest + 1):
        if (weekday + i) % 7 < 5:
            count += 1
    return count


def is_review_overdue(*, waiting_since: datetime.date, today: datetime.date, allowed_business_days: int) -> bool:
    """Past the review service level: more than ``allowed_business_days`` business days have gone by."""
    return business_days_between(waiting_since, today) > allowed_business_days


def expiry_date(*, approved_on: datetime.date, expiry_days: int) -> datetime.date:
    """The last day an approved registration protects the partner."""
    return approved_on + datetime.timedelta(days=expiry_days)


def reminder_due(*, expires_on: datetime.date, today: datetime.date, reminder_days: int) -> bool:
    return expires_on - datetime.timedelta(days=reminder_days) <= today <= expires_on


def extension_error(*, status, extension, expires_on, today):
    """One extension request per approved registration, before it expires."""
    if status not in TRANSITIONS["request_extension"].sources:
        return _("Only an approved registration can be extended; this one is %(status)s.") % {
            "status": STATUS_WORDS.get(status, status)}
    if extension:
        return _("An extension was already requested for this registration; only one is allowed.")
    if expires_on is not None and today > expires_on:
        return _("This registration has already expired.")
    return None


@dataclass(frozen=True)
class Conflicts:
    """What the PAM should look at before deciding (DESIGN.md §3)."""

    other_partner: bool = False
    existing_customer: bool = False
    opportunity: bool = False
    # Another partner is already on the registration's opportunity (a claimed one, or the one approval attached).
    other_partner_attached: bool = False

    @property
    def any(self):
        return self.other_partner or self.existing_customer or self.opportunity or self.other_partner_attached

    def flags(self):
        """The conflicts in English, as the audit log records them (a record, not a page)."""
        return [words for name, words in CONFLICT_WORDS if getattr(self, name)]

    def words(self):
        """The conflicts in the active language, for the reader."""
        return [_(words) for words in self.flags()]


CONFLICT_WORDS = (
    ("other_partner", gettext_noop("another partner has an open or approved registration for this domain")),
    ("existing_customer", gettext_noop("the customer is an existing account")),
    ("opportunity", gettext_noop("the sales system has an opportunity for this domain")),
    ("other_partner_attached", gettext_noop("another partner is already on this opportunity")),
)


def overdue_cutoff(*, today: datetime.date, allowed_business_days: int) -> datetime.date:
    """The latest submission date that is overdue today: registrations waiting since then or earlier are late."""
    day = today
    while business_days_between(day, today) <= allowed_business_days:
        day -= datetime.timedelta(days=1)
    return day


def review_due_date(*, waiting_since: datetime.date, allowed_business_days: int) -> datetime.date:
    """The last business day a review is within the service level: ``allowed_business_days`` business
    days after the day it started waiting (is_review_overdue is true from the next business day)."""
    day = waiting_since
    counted = 0
    while counted < allowed_business_days:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return day


# --- Deal hygiene: customers a registration cannot name, and figures worth a second look -------------------

EXCLUSION_WORDS = {
    "free_mail": gettext_lazy("%(domain)s is a free email provider, not the customer's company. Enter the customer's own "
                              "website domain."),
    "vendor": gettext_lazy("%(domain)s is the vendor's own domain. Enter the customer's website domain."),
    "own": gettext_lazy("%(domain)s is your own company's domain. Enter the customer's website domain."),
}


def domain_and_parents(domain):
    """'mail.google.com' -> ['mail.google.com', 'google.com']: an exclusion covers its subdomains."""
    parts = (domain or "").split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


def domain_refusal(domain, *, partner_domain, excluded):
    """Why a customer domain is refused, or None. ``excluded`` maps an excluded domain to its reason."""
    for candidate in domain_and_parents(domain):
        if partner_domain and candidate == partner_domain:
            return EXCLUSION_WORDS["own"] % {"domain": domain}
        if candidate in excluded:
            return EXCLUSION_WORDS[excluded[candidate]] % {"domain": domain}
    return None


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def figures_to_confirm(*, estimated_arr_usd, expected_close_date, today, arr_above, close_months):
    """{field: sentence} for figures that are allowed but unusual: the partner confirms them (a tick)."""
    out = {}
    if estimated_arr_usd is not None and estimated_arr_usd > arr_above:
        out["estimated_arr_usd"] = _(
            "An estimated ARR above %(limit)s is unusual for one deal. Check it, then tick "
            "“The figures are right” to submit it.") % {"limit": money(arr_above)}
    if expected_close_date is not None and expected_close_date > add_months(today, close_months):
        out["expected_close_date"] = ngettext(
            "The close date is more than %(months)s month away. Check it, then tick “The figures are right” to submit it.",
            "The close date is more than %(months)s months away. Check it, then tick “The figures are right” to submit it.",
            close_months) % {"months": close_months}
    return out
