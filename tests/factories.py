import datetime

import factory
from allauth.account.models import EmailAddress

from partners.models import Agreement, AgreementAcceptance, Completion, Course, Partner, PartnerRole, Person, User


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    domain = factory.Sequence(lambda n: f"partner{n}.example")
    website = factory.LazyAttribute(lambda o: f"https://{o.domain}")
    country = "US"
    tier = "registered"
    tier_since = datetime.date(2022, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-123")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})

    @factory.post_generation
    def mfa(obj, create, extracted, **kwargs):
        """Staff must have two-factor authentication set up (build_portal.middleware); pass mfa=False to test that."""
        if create and obj.staff_role and extracted is not False:
            activate_totp(obj)


class PartnerUserFactory(UserFactory):
    partner = factory.SubFactory(PartnerFactory)
    partner_role = PartnerRole.MEMBER


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.com")


class CompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Completion

    person = factory.SubFactory(PersonFactory)
    course = Course.PLATFORM
    completed_on = datetime.date(2022, 3, 1)
    expires_on = datetime.date(2024, 3, 1)


def activate_totp(user, secret="JBSWY3DPEHPK3PXP"):
    from allauth.mfa.totp.internal.auth import TOTP

    return TOTP.activate(user, secret)


def accept_partner_agreement(partner, user):
    agreement = Agreement.objects.get(kind=Agreement.Kind.PARTNER, is_current=True)
    return AgreementAcceptance.objects.get_or_create(agreement=agreement, partner=partner, defaults={"accepted_by": user})


def program_year_like_2022(year, *, status="published", source_year=2022):
    """The ``year`` program year as a program admin makes it: a copy of 2022 (settings, tiers, benefits),
    published unless asked otherwise. Returns the existing year when there is one (then status is left as is)."""
    from benefits.services import program_year_copy_with_benefits
    from program.models import ProgramYear
    from program.services import program_year_close, program_year_publish

    existing = ProgramYear.objects.filter(year=year).first()
    if existing is not None:
        return existing
    source = ProgramYear.objects.get(year=source_year)
    new = program_year_copy_with_benefits(source=source, year=year, user=None)
    if status in ("published", "closed"):
        new = program_year_publish(program_year=new)
    if status == "closed":
        new = program_year_close(program_year=new, today=new.ends_on + datetime.timedelta(days=1))
    return new


def benefit_of_this_year(code):
    """The benefit ``code`` of the program year covering today (the year the pages show)."""
    from django.utils import timezone

    from benefits.models import Benefit

    return Benefit.objects.get(program_year__year=timezone.localdate().year, code=code)
