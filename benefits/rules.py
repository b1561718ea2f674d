"""What a partner gets from each benefit of the program year: plain values in, statuses out.

The guide's "Benefits by tier" table (p.6) gives each benefit a cell per tier: included, invite-only
or absent. Glossary-only programs are gated by agreements and certifications instead (p.9 "Partner
support program", p.13 "Promoting Segment services"); the resell program is invite-only *and* needs
the resell addendum (p.4 "Resell partners", p.9 "Resell program").

Statuses are always computed from the partner's *current* tier. So a partner that moves down keeps
nothing the new tier does not give, and keeps an invitation only where the new tier's cell is still
invite-only (issue #7) — nothing has to be revoked when a tier changes.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

# Benefit.gate values (benefits/models.py) and what each one asks for besides the tier cell.
GATE_TIER = "tier"
GATE_SUPPORT_ADDENDUM = "support_addendum"
GATE_SEGMENT = "segment"
GATE_RESELL_ADDENDUM = "resell_addendum"

AGREEMENT_LABELS = {
    "support_addendum": gettext_lazy("the partner support addendum"),
    "segment": gettext_lazy("the Segment partner program agreement"),
    "resell_addendum": gettext_lazy("the resell addendum"),
}
SEGMENT_CERTIFICATION_LABEL = gettext_lazy("a current Segment sales certification on your people roster")

# Agreement kinds and certification each gate requires (guide p.9, p.13, p.4).
GATE_AGREEMENTS = {
    GATE_TIER: (),
    GATE_SUPPORT_ADDENDUM: ("support_addendum",),
    GATE_SEGMENT: ("segment",),
    GATE_RESELL_ADDENDUM: ("resell_addendum",),
}
GATE_NEEDS_SEGMENT_CERTIFICATION = {GATE_SEGMENT}

# Tier order (partners.models.TierLevel, without "not registered"); kept as plain values here.
TIER_ORDER = ("registered", "bronze", "silver", "gold", "global_strategic")
# The program's tier names stay as they are in every language.
TIER_NAMES = {"registered": "Registered", "bronze": "Bronze", "silver": "Silver", "gold": "Gold",
              "global_strategic": "Global Strategic"}

INCLUDED = "included"
INVITE_ONLY = "invite_only"


class Status:
    INCLUDED = "included"  # yours
    INVITED = "invited"  # invite-only at your tier, and you have an active invitation
    INVITE_ONLY = "invite_only"  # invite-only at your tier: ask your PAM
    FROM_TIER = "from_tier"  # not at your tier; available from a higher tier
    GATED = "gated"  # tier allows it, but an agreement or certification is missing
    NOT_OFFERED = "not_offered"  # no tier offers it this program year

    LABELS = {
        INCLUDED: gettext_lazy("Included"),
        INVITED: gettext_lazy("Invited"),
        INVITE_ONLY: gettext_lazy("Invite-only"),
        FROM_TIER: gettext_lazy("Higher tier"),
        GATED: gettext_lazy("Needs agreement or certification"),
        NOT_OFFERED: gettext_lazy("Not offered"),
    }
    AVAILABLE = frozenset({INCLUDED, INVITED})


@dataclass(frozen=True)
class Cell:
    tier: str
    availability: str  # INCLUDED or INVITE_ONLY
    quantity: int | None = None


@dataclass(frozen=True)
class BenefitFacts:
    code: str
    name: str
    gate: str = GATE_TIER
    cells: tuple[Cell, ...] = ()
    quantity_note: str = ""
    glossary: str = ""


@dataclass(frozen=True)
class InvitationFacts:
    benefit_code: str
    invited_by: str
    invited_at: datetime
    region: str = ""
    reason: str = ""
    invitation_id: int | None = None


@dataclass(frozen=True)
class PartnerFacts:
    tier: str  # '' = not registered
    invitations: dict = field(default_factory=dict)  # benefit code -> InvitationFacts (active only)
    agreement_kinds: frozenset = frozenset()  # kinds of agreements the partner has accepted
    segment_certified: bool = False  # a current segment_sales completion on the roster
    has_pam: bool = True  # False: no PAM assigned, so any PAM or a program admin invites it (benefits.access)


@dataclass(frozen=True)
class BenefitStatus:
    benefit: BenefitFacts
    status: str
    explanation: str
    quantity: int | None = None
    quantity_text: str = ""
    from_tier: str = ""  # for FROM_TIER: the lowest higher tier with a cell
    missing: tuple[str, ...] = ()  # for GATED: what is missing, in words
    invitation: InvitationFacts | None = None  # the invitation that counts (INVITED, or GATED after one)

    @property
    def code(self):
        return self.benefit.code

    @property
    def label(self):
        return Status.LABELS[self.status]

    @property
    def is_available(self):
        return self.status in Status.AVAILABLE


def tier_rank(tier):
    return TIER_ORDER.index(tier) if tier in TIER_ORDER else -1


def quantity_text(note, quantity):
    """The benefit's quantity note with the cell's number put in: "Up to {quantity} licences"."""
    if quantity is None:
        return note.replace("{quantity}", "").strip() if note else ""
    if not note:
        return str(quantity)
    if "{quantity}" in note:
        return note.replace("{quantity}", str(quantity))
    return f"{quantity} — {note}"


def _missing_gates(benefit, partner):
    missing = [AGREEMENT_LABELS.get(kind, kind) for kind in GATE_AGREEMENTS.get(benefit.gate, ())
               if kind not in partner.agreement_kinds]
    if benefit.gate in GATE_NEEDS_SEGMENT_CERTIFICATION and not partner.segment_certified:
        missing.insert(0, SEGMENT_CERTIFICATION_LABEL)
    return tuple(missing)


def benefit_status(benefit: BenefitFacts, partner: PartnerFacts, *, for_staff=False) -> BenefitStatus:
    """The status of one benefit for one partner (see the module docstring for the rules).

    ``for_staff``: the words address program staff reading about the partner, not the partner itself."""
    invitation = None
    cell = None
    if benefit.cells:
        cells = {c.tier: c for c in benefit.cells}
        cell = cells.get(partner.tier)
        if cell is None:
            higher = sorted((c for c in benefit.cells if tier_rank(c.tier) > tier_rank(partner.tier)),
                            key=lambda c: tier_rank(c.tier))
            if not higher:
                return BenefitStatus(benefit, Status.NOT_OFFERED, _("Not available at this partner's tier.") if for_staff
                                     else _("Not available at your tier."))
            first = higher[0]
            name = TIER_NAMES.get(first.tier, first.tier)
            words = (_("Available by invitation from %(tier)s.") if first.availability == INVITE_ONLY
                     else _("Available from %(tier)s.")) % {"tier": name}
            return BenefitStatus(benefit, Status.FROM_TIER, words, from_tier=first.tier)
        if cell.availability == INVITE_ONLY:
            invitation = partner.invitations.get(benefit.code)
            if invitation is None:
                return BenefitStatus(
                    benefit, Status.INVITE_ONLY,
                    (_("Invite-only at this partner's tier: not invited yet.") if for_staff
                     else _("Invite-only at your tier: ask your partner account manager (PAM).") if partner.has_pam
                     # Partners without a PAM are reviewed by every PAM and the program admins (DESIGN.md §1).
                     else _("Invite-only at your tier: your company has no partner account manager (PAM) yet, "
                            "so any PAM or program admin of the program team may invite it.")),
                )
    elif benefit.gate == GATE_TIER:
        return BenefitStatus(benefit, Status.NOT_OFFERED, _("No tier offers this benefit this program year."))
    elif not partner.tier:
        # Gated programs are for enrolled partners: the partner agreement comes first.
        return BenefitStatus(benefit, Status.FROM_TIER, _("Available from Registered."), from_tier="registered")

    quantity = cell.quantity if cell else None
    qty_text = quantity_text(benefit.quantity_note, quantity)
    missing = _missing_gates(benefit, partner)
    if missing:
        if invitation:
            words = _("Invited by %(who)s on %(date)s; still needs %(missing)s.") % {
                "who": invitation.invited_by, "date": _day(invitation.invited_at), "missing": _join(missing)}
        else:
            words = _("Needs %(missing)s.") % {"missing": _join(missing)}
        return BenefitStatus(
            benefit, Status.GATED, words, quantity=quantity,
            quantity_text=qty_text, missing=missing, invitation=invitation,
        )
    if invitation is not None:
        facts = {"region": invitation.region, "who": invitation.invited_by, "date": _day(invitation.invited_at)}
        return BenefitStatus(
            benefit, Status.INVITED,
            (_("Invited for %(region)s by %(who)s on %(date)s.") if invitation.region
             else _("Invited by %(who)s on %(date)s.")) % facts,
            quantity=quantity, quantity_text=qty_text, invitation=invitation,
        )
    if not cell:
        words = _("Included.")
    else:
        words = _("Included in this partner's tier.") if for_staff else _("Included in your tier.")
    return BenefitStatus(benefit, Status.INCLUDED, words,
                         quantity=quantity, quantity_text=qty_text)


def benefit_statuses(benefits, partner: PartnerFacts) -> list[BenefitStatus]:
    return [benefit_status(b, partner) for b in benefits]


def may_invite(benefit: BenefitFacts, tier: str) -> bool:
    """An invitation is possible only where the partner's tier has an invite-only cell (guide p.6)."""
    return any(c.tier == tier and c.availability == INVITE_ONLY for c in benefit.cells)


