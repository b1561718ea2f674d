"""Fixed people per role, as in the guide: a partner with its admin and member, another partner
(the outsider), the partner's PAM and PSA, a PAM of other partners, and a program admin."""

import datetime
from types import SimpleNamespace

import pytest

from partners.models import PartnerRole, StaffRole

from .celery_helpers import finished_tasks  # noqa: F401 - a fixture shared by the Celery worker tests
from .factories import PartnerFactory, UserFactory, accept_partner_agreement, program_year_like_2022


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english_until_asked():
    """Each test starts and ends in English: LocaleMiddleware leaves the last request's language active on
    the thread (Django does not reset it), so a request in French would otherwise turn the next test French."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate limits, throttles), deleting only this run's keys:
    the Redis server is shared with other runs and with the Celery broker."""
    from django.conf import settings
    from django.core.cache import cache

    prefix = settings.CACHES["default"].get("KEY_PREFIX")
    if prefix:
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _program_year_of_today(request):
    """Tests that use the database run on the machine's date (2026-12-01 when they were written), so the
    program year covering today exists, made as a program admin makes it: a published copy of 2022. A test
    about a day with no program year says so with ``@pytest.mark.without_current_year``; a test on other
    dates creates the years it needs (tests.factories.program_year_like_2022)."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db or request.node.get_closest_marker("without_current_year"):
        yield
        return
    request.getfixturevalue("_django_db_helper" if request.node.get_closest_marker("django_db") else "db")
    from django.utils import timezone

    from activity.models import AuditEntry

    program_year_like_2022(timezone.localdate().year)
    # The year is the test's starting point, not something a test did: its copy leaves no audit entry.
    AuditEntry.objects.all().delete()
    yield


@pytest.fixture
def freeze(monkeypatch):
    """``freeze(day)``: from now on the portal's clock reads noon of ``day`` (timezone.now and so localdate)."""
    from django.utils import timezone

    def _freeze(day, hour=12):
        moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return _freeze


@pytest.fixture
def program_admin(db):
    return UserFactory(email="admin@vendor.example", staff_role=StaffRole.PROGRAM_ADMIN)


@pytest.fixture
def pam(db):
    return UserFactory(email="pam@vendor.example", staff_role=StaffRole.PAM)


@pytest.fixture
def other_pam(db):
    return UserFactory(email="pam2@vendor.example", staff_role=StaffRole.PAM)


@pytest.fixture
def psa(db):
    return UserFactory(email="psa@vendor.example", staff_role=StaffRole.PSA)


@pytest.fixture
def partner(db, pam, psa):
    return PartnerFactory(name="Acme Consulting", domain="acme.example", tier="silver", pam=pam, psa=psa)


@pytest.fixture
def partner_admin(partner):
    user = UserFactory(email="admin@acme.example", partner=partner, partner_role=PartnerRole.ADMIN)
    accept_partner_agreement(partner, user)
    return user


@pytest.fixture
def partner_member(partner, partner_admin):
    return UserFactory(email="member@acme.example", partner=partner, partner_role=PartnerRole.MEMBER)


@pytest.fixture
def other_partner(db, other_pam):
    return PartnerFactory(name="Other Co", domain="other.example", tier="silver", pam=other_pam)


@pytest.fixture
def other_partner_admin(other_partner):
    user = UserFactory(email="admin@other.example", partner=other_partner, partner_role=PartnerRole.ADMIN)
    accept_partner_agreement(other_partner, user)
    return user


@pytest.fixture
def people(program_admin, pam, other_pam, psa, partner, partner_admin, partner_member, other_partner,
           other_partner_admin):
    """Everyone at once, by role name (the authorization matrix uses these names)."""
    return SimpleNamespace(
        anonymous=None, partner_admin=partner_admin, partner_member=partner_member,
        other_partner_admin=other_partner_admin, pam=pam, other_pam=other_pam, psa=psa,
        program_admin=program_admin, partner=partner, other_partner=other_partner,
    )


def pytest_collection_modifyitems(items):
    """Every transactional test restores the database it found (serialized rollback).

    The 2022 program is loaded by a data migration; a plain transactional test flushes it and lets
    post_migrate recreate content types with new ids, which breaks the tests after it. Restoring the
    serialized contents keeps both the program data and the content types as migrations left them.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True}),
                            append=False)
