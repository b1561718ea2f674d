"""A realistic database for `make loadtest`: many partners with people, completions, opportunities,
deal registrations and showcase listings, written in batches with bulk_create. Not for tests."""

import datetime
import json
import random
from decimal import Decimal

from allauth.mfa.models import Authenticator
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.utils import timezone

from benefits.services import program_year_copy_with_benefits
from benefits.vocabulary import INDUSTRIES, PRODUCTS
from dealreg.models import DealRegistration, Opportunity, OpportunityPartner
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
from program.selectors import program_year_or_none
from program.services import program_year_publish

BATCH = 5000
TIERS = ["registered"] * 40 + ["bronze"] * 30 + ["silver"] * 18 + ["gold"] * 10 + ["global_strategic"] * 2
COUNTRIES = ["US", "GB", "DE", "FR", "NL", "JP", "IN", "BR", "AU", "CA", "ES", "IT", "SE", "SG", "MX"]
WORDS = ["Cloud", "Contact", "Digital", "Engage", "Signal", "Flex", "Bridge", "Nimbus", "Vector", "Orbit", "Pixel",
         "Harbor", "Summit", "Quantum", "Atlas", "Beacon", "Cobalt", "Delta", "Ember", "Falcon"]
SUFFIXES = ["Consulting", "Partners", "Labs", "Systems", "Solutions", "Group", "Digital", "Integrations"]