def _join(parts):
    parts = [str(p) for p in parts]
    if len(parts) == 1:
        return parts[0]
    # Translators: the end of a list: "a description, a logo and a website".
    return _("%(items)s and %(last)s") % {"items": pgettext("list separator", ", ").join(parts[:-1]), "last": parts[-1]}


def _day(moment):
    """A day as "01 Dec 2026", with the month's name in the reader's language."""
    return date_format(moment, "d M Y")


# Invitations --------------------------------------------------------------------------------------

# POC co-funding is invite-only for Bronze "in select regions" (guide p.9 "Proof-of-concept (POC) program"),
# so an invitation to it names the region it is for. The guide says "select regions" of POC only: an MDF
# invitation may name a region, but need not.
REGION_REQUIRED = frozenset({"poc-cofunding"})


def invitation_problems(benefit: BenefitFacts, *, tier: str, region: str, reason: str, already_invited: bool):
    """Why an invitation cannot be made, as {field: message}; empty when it can."""
    problems = {}
    if not may_invite(benefit, tier):
        if tier in TIER_NAMES:
            problems["benefit"] = _("%(benefit)s is not invite-only at %(tier)s: nothing to invite to.") % {
                "benefit": benefit.name, "tier": TIER_NAMES[tier]}
        else:
            problems["benefit"] = _("%(benefit)s is not invite-only at this tier: nothing to invite to.") % {
                "benefit": benefit.name}
    elif already_invited:
        problems["benefit"] = _("The partner already has an active invitation to %(benefit)s.") % {"benefit": benefit.name}
    if benefit.code in REGION_REQUIRED and not region.strip():
        problems["region"] = _("Name the region this %(benefit)s invitation is for.") % {"benefit": benefit.name}
    if not reason.strip():
        problems["reason"] = _("Give a reason.")
    return problems


