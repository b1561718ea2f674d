"""The roster row rules, as a table: no database."""

import datetime

import pytest

from partners.roster import check_rows, read_csv

TODAY = datetime.date(2022, 6, 1)


def row(**values):
    base = {"name": "Ada", "email": "ada@example.com", "job_role": "technical", "course": "platform",
            "completed_on": "2022-03-01", "expires_on": "2024-03-01"}
    base.update(values)
    return base


@pytest.mark.parametrize("values, field, reason", [
    ({"completed_on": "01/03/2022"}, "completed_on", "is not a date"),
    ({"expires_on": "2022-02-30"}, "expires_on", "is not a date"),
    ({"course": "kubernetes"}, "course", "Unknown course"),
    ({"expires_on": "2022-02-01"}, "expires_on", "not after completion"),
    ({"expires_on": "2022-03-01"}, "expires_on", "not after completion"),
    ({"email": ""}, "email", "Email is missing"),
    ({"email": "not-an-email"}, "email", "not a valid email"),
    ({"name": ""}, "name", "Name is missing"),
    ({"name": "x" * 151}, "name", "longer than 150"),
    ({"job_role": "ceo"}, "job_role", "Unknown job role"),
    ({"completed_on": ""}, "completed_on", "Completion date is missing"),
    ({"completed_on": "2022-07-01", "expires_on": ""}, "completed_on", "in the future"),
    ({"course": ""}, "course", "Course is missing"),
])
def test_bad_rows_are_reported_with_line_and_reason(values, field, reason):
    rows, errors = check_rows([(2, row(**values))], known_emails=set(), today=TODAY)
    assert rows == []
    assert [(e.line, e.field) for e in errors] == [(2, field)]
    assert reason in errors[0].message


def test_good_rows_accept_course_labels_and_any_case():
    rows, errors = check_rows([(2, row(course="Sellers Series 101: Twilio overview", email="ADA@Example.com",
                                       job_role="Sales", expires_on=""))], known_emails=set(), today=TODAY)
    assert errors == []
    assert rows[0].course == "sellers_101" and rows[0].email == "ada@example.com" and rows[0].job_role == "sales"
    assert rows[0].expires_on is None


def test_duplicates_in_the_file_are_errors():
    _rows, errors = check_rows([(2, row()), (3, row()), (4, row(name="Other Ada", course="sellers_101"))],
                               known_emails=set(), today=TODAY)
    assert [(e.line, e.field) for e in errors] == [(3, "email"), (4, "name")]
    assert "line 2" in errors[0].message


def test_a_known_person_needs_no_name_and_a_person_needs_no_course():
    rows, errors = check_rows([(2, row(name="")), (3, {"name": "Bo", "email": "bo@example.com"})],
                              known_emails={"ada@example.com"}, today=TODAY)
    assert errors == [] and rows[1].course == ""


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"name,email,colour\nA,a@b.example,red\n", "Unknown column(s): colour"),
    (b"name,job_role\nA,technical\n", "Missing column(s): email"),
    (b"\xff\xfe\x00n\x00a", "not UTF-8"),
    (b"name,email\n", "no rows"),
    (b"name,email\nA,a@b.example,extra,values\n", "values for 2 columns"),
])
def test_unreadable_files(content, reason):
    raw, errors = read_csv(content)
    assert raw == [] and reason in errors[0].message


def test_csv_line_numbers_count_the_header_and_skip_blank_lines():
    raw, errors = read_csv("\ufeffName,Email\nA,a@b.example\n\nB,b@b.example\n".encode())
    assert errors == [] and [line for line, _ in raw] == [2, 4]
