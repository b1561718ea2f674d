"""The partner's list, the PAM's queue and the API lists run a fixed number of queries, whatever the number
of registrations (checked at two sizes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dealreg import services
from tests.factories import PartnerFactory, UserFactory

from .conftest import registration_data

pytestmark = pytest.mark.django_db


def _seed(partner_admin, pam, n):
    """n registrations of the partner, every other one with a conflicting one of another partner."""
    for i in range(n):
        domain = f"customer{i}-{n}.example"
        services.registration_submit(partner=partner_admin.partner, submitted_by=partner_admin,
                                     **registration_data(website=domain))
        if i % 2:
            other = PartnerFactory(tier="silver", pam=pam)
            user = UserFactory(partner=other, partner_role="admin")
            services.registration_submit(partner=other, submitted_by=user, **registration_data(website=domain))


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("user", "url"), [
    ("partner_admin", "dealreg:list"),
    ("pam", "dealreg:queue"),
    ("program_admin", "dealreg:queue"),
    ("partner_admin", "api:dealreg-registrations"),
    ("pam", "api:dealreg-queue"),
])
def test_list_queries_do_not_grow(client, people, django_assert_max_num_queries, user, url):
    client.force_login(getattr(people, user))
    _seed(people.partner_admin, people.pam, 3)
    small = _count(client, reverse(url))
    _seed(people.partner_admin, people.pam, 20)
    with django_assert_max_num_queries(small):
        client.get(reverse(url))


def test_queue_with_filters_stays_flat(client, people, django_assert_max_num_queries):
    client.force_login(people.program_admin)
    params = {"overdue": "1", "pam": str(people.pam.pk), "q": "customer", "status": "submitted"}
    _seed(people.partner_admin, people.pam, 2)
    small = _count(client, reverse("dealreg:queue"), params)
    _seed(people.partner_admin, people.pam, 15)
    with django_assert_max_num_queries(small):
        client.get(reverse("dealreg:queue"), params)


def test_detail_history_is_one_query(client, people, django_assert_max_num_queries):
    registration = services.registration_submit(partner=people.partner, submitted_by=people.partner_admin,
                                                **registration_data())
    client.force_login(people.pam)
    url = reverse("dealreg:detail", args=[registration.pk])
    small = _count(client, url)
    for _ in range(5):
        services.registration_request_info(registration=registration, reviewer=people.pam, question="?")
        services.registration_respond(registration=registration, user=people.partner_admin, answer="!")
    assert registration.events.count() == 11
    with django_assert_max_num_queries(small):
        client.get(url)


def _post_registration(client, website):
    data = registration_data(website=website, contact_email=f"casey@{website}")
    data["estimated_arr_usd"] = str(data["estimated_arr_usd"])
    data["expected_close_date"] = data["expected_close_date"].isoformat()
    response = client.post(reverse("dealreg:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_submission_queries_do_not_grow(client, people, django_assert_max_num_queries):
    """The submission page's POST (the load test's "deal registration submit"): the duplicate and conflict
    checks are single queries whatever the partner's and the other partners' registrations, also when
    other partners registered the same customer."""
    client.force_login(people.partner_admin)
    _seed(people.partner_admin, people.pam, 2)
    with CaptureQueriesContext(connection) as small:
        _post_registration(client, "first-new-customer.example")
    # The rules' reads (the excluded domains, the year's limits) run once: a form of the right shape leaves the
    # rules to the submission service instead of checking them before it too.
    for table in ("dealreg_excludedcustomerdomain", "dealreg_dealregistrationlimits"):
        assert sum(f'FROM "{table}"' in q["sql"] for q in small.captured_queries) == 1, table
    _seed(people.partner_admin, people.pam, 20)
    for _ in range(5):
        other = PartnerFactory(tier="silver", pam=people.pam)
        services.registration_submit(partner=other, submitted_by=UserFactory(partner=other, partner_role="admin"),
                                     **registration_data(website="second-new-customer.example"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        _post_registration(client, "second-new-customer.example")


def test_the_partner_list_reads_the_newest_first_index(people):
    """Migration 0008: a partner's page of registrations, newest first, is an index walk, not a sort of all of them."""
    from dealreg import access

    _seed(people.partner_admin, people.pam, 3)
    page = access.registrations_visible_to(people.partner_admin)[:25]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows would be scanned and sorted
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "dealreg_partner_newest" in plan and "Sort" not in plan, plan


def test_the_partner_list_and_api_count_at_most_the_cap(client, people, monkeypatch):
    from activity.selectors import CappedPaginator

    _seed(people.partner_admin, people.pam, 4)
    monkeypatch.setattr(CappedPaginator, "CAP", 3)
    client.force_login(people.partner_admin)
    page = client.get(reverse("dealreg:list")).context["page"]
    assert (page.paginator.count, str(page.paginator.count)) == (3, "3+")
    body = client.get(reverse("api:dealreg-registrations")).json()
    assert body["count"] == 3 and body["count_is_capped"] is True
