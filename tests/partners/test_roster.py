"""People roster: the page (admins edit, members read), the CSV import (page, command) and the API."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from activity.models import AuditEntry
from partners.models import Completion, Person
from tests.factories import CompletionFactory, PersonFactory

pytestmark = pytest.mark.django_db

GOOD_CSV = """name,email,job_role,course,completed_on,expires_on
Ada Lovelace,ada@acme.example,technical,platform,2022-03-01,2030-03-01
Ada Lovelace,ada@acme.example,technical,sellers_101,2022-03-02,
Ben Seller,ben@acme.example,sales,sellers_101,2022-04-15,2030-04-15
Cy Other,cy@acme.example,other,,,
"""

BAD_CSV = """name,email,job_role,course,completed_on,expires_on
Ada Lovelace,ada@acme.example,technical,platform,2022-03-01,2030-03-01
Bad Date,bd@acme.example,technical,platform,2022-13-01,
Unknown Course,uc@acme.example,technical,kubernetes,2022-03-01,
Backwards,bw@acme.example,technical,platform,2022-03-01,2021-03-01
Ada Lovelace,ada@acme.example,technical,platform,2022-03-01,2030-03-01
No Email,,technical,platform,2022-03-01,
"""


def upload(content, name="roster.csv"):
    file = io.BytesIO(content.encode() if isinstance(content, str) else content)
    file.name = name
    return file


def test_import_page_writes_people_and_completions_and_is_idempotent(admin_client, partner, partner_admin):
    url = reverse("partners:people_import")
    response = admin_client.post(url, {"file": upload(GOOD_CSV)})
    assert response.status_code == 302
    assert Person.objects.filter(partner=partner).count() == 3
    assert Completion.objects.filter(person__partner=partner).count() == 3
    assert AuditEntry.objects.get(action="partners.roster_import").after["completions_created"] == 3
    assert partner_admin.notifications.filter(subject__startswith="Roster import").exists()
    admin_client.post(url, {"file": upload(GOOD_CSV)})
    assert Completion.objects.filter(person__partner=partner).count() == 3
    assert AuditEntry.objects.filter(action="partners.roster_import").order_by("id").last().after["completions_created"] == 0


def test_import_with_bad_rows_writes_nothing_and_lists_every_bad_row(admin_client, partner):
    response = admin_client.post(reverse("partners:people_import"), {"file": upload(BAD_CSV)})
    assert response.status_code == 400
    errors = [(e.line, e.field) for e in response.context["row_errors"]]
    assert errors == [(3, "completed_on"), (4, "course"), (5, "expires_on"), (6, "email"), (7, "email")]
    text = response.content.decode()
    assert "Nothing was imported" in text and "Duplicate in file" in text and "Email is missing" in text
    assert Person.objects.count() == 0 and Completion.objects.count() == 0
    assert not AuditEntry.objects.filter(action="partners.roster_import").exists()


def test_import_updates_expiry_and_names_of_existing_rows(admin_client, partner):
    person = PersonFactory(partner=partner, email="ada@acme.example", name="Ada L.")
    CompletionFactory(person=person, course="platform", completed_on=datetime.date(2022, 3, 1),
                      expires_on=datetime.date(2023, 1, 1))
    admin_client.post(reverse("partners:people_import"), {"file": upload(GOOD_CSV)})
    person.refresh_from_db()
    assert person.name == "Ada Lovelace"
    assert person.completions.get(course="platform").expires_on == datetime.date(2030, 3, 1)


@pytest.mark.parametrize("name, content, message", [
    ("roster.pdf", "name,email\n", "Upload a .csv file"),
    ("roster.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8"),
])
def test_import_rejects_files_that_are_not_csv(admin_client, name, content, message):
    response = admin_client.post(reverse("partners:people_import"), {"file": upload(content, name)})
    assert message in response.content.decode()
    assert Person.objects.count() == 0


def test_members_read_the_roster_but_cannot_change_it(client, partner_member, partner):
    PersonFactory(partner=partner, name="Visible Person")
    client.force_login(partner_member)
    page = client.get(reverse("partners:people"))
    assert b"Visible Person" in page.content and b"Import CSV" not in page.content
    assert client.post(reverse("partners:people_import"), {"file": upload(GOOD_CSV)}).status_code == 403
    assert client.post(reverse("partners:person_create"), {"name": "X", "email": "x@a.example",
                                                           "job_role": "sales"}).status_code == 403
    assert Person.objects.count() == 1


def test_roster_page_counts_current_completions_of_distinct_people(admin_client, partner):
    today = timezone.localdate()
    both = PersonFactory(partner=partner)
    CompletionFactory(person=both, course="platform", completed_on=today - datetime.timedelta(days=10), expires_on=None)
    CompletionFactory(person=both, course="platform", completed_on=today - datetime.timedelta(days=400),
                      expires_on=today + datetime.timedelta(days=1))
    CompletionFactory(person=both, course="sellers_101", completed_on=today - datetime.timedelta(days=10),
                      expires_on=today)
    expired = PersonFactory(partner=partner)
    CompletionFactory(person=expired, course="platform", completed_on=today - datetime.timedelta(days=800),
                      expires_on=today - datetime.timedelta(days=1))
    PersonFactory(partner=partner)
    counts = admin_client.get(reverse("partners:people")).context["counts"]
    assert (counts["people"], counts["certified"], counts["trained"]) == (3, 1, 1)


def test_add_edit_remove_a_person_and_a_completion(admin_client, partner):
    response = admin_client.post(reverse("partners:person_create"),
                                 {"name": "Dee", "email": "Dee@Acme.example", "job_role": "sales"})
    person = Person.objects.get(partner=partner)
    assert response["Location"] == reverse("partners:person_edit", args=[person.pk])
    assert person.email == "dee@acme.example"
    dup = admin_client.post(reverse("partners:person_create"), {"name": "D2", "email": "dee@acme.example",
                                                                "job_role": "sales"})
    assert "already on your roster" in dup.context["form"].errors["email"][0]
    admin_client.post(reverse("partners:person_edit", args=[person.pk]),
                      {"name": "Dee Dee", "email": "dee@acme.example", "job_role": "technical"})
    person.refresh_from_db()
    assert (person.name, person.job_role) == ("Dee Dee", "technical")
    bad = admin_client.post(reverse("partners:completion_add", args=[person.pk]),
                            {"course": "platform", "completed_on": "2022-03-01", "expires_on": "2022-01-01"})
    assert bad.status_code == 400 and "expires_on" in bad.context["completion_form"].errors
    admin_client.post(reverse("partners:completion_add", args=[person.pk]),
                      {"course": "platform", "completed_on": "2022-03-01"})
    completion = person.completions.get()
    admin_client.post(reverse("partners:completion_delete", args=[completion.pk]))
    assert not person.completions.exists()
    admin_client.post(reverse("partners:person_delete", args=[person.pk]))
    assert not Person.objects.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"partners.person_create", "partners.person_update", "partners.completion_add",
            "partners.completion_delete", "partners.person_delete"} <= actions


@pytest.mark.parametrize("data, field", [
    ({"name": "", "email": "a@acme.example", "job_role": "sales"}, "name"),
    ({"name": "A", "email": "nope", "job_role": "sales"}, "email"),
    ({"name": "A", "email": "a@acme.example", "job_role": "boss"}, "job_role"),
    ({"name": "A" * 151, "email": "a@acme.example", "job_role": "sales"}, "name"),
])
def test_person_form_bad_input(admin_client, data, field):
    response = admin_client.post(reverse("partners:person_create"), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Person.objects.exists()


def test_roster_page_query_count_does_not_grow(admin_client, partner, django_assert_max_num_queries):
    url = reverse("partners:people")
    for _ in range(2):
        CompletionFactory(person=PersonFactory(partner=partner))
    with django_assert_max_num_queries(12):
        admin_client.get(url)
    for _ in range(30):
        CompletionFactory(person=PersonFactory(partner=partner))
    with django_assert_max_num_queries(12):
        assert admin_client.get(url).status_code == 200


# --- the management command ------------------------------------------------------------------------

def test_command_imports_a_file(tmp_path, partner):
    path = tmp_path / "roster.csv"
    path.write_text(GOOD_CSV)
    out = io.StringIO()
    call_command("import_completions", "https://www.ACME.example", str(path), stdout=out)
    assert "3 people added" in out.getvalue()
    assert Completion.objects.filter(person__partner=partner).count() == 3
    assert AuditEntry.objects.get(action="partners.roster_import").actor is None


def test_command_reports_every_bad_row_and_writes_nothing(tmp_path, partner):
    path = tmp_path / "roster.csv"
    path.write_text(BAD_CSV)
    err = io.StringIO()
    with pytest.raises(CommandError, match="5 problem"):
        call_command("import_completions", "acme.example", str(path), stderr=err)
    assert "line 3: completed_on" in err.getvalue() and "line 7: email" in err.getvalue()
    assert Person.objects.count() == 0


def test_command_unknown_partner_or_file(tmp_path, partner):
    with pytest.raises(CommandError, match="No partner"):
        call_command("import_completions", "nobody.example", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_completions", "acme.example", str(tmp_path / "x.csv"))


# --- API ---------------------------------------------------------------------------------------------

def test_api_lists_and_creates_people(admin_api, partner, other_partner):
    PersonFactory(partner=other_partner, name="Not Mine")
    created = admin_api.post(reverse("api:person_list"),
                             {"name": "Eve", "email": "eve@acme.example", "job_role": "technical",
                              "partner": other_partner.pk}, format="json")
    assert created.status_code == 201
    assert Person.objects.get(email="eve@acme.example").partner == partner  # mass assignment ignored
    names = [p["name"] for p in admin_api.get(reverse("api:person_list")).json()["results"]]
    assert names == ["Eve"]


@pytest.mark.parametrize("data, field", [
    ({"email": "a@acme.example"}, "name"),
    ({"name": "A", "email": "bad"}, "email"),
    ({"name": "A", "email": "a@acme.example", "job_role": "boss"}, "job_role"),
    ({"name": ["A"], "email": "a@acme.example"}, "name"),
])
def test_api_person_bad_input(admin_api, data, field):
    response = admin_api.post(reverse("api:person_list"), data, format="json")
    assert response.status_code == 400 and field in response.json()


def test_api_upserts_completions_by_email_course_and_date(admin_api, partner):
    url = reverse("api:completion_upsert")
    rows = [{"email": "fay@acme.example", "name": "Fay", "course": "platform", "completed_on": "2022-01-10",
             "expires_on": "2024-01-10"}]
    first = admin_api.post(url, {"rows": rows}, format="json")
    assert first.status_code == 200 and first.json()["completions_created"] == 1
    rows[0]["expires_on"] = "2025-01-10"
    second = admin_api.post(url, {"rows": rows}, format="json").json()
    assert second["completions_created"] == 0 and second["completions_updated"] == 1
    assert Completion.objects.get().expires_on == datetime.date(2025, 1, 10)


def test_api_upsert_reports_row_errors_and_writes_nothing(admin_api):
    rows = [
        {"email": "ok@acme.example", "name": "Ok", "course": "platform", "completed_on": "2022-01-10"},
        {"email": "x@acme.example", "name": "X", "course": "platform", "completed_on": ["2022-01-10"]},
        {"email": "y@acme.example", "course": "platform", "completed_on": "2022-01-10"},
        {"email": "z@acme.example", "name": "Z", "course": "platform", "completed_on": "2022-01-10", "status": "x"},
    ]
    response = admin_api.post(reverse("api:completion_upsert"), {"rows": rows}, format="json")
    assert response.status_code == 400
    assert [(e["row"], e["field"]) for e in response.json()["rows"]] == [(2, "completed_on"), (3, "name"), (4, "row")]
    assert Person.objects.count() == 0


@pytest.mark.parametrize("body", [{}, {"rows": []}, {"rows": "abc"}, {"rows": [1, 2]}])
def test_api_upsert_bad_shape(admin_api, body):
    response = admin_api.post(reverse("api:completion_upsert"), body, format="json")
    assert response.status_code == 400 and "rows" in response.json()


def test_api_people_query_count_does_not_grow(admin_api, partner, django_assert_max_num_queries):
    url = reverse("api:person_list")
    CompletionFactory(person=PersonFactory(partner=partner))
    with django_assert_max_num_queries(5):
        admin_api.get(url)
    for _ in range(30):
        CompletionFactory(person=PersonFactory(partner=partner))
    with django_assert_max_num_queries(5):
        assert admin_api.get(url).json()["count"] == 31


# --- Completion.partner: the person's partner, copied for the tier engine -------------------------------


def test_a_completion_takes_its_persons_partner(partner):
    completion = CompletionFactory(person=PersonFactory(partner=partner))
    assert completion.partner_id == partner.pk


def test_an_imported_completion_takes_the_importing_partner(admin_client, partner):
    admin_client.post(reverse("partners:people_import"), {"file": upload(GOOD_CSV)})
    assert set(Completion.objects.values_list("partner_id", flat=True)) == {partner.pk}


@pytest.mark.django_db(transaction=True)
def test_the_database_keeps_a_completions_partner_equal_to_its_persons(partner, other_partner):
    from django.db import IntegrityError, transaction

    person = PersonFactory(partner=partner)
    completion = CompletionFactory(person=person)
    # A person moved to another company takes their completions along (ON UPDATE CASCADE)...
    Person.objects.filter(pk=person.pk).update(partner=other_partner)
    completion.refresh_from_db()
    assert completion.partner_id == other_partner.pk
    # ... and a completion cannot claim a partner its person does not belong to.
    with pytest.raises(IntegrityError), transaction.atomic():
        Completion.objects.filter(pk=completion.pk).update(partner=partner)
