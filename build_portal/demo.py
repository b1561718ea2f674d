"""Demo data for `make run`: one user per role and partners at every tier. Idempotent."""

import datetime
import io
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from benefits.services import listing_save
from dealreg.models import Opportunity, OpportunityPartner
from funding import services as funding_services
from funding.models import FundingRequest, MdfActivityType
from partners.models import (
    Agreement,
    AgreementAcceptance,
    Completion,
    Course,
    Partner,
    PartnerRole,
    Person,
    ShowcaseListing,
    StaffRole,
    User,
)
from program.models import ProgramYear
from program.selectors import program_year_for
from program.services import program_year_close, program_year_publish

DEMO_PASSWORD = "build-portal-demo"  # noqa: S105 - demo logins printed in the README, local only.

STAFF = [
    ("admin@build-portal.example", "Avery Admin", StaffRole.PROGRAM_ADMIN),
    ("pam@build-portal.example", "Pat PAM", StaffRole.PAM),
    ("pam2@build-portal.example", "Pia Second-PAM", StaffRole.PAM),
    ("psa@build-portal.example", "Sam PSA", StaffRole.PSA),
]

# name, domain, country, tier, certified technical people, sales-trained people, closed-won ARR last year
PARTNERS = [
    ("Acme Integrations", "acme.example", "US", "", 0, 0, Decimal("0")),
    ("Registered Labs", "registered.example", "GB", "registered", 1, 0, Decimal("5000")),
    ("Bronze Byte", "bronze.example", "DE", "bronze", 4, 2, Decimal("45000")),
    ("Silverline Consulting", "silver.example", "US", "silver", 11, 6, Decimal("250000")),
    ("Goldstone Partners", "gold.example", "FR", "gold", 16, 11, Decimal("1200000")),
    ("Globex Strategic", "globex.example", "JP", "global_strategic", 20, 12, Decimal("3000000")),
]


LISTING = {
    "services": "Contact-centre implementation, messaging integration, managed services",
    "industries": "financial-services,retail",
    "products": "flex,messaging",
}
LOGO_COLOURS = {"bronze": "#cd7f32", "silver": "#8c959f", "gold": "#d4a300", "global_strategic": "#3b1f7a"}


def _logo(name, tier):
    """A small PNG logo with the partner's initials, made here so the demo needs no files."""
    image = Image.new("RGB", (160, 160), LOGO_COLOURS.get(tier, "#0d6efd"))
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    ImageDraw.Draw(image).text((52, 66), initials, fill="white", font_size=40)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 - demo only; `make run` also accepts the code 000000.


