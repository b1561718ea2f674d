"""The funding rules as a table (funding/rules.py): no database."""

import datetime
from decimal import Decimal

import pytest

from funding import rules

D = Decimal
# The 2022 guide's "Benefits by tier" cells of POC and MDF co-funding.
GUIDE_2022 = {"bronze": "invite_only", "silver": "included", "gold": "included", "global_strategic": "included"}


@pytest.mark.parametrize(("program", "tier", "invited", "eligible"), [
    ("poc", "", False, False),
    ("poc", "registered", False, False),
    ("poc", "registered", True, False),  # an invitation does not lift a Registered partner
    ("poc", "bronze", False, False),
    ("poc", "bronze", True, True),
    ("poc", "silver", False, True),
    ("poc", "gold", False, True),
    ("poc", "global_strategic", False, True),
    ("mdf", "bronze", False, False),
    ("mdf", "bronze", True, True),
    ("mdf", "silver", False, True),
])
def test_eligibility_follows_the_benefits_table(program, tier, invited, eligible):
    verdict = rules.funding_eligibility(program=program, tier=tier, cells=GUIDE_2022, invited=invited)
    assert verdict.eligible is eligible
    assert verdict.reason
    assert bool(verdict.how_to_become_eligible) is not eligible


def test_bronze_without_invitation_is_told_to_ask_for_one():
    verdict = rules.funding_eligibility(program="mdf", tier="bronze", cells=GUIDE_2022, invited=False)
    assert "invitation" in verdict.reason
    assert any("PAM" in step for step in verdict.how_to_become_eligible)


@pytest.mark.parametrize(("cells", "tier", "invited", "eligible", "words"), [
    # A year that includes POC from Bronze: no invitation needed any more.
    ({"bronze": "included", "silver": "included"}, "bronze", False, True, "Bronze partners are eligible"),
    # A year that makes Silver invite-only: a Silver partner now needs an invitation.
    ({"silver": "invite_only", "gold": "included"}, "silver", False, False, "only by invitation"),
    ({"silver": "invite_only", "gold": "included"}, "silver", True, True, "invited"),
    ({"gold": "included"}, "silver", False, False, "starts at the Gold tier"),
    ({}, "gold", False, False, "not offered in this program year"),
])
def test_eligibility_reads_whatever_the_year_table_says(cells, tier, invited, eligible, words):
    verdict = rules.funding_eligibility(program="poc", tier=tier, cells=cells, invited=invited)
    assert verdict.eligible is eligible and words in verdict.reason
    assert bool(verdict.how_to_become_eligible) is not eligible


def test_cofunding_cap_rounds_down_to_the_cent():
    assert rules.cofunding_cap(total_cost=D("10000.00"), share=D("0.50")) == D("5000.00")
    assert rules.cofunding_cap(total_cost=D("0.03"), share=D("0.50")) == D("0.01")


@pytest.mark.parametrize(("program", "approved", "actual", "share", "cap"), [
    ("mdf", D("5000"), D("12000"), D("0.50"), D("5000")),  # the approved amount caps
    ("mdf", D("5000"), D("6000"), D("0.50"), D("3000")),  # the share of the actual cost caps
    ("poc", D("8000"), D("6000"), None, D("6000")),  # POC: at most the actual cost
    ("poc", D("8000"), D("9000"), None, D("8000")),
])
def test_claim_cap(program, approved, actual, share, cap):
    assert rules.claim_cap(program=program, approved_amount=approved, actual_cost=actual, share=share) == cap


def test_claim_deadline_is_the_window_after_the_activity():
    assert rules.claim_deadline(ends_on=datetime.date(2022, 3, 1), window_days=45) == datetime.date(2022, 4, 15)


@pytest.mark.parametrize(("days_left", "due"), [
    (30, None), (16, None), (15, 15), (14, 15), (6, 15), (5, 5), (2, 5), (1, 1), (0, 1), (-1, None),
])
def test_reminder_due(days_left, due):
    today = datetime.date(2022, 6, 1)
    assert rules.reminder_due(deadline=today + datetime.timedelta(days=days_left), today=today) == due


@pytest.mark.parametrize(("head", "expected"), [
    (b"%PDF-1.7\n", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n\x00", "image/png"),
    (b"\xff\xd8\xff\xe0\x00", "image/jpeg"),
    (b"MZ\x90\x00", None),  # a Windows executable, whatever it is called
    (b"<html>", None),
    (b"", None),
])
def test_proof_files_are_recognised_by_content(head, expected):
    sniffed = rules.sniff_proof_type(head)
    assert (sniffed[0] if sniffed else None) == expected
