"""benefits/rules.py as a table: benefit cells + partner facts in, status out (no database)."""

import datetime

import pytest

from benefits.rules import BenefitFacts, Cell, InvitationFacts, PartnerFacts, Status, benefit_status, may_invite

I, V = "included", "invite_only"  # noqa: E741 - short names keep the table readable
LEVELS = ("registered", "bronze", "silver", "gold", "global_strategic")


def cells(*row, quantities=None):
    quantities = quantities or {}
    return tuple(Cell(level, a, quantities.get(level)) for level, a in zip(LEVELS, row, strict=True) if a)


POC = BenefitFacts("poc-cofunding", "POC co-funding", cells=cells(None, V, I, I, I))
PSA = BenefitFacts("partner-solution-architect", "PSA", cells=cells(None, None, V, I, I))
RESELL = BenefitFacts("resell-program", "Resell", gate="resell_addendum", cells=cells(None, None, V, V, V))
BUSINESS_PLAN = BenefitFacts("business-plan", "Business plan", cells=cells(None, None, None, V, I))
SPONSOR = BenefitFacts("executive-sponsor", "Executive sponsor", cells=cells(None, None, None, None, I))
COMMUNITY = BenefitFacts("build-community", "Community", cells=cells(I, I, I, I, I))
FLEX = BenefitFacts("flex-implementation-offering", "Flex", cells=cells(None, I, I, I, I, quantities={
    lvl: 5 for lvl in LEVELS}), quantity_note="Up to {quantity} free Flex licences per customer implementation")
LICENCES = BenefitFacts("contact-center-licenses", "Licences", cells=cells(None, None, I, I, I, quantities={
    "silver": 5, "gold": 10, "global_strategic": 25}), quantity_note="{quantity} free named-user Flex licences")
SUPPORT = BenefitFacts("partner-support-program", "Support", gate="support_addendum")
SEGMENT = BenefitFacts("segment-promotion", "Segment", gate="segment")
NOWHERE = BenefitFacts("gone", "Gone")

WHEN = datetime.datetime(2022, 3, 4, 10, 0, tzinfo=datetime.UTC)


def invited(*codes, region=""):
    return {c: InvitationFacts(c, "Pat PAM", WHEN, region=region) for c in codes}


def partner(tier, *, invitations=None, agreements=(), segment=False):
    return PartnerFacts(tier=tier, invitations=invitations or {}, agreement_kinds=frozenset(agreements),
                        segment_certified=segment)


TABLE = [
    # benefit, partner, expected status, expected from_tier / missing count
    (COMMUNITY, partner("registered"), Status.INCLUDED, ""),
    (COMMUNITY, partner(""), Status.FROM_TIER, "registered"),
    (POC, partner("registered"), Status.FROM_TIER, "bronze"),
    (POC, partner("bronze"), Status.INVITE_ONLY, ""),
    (POC, partner("bronze", invitations=invited("poc-cofunding")), Status.INVITED, ""),
    (POC, partner("bronze", invitations=invited("mdf-cofunding")), Status.INVITE_ONLY, ""),
    (POC, partner("silver"), Status.INCLUDED, ""),
    # An invitation is irrelevant where the tier already includes the benefit.
    (POC, partner("silver", invitations=invited("poc-cofunding")), Status.INCLUDED, ""),
    # Moving down: Bronze → Registered loses the POC invitation (no cell at Registered).
    (POC, partner("registered", invitations=invited("poc-cofunding")), Status.FROM_TIER, "bronze"),
    # Moving down: Silver → Bronze loses the PSA invitation (Bronze has no PSA cell).
    (PSA, partner("bronze", invitations=invited("partner-solution-architect")), Status.FROM_TIER, "silver"),
    (PSA, partner("silver", invitations=invited("partner-solution-architect")), Status.INVITED, ""),
    # Moving down: Gold → Silver keeps the resell invitation (still invite-only at Silver).
    (RESELL, partner("silver", invitations=invited("resell-program"), agreements={"resell_addendum"}),
     Status.INVITED, ""),
    (RESELL, partner("silver", invitations=invited("resell-program")), Status.GATED, 1),
    (RESELL, partner("silver", agreements={"resell_addendum"}), Status.INVITE_ONLY, ""),
    (RESELL, partner("bronze", invitations=invited("resell-program")), Status.FROM_TIER, "silver"),
    # Gold → Silver loses the business-plan invitation (Silver has no cell); Global Strategic includes it.
    (BUSINESS_PLAN, partner("silver", invitations=invited("business-plan")), Status.FROM_TIER, "gold"),
    (BUSINESS_PLAN, partner("gold", invitations=invited("business-plan")), Status.INVITED, ""),
    (BUSINESS_PLAN, partner("global_strategic"), Status.INCLUDED, ""),
    (SPONSOR, partner("gold"), Status.FROM_TIER, "global_strategic"),
    (SUPPORT, partner("registered"), Status.GATED, 1),
    (SUPPORT, partner("registered", agreements={"support_addendum"}), Status.INCLUDED, ""),
    (SUPPORT, partner("", agreements={"support_addendum"}), Status.FROM_TIER, "registered"),
    (SEGMENT, partner("gold"), Status.GATED, 2),
    (SEGMENT, partner("gold", segment=True), Status.GATED, 1),
    (SEGMENT, partner("gold", agreements={"segment"}), Status.GATED, 1),
    (SEGMENT, partner("bronze", agreements={"segment"}, segment=True), Status.INCLUDED, ""),
    (NOWHERE, partner("gold"), Status.NOT_OFFERED, ""),
]


