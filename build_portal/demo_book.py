"""A book of partners that looks like a program: ~300 partners across tiers, countries and PAMs, with
people and completions expiring over the coming months, a year of deal registrations in every state,
MDF and POC requests with claims, allocations with their ledger, and two applied recalculation runs.

Called at the end of load_demo. Rows are written with bulk_create (a few dozen statements for the whole
book, so it takes seconds on SQLite); dates are based on ``today``. Idempotent: a database that has the
book already is left alone. The named demo partners and logins of the README are not touched.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from dealreg.models import DealRegistration, Opportunity, OpportunityPartner
from funding import ledger as funding_ledger
from funding.models import Claim, FundingRequest, LedgerEntry, MdfActivityType, MdfAllocation, MdfTierDefault, Program
from funding.models import Status as FundingStatus
from partners.models import (
    Agreement,
    AgreementAcceptance,
    Completion,
    Course,
    Partner,
    PartnerRole,
    Person,
    StaffRole,
    TierLevel,
    User,
)
from program.selectors import program_year_or_none
from tiers.models import Assessment, ProvisionalPeriod, RecalculationRun

BOOK_DOMAIN = "book.example"  # every partner of the book has a domain under it
BOOK_PAMS = (("pam3@build-portal.example", "Quinn Third-PAM"), ("pam4@build-portal.example", "Ravi Fourth-PAM"))
COUNTRIES = ("US", "GB", "DE", "FR", "NL", "ES", "IT", "SE", "IN", "JP", "AU", "BR", "MX", "CA", "SG", "ZA")
FIRST = ("North", "Blue", "Bright", "Cloud", "Signal", "Harbor", "Summit", "Pioneer", "Vector", "Lumen", "Atlas",
         "Cedar", "Nimbus", "Orbit", "Quartz", "Riverside", "Sterling", "Tidal", "Union", "Zenith")
SECOND = ("Digital", "Consulting", "Systems", "Labs", "Partners", "Solutions", "Works", "Group", "Integrations",
          "Engineering", "Advisory", "Cloudworks", "Interactive", "Networks", "Studio")
# Share of the book per tier (Registered is the long tail, Gold and Global Strategic a few).
TIER_MIX = ((TierLevel.REGISTERED, 36), (TierLevel.BRONZE, 30), (TierLevel.SILVER, 20), (TierLevel.GOLD, 11),
            (TierLevel.GLOBAL_STRATEGIC, 3))
# Roughly what each tier holds: certified technical, sales trained, revenue (2022 thresholds and a margin).
PROFILE = {
    TierLevel.REGISTERED: (1, 0, Decimal("5000")),
    TierLevel.BRONZE: (4, 2, Decimal("40000")),
    TierLevel.SILVER: (11, 6, Decimal("260000")),
    TierLevel.GOLD: (17, 11, Decimal("1300000")),
    TierLevel.GLOBAL_STRATEGIC: (22, 14, Decimal("2500000")),
}
SILVER_UP = (TierLevel.SILVER, TierLevel.GOLD, TierLevel.GLOBAL_STRATEGIC)
# The next tier's 2022 requirements (certified, trained, revenue), for partners one step from it.
NEXT_TIER = {
    TierLevel.REGISTERED: (3, 1, Decimal("20000")),
    TierLevel.BRONZE: (10, 5, Decimal("200000")),
    TierLevel.SILVER: (15, 10, Decimal("1000000")),
}


def _near_promotion(i, tier):
    return i % 7 == 1 and tier in NEXT_TIER


def _aware(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def has_book(offset=0):
    return Partner.objects.filter(domain=f"p{offset:03d}.{BOOK_DOMAIN}").exists()


@transaction.atomic
def build_book(*, today=None, size=300, seed=16, offset=0):
    """Create the book (once). Returns how many rows of each kind were written ({} when it existed).

    ``offset`` numbers the partners from there, so a second book can be added (tests compare two sizes)."""
    if has_book(offset):
        return {}
    today = today or timezone.localdate()
    rng = random.Random(seed)
    program_year = program_year_or_none(today)
    password = make_password(None)  # book users cannot log in: only the README's demo logins can
    pams = list(User.objects.filter(staff_role=StaffRole.PAM).order_by("pk"))
    existing = {u.email for u in User.objects.filter(email__in=[e for e, _ in BOOK_PAMS])}
    new_pams = [User(email=e, full_name=n, staff_role=StaffRole.PAM, password=password) for e, n in BOOK_PAMS
                if e not in existing]
    pams += User.objects.bulk_create(new_pams)
    admin = User.objects.filter(staff_role=StaffRole.PROGRAM_ADMIN).order_by("pk").first()

    tiers = [tier for tier, share in TIER_MIX for _ in range(share)]
    partners = []
    for j in range(size):
        i = offset + j
        tier = tiers[j * len(tiers) // size]
        name = f"{FIRST[i % len(FIRST)]} {SECOND[(i // len(FIRST)) % len(SECOND)]}"
        name = name if i < len(FIRST) * len(SECOND) else f"{name} {i}"
        # Silver and above have a PAM, except a few that just got there (the worklist's "without a PAM");
        # a third of the Registered and Bronze partners have one too.
        if tier in SILVER_UP:
            pam = None if i % 17 == 0 else pams[i % len(pams)]
        else:
            pam = pams[i % len(pams)] if i % 3 == 0 else None
        partners.append(Partner(
            name=name, website=f"https://p{i:03d}.{BOOK_DOMAIN}", domain=f"p{i:03d}.{BOOK_DOMAIN}",
            country=COUNTRIES[i % len(COUNTRIES)], tier=tier, pam=pam,
            tier_since=datetime.date(today.year, 1, 1) - datetime.timedelta(days=365 * (i % 3)),
            partner_type=Partner.PartnerType.RESELL if i % 11 == 0 else Partner.PartnerType.SI,
        ))
    partners = Partner.objects.bulk_create(partners)
    users = User.objects.bulk_create([
        User(email=f"admin@{p.domain}", full_name=f"{p.name} Admin", partner=p, partner_role=PartnerRole.ADMIN,
             password=password) for p in partners])
    agreement = Agreement.objects.get(kind=Agreement.Kind.PARTNER, is_current=True)
    AgreementAcceptance.objects.bulk_create([
        AgreementAcceptance(agreement=agreement, partner=p, accepted_by=u, ip_address="127.0.0.1")
        for p, u in zip(partners, users, strict=True)])

    # People and completions. Some partners are near the next tier; some lose people to expiry before the
    # next annual run; completions expire over the coming months.
    people, plan = [], []
    for i, p in enumerate(partners):
        certified, trained, _revenue = PROFILE[p.tier]
        if _near_promotion(i, p.tier):
            # Everything the next tier needs but one certified technical person.
            certified, trained, _revenue = NEXT_TIER[p.tier]
            certified -= 1
        for n in range(max(certified, trained) + rng.randint(0, 3)):
            people.append(Person(partner=p, name=f"Person {n + 1} of {p.name}", email=f"person{n + 1}@{p.domain}",
                                 job_role=Person.JobRole.TECHNICAL if n < certified else Person.JobRole.SALES))
            plan.append((i, n < certified, n < trained))
    people = Person.objects.bulk_create(people, batch_size=500)
    completions = []
    for person, (i, is_certified, is_trained) in zip(people, plan, strict=True):
        for course, wanted in ((Course.PLATFORM, is_certified), (Course.SELLERS_101, is_trained)):
            if not wanted:
                continue
            # Two-year completions, done between 22 months and 1 month ago: some expire within weeks.
            completed = today - datetime.timedelta(days=rng.randint(30, 670))
            if i % 9 == 4:  # these partners lose most of their certifications before 1 January
                completed = today - datetime.timedelta(days=730 - rng.randint(1, 25))
            completions.append(Completion(person=person, partner_id=person.partner_id, course=course,
                                          completed_on=completed, expires_on=completed + datetime.timedelta(days=730)))
    Completion.objects.bulk_create(completions, batch_size=500)

    # Revenue: one closed-won opportunity per partner in the trailing year, near the tier's profile.
    opportunities, attachments = [], []
    for i, p in enumerate(partners):
        revenue = PROFILE[p.tier][2] * Decimal(rng.randint(90, 130)) / 100
        if _near_promotion(i, p.tier):
            revenue = NEXT_TIER[p.tier][2] * Decimal(rng.randint(101, 115)) / 100
        close = today - datetime.timedelta(days=rng.randint(20, 300))
        opportunities.append(Opportunity(
            external_id=f"BOOK-{p.domain}", account_name=f"Customer of {p.name}", domain=f"customer.{p.domain}",
            product_line=Opportunity.ProductLine.FLEX, arr_usd=revenue.quantize(Decimal("1")),
            stage=Opportunity.Stage.CLOSED_WON, close_date=close))
    opportunities = Opportunity.objects.bulk_create(opportunities)
    for p, o in zip(partners, opportunities, strict=True):
        attachments.append(OpportunityPartner(opportunity=o, partner=p, attached_on=o.close_date))

    # A year of deal registrations in every state.
    statuses = [s for s, _ in DealRegistration.Status.choices]
    registrations, created = [], []
    approved_opportunities = []
    for i, p in enumerate(partners):
        if p.tier == TierLevel.REGISTERED and i % 2:
            continue
        for k in range(1 + i % 3):
            status = statuses[(i + k) % len(statuses)]
            created_on = today - datetime.timedelta(days=rng.randint(0, 360))
            if status == DealRegistration.Status.SUBMITTED:
                created_on = today - datetime.timedelta(days=rng.randint(0, 9))
            domain = f"deal{k}.{p.domain.split('.')[0]}.customers.example"
            arr = Decimal(rng.randint(5, 120) * 1000)
            r = DealRegistration(
                partner=p, submitted_by=users[i], customer_company=f"{FIRST[(i + k) % len(FIRST)]} Retail {i}-{k}",
                domain=domain, country=p.country, contact_name="Jordan Buyer", contact_email=f"jordan@{domain}",
                products=["flex"], use_case="Contact-centre migration to Flex.", estimated_arr_usd=arr,
                expected_close_date=today + datetime.timedelta(days=rng.randint(30, 200)), status=status,
                waiting_since=_aware(created_on),
            )
            if status not in (DealRegistration.Status.SUBMITTED, DealRegistration.Status.WITHDRAWN):
                r.decided_at = _aware(created_on + datetime.timedelta(days=2))
                r.decided_by = p.pam or pams[0]
            if status in (DealRegistration.Status.APPROVED, DealRegistration.Status.WON, DealRegistration.Status.LOST,
                          DealRegistration.Status.EXPIRED):
                r.approved_on = created_on + datetime.timedelta(days=2)
                r.expires_on = r.approved_on + datetime.timedelta(days=90)
                approved_opportunities.append((r, Opportunity(
                    external_id=f"BOOK-DR-{domain}", account_name=r.customer_company, domain=domain,
                    product_line=Opportunity.ProductLine.FLEX, arr_usd=arr,
                    stage={DealRegistration.Status.WON: Opportunity.Stage.CLOSED_WON,
                           DealRegistration.Status.LOST: Opportunity.Stage.CLOSED_LOST}.get(status, Opportunity.Stage.OPEN),
                    close_date=r.expected_close_date if status == DealRegistration.Status.WON else None)))
            if status == DealRegistration.Status.REJECTED:
                r.reject_reason = DealRegistration.RejectReason.NOT_A_FIT
            if status == DealRegistration.Status.WON:
                r.final_arr_usd, r.closed_on = arr, min(today, created_on + datetime.timedelta(days=60))
            registrations.append(r)
            created.append(created_on)
    deal_opps = Opportunity.objects.bulk_create([o for _, o in approved_opportunities])
    for (r, _), o in zip(approved_opportunities, deal_opps, strict=True):
        r.opportunity = o
        attachments.append(OpportunityPartner(opportunity=o, partner=r.partner, attached_on=r.approved_on,
                                              source=OpportunityPartner.Source.DEAL_REGISTRATION))
    OpportunityPartner.objects.bulk_create(attachments, batch_size=500)
    registrations = DealRegistration.objects.bulk_create(registrations, batch_size=500)
    for r, created_on in zip(registrations, created, strict=True):
        r.created_at = r.waiting_since if r.status == DealRegistration.Status.SUBMITTED else _aware(created_on)
    DealRegistration.objects.bulk_update(registrations, ["created_at"], batch_size=500)

    funding = _funding(partners, users, program_year, today=today, rng=rng, admin=admin, pams=pams)
    runs = _runs(partners, program_year, today=today, admin=admin)
    return {"partners": len(partners), "people": len(people), "completions": len(completions),
            "registrations": len(registrations), **funding, **runs}


def _funding(partners, users, program_year, *, today, rng, admin, pams):
    """MDF allocations of Silver and above (the tier defaults) with requests in every state of the workflow,
    the ledger rows their figures are read from, and POC nominations."""
    if program_year is None or admin is None:
        return {}
    defaults = {d.tier: d.amount for d in MdfTierDefault.objects.filter(program_year=program_year)}
    allocations, requests, plans, ledger = [], [], [], []
    flow = (FundingStatus.SUBMITTED, FundingStatus.APPROVED, FundingStatus.CLAIM_SUBMITTED,
            FundingStatus.CLAIM_APPROVED, FundingStatus.PAID, FundingStatus.INFO_REQUESTED, FundingStatus.REJECTED)
    for i, p in enumerate(partners):
        if p.tier not in SILVER_UP:
            continue
        amount = defaults.get(p.tier) or Decimal("20000.00")
        committed = Decimal("0")
        for k in range(i % 4):
            status = flow[(i + k) % len(flow)]
            requested = Decimal(rng.randint(2, 8) * 500)
            if committed + requested > amount:
                break
            ends = today - datetime.timedelta(days=rng.randint(5, 40)) if status != FundingStatus.SUBMITTED else \
                today + datetime.timedelta(days=rng.randint(20, 60))
            r = FundingRequest(
                program=Program.MDF, partner=p, program_year=program_year, status=status,
                title=f"{MdfActivityType.labels[k % len(MdfActivityType.labels)]} {k + 1}",
                starts_on=ends - datetime.timedelta(days=10), ends_on=ends, requested_amount=requested,
                activity_type=MdfActivityType.values[k % len(MdfActivityType.values)],
                description="Co-marketing activity.", total_cost=requested * 2, cofunding_share=Decimal("0.50"),
                submitted_by=users[i],
            )
            if status not in (FundingStatus.SUBMITTED, FundingStatus.INFO_REQUESTED, FundingStatus.REJECTED):
                r.approved_amount = requested
                r.decided_by, r.decided_at = p.pam or pams[0], _aware(ends - datetime.timedelta(days=20))
                # Some approved requests reach their claim deadline within the month.
                r.claim_deadline = today + datetime.timedelta(days=rng.randint(3, 60))
                committed += requested
            requests.append(r)
            plans.append(status)
        if i % 6 == 0:
            requests.append(FundingRequest(
                program=Program.POC, partner=p, program_year=program_year, status=FundingStatus.SUBMITTED,
                title=f"POC for {p.name}", starts_on=today + datetime.timedelta(days=20),
                ends_on=today + datetime.timedelta(days=80), requested_amount=Decimal("15000.00"),
                customer_name="Globex Retail", goals="Replace the legacy IVR.", success_criteria="80% self-served.",
                next_steps="Production roll-out.", products=["flex"], submitted_by=users[i]))
            plans.append(FundingStatus.SUBMITTED)
        allocations.append(MdfAllocation(partner=p, program_year=program_year, amount=amount, committed=committed))
        ledger.append(LedgerEntry(partner=p, program_year=program_year, program=Program.MDF,
                                  kind=LedgerEntry.Kind.ALLOCATION, amount=amount, actor=admin,
                                  params=funding_ledger.tier_default(p.tier, program_year.year)))
    MdfAllocation.objects.bulk_create(allocations)
    requests = FundingRequest.objects.bulk_create(requests, batch_size=500)
    for r in requests:  # submitted before the activity, a few days to a few weeks ago
        r.submitted_at = _aware(min(today, r.starts_on) - datetime.timedelta(days=3 + r.pk % 20))
    FundingRequest.objects.bulk_update(requests, ["submitted_at"], batch_size=500)
    claims = []
    for r in requests:
        if r.approved_amount is None:
            continue
        ledger.append(LedgerEntry(partner_id=r.partner_id, program_year=program_year, program=r.program,
                                  kind=LedgerEntry.Kind.APPROVED, amount=r.approved_amount, request=r, actor=r.decided_by))
        if r.status in (FundingStatus.CLAIM_SUBMITTED, FundingStatus.CLAIM_APPROVED, FundingStatus.PAID):
            claim = Claim(request=r, actual_cost=r.total_cost, submitted_by=r.submitted_by)
            if r.status != FundingStatus.CLAIM_SUBMITTED:
                claim.approved_amount, claim.decided_by, claim.decided_at = r.approved_amount, r.decided_by, _aware(today)
                ledger.append(LedgerEntry(partner_id=r.partner_id, program_year=program_year, program=r.program,
                                          kind=LedgerEntry.Kind.CLAIM_APPROVED, amount=r.approved_amount, request=r,
                                          actor=r.decided_by))
            if r.status == FundingStatus.PAID:
                claim.payment_reference, claim.paid_by, claim.paid_at = f"PAY-{r.pk}", admin, _aware(today)
                ledger.append(LedgerEntry(partner_id=r.partner_id, program_year=program_year, program=r.program,
                                          kind=LedgerEntry.Kind.PAID, amount=r.approved_amount, request=r, actor=admin))
            claims.append(claim)
    claims = Claim.objects.bulk_create(claims)
    for claim in claims:  # auto_now_add set it to now on create: claimed two days after the activity
        claim.submitted_at = _aware(claim.request.ends_on + datetime.timedelta(days=2))
    Claim.objects.bulk_update(claims, ["submitted_at"])
    LedgerEntry.objects.bulk_create(ledger, batch_size=500)
    return {"funding_requests": len(requests), "claims": len(claims), "allocations": len(allocations)}


def _runs(partners, program_year, *, today, admin):
    """Two applied runs (annual on 1 January, mid-year last month) so the tier mix has a history, and open
    certification provisional periods for a few Silver partners."""
    if program_year is None:
        return {}
    annual_on = datetime.date(today.year, 1, 1)
    midyear_on = today.replace(day=1) - datetime.timedelta(days=1)
    created = []
    for kind, as_of, start in ((RecalculationRun.Kind.ANNUAL, annual_on, datetime.date(today.year - 1, 1, 1)),
                               (RecalculationRun.Kind.MIDYEAR, midyear_on, midyear_on - datetime.timedelta(days=364))):
        run = RecalculationRun.objects.create(
            kind=kind, as_of=as_of, program_year=program_year, revenue_from=start,
            revenue_to=as_of if kind == RecalculationRun.Kind.MIDYEAR else datetime.date(today.year - 1, 12, 31),
            status=RecalculationRun.Status.APPLIED, started_by=admin, applied_by=admin, applied_at=_aware(as_of),
            partner_count=len(partners))
        created.append(run)
    order = [t.value for t in TierLevel]
    rows, up = [], 0
    for i, p in enumerate(partners):
        # At the annual run a tenth of the book was one tier lower; the mid-year run moved them up.
        before = order[max(1, order.index(p.tier) - 1)] if i % 10 == 3 and p.tier != TierLevel.GLOBAL_STRATEGIC else p.tier
        up += before != p.tier
        for run, applied in ((created[0], before), (created[1], p.tier)):
            previous = before if run is created[1] else applied
            rows.append(Assessment(
                run=run, partner=p, certified_technical=PROFILE[p.tier][0], sales_trained=PROFILE[p.tier][1],
                revenue_usd=PROFILE[p.tier][2], agreement_accepted=True,
                designated=p.tier == TierLevel.GLOBAL_STRATEGIC, previous_tier=previous, computed_tier=applied,
                applied_tier=applied, movement="up" if previous != applied else "same",
                reasons=[{"code": "qualifies", "tier": dict(TierLevel.choices)[applied]}]))
    Assessment.objects.bulk_create(rows, batch_size=1000)
    RecalculationRun.objects.filter(pk=created[1].pk).update(up_count=up, changed_count=up)
    periods = [ProvisionalPeriod(partner=p, tier=p.tier, opened_on=midyear_on, opened_by_run=created[1],
                                 ends_on=midyear_on + datetime.timedelta(days=90))
               for i, p in enumerate(partners) if p.tier == TierLevel.SILVER and i % 9 == 4]
    ProvisionalPeriod.objects.bulk_create(periods)
    return {"runs": len(created), "assessments": len(rows), "provisional_periods": len(periods)}
