"""activity owns its tables: the typed audit actions and the set-based writes other apps call."""

from unittest import mock

import pytest
from django.db import connection

from activity import services
from activity.actions import AuditAction
from activity.models import AuditEntry, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_stored_action_reads_as_a_member_and_a_free_string_is_refused(partner):
    entry = services.audit_record(actor=None, action="tiers.tier_change", obj=partner)
    assert AuditAction(AuditEntry.objects.get(pk=entry.pk).action) is AuditAction.TIER_CHANGE
    with pytest.raises(ValueError, match="tiers.tier_chnage"):
        services.audit_record(actor=None, action="tiers.tier_chnage", obj=partner)


def test_audit_record_many_writes_what_audit_record_writes(partner, program_admin):
    one = services.audit_record(actor=program_admin, action=AuditAction.TIER_CHANGE, obj=partner, partner_id=partner.pk,
                                before={"tier": "bronze"}, after={"tier": "silver", "run": 7}, reason="Why, with, commas")
    written = services.audit_record_many(actor=program_admin, rows=[
        services.AuditRow(AuditAction.TIER_CHANGE, "partners.partner", partner.pk, str(partner), partner_id=partner.pk,
                          before={"tier": "bronze"}, after={"tier": "silver", "run": 7}, reason="Why, with, commas"),
        services.AuditRow(AuditAction.TIER_CHANGE, "partners.partner", 99, "x" * 300),
    ])
    assert written == 2
    many = AuditEntry.objects.exclude(pk=one.pk).order_by("id")
    fields = ("actor_id", "action", "object_type", "object_id", "object_repr", "partner_id", "before", "after", "reason")
    assert [getattr(many[0], f) for f in fields] == [getattr(one, f) for f in fields]
    assert (many[1].object_repr, many[1].reason, many[1].before, many[1].partner_id) == ("x" * 200, "", {}, None)


def test_audit_record_many_refuses_an_unknown_action():
    with pytest.raises(ValueError):
        services.audit_record_many(actor=None, rows=[services.AuditRow("nope.nope", "partners.partner", 1, "x")])


def test_notify_many_writes_in_order_and_sends_after_commit_in_chunks(django_capture_on_commit_callbacks, monkeypatch):
    users = UserFactory.create_batch(3)
    monkeypatch.setattr(services, "EMAIL_CHUNK", 2)
    rows = [services.NotificationRow(u.pk, "funding_info_requested", {"reference": f"R{i}" + "!" * 300, "reason": f"Body {i}"},
                                     "/tier/") for i, u in enumerate(users)]
    with mock.patch("activity.tasks.send_notification_emails.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            ids = services.notify_many(rows)
    written = list(Notification.objects.filter(pk__in=ids).order_by("id"))
    assert [(n.recipient_id, n.kind, n.params["reason"], n.display_body, n.url, n.to_email) for n in written] == [
        (u.pk, "funding_info_requested", f"Body {i}", f"Body {i}", "/tier/", "") for i, u in enumerate(users)]
    assert all((n.subject, n.body) == ("", "") for n in written)  # no words stored: rendered when read or sent
    assert [c.args[0] for c in delay.call_args_list] == [ids[:2], ids[2:]]


def test_notify_many_of_nothing_writes_nothing():
    with mock.patch("activity.tasks.send_notification_emails.delay") as delay:
        assert services.notify_many([]) == []
    assert not delay.called


def test_the_bulk_writes_are_one_statement_each_on_postgresql(partner, django_assert_num_queries):
    users = UserFactory.create_batch(5)
    assert connection.vendor == "postgresql"
    with django_assert_num_queries(1):
        services.audit_record_many(actor=None, rows=[
            services.AuditRow(AuditAction.TIER_CHANGE, "partners.partner", i, "p") for i in range(50)])
    with django_assert_num_queries(1):
        services.notify_many([services.NotificationRow(u.pk, "funding_rejected", {"reference": "R", "reason": "b"})
                              for u in users])


def test_every_action_the_services_write_is_a_member():
    """dealreg and funding pass their step to a helper that prefixes it; the prefixed name must be a member,
    or the write fails at run time (a free string cannot reach the audit trail)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for app, helper in (("dealreg", "_record"), ("funding", "_audit")):
        # A services module, or a services package (funding: one module per subject).
        package = root / app / "services"
        files = sorted(package.glob("*.py")) if package.is_dir() else [root / app / "services.py"]
        source = "\n".join(f.read_text() for f in files)
        steps = set(re.findall(helper + r'\((?:[^()]|\([^()]*\))*?action="(\w+)"', source))
        steps |= set(re.findall(r'action = "(\w+)" if \w+ else "(\w+)"', source)[0]) if app == "dealreg" else set()
        assert steps, app
        for step in steps:
            AuditAction(f"{app}.{step}")


def test_audit_record_select_writes_what_audit_record_writes(partner, program_admin):
    """The server-side write (a tier recalculation's ~75,000 entries) stores the same entry as audit_record."""
    one = services.audit_record(actor=program_admin, action=AuditAction.TIER_CHANGE, obj=partner, partner_id=partner.pk,
                                before={"tier": "bronze"}, after={"tier": "silver", "run": 7}, reason="Why, with, commas")
    written = services.audit_record_select(actor=program_admin, action=AuditAction.TIER_CHANGE, select=(
        "SELECT 'partners.partner', id::text, name, id, jsonb_build_object('tier', 'bronze'), "
        "jsonb_build_object('tier', 'silver', 'run', 7), %s FROM partners_partner WHERE id = %s"),
        params=["Why, with, commas", partner.pk])
    assert written == 1
    fields = ("actor_id", "action", "object_type", "object_id", "object_repr", "partner_id", "before", "after", "reason")
    other = AuditEntry.objects.exclude(pk=one.pk).get()
    assert [getattr(other, f) for f in fields] == [getattr(one, f) for f in fields]
    with pytest.raises(ValueError):
        services.audit_record_select(actor=None, action="nope.nope", select="SELECT 1", params=[])


def test_notify_select_writes_what_notify_many_writes_and_sends_after_commit(django_capture_on_commit_callbacks):
    users = UserFactory.create_batch(2)
    select = ("SELECT id, jsonb_build_object('reference', 'R' || id, 'reason', 'Body'), '/tier/' FROM partners_user "
              "WHERE id = ANY(%s)")
    with mock.patch("activity.tasks.send_notification_emails.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            ids = services.notify_select(kind="funding_info_requested", select=select, params=[[u.pk for u in users]])
    written = list(Notification.objects.filter(pk__in=ids).order_by("recipient_id"))
    assert [(n.recipient_id, n.kind, n.params, n.display_body, n.url, n.subject) for n in written] == [
        (u.pk, "funding_info_requested", {"reference": f"R{u.pk}", "reason": "Body"}, "Body", "/tier/", "")
        for u in sorted(users, key=lambda u: u.pk)]
    assert [c.args[0] for c in delay.call_args_list] == [ids]
    with pytest.raises(Exception, match="no-such-kind"):
        services.notify_select(kind="no-such-kind", select=select, params=[[]])