@pytest.mark.parametrize(("benefit", "facts", "expected", "extra"), TABLE)
def test_benefit_status_table(benefit, facts, expected, extra):
    result = benefit_status(benefit, facts)
    assert result.status == expected, result.explanation
    if expected == Status.FROM_TIER:
        assert result.from_tier == extra
    if expected == Status.GATED:
        assert len(result.missing) == extra
    assert result.explanation


def test_invited_status_says_who_and_when_and_region():
    result = benefit_status(POC, partner("bronze", invitations=invited("poc-cofunding", region="EMEA")))
    assert result.explanation == "Invited for EMEA by Pat PAM on 04 Mar 2022."
    assert result.invitation.invited_by == "Pat PAM"


def test_invite_only_says_who_may_invite_a_partner_without_a_pam():
    with_pam = benefit_status(POC, partner("bronze"))
    assert with_pam.explanation == "Invite-only at your tier: ask your partner account manager (PAM)."
    without = benefit_status(POC, PartnerFacts(tier="bronze", has_pam=False))
    assert without.status == Status.INVITE_ONLY
    assert without.explanation == ("Invite-only at your tier: your company has no partner account manager (PAM) "
                                   "yet, so any PAM or program admin of the program team may invite it.")
    assert "ask your" not in without.explanation
    # Staff read the same words whether or not the partner has a PAM.
    assert benefit_status(POC, PartnerFacts(tier="bronze", has_pam=False), for_staff=True).explanation == (
        "Invite-only at this partner's tier: not invited yet.")


def test_gated_resell_keeps_the_invitation_and_names_the_addendum():
    result = benefit_status(RESELL, partner("gold", invitations=invited("resell-program")))
    assert result.invitation is not None
    assert "resell addendum" in result.explanation
    assert not result.is_available


def test_segment_names_both_missing_gates():
    result = benefit_status(SEGMENT, partner("gold"))
    assert "Segment sales certification" in result.missing[0]
    assert "Segment partner program agreement" in result.missing[1]


@pytest.mark.parametrize(("tier", "expected"), [
    ("registered", ""), ("bronze", ""), ("silver", "5 free named-user Flex licences"),
    ("gold", "10 free named-user Flex licences"), ("global_strategic", "25 free named-user Flex licences"),
])
def test_contact_centre_licences_per_tier(tier, expected):
    assert benefit_status(LICENCES, partner(tier)).quantity_text == expected


def test_flex_offering_quantity():
    result = benefit_status(FLEX, partner("bronze"))
    assert result.quantity == 5
    assert result.quantity_text == "Up to 5 free Flex licences per customer implementation"


@pytest.mark.parametrize(("benefit", "tier", "expected"), [
    (POC, "bronze", True), (POC, "silver", False), (POC, "registered", False),
    (RESELL, "gold", True), (PSA, "silver", True), (PSA, "gold", False), (SUPPORT, "gold", False),
])
def test_may_invite_only_where_the_cell_is_invite_only(benefit, tier, expected):
    assert may_invite(benefit, tier) is expected
