"""Notifications are private to their recipient (the partner's admin here): anyone else gets 404."""

from activity.models import Notification

from .matrix import LOGIN, Case, expect


def world(people):
    notification = Notification.objects.create(recipient=people.partner_admin, subject="Hello", body="Body")
    return {"activity_notification": notification}


def notification_kw(w):
    return {"pk": w["activity_notification"].pk}


OWN_ONLY_POST = expect(404, anonymous=LOGIN, partner_admin=302)

CASES = [
    Case("activity:notifications", expect(200, anonymous=LOGIN)),
    Case("activity:notification_read", OWN_ONLY_POST, kwargs=notification_kw, method="post"),
    Case("activity:notifications_read_all", expect(302, anonymous=LOGIN), method="post"),
    Case("api:notification_list", expect(200, anonymous=403)),
    Case("api:notification_unread_count", expect(200, anonymous=403)),
    Case("api:notification_read", expect(404, anonymous=403, partner_admin=200), kwargs=notification_kw,
         method="post"),
    Case("api:notifications_read_all", expect(200, anonymous=403), method="post"),
]
