"""What an apply locks while it runs, seen from a second real connection: the partners that change tier are
held against other writes to their rows (a designation waits, then the re-check skips the partner), but not
against new rows that point at them (a deal registration, a person, a completion), whose foreign-key check
takes a key-share lock on the partner. A large annual run holds its partners for the whole apply."""

from datetime import date

import psycopg2
import pytest
from django.db import connection
from psycopg2 import errors

from partners.models import Partner
from tiers import services

from .conftest import partners_moving_up

pytestmark = pytest.mark.django_db(transaction=True)


def other_connection():
    other = psycopg2.connect(**connection.get_connection_params())
    with other.cursor() as cursor:
        cursor.execute("SET lock_timeout = '2s'")
    other.commit()
    return other


def test_an_apply_holds_its_partners_against_writes_but_not_against_rows_pointing_at_them(monkeypatch,
                                                                                           program_admin):
    climber, _ = partners_moving_up(2)
    run = services.run_preview(kind="annual", as_of=date(2023, 1, 1))
    seen = {}
    audit_record_select = services.audit_record_select

    def while_the_partners_are_held(**kwargs):
        # The changing partners are locked (the first statement of the apply) and the tiers not yet written.
        other = other_connection()
        try:
            with other.cursor() as cursor:
                # What the foreign key of a new deal registration, person or completion takes on its partner.
                cursor.execute(f"SELECT id FROM {Partner._meta.db_table} WHERE id = %s FOR KEY SHARE",  # noqa: S608
                               [climber.pk])
                seen["key share"] = cursor.fetchone() == (climber.pk,)
            other.rollback()
            with other.cursor() as cursor, pytest.raises(errors.LockNotAvailable):
                cursor.execute(f"UPDATE {Partner._meta.db_table} SET tier = 'global_strategic' WHERE id = %s",  # noqa: S608
                               [climber.pk])
            seen["write waits"] = True
        finally:
            other.rollback()
            other.close()
        return audit_record_select(**kwargs)

    monkeypatch.setattr(services, "audit_record_select", while_the_partners_are_held)
    run, applied = services.run_apply(run=run, user=program_admin)

    assert seen == {"key share": True, "write waits": True}
    assert applied and run.changed_count == 2