def _two_factor(user):
    """Staff must use two-factor authentication; demo staff have it set up already."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


def _user(email, full_name, **fields):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name, **fields)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


@transaction.atomic
def load_demo():
    logins = []
    staff = {}
    for email, name, role in STAFF:
        staff[email] = _user(email, name, staff_role=role, is_staff=role == StaffRole.PROGRAM_ADMIN)
        logins.append((email, dict(StaffRole.choices)[role]))
    for user in staff.values():
        _two_factor(user)
    today = timezone.localdate()
    _program_years(today)
    pam = User.objects.get(email="pam@build-portal.example")
    psa = User.objects.get(email="psa@build-portal.example")
    partner_agreement = Agreement.objects.get(kind=Agreement.Kind.PARTNER, is_current=True)
    today = timezone.localdate()
    # 31 December of last year lies both in the prior calendar year (annual run) and in the trailing
    # 365 days (mid-year run and "as of today"), so the demo tiers match what the engine computes.
    last_year_close = datetime.date(today.year - 1, 12, 31)
    for name, domain, country, tier, certified, trained, revenue in PARTNERS:
        slug = domain.split(".")[0]
        partner, _ = Partner.objects.get_or_create(
            domain=domain,
            defaults={"name": name, "website": f"https://www.{domain}", "country": country, "tier": tier,
                      "tier_since": datetime.date(today.year, 1, 1) if tier else None},
        )
        if tier in ("silver", "gold", "global_strategic"):
            Partner.objects.filter(pk=partner.pk).update(pam=pam, psa=psa if tier != "silver" else None)
        admin = _user(f"admin@{domain}", f"{name} Admin", partner=partner, partner_role=PartnerRole.ADMIN)
        _user(f"member@{domain}", f"{name} Member", partner=partner, partner_role=PartnerRole.MEMBER)
        logins.append((f"admin@{domain}", f"partner admin, {name} ({tier or 'not registered'})"))
        logins.append((f"member@{domain}", f"partner member, {name}"))
        if tier:
            AgreementAcceptance.objects.get_or_create(
                agreement=partner_agreement, partner=partner, defaults={"accepted_by": admin, "ip_address": "127.0.0.1"}
            )
        for i in range(max(certified, trained)):
            person, _ = Person.objects.get_or_create(
                partner=partner, email=f"person{i + 1}@{domain}",
                defaults={"name": f"{slug.title()} Person {i + 1}",
                          "job_role": Person.JobRole.TECHNICAL if i < certified else Person.JobRole.SALES},
            )
            completed = today - datetime.timedelta(days=100 + i)
            if i < certified:
                Completion.objects.get_or_create(
                    person=person, course=Course.PLATFORM, completed_on=completed,
                    defaults={"expires_on": completed + datetime.timedelta(days=730)},
                )
            if i < trained:
                Completion.objects.get_or_create(
                    person=person, course=Course.SELLERS_101, completed_on=completed,
                    defaults={"expires_on": completed + datetime.timedelta(days=730)},
                )
        if tier and tier != "registered" and not ShowcaseListing.objects.filter(partner=partner).exists():
            listing_save(actor=admin, partner=partner, logo=_logo(name, tier), values={
                **LISTING,
                "description": f"{name} designs, builds and runs customer engagement on Twilio for teams in "
                f"{country} and beyond.",
                "countries_served": f"{country},US,GB",
                "website": f"https://www.{domain}",
                "contact_email": f"hello@{domain}",
            })
        if revenue:
            opportunity, _ = Opportunity.objects.get_or_create(
                external_id=f"DEMO-{slug.upper()}-1",
                defaults={"account_name": f"{slug.title()} Customer Inc", "domain": f"customer-of-{domain}",
                          "product_line": Opportunity.ProductLine.FLEX, "arr_usd": revenue,
                          "stage": Opportunity.Stage.CLOSED_WON, "close_date": last_year_close},
            )
            OpportunityPartner.objects.get_or_create(
                opportunity=opportunity, partner=partner,
                defaults={"attached_on": last_year_close - datetime.timedelta(days=30)},
            )
    _tier_history(today)
    _funding(today, staff["admin@build-portal.example"])
    return logins


FIRST_YEAR = 2022  # the guide's year, loaded by the migrations (load_program)


def _program_years(today):
    """Every program year from the guide's up to today's, each a copy of the year before (as the 1 January
    rollover makes them), published; _tier_history closes the years that are over once their runs exist."""
    from build_portal.rollover import program_year_copy_full

    previous = ProgramYear.objects.get(year=FIRST_YEAR)
    for year in range(FIRST_YEAR, today.year + 1):
        current = ProgramYear.objects.filter(year=year).first() or program_year_copy_full(source=previous, year=year)
        if current.is_draft:
            current = program_year_publish(program_year=current)
        previous = current


def _tier_history(today):
    """An applied annual run on 1 January of each year after the guide's, then a mid-year run as of today, so
    partners have a tier history. Runs are scheduled ones (one per kind and day), so a second load adds none."""
    from tiers import rules as tier_rules
    from tiers import services as tier_services

    for year in range(FIRST_YEAR + 1, today.year + 1):
        as_of = datetime.date(year, 1, 1)
        program_year = ProgramYear.objects.get(year=year)
        if program_year.is_published or program_year.runs.filter(kind=tier_rules.ANNUAL, as_of=as_of).exists():
            tier_services.scheduled_recalculation(kind=tier_rules.ANNUAL, as_of=as_of, today=today)
    # The demo's people and revenue qualify today (trailing 365 days): a mid-year run moves partners back up.
    tier_services.scheduled_recalculation(kind=tier_rules.MIDYEAR, as_of=today, today=today)
    for program_year in ProgramYear.objects.filter(status=ProgramYear.Status.PUBLISHED, ends_on__lt=today):
        program_year_close(program_year=program_year, today=today)


def _funding(today, program_admin):
    """MDF allocations for Silver and above, and one MDF request waiting for the PAM's decision."""
    program_year = program_year_for(today)
    for domain, amount in (("silver.example", "20000.00"), ("gold.example", "50000.00"), ("globex.example", "100000.00")):
        partner = Partner.objects.get(domain=domain)
        funding_services.allocation_set(partner=partner, program_year=program_year, amount=Decimal(amount),
                                        admin=program_admin, reason="Demo allocation")
    silver = Partner.objects.get(domain="silver.example")
    if not FundingRequest.objects.filter(partner=silver).exists():
        funding_services.mdf_request_submit(
            partner=silver, user=User.objects.get(email="admin@silver.example"),
            activity_type=MdfActivityType.VIRTUAL_EVENT, title="Flex migration webinar series",
            description="Three webinars for retail contact-centre leaders on moving to Flex.",
            starts_on=today + datetime.timedelta(days=14), ends_on=today + datetime.timedelta(days=28),
            total_cost=Decimal("12000.00"), requested_amount=Decimal("6000.00"),
        )
