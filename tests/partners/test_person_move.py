"""Moving a person to another partner takes their course completions along, on PostgreSQL and on SQLite.

Certified and trained people are counted from the completions alone (Completion.partner, a copy of the
person's partner). PostgreSQL keeps the copy equal through a composite foreign key with ON UPDATE CASCADE;
SQLite (`make run`) has none, so the service moves the completions itself. The SQLite case runs `manage.py`
in a subprocess with the local settings on a temporary SQLite file: the test process stays on PostgreSQL, and
SQLite gets the real migrations and the real service (settings `build_portal.settings.local`, as `make run`).
"""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activity.models import AuditEntry
from partners import services
from partners.models import Completion, Course, Person
from tiers import services as tier_services
from tiers.selectors import people_counts

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]


def roster(acme, other):
    """Acme: three platform-certified people; Other Co: one sales-trained person."""
    people = []
    for i in range(3):
        person = Person.objects.create(partner=acme, name=f"Dev {i}", email=f"dev{i}@acme.example")
        Completion.objects.create(person=person, course=Course.PLATFORM, completed_on=date(2022, 2, 1))
        people.append(person)
    seller = Person.objects.create(partner=other, name="Seller", email="seller@other.example", job_role="sales")
    Completion.objects.create(person=seller, course=Course.SELLERS_101, completed_on=date(2022, 2, 1))
    return people


def counts(partner, as_of=date(2022, 7, 1)):
    return people_counts(as_of=as_of, partner_ids={partner.pk}).get(partner.pk, (0, 0))


def test_a_moved_person_takes_their_completions_and_counts_for_the_new_partner(partner, other_partner,
                                                                              program_admin, partner_admin,
                                                                              other_partner_admin):
    dev = roster(partner, other_partner)[0]
    assert (counts(partner), counts(other_partner)) == ((3, 0), (0, 1))
    services.person_move(partner=partner, email="DEV0@acme.example", to_domain="https://www.other.example",
                         actor=program_admin, reason="Joined Other Co in June.")
    assert set(Completion.objects.filter(person=dev).values_list("partner_id", flat=True)) == {other_partner.pk}
    assert (counts(partner), counts(other_partner)) == ((2, 0), (1, 1))
    run = tier_services.run_preview(kind="midyear", as_of=date(2022, 7, 1))
    metrics = {a.partner_id: (a.certified_technical, a.sales_trained) for a in run.assessments.all()}
    assert (metrics[partner.pk], metrics[other_partner.pk]) == ((2, 0), (1, 1))
    entries = AuditEntry.objects.filter(action="partners.person_move")
    assert {e.partner_id for e in entries} == {partner.pk, other_partner.pk}
    assert entries.first().after["completions"] == 1 and entries.first().actor == program_admin


def test_the_page_and_the_api_move_a_person_and_bad_input_writes_nothing(client, partner, other_partner,
                                                                         program_admin):
    roster(partner, other_partner)
    client.force_login(program_admin)
    url = reverse("partners:person_move", kwargs={"pk": partner.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"email": "nobody@acme.example", "to_domain": "acme.example", "reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "has nobody with this email address" in page and "already on this partner" in page
    assert "Say why the person moves" in page
    assert counts(partner) == (3, 0)
    response = client.post(url, {"email": "dev1@acme.example", "to_domain": "other.example", "reason": "Joined."})
    assert response.status_code == 302
    api = reverse("api:person_move", kwargs={"pk": partner.pk})
    response = client.post(api, {"email": "dev2@acme.example", "to_domain": "nowhere.example", "reason": "x"},
                           content_type="application/json")
    assert response.status_code == 400 and "to_domain" in response.json()
    response = client.post(api, {"email": "dev2@acme.example", "to_domain": "other.example", "reason": "Joined."},
                           content_type="application/json")
    assert response.status_code == 200, response.json()
    assert (response.json()["partner"], response.json()["completions"]) == (other_partner.pk, 1)
    assert (counts(partner), counts(other_partner)) == ((1, 0), (2, 1))


def test_a_move_is_refused_when_the_new_partner_already_has_the_email(partner, other_partner, program_admin):
    roster(partner, other_partner)
    Person.objects.create(partner=other_partner, name="Dev 0 again", email="Dev0@acme.example")
    with pytest.raises(ValidationError) as error:
        services.person_move(partner=partner, email="dev0@acme.example", to_domain="other.example",
                             actor=program_admin, reason="Joined.")
    assert "already has someone with this email" in error.value.message_dict["email"][0]
    assert counts(partner) == (3, 0)


SQLITE_SCRIPT = """
import json
from datetime import date
from django.db import connection
from partners import services
from partners.models import Completion, Course, Partner, Person, User
from tiers.selectors import people_counts

acme = Partner.objects.create(name="Acme", website="https://acme.example", domain="acme.example", country="US",
                              tier="silver")
other = Partner.objects.create(name="Other", website="https://other.example", domain="other.example", country="US",
                               tier="silver")
admin = User.objects.create_user(email="admin@vendor.example", staff_role="program_admin")
for i in range(3):
    person = Person.objects.create(partner=acme, name=f"Dev {i}", email=f"dev{i}@acme.example")
    Completion.objects.create(person=person, course=Course.PLATFORM, completed_on=date(2022, 2, 1))
    if i == 0:
        Completion.objects.create(person=person, course=Course.SELLERS_101, completed_on=date(2022, 2, 1))
services.person_move(partner=acme, email="dev0@acme.example", to_domain="other.example", actor=admin,
                     reason="Joined Other.")
found = people_counts(as_of=date(2022, 7, 1), partner_ids={acme.pk, other.pk})
print("RESULT " + json.dumps({"vendor": connection.vendor, "acme": list(found.get(acme.pk, (0, 0))),
                              "other": list(found.get(other.pk, (0, 0)))}))
"""


def test_on_sqlite_a_moved_person_takes_their_completions_too(tmp_path):
    """`make run` uses SQLite: without the composite foreign key the old partner kept 3/1 instead of 2/0."""
    # The local settings (those of `make run`) on a temporary SQLite file, never the developer's db.sqlite3.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "build_portal.settings.local",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "CELERY_TASK_ALWAYS_EAGER": "true"}
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=REPO, env=env, check=True, capture_output=True,  # noqa: S603 - our own manage.py
                   timeout=300)
    out = subprocess.run([*manage, "shell", "-c", SQLITE_SCRIPT], cwd=REPO, env=env, check=True,  # noqa: S603
                         capture_output=True, text=True, timeout=120).stdout
    result = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[len("RESULT "):])
    assert result == {"vendor": "sqlite", "acme": [2, 0], "other": [1, 1]}
