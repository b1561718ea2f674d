"""Funding fixtures: the program year, helpers that walk a request through its states, proof files."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from benefits.models import Benefit, BenefitInvitation
from funding import services
from funding.models import MdfActivityType
from program.selectors import program_year_for

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def pdf(name="invoice.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def program_year(db, today):
    return program_year_for(today)


def invite(partner, program_year, code, by):
    benefit = Benefit.objects.get(program_year=program_year, code=code)
    return BenefitInvitation.objects.create(benefit=benefit, partner=partner, invited_by=by, region="DACH",
                                            reason="Select region pilot")


def mdf_data(today, **overrides):
    data = {
        "activity_type": MdfActivityType.VIRTUAL_EVENT, "title": "Flex webinar series",
        "description": "Three webinars on contact-centre migration to Flex.",
        "starts_on": today + datetime.timedelta(days=10), "ends_on": today + datetime.timedelta(days=20),
        "total_cost": Decimal("10000.00"), "requested_amount": Decimal("5000.00"),
    }
    data.update(overrides)
    return data


def poc_data(today, **overrides):
    data = {
        "title": "IVR modernisation", "customer_name": "Globex Retail", "goals": "Replace the legacy IVR.",
        "success_criteria": "80% of calls self-served.", "next_steps": "Production roll-out in Q3.",
        "products": ["flex", "platform"], "requested_amount": Decimal("8000.00"),
        "starts_on": today + datetime.timedelta(days=5), "ends_on": today + datetime.timedelta(days=60),
    }
    data.update(overrides)
    return data


def submit_mdf(partner, user, *, today=None, **overrides):
    today = today or timezone.localdate()
    return services.mdf_request_submit(partner=partner, user=user, today=today, **mdf_data(today, **overrides))


def submit_poc(partner, user, *, today=None, **overrides):
    today = today or timezone.localdate()
    return services.poc_nominate(partner=partner, user=user, today=today, **poc_data(today, **overrides))


def approved_past_mdf(partner, user, reviewer, *, ended_days_ago=5, amount=None, **overrides):
    """An approved MDF request whose activity ended ``ended_days_ago`` days ago (so it can be claimed)."""
    today = timezone.localdate()
    submitted_on = today - datetime.timedelta(days=ended_days_ago + 20)
    fr = submit_mdf(partner, user, today=submitted_on,
                    starts_on=submitted_on + datetime.timedelta(days=5),
                    ends_on=today - datetime.timedelta(days=ended_days_ago), **overrides)
    return services.request_approve(funding_request=fr, reviewer=reviewer,
                                    approved_amount=amount or fr.requested_amount, reason="Good plan")


@pytest.fixture
def allocation(program_year, partner, program_admin):
    return services.allocation_set(partner=partner, program_year=program_year, amount=Decimal("20000.00"),
                                   admin=program_admin, reason="2022 plan")
