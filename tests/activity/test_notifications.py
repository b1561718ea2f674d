"""Notifications in the app: list with unread/read, mark one or all read, unread count in the navigation; API."""

import pytest
from django.urls import reverse

from activity.models import Notification
from activity.services import notify

pytestmark = pytest.mark.django_db


def note(user, reference, reason, url=""):
    """A notification whose subject reads "<reference> was not approved"."""
    notify(recipients=[user], kind="funding_rejected", params={"reference": reference, "reason": reason}, url=url)


@pytest.fixture
def inbox(partner_admin, partner_member):
    note(partner_admin, "First", "One", url="/partner/people/")
    note(partner_admin, "Second", "Two")
    note(partner_member, "Not yours", "Three")
    return list(Notification.objects.filter(recipient=partner_admin).order_by("id"))


def test_list_shows_own_notifications_and_the_unread_count(client, partner_admin, inbox):
    client.force_login(partner_admin)
    response = client.get(reverse("activity:notifications"))
    body = response.content.decode()
    assert "First" in body and "Second" in body and "Not yours" not in body
    assert response.context["unread_notifications"] == 2
    assert 'aria-label="2 unread"' in body  # the badge in the navigation


def test_mark_one_read_then_filter_unread(client, partner_admin, inbox):
    client.force_login(partner_admin)
    response = client.post(reverse("activity:notification_read", args=[inbox[0].pk]), {"open": "1"})
    assert response["Location"] == "/partner/people/"
    unread = client.get(reverse("activity:notifications"), {"show": "unread"}).context["page"]
    assert [n.subject for n in unread] == ["Second was not approved"]


def test_mark_all_read(client, partner_admin, partner_member, inbox):
    client.force_login(partner_admin)
    client.post(reverse("activity:notifications_read_all"))
    assert not Notification.objects.filter(recipient=partner_admin, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=partner_member, read_at__isnull=True).count() == 1


def test_next_parameter_cannot_leave_the_site(client, partner_admin, inbox):
    client.force_login(partner_admin)
    response = client.post(reverse("activity:notification_read", args=[inbox[1].pk]),
                           {"next": "https://evil.example/"})
    assert response["Location"] == reverse("activity:notifications")


def test_someone_elses_notification_is_404(client, partner_member, inbox):
    client.force_login(partner_member)
    assert client.post(reverse("activity:notification_read", args=[inbox[0].pk])).status_code == 404
    assert client.post(reverse("api:notification_read", args=[inbox[0].pk])).status_code == 404
    assert client.post(reverse("activity:notification_read", args=[999999])).status_code == 404


def test_api_list_unread_and_mark(client, partner_admin, inbox):
    client.force_login(partner_admin)
    listed = client.get(reverse("api:notification_list")).json()
    assert [(n["kind"], n["subject"], n["body"]) for n in listed["results"]] == [
        ("funding_rejected", "Second was not approved", "Two"), ("funding_rejected", "First was not approved", "One")]
    assert client.get(reverse("api:notification_unread_count")).json() == {"unread": 2, "unread_is_capped": False}
    assert client.post(reverse("api:notification_read", args=[inbox[0].pk])).json() == {"marked": 1}
    unread = client.get(reverse("api:notification_list"), {"unread": "true"}).json()
    assert [n["subject"] for n in unread["results"]] == ["Second was not approved"]
    assert client.post(reverse("api:notifications_read_all")).json() == {"marked": 1}
    assert client.get(reverse("api:notification_unread_count")).json() == {"unread": 0, "unread_is_capped": False}


def test_api_mark_read_rejects_other_methods_and_bad_ids(client, partner_admin, inbox):
    client.force_login(partner_admin)
    assert client.get(reverse("api:notification_read", args=[inbox[0].pk])).status_code == 405
    assert client.get("/api/v1/notifications/abc/read/").status_code == 404


def test_list_query_count_does_not_grow(client, partner_admin, django_assert_max_num_queries):
    client.force_login(partner_admin)
    note(partner_admin, "One", "x")
    with django_assert_max_num_queries(10):
        client.get(reverse("activity:notifications"))
    with django_assert_max_num_queries(6):
        client.get(reverse("api:notification_list"))
    for i in range(40):
        note(partner_admin, f"N{i}", "x")
    with django_assert_max_num_queries(10):
        client.get(reverse("activity:notifications"))
    with django_assert_max_num_queries(6):
        assert client.get(reverse("api:notification_list")).json()["count"] == 41


def test_a_notification_needs_a_recipient_or_an_address(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Notification.objects.create(subject="Nobody", body="x")


def test_the_unread_count_stops_at_99(client, partner_admin, monkeypatch):
    from activity import selectors

    note(partner_admin, "Many", "Again")
    Notification.objects.bulk_create(
        [Notification(recipient=partner_admin, subject=f"Many {i}", body="Again") for i in range(100)])
    client.force_login(partner_admin)
    response = client.get(reverse("activity:notifications"))
    assert response.context["unread_notifications"] == 99
    assert 'aria-label="99+ unread"' in response.content.decode()
    # The API answers the exact number up to its own cap, then says there are more.
    assert client.get(reverse("api:notification_unread_count")).json() == {"unread": 101, "unread_is_capped": False}
    monkeypatch.setattr(selectors, "UNREAD_API_CAP", 100)
    assert client.get(reverse("api:notification_unread_count")).json() == {"unread": 100, "unread_is_capped": True}


def test_list_queries_do_not_grow_and_the_count_is_capped(client, partner_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from activity import selectors

    client.force_login(partner_admin)
    Notification.objects.bulk_create(
        [Notification(recipient=partner_admin, subject=f"N {i}", body="b") for i in range(30)])
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("activity:notifications"))
    Notification.objects.bulk_create(
        [Notification(recipient=partner_admin, subject=f"M {i}", body="b") for i in range(300)])
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("activity:notifications"), {"page": 3})
    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.context["page"].paginator.count == 330
    paginator = selectors.CappedPaginator(Notification.objects.filter(recipient=partner_admin), 25, cap=100)
    assert paginator.count == 100 and str(paginator.count) == "100+" and paginator.num_pages == 4
    assert str(selectors.CappedPaginator(Notification.objects.filter(recipient=partner_admin), 25).count) == "330"


def test_api_list_count_stops_at_the_cap(client, partner_admin, monkeypatch):
    from activity import selectors

    Notification.objects.bulk_create(
        [Notification(recipient=partner_admin, subject=f"N {i}", body="b") for i in range(30)])
    client.force_login(partner_admin)
    body = client.get(reverse("api:notification_list")).json()
    assert body["count"] == 30 and body["count_is_capped"] is False
    monkeypatch.setattr(selectors.CappedPaginator, "CAP", 20)
    body = client.get(reverse("api:notification_list")).json()
    assert body["count"] == 20 and body["count_is_capped"] is True and body["next"] is None


def test_the_navigation_count_is_the_users_unread_only(client, partner_admin, partner_member, inbox):
    """activity.selectors.unread_count, written as one statement: this user's unread notifications, none of
    another's, none read; true after a notification arrives and after one is read."""
    from activity.selectors import unread_count

    client.force_login(partner_admin)
    assert unread_count(partner_admin) == 2 and not unread_count(partner_admin).capped
    assert unread_count(partner_member) == 1
    note(partner_admin, "Third", "Four")
    assert client.get(reverse("activity:notifications")).context["unread_notifications"] == 3
    client.post(reverse("activity:notification_read", args=[inbox[0].pk]))
    assert client.get(reverse("activity:notifications")).context["unread_notifications"] == 2
    assert unread_count(partner_member) == 1
