"""The partner home: one page composed of several apps (DESIGN.md §4 puts such pages here).

Reads only; every figure comes from the owning app's selectors and rules, so the home, the tier page,
the deal list and the funding overview never disagree. A fixed number of queries whatever the number of
people, registrations or requests (tests/partners/test_partner_home.py counts them at two sizes).
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from benefits.models import Benefit, BenefitInvitation, TierBenefit
from core import fingerprint
from core.formatting import day, days_from_now, money, natural_key
from dealreg import rules as deal_rules
from dealreg.models import DealRegistration
from funding import rules as funding_rules
from funding import selectors as funding_selectors
from funding.models import FundingRequest, LedgerEntry, MdfAllocation, MdfTierDefault, Program, Status
from partners import selectors as partner_selectors
from partners.models import Course, TierLevel, User
from tiers import selectors as tier_selectors

# Approved registrations expiring within this many days are a next step ("deal DR-31 expires in 10 days").
DEAL_EXPIRY_HORIZON_DAYS = 30
PIPELINE_STATUSES = deal_rules.ACTIVE_STATUSES
TONE_ORDER = {"danger": 0, "warning": 1, "primary": 2}


@dataclass(frozen=True)
class NextStep:
    """A card on the home: what to do, why, and where (url empty when this user cannot act on it)."""

    title: str
    detail: str
    url: str = ""
    action: str = ""
    tone: str = "primary"  # primary | warning | danger
    people: tuple = field(default_factory=tuple)


def _agreement_steps(partner, *, may_act):
    steps = []
    for agreement in partner_selectors.agreements_to_accept(partner):
        # Never offer what this partner may not accept (the resell addendum is invite-only).
        if not partner_selectors.may_accept(partner, agreement):
            continue
        required = agreement.kind == agreement.Kind.PARTNER
        steps.append(NextStep(
            title=_("Accept the %(agreement)s") % {"agreement": agreement.title},
            detail=(_("Your company becomes a Registered partner when it is accepted.") if required
                    else _("Version %(version)s, published %(date)s.")
                    % {"version": agreement.version, "date": day(agreement.published_on)}),
            url=reverse("partners:agreements"), action=_("Read and accept") if may_act else _("Read it"),
            tone="danger" if required else "primary",
        ))
    return steps


def _people_steps(standing, *, may_act):
    upcoming = standing["next_tier"]
    if upcoming is None:
        return []
    metrics = standing["metrics"]
    steps = []
    short_certified = upcoming.min_certified_technical - metrics.certified_technical
    short_trained = upcoming.min_sales_trained - metrics.sales_trained
    url = reverse("partners:people")
    if short_certified > 0:
        steps.append(NextStep(
            title=ngettext("Add %(n)d platform-certified person for %(tier)s",
                           "Add %(n)d platform-certified people for %(tier)s", short_certified)
            % {"n": short_certified, "tier": upcoming.name},
            detail=ngettext("%(tier)s needs %(need)d platform-certified technical person; you have %(have)d.",
                            "%(tier)s needs %(need)d platform-certified technical people; you have %(have)d.",
                            upcoming.min_certified_technical)
            % {"tier": upcoming.name, "need": upcoming.min_certified_technical, "have": metrics.certified_technical},
            url=url, action=_("Update the roster") if may_act else _("See the roster"),
        ))
    if short_trained > 0:
        steps.append(NextStep(
            title=ngettext("Add %(n)d sales-trained person for %(tier)s",
                           "Add %(n)d sales-trained people for %(tier)s", short_trained)
            % {"n": short_trained, "tier": upcoming.name},
            detail=ngettext("%(tier)s needs %(need)d sales-trained person (Sellers Series 101); you have %(have)d.",
                            "%(tier)s needs %(need)d sales-trained people (Sellers Series 101); you have %(have)d.",
                            upcoming.min_sales_trained)
            % {"tier": upcoming.name, "need": upcoming.min_sales_trained, "have": metrics.sales_trained},
            url=url, action=_("Update the roster") if may_act else _("See the roster"),
        ))
    return steps


def _renewal_steps(partner, *, today, risk, may_act):
    """Completions lapsing before 1 January: urgent when they cost a tier (the forecast), plain otherwise."""
    recalc = datetime.date(today.year + 1, 1, 1)
    url = reverse("partners:people") + "?expiring=60"
    if risk is not None:
        return [NextStep(
            title=ngettext("Renew %(n)d certification before %(date)s", "Renew %(n)d certifications before %(date)s",
                           len(risk.lapses)) % {"n": len(risk.lapses), "date": day(recalc)},
            detail=" ".join(risk.sentences()), url=url, action=_("See who") if not may_act else _("Update the roster"),
            tone="danger", people=tuple(f"{lapse.person_name} ({day(lapse.expires_on)})" for lapse in risk.lapses),
        )]
    return []


def _plain_renewals(holdings, *, today, may_act, risk):
    if risk is not None:
        return []
    recalc = datetime.date(today.year + 1, 1, 1)
    lapses = [h for h in holdings if h.expires_on is not None and today <= h.expires_on < recalc]
    if not lapses:
        return []
    # "Sellers Series 101" is the course's name, kept as the program writes it.
    names = {Course.PLATFORM: pgettext("course", "platform"), Course.SELLERS_101: "Sellers Series 101"}
    return [NextStep(
        title=ngettext("Renew %(n)d certification expiring before %(date)s",
                       "Renew %(n)d certifications expiring before %(date)s", len(lapses))
        % {"n": len(lapses), "date": day(recalc)},
        detail=_("Your tier does not depend on them at the next recalculation, but they stop counting when they expire."),
        url=reverse("partners:people") + "?expiring=60",
        action=_("Update the roster") if may_act else _("See the roster"),
        tone="warning",
        people=tuple(f"{h.person_name}, {names.get(h.course, h.course)} ({day(h.expires_on)})"
                     for h in sorted(lapses, key=lambda h: (h.expires_on, natural_key(h.person_name)))),
    )]


def _claim_steps(partner, *, today):
    """Approved requests whose activity has ended and whose claim is still due: claim by the deadline."""
    due = (FundingRequest.objects.filter(partner=partner, status=Status.APPROVED, ends_on__lte=today,
                                         claim_deadline__gte=today)
           .only("pk", "program", "title", "claim_deadline", "approved_amount").order_by("claim_deadline", "pk")[:5])
    return [NextStep(
        title=_("Claim %(reference)s by %(date)s") % {"reference": r.reference, "date": day(r.claim_deadline)},
        detail=_("%(title)s: approved %(amount)s. Upload proof of performance and the actual cost (%(when)s).")
        % {"title": r.title, "amount": money(r.approved_amount), "when": days_from_now(r.claim_deadline, today=today)},
        url=reverse("funding:request_claim", args=[r.pk]), action=_("Submit a claim"),
        tone="danger" if (r.claim_deadline - today).days <= 7 else "warning",
    ) for r in due]


def _deal_expires(reference, days):
    """"Deal DR-31 expires in 10 days": one whole sentence per case, so each language orders its own words."""
    if days == 0:
        return _("Deal %(reference)s expires today") % {"reference": reference}
    if days == 1:
        return _("Deal %(reference)s expires tomorrow") % {"reference": reference}
    return ngettext("Deal %(reference)s expires in %(n)d day", "Deal %(reference)s expires in %(n)d days",
                    days) % {"reference": reference, "n": days}


def _deal_steps(partner, *, today):
    horizon = today + datetime.timedelta(days=DEAL_EXPIRY_HORIZON_DAYS)
    expiring = (DealRegistration.objects.filter(partner=partner, status=deal_rules.APPROVED, expires_on__gte=today,
                                                expires_on__lte=horizon)
                .only("pk", "customer_company", "expires_on", "extension").order_by("expires_on", "pk")[:5])
    return [NextStep(
        title=_deal_expires(r.reference, (r.expires_on - today).days),
        detail=_("%(customer)s: approved until %(date)s. Ask your PAM to mark it won, or request the one extension "
                 "the program allows.") % {"customer": r.customer_company, "date": day(r.expires_on)}
        if not r.extension else
        _("%(customer)s: approved until %(date)s (extension %(extension)s).")
        % {"customer": r.customer_company, "date": day(r.expires_on),
           "extension": r.get_extension_display().lower()},
        url=reverse("dealreg:detail", args=[r.pk]), action=_("Open the registration"),
        tone="warning",
    ) for r in expiring]


def deal_summary(partner):
    """Registrations by status with their estimated ARR, and the pipeline (open and approved) total."""
    rows = dict(
        (status, (n, arr or Decimal("0")))
        for status, n, arr in DealRegistration.objects.filter(partner=partner).order_by()
        .values("status").annotate(n=Count("pk"), arr=Sum("estimated_arr_usd")).values_list("status", "n", "arr")
    )
    by_status = [{"status": value, "label": label, "count": rows[value][0], "arr": rows[value][1]}
                 for value, label in DealRegistration.Status.choices if value in rows]
    pipeline = [rows[s] for s in PIPELINE_STATUSES if s in rows]
    return {
        "by_status": by_status, "total": sum(r["count"] for r in by_status),
        "pipeline_count": sum(n for n, _arr in pipeline), "pipeline_arr": sum((a for _n, a in pipeline), Decimal("0")),
    }


# The home is kept while the rows behind it are unchanged (core.fingerprint): the tier view's, and the partner's
# funding, the funding benefits' cells and invitations, its users (the admins it names), its PAM and PSA. Its deal
# registrations are read on every view (the summary, the expiring ones, the pipeline: three queries): partners
# register deals all day, and a new registration then leaves the rest of the home kept.
_FUNDING_BENEFITS = ", ".join(f"'{code}'" for code in funding_rules.BENEFIT_CODES.values())
HOME_ROWS = [
    *tier_selectors.TIER_VIEW_ROWS,
    (FundingRequest, "partner_id = %(p)s"),
    (LedgerEntry, "partner_id = %(p)s"),
    (MdfAllocation, "partner_id = %(p)s"),
    (MdfTierDefault, "TRUE"),
    (Benefit, f"code IN ({_FUNDING_BENEFITS})"),
    (TierBenefit, f"benefit_id IN (SELECT id FROM {{Benefit}} WHERE code IN ({_FUNDING_BENEFITS}))"),  # noqa: S608
    (BenefitInvitation, "partner_id = %(p)s"),
    (User, "partner_id = %(p)s"),
    (User, "id = (SELECT pam_id FROM {Partner} WHERE id = %(p)s)"),
    (User, "id = (SELECT psa_id FROM {Partner} WHERE id = %(p)s)"),
]
# As tiers.selectors.TIER_VIEW_SECONDS; the page's rendered content is kept as long (templates/partners/home.html).
HOME_VERSION = 1
HOME_SECONDS = 15 * 60


def partner_home(partner, *, user, today):
    """The home's context for ``user`` (a partner admin may act, a member is told who can): its part without
    the deal registrations kept per partner, role, day and language (its sentences are rendered) while the rows
    behind it are unchanged; ``home_key`` names the whole state for the page to keep its rendered content under
    (None when nothing may be kept)."""
    rows = fingerprint.digest(HOME_ROWS, partner_id=partner.pk)
    key = rows and f"home:{HOME_VERSION}:{partner.pk}:{bool(user.is_partner_admin)}:{today.isoformat()}:" \
                   f"{get_language()}:{rows}"
    kept = cache.get(key) if key else None
    if kept is None:
        kept = _kept_home(partner, user=user, today=today)
        if key:
            cache.set(key, kept, HOME_SECONDS)
    else:
        kept["partner"] = kept["s"]["partner"] = partner  # the caller's own copy of the same row
    registered = kept["registered"]
    deal_steps = _deal_steps(partner, today=today) if registered else []
    s = kept["s"]
    pipeline = tier_selectors.pipeline_to_tier(partner, metrics=s["metrics"], requirements=s["requirements"])[:3]
    deals = deal_summary(partner)
    # Most urgent first (what costs a tier or money soon), in the order found within one urgency.
    steps = [*kept["steps_before_deals"], *deal_steps, *kept["steps_after_deals"]]
    steps.sort(key=lambda step: TONE_ORDER.get(step.tone, len(TONE_ORDER)))
    home_key = key and f"{key}:{hashlib.sha256(repr((deal_steps, pipeline, deals)).encode()).hexdigest()}"
    return {**kept, "steps": steps, "pipeline": pipeline, "deals": deals, "home_key": home_key,
            "home_seconds": HOME_SECONDS}


def _kept_home(partner, *, user, today):
    """Everything of the home but its deal registrations."""
    may_act = bool(user.is_partner_admin)
    # The tier page's reads, kept while the rows behind them are unchanged (tiers.selectors.tier_view).
    view = tier_selectors.tier_view(partner, today=today)
    standing, holdings, risk = view["standing"], view["holdings"], view["risk"]
    registered = partner.tier != TierLevel.NONE
    program_year = funding_selectors.current_program_year(today)
    mdf = funding_selectors.eligibility(partner=partner, program=Program.MDF, program_year=program_year)
    figures = funding_selectors.ledger_figures(partner=partner, program_year=program_year) if mdf.eligible else None
    before = _agreement_steps(partner, may_act=may_act)
    after = []
    if registered:
        before += _renewal_steps(partner, today=today, risk=risk, may_act=may_act)
        before += _claim_steps(partner, today=today)
        # (the deal steps come here: partner_home)
        after += _people_steps(standing, may_act=may_act)
        after += _plain_renewals(holdings, today=today, may_act=may_act, risk=risk)
    return {
        "partner": partner, "today": today, "s": standing, "steps_before_deals": before, "steps_after_deals": after,
        "risk": risk, "mdf": mdf, "figures": figures, "program_year": program_year,
        "may_act": may_act, "registered": registered,
        "admins": partner_selectors.partner_admins(partner) if not may_act else [],
    }