def _batches(rows):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _session_for(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(60 * 60 * 24)
    session.save()
    return session.session_key


@transaction.atomic
def program_year_of_today(stdout=print):
    """The pages answer 409 without a program year in force today: copy the latest year to this one and publish
    it, as the 1 January rollover would (idempotent; the migrations publish only the guide's 2022)."""
    today = timezone.localdate()
    if program_year_or_none(today) is not None:
        return
    source = ProgramYear.objects.filter(year__lt=today.year).order_by("-year").first()
    year = ProgramYear.objects.filter(year=today.year).first() or program_year_copy_with_benefits(
        source=source, year=today.year, user=None)
    program_year_publish(program_year=year)
    stdout(f"program year {today.year} copied from {source.year} and published")


@transaction.atomic
def seed(*, partners, load_users, out, stdout=print):
    rng = random.Random(2022)  # noqa: S311 - repeatable fake data
    program_year_of_today(stdout)
    today = timezone.localdate()
    password = make_password("loadtest-password")
    agreement = Agreement.objects.get(kind=Agreement.Kind.PARTNER, is_current=True)

    pams = []
    for i in range(10):
        pam, _ = User.objects.get_or_create(
            email=f"pam{i}@load.example", defaults={"staff_role": StaffRole.PAM, "password": password}
        )
        if not Authenticator.objects.filter(user=pam, type=Authenticator.Type.TOTP).exists():
            from allauth.mfa.totp.internal.auth import TOTP

            TOTP.activate(pam, "JBSWY3DPEHPK3PXP")
        pams.append(pam)

    start = Partner.objects.count()
    stdout(f"seeding {partners} partners (the database has {start})")
    new_partners = []
    for i in range(start, start + partners):
        tier = rng.choice(TIERS)
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(SUFFIXES)} {i}"
        new_partners.append(Partner(
            name=name, website=f"https://load{i}.example", domain=f"load{i}.example", country=rng.choice(COUNTRIES),
            tier=tier, tier_since=datetime.date(today.year, 1, 1),
            pam=pams[i % len(pams)] if tier in ("silver", "gold", "global_strategic") else None,
        ))
    for batch in _batches(new_partners):
        Partner.objects.bulk_create(batch)
    created = list(Partner.objects.filter(domain__startswith="load").order_by("id")[start:start + partners]
                   .values_list("id", "tier", "domain"))
    stdout(f"  partners: {len(created)}")

    users = [User(email=f"admin@{domain}", password=password, partner_id=pid, partner_role=PartnerRole.ADMIN)
             for pid, _, domain in created]
    for batch in _batches(users):
        User.objects.bulk_create(batch)
    user_of = dict(User.objects.filter(email__endswith=".example", partner__isnull=False, email__startswith="admin@load")
                   .values_list("partner_id", "id"))
    for batch in _batches(AgreementAcceptance(agreement=agreement, partner_id=pid, accepted_by_id=user_of[pid])
                          for pid, _, _ in created):
        AgreementAcceptance.objects.bulk_create(batch, ignore_conflicts=True)
    stdout("  users and agreement acceptances done")

    people_per_tier = {"registered": 1, "bronze": 5, "silver": 12, "gold": 18, "global_strategic": 22}
    people = []
    for pid, tier, domain in created:
        for n in range(people_per_tier[tier]):
            people.append(Person(partner_id=pid, name=f"Person {n}", email=f"p{n}@{domain}",
                                 job_role=Person.JobRole.TECHNICAL if n % 3 else Person.JobRole.SALES))
    for batch in _batches(people):
        Person.objects.bulk_create(batch)
    person_rows = Person.objects.filter(partner_id__in=[p[0] for p in created]).values_list("id", "partner_id", "email")
    completions = []
    for person_id, partner_id, email in person_rows.iterator(chunk_size=BATCH):
        completed = today - datetime.timedelta(days=rng.randint(10, 600))
        course = Course.SELLERS_101 if email.startswith(("p0@", "p3@", "p6@", "p9@")) else Course.PLATFORM
        completions.append(Completion(person_id=person_id, partner_id=partner_id, course=course, completed_on=completed,
                                      expires_on=completed + datetime.timedelta(days=730)))
    for batch in _batches(completions):
        Completion.objects.bulk_create(batch)
    stdout(f"  people: {len(people)}, completions: {len(completions)}")

    opportunities, attachments = [], []
    for pid, tier, _domain in created:
        for n in range({"registered": 0, "bronze": 1, "silver": 2, "gold": 3, "global_strategic": 4}[tier]):
            close = today - datetime.timedelta(days=rng.randint(5, 500))
            opportunities.append(Opportunity(
                external_id=f"LOAD-{pid}-{n}", account_name=f"Customer {pid}-{n}", domain=f"c{pid}-{n}.example",
                product_line=rng.choice(["platform", "flex", "segment", "sendgrid"]),
                arr_usd=Decimal(rng.randint(5_000, 400_000)), stage=Opportunity.Stage.CLOSED_WON, close_date=close,
            ))
    for batch in _batches(opportunities):
        Opportunity.objects.bulk_create(batch)
    for opp_id, external_id, close in Opportunity.objects.filter(external_id__startswith="LOAD-").values_list(
        "id", "external_id", "close_date"
    ).iterator(chunk_size=BATCH):
        attachments.append(OpportunityPartner(opportunity_id=opp_id, partner_id=int(external_id.split("-")[1]),
                                              attached_on=close - datetime.timedelta(days=20)))
    for batch in _batches(attachments):
        OpportunityPartner.objects.bulk_create(batch, ignore_conflicts=True)
    stdout(f"  opportunities: {len(opportunities)}")

    now = timezone.now()
    registrations = []
    for pid, _tier, _ in created:
        for n in range(2):
            registrations.append(DealRegistration(
                partner_id=pid, submitted_by_id=user_of[pid], customer_company=f"Prospect {pid}-{n}",
                domain=f"prospect{pid}-{n}.example", country="US", contact_name="Casey Contact",
                contact_email=f"casey@prospect{pid}-{n}.example", products=["flex"], use_case="Contact centre",
                estimated_arr_usd=Decimal(rng.randint(10_000, 200_000)),
                expected_close_date=today + datetime.timedelta(days=rng.randint(30, 200)),
                status=DealRegistration.Status.SUBMITTED,
                waiting_since=now - datetime.timedelta(hours=rng.randint(1, 24 * 20)),
            ))
    for batch in _batches(registrations):
        DealRegistration.objects.bulk_create(batch)
    stdout(f"  deal registrations: {len(registrations)}")

    listings = []
    for pid, tier, domain in created:
        if tier == "registered":
            continue
        listings.append(ShowcaseListing(
            partner_id=pid, description=f"{rng.choice(WORDS)} contact centres and messaging for {rng.choice(WORDS)}.",
            services="Implementation, managed services", industries=",".join(rng.sample([c for c, _ in INDUSTRIES], 2)),
            countries_served=",".join(rng.sample(COUNTRIES, 3)), products=",".join(rng.sample([c for c, _ in PRODUCTS], 2)),
            website=f"https://{domain}", contact_email=f"hello@{domain}",
            logo="showcase/logos/loadtest.png",  # a name is enough to count as complete; the file is not served here
        ))
    for batch in _batches(listings):
        ShowcaseListing.objects.bulk_create(batch, ignore_conflicts=True)
    stdout(f"  showcase listings: {len(listings)}")

    # Sessions for the load generator: partner admins of Silver partners, and the PAMs.
    silver = [pid for pid, tier, _ in created if tier == "silver"][:load_users]
    partner_sessions = [_session_for(User.objects.get(pk=user_of[pid])) for pid in silver]
    pam_sessions = [_session_for(pam) for pam in pams]
    with open(out, "w") as handle:
        json.dump({"partner_sessions": partner_sessions, "pam_sessions": pam_sessions}, handle)
    stdout(f"sessions written to {out}")
