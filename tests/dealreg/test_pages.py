"""The partner's and the PAM's pages: form errors next to fields, list filters, detail history, decisions."""

import datetime

import pytest
from django.urls import reverse

from dealreg import services
from dealreg.models import DealRegistration, Opportunity

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "customer_company": "Globex Corporation", "website": "www.globex.example", "country": "us",
        "contact_name": "Hank Scorpio", "contact_email": "hank@globex.example", "products": ["flex", "segment"],
        "use_case": "Contact centre", "estimated_arr_usd": "50000",
        "expected_close_date": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def test_partner_registers_a_deal(client, partner_member):
    client.force_login(partner_member)
    response = client.post(reverse("dealreg:create"), _form())
    registration = DealRegistration.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dealreg:detail", args=[registration.pk])
    assert (registration.domain, registration.country, registration.products) == ("globex.example", "US",
                                                                                  ["flex", "segment"])


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"customer_company": ""}, "customer_company", "This field is required."),
    ({"estimated_arr_usd": "0"}, "estimated_arr_usd", "more than 0 USD"),
    ({"estimated_arr_usd": "ten"}, "estimated_arr_usd", "Enter a number."),
    ({"expected_close_date": "2020-01-01"}, "expected_close_date", "must be in the future"),
    ({"contact_email": "not-an-email"}, "contact_email", "valid email"),
    ({"country": "USA"}, "country", "USA is not an ISO 3166-1 country code"),
    ({"country": "XX"}, "country", "XX is not an ISO 3166-1 country code"),
    ({"country": "uk"}, "country", "UK is not an ISO 3166-1 country code; use GB."),
    ({"country": "1A"}, "country", "not an ISO 3166-1 country code"),
    ({"customer_company": "x" * 201}, "customer_company", "at most 200"),
    ({"products": ["teleport"]}, "products", "Select a valid choice"),
    ({"website": "http://"}, "website", "website domain"),
])
def test_form_errors_are_shown_next_to_the_field(client, partner_member, overrides, field, message):
    client.force_login(partner_member)
    response = client.post(reverse("dealreg:create"), _form(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message.split("'")[0] in response.content.decode().replace("&#x27;", "'")
    assert DealRegistration.objects.count() == 0


def test_second_registration_for_the_domain_names_the_first(client, partner_member, registration):
    client.force_login(partner_member)
    response = client.post(reverse("dealreg:create"), _form(website="https://globex.example/x"))
    assert registration.reference in response.context["form"].errors["website"][0]


def test_mass_assignment_is_ignored(client, partner_member, other_partner):
    client.force_login(partner_member)
    client.post(reverse("dealreg:create"), _form(status="approved", partner=other_partner.pk, expires_on="2099-01-01"))
    registration = DealRegistration.objects.get()
    assert (registration.status, registration.partner_id, registration.expires_on) == (
        "submitted", partner_member.partner_id, None)


def test_list_filters_and_searches_only_own_registrations(client, partner_member, submit, partner_admin,
                                                          other_partner_admin, pam):
    mine = submit(partner_admin, customer_company="Initech", website="initech.example")
    other = submit(partner_admin, customer_company="Hooli", website="hooli.example")
    services.registration_approve(registration=other, reviewer=pam, reason="ok")
    submit(other_partner_admin, customer_company="Initech Rival", website="initech.example")
    client.force_login(partner_member)
    rows = lambda **q: list(client.get(reverse("dealreg:list"), q).context["page"].object_list)  # noqa: E731
    assert {r.pk for r in rows()} == {mine.pk, other.pk}
    assert [r.pk for r in rows(status="approved")] == [other.pk]
    assert [r.pk for r in rows(q="initech")] == [mine.pk]
    assert [r.pk for r in rows(q=mine.reference)] == [mine.pk]
    assert len(rows(status="nonsense")) == 2  # an unknown status filter is ignored, not a 500


def test_detail_shows_history_with_who_when_why(client, registration, pam, partner_admin):
    services.registration_request_info(registration=registration, reviewer=pam, question="Which region?")
    client.force_login(partner_admin)
    html = client.get(reverse("dealreg:detail", args=[registration.pk])).content.decode()
    assert "Information requested" in html and "Which region?" in html and str(pam) in html
    assert "Your PAM needs more information" in html
    assert "Conflict check" not in html  # other partners' activity is for staff eyes only


def test_partner_answers_and_withdraws_on_the_page(client, registration, pam, partner_member):
    services.registration_request_info(registration=registration, reviewer=pam, question="Which region?")
    client.force_login(partner_member)
    response = client.post(reverse("dealreg:respond", args=[registration.pk]), {"answer": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    client.post(reverse("dealreg:respond", args=[registration.pk]), {"answer": "EMEA"})
    client.post(reverse("dealreg:withdraw", args=[registration.pk]), {"reason": "Customer paused."})
    registration.refresh_from_db()
    assert registration.status == "withdrawn"
    response = client.post(reverse("dealreg:withdraw", args=[registration.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "cannot withdraw a registration that is withdrawn" in response.content.decode()


def test_pam_decides_on_the_page(client, registration, pam):
    client.force_login(pam)
    url = reverse("dealreg:decide", args=[registration.pk])
    response = client.post(url, {"decision": "reject", "reason_code": "", "reason": "No."})
    assert response.status_code == 400 and "Choose a rejection reason." in response.content.decode()
    client.post(url, {"decision": "reject", "reason_code": "not_a_fit", "reason": "Too small."})
    registration.refresh_from_db()
    assert (registration.status, registration.reject_reason) == ("rejected", "not_a_fit")


def test_pam_marks_won_on_the_page(client, registration, pam):
    services.registration_approve(registration=registration, reviewer=pam, reason="ok")
    client.force_login(pam)
    url = reverse("dealreg:outcome", args=[registration.pk])
    response = client.post(url, {"outcome": "win", "final_arr_usd": "", "closed_on": ""})
    assert response.status_code == 400 and "more than 0 USD" in response.content.decode()
    client.post(url, {"outcome": "win", "final_arr_usd": "70000", "closed_on": datetime.date.today().isoformat()})
    registration.refresh_from_db()
    assert registration.status == "won" and registration.opportunity.stage == "closed_won"


def test_queue_oldest_first_with_overdue_and_conflicts(client, pam, submit, partner_admin, other_partner_admin,
                                                       program_year):
    old = submit(partner_admin, website="old.example")
    new = submit(partner_admin, website="new.example")
    DealRegistration.objects.filter(pk=old.pk).update(
        waiting_since=old.waiting_since - datetime.timedelta(days=10))
    submit(other_partner_admin, website="new.example")  # the other partner's, with its own PAM
    client.force_login(pam)
    response = client.get(reverse("dealreg:queue"))
    rows = list(response.context["page"].object_list)
    assert [r.pk for r in rows] == [old.pk, new.pk]
    assert rows[0].is_overdue and not rows[1].is_overdue
    assert rows[1].conflict_other_partner and not rows[0].conflict_other_partner
    html = response.content.decode()
    assert "Overdue" in html and "Other partner" in html
    overdue = client.get(reverse("dealreg:queue"), {"overdue": "1"}).context["page"].object_list
    assert [r.pk for r in overdue] == [old.pk]


def test_queue_does_not_flag_an_approved_registrations_own_opportunity(client, pam, submit, partner_admin):
    approved = services.registration_approve(registration=submit(partner_admin, website="own.example"),
                                             reviewer=pam, reason="ok")
    waiting = submit(partner_admin, website="imported.example")
    Opportunity.objects.create(external_id="SF-7", account_name="Imported", domain="imported.example",
                               product_line="flex", arr_usd=1)
    client.force_login(pam)
    rows = {r.pk: r for r in client.get(reverse("dealreg:queue"), {"status": "all"}).context["page"].object_list}
    assert not rows[approved.pk].conflict_opportunity
    assert rows[waiting.pk].conflict_opportunity
    html = client.get(reverse("dealreg:queue"), {"status": "approved"}).content.decode()
    assert approved.reference in html and '>Opportunity</span>' not in html


def test_pam_queue_includes_partners_without_pam_but_not_other_pams(client, pam, other_pam, submit, partner_admin,
                                                                   other_partner_admin, other_partner):
    mine = submit(partner_admin, website="a.example")
    theirs = submit(other_partner_admin, website="b.example")
    client.force_login(pam)
    assert [r.pk for r in client.get(reverse("dealreg:queue")).context["page"].object_list] == [mine.pk]
    other_partner.pam = None
    other_partner.save()
    assert {r.pk for r in client.get(reverse("dealreg:queue")).context["page"].object_list} == {mine.pk, theirs.pk}


def test_program_admin_manager_view_filters_by_pam(client, program_admin, pam, other_pam, submit, partner_admin,
                                                   other_partner_admin):
    mine = submit(partner_admin, website="a.example")
    theirs = submit(other_partner_admin, website="b.example")
    client.force_login(program_admin)
    response = client.get(reverse("dealreg:queue"))
    assert {r.pk for r in response.context["page"].object_list} == {mine.pk, theirs.pk}
    assert "manager view" in response.content.decode()
    filtered = client.get(reverse("dealreg:queue"), {"pam": other_pam.pk}).context["page"].object_list
    assert [r.pk for r in filtered] == [theirs.pk]


def test_queue_shows_the_partners_other_registrations_for_the_domain(client, pam, submit, partner_admin):
    first = submit(partner_admin)
    services.registration_withdraw(registration=first, user=partner_admin)
    second = submit(partner_admin)
    client.force_login(pam)
    row = client.get(reverse("dealreg:queue")).context["page"].object_list[0]
    assert row.pk == second.pk and [o.pk for o in row.same_partner_others] == [first.pk]


def test_a_long_queue_is_counted_only_up_to_its_cap(client, pam, submit, partner_admin, monkeypatch):
    from dealreg.views import QueuePaginator

    monkeypatch.setattr(QueuePaginator, "CAP", 2)
    oldest = [submit(partner_admin, website=f"c{n}.example") for n in range(3)]
    client.force_login(pam)
    response = client.get(reverse("dealreg:queue"))
    page = response.context["page"]
    assert [r.pk for r in page.object_list] == [r.pk for r in oldest[:2]]
    assert page.paginator.more_than_cap
    assert "the oldest 2 of more than 2: narrow with the filters or the search" in response.content.decode()
    # Narrowed below the cap, the count is exact again.
    narrowed = client.get(reverse("dealreg:queue"), {"q": "c1.example"}).context["page"]
    assert not narrowed.paginator.more_than_cap and narrowed.paginator.count == 1


def test_the_queue_count_reads_ids_only(client, pam, submit, partner_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submit(partner_admin)
    client.force_login(pam)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("dealreg:queue"))
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)")
              and "dealreg_dealregistration" in q["sql"]]
    # The conflict flags (EXISTS subqueries) are computed for the rows shown, not inside the count.
    assert counts and all("EXISTS" not in sql for sql in counts)


def test_review_page_names_the_conflicting_registration_and_a_refusal_is_said_once(
        client, program_admin, submit, partner_admin, other_partner_admin):
    theirs = submit(other_partner_admin, website="contested.example")
    mine = submit(partner_admin, website="contested.example")
    services.registration_approve(registration=theirs, reviewer=program_admin, reason="first")
    client.force_login(program_admin)
    body = client.get(reverse("dealreg:detail", args=[mine.pk])).content.decode()
    assert f'href="{reverse("dealreg:detail", args=[theirs.pk])}">{theirs.reference}</a>' in body
    assert f'href="{reverse("staff:partner", args=[theirs.partner_id])}">Other Co</a>' in body
    response = client.post(reverse("dealreg:decide", args=[mine.pk]),
                           {"decision": "approve", "reason_code": "", "reason": "ok"}, follow=True)
    html = response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "submitted"
    refusals = [line for line in html.splitlines() if "approved registration" in line.lower()]
    assert len(refusals) == 1, refusals