# Showcase listing and tier badge -------------------------------------------------------------------

# The guide: "bronze, silver, gold, and global strategic tier partners are invited to create a Twilio
# showcase listing" (p.8) and "Partners meeting the bronze tier requirements have access to a
# Twilio-branded badge" (p.5).
PUBLIC_FROM_TIER = "bronze"
PUBLIC_TIERS = tuple(t for t in TIER_ORDER if tier_rank(t) >= tier_rank(PUBLIC_FROM_TIER))

LISTING_FIELDS = (
    ("description", gettext_lazy("a description")),
    ("services", gettext_lazy("the services you offer")),
    ("industries", gettext_lazy("the industries you serve")),
    ("countries_served", gettext_lazy("the countries you serve")),
    ("products", gettext_lazy("the Twilio products you work with")),
    ("logo", gettext_lazy("a logo")),
    ("website", gettext_lazy("a website")),
    ("contact_email", gettext_lazy("a contact email")),
)


def listing_missing(values: dict) -> list[str]:
    """What the listing still lacks to be complete, in words (every field is required to publish)."""
    return [label for name, label in LISTING_FIELDS if not str(values.get(name) or "").strip()]


def publication_blockers(*, tier: str, is_active: bool, missing) -> list[str]:
    """Why a listing is not in the public directory; empty means published."""
    blockers = []
    if not is_active:
        blockers.append(_("Your company is no longer active in the program."))
    if tier_rank(tier) < tier_rank(PUBLIC_FROM_TIER):
        if tier in TIER_NAMES:
            blockers.append(_("Listings are published from Bronze; your company is %(tier)s.") % {"tier": TIER_NAMES[tier]})
        else:
            blockers.append(_("Listings are published from Bronze; your company is not registered."))
    if missing:
        blockers.append(_("Add %(missing)s.") % {"missing": _join(list(missing))})
    return blockers


def badge_valid(*, tier: str, is_active: bool) -> bool:
    return is_active and tier_rank(tier) >= tier_rank(PUBLIC_FROM_TIER)
