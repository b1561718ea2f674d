"""Rules for roster rows (people and their course completions), as plain functions over plain values.

The same checks serve the CSV import (page and `import_completions` command) and the API upsert, so a
row that one accepts the other accepts too. Nothing here touches the database: the caller passes
what it knows (the emails already on the roster) and gets clean rows or row errors back.
"""

import datetime
import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from core import csv_import
from core.csv_import import ImportRejected, RowError

from .models import Course, Person

CSV_COLUMNS = ("name", "email", "job_role", "course", "completed_on", "expires_on")
REQUIRED_COLUMNS = ("email",)
MAX_ROWS = 5000
MAX_FILE_BYTES = 2 * 1024 * 1024


@functools.cache
def _words(choices):
    """A file's word for a course or job role: its code or its English label (the file format is English,
    whatever the language of the person importing it)."""
    with translation.override("en"):
        return {c.value: c.value for c in choices} | {str(c.label).lower(): c.value for c in choices}


@dataclass(frozen=True)
class RosterRow:
    line: int
    email: str
    name: str  # '' = keep the name on the roster
    job_role: str  # '' = keep the job role on the roster (technical for someone new)
    course: str  # '' = a person without a completion
    completed_on: datetime.date | None
    expires_on: datetime.date | None


class RosterImportError(ImportRejected):
    """All-or-nothing: one bad row rejects the whole import. Carries every row error."""


def _date(value, field, line, errors):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append(RowError(line, field, _("'%(value)s' is not a date; use YYYY-MM-DD.") % {"value": value[:40]}))
        return None


def check_rows(raw_rows, *, known_emails, today):
    """Validate ``raw_rows`` ((line, dict of column -> text) pairs).

    ``known_emails``: lower-case emails already on this partner's roster (a new person needs a name).
    Returns ``(rows, errors)``; the caller writes nothing unless ``errors`` is empty.
    """
    rows, errors = [], []
    seen_people = {}
    seen_completions = {}
    for line, raw in raw_rows:
        row_errors = []
        value = {k: ("" if v is None else str(v)).strip() for k, v in raw.items()}
        email = value.get("email", "").lower()
        if not email:
            row_errors.append(RowError(line, "email", _("Email is missing.")))
        else:
            try:
                validate_email(email)
                if len(email) > 254:
                    raise ValidationError("too long")
            except ValidationError:
                row_errors.append(RowError(line, "email", _("'%(email)s' is not a valid email address.") % {"email": email[:60]}))
        name = value.get("name", "")
        if len(name) > 150:
            row_errors.append(RowError(line, "name", _("Name is longer than 150 characters.")))
        elif not name and email and email not in known_emails and email not in seen_people:
            row_errors.append(RowError(line, "name", _("Name is missing for someone not yet on the roster.")))
        job_role = ""
        if value.get("job_role"):
            job_role = _words(Person.JobRole).get(value["job_role"].lower(), "")
            if not job_role:
                choices = ", ".join(r.value for r in Person.JobRole)
                row_errors.append(RowError(line, "job_role", _("Unknown job role '%(value)s'; use %(choices)s.") % {
                    "value": value["job_role"][:40], "choices": choices}))
        course = ""
        completed_on = _date(value.get("completed_on"), "completed_on", line, row_errors)
        expires_on = _date(value.get("expires_on"), "expires_on", line, row_errors)
        if value.get("course"):
            course = _words(Course).get(value["course"].lower(), "")
            if not course:
                choices = ", ".join(c.value for c in Course)
                row_errors.append(RowError(line, "course", _("Unknown course '%(value)s'; use %(choices)s.") % {
                    "value": value["course"][:40], "choices": choices}))
            if not value.get("completed_on"):
                row_errors.append(RowError(line, "completed_on", _("Completion date is missing.")))
        elif value.get("completed_on") or value.get("expires_on"):
            row_errors.append(RowError(line, "course", _("Course is missing for a completion date.")))
        if completed_on and completed_on > today:
            row_errors.append(RowError(line, "completed_on",
                                       _("Completion date %(date)s is in the future.") % {"date": completed_on}))
        if completed_on and expires_on and expires_on <= completed_on:
            row_errors.append(RowError(line, "expires_on", _("Expiry %(expires)s is not after completion %(completed)s.") % {
                "expires": expires_on, "completed": completed_on}))
        if email and not row_errors:
            if email in seen_people and name and seen_people[email][1] and name != seen_people[email][1]:
                row_errors.append(RowError(
                    line, "name", _("%(email)s has another name on line %(line)s ('%(name)s').") % {
                        "email": email, "line": seen_people[email][0], "name": seen_people[email][1]}
                ))
            if course:
                key = (email, course, completed_on)
                if key in seen_completions:
                    row_errors.append(RowError(
                        line, "email", _("Duplicate in file: the same completion is on line %(line)s.") % {
                            "line": seen_completions[key]}
                    ))
                else:
                    seen_completions[key] = line
            elif email in seen_people:
                first = seen_people[email][0]
                row_errors.append(RowError(line, "email", _("Duplicate in file: %(email)s is already on line %(line)s.") % {
                    "email": email, "line": first}))
            seen_people.setdefault(email, (line, name))
        if row_errors:
            errors.extend(row_errors)
        else:
            rows.append(RosterRow(line, email, name, job_role, course, completed_on, expires_on))
    return rows, errors


def read_csv(content: bytes):
    """Decode and split an uploaded CSV (core.csv_import). Returns ``(raw_rows, errors)`` with line numbers."""
    try:
        return csv_import.read_csv(content, columns=CSV_COLUMNS, required=REQUIRED_COLUMNS, max_rows=MAX_ROWS,
                                   max_bytes=MAX_FILE_BYTES), []
    except ImportRejected as rejected:
        return [], rejected.row_errors


def api_rows(items):
    """The rows of an API upsert numbered from 1, and the errors of their shape. Unlike a CSV line, an API
    row is a completion: it needs its course."""
    raw_rows, errors = csv_import.api_rows(items, columns=CSV_COLUMNS, row_field="row")
    for position, row in raw_rows:
        if not row.get("course") and not row.get("completed_on"):
            errors.append(RowError(position, "course", _("Course is missing.")))
    return raw_rows, errors


def csv_template():
    """The import's CSV template: the columns it reads and two example rows (a dated and an open-ended one)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerow(["Ada Lovelace", "ada@example.com", "technical", "platform", "2022-03-01", "2024-03-01"])
    writer.writerow(["Ben Seller", "ben@example.com", "sales", "sellers_101", "2022-04-15", ""])
    return out.getvalue()
