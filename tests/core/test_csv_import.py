"""The one CSV reader of every import: all or nothing, every error named by its physical line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.csv_import import ImportRejected, RowError, api_rows, read_csv
from dealreg.models import Opportunity
from partners import roster

COLUMNS = ("external_id", "name", "domain")


def _errors(content, **options):
    with pytest.raises(ImportRejected) as rejected:
        read_csv(content, **{"columns": COLUMNS, "required": COLUMNS, "max_rows": 10, **options})
    return [(e.line, e.field, e.message) for e in rejected.value.row_errors]


def test_lines_count_the_header_skip_blank_lines_and_ignore_header_case_and_spaces():
    rows = read_csv(b"\xef\xbb\xbf External_ID ,name,domain\nA,a,a.example\n\n , ,\nB,b,b.example\n",
                    columns=COLUMNS, required=COLUMNS, max_rows=10)
    assert rows == [(2, {"external_id": "A", "name": "a", "domain": "a.example"}),
                    (5, {"external_id": "B", "name": "b", "domain": "b.example"})]


@pytest.mark.parametrize("size", [200_000, 10 * 1024 * 1024])
def test_a_value_over_the_field_limit_names_its_own_line(size):
    content = b"external_id,name,domain\nA,a,a.example\nB," + b"x" * size + b",b.example\n"
    assert _errors(content) == [(3, "", "A value is longer than 131,072 characters.")]


def test_a_quoted_value_over_many_lines_names_the_line_where_it_breaks_the_limit():
    content = b"external_id,name,domain\nA,\"" + b"x\n" * 70_000 + b"\",a.example\n"
    [(line, _, message)] = _errors(content)
    assert message.startswith("A value is longer") and line == 65_538  # 2 + 131,072 / 2 characters per line


def test_every_row_with_too_many_values_is_reported_together():
    content = b"external_id,name,domain\nA,a,a.example,x\nB,b,b.example\nC,c,c.example,y,z\n"
    assert [(line, message.split(" (")[1]) for line, _, message in _errors(content)] == [
        (2, "4 values for 3 columns)."), (4, "5 values for 3 columns).")]


@pytest.mark.parametrize(("content", "options", "expected"), [
    (b"", {}, (1, "file", "The file is empty; the first line must name the columns.")),
    (b"\xff\xfe", {}, (0, "file", "The file is not UTF-8 text; save it as CSV (UTF-8) and try again.")),
    (b"a\x00b", {}, (0, "file", "The file is not a CSV text file.")),
    (b"external_id,name,domain\n", {}, (0, "file", "The file has a header but no rows.")),
    (b"external_id,name,domain\n" + b"A,a,a.example\n" * 11, {}, (0, "file", "More than 10 rows; split the file.")),
    (b"external_id,name,domain\nA,a,a.example\n", {"max_bytes": 10}, (0, "file", "The file is larger than 0 MB.")),
])
def test_files_that_cannot_be_read(content, options, expected):
    assert _errors(content, **options) == [expected]


def test_missing_and_unknown_columns_are_both_named():
    assert _errors(b"external_id,colour\nA,red\n") == [
        (1, "header", "Missing column(s): name, domain. Expected: external_id, name, domain."),
        (1, "header", "Unknown column(s): colour."),
    ]


def test_api_rows_are_numbered_from_one_and_their_shape_checked():
    rows, errors = api_rows([{"external_id": "A", "colour": "red"}, "B"], columns=COLUMNS, row_field="row")
    assert rows == [(1, {"external_id": "A"})]
    assert errors == [RowError(1, "row", "Unknown field(s): colour."),
                      RowError(2, "row", "Each row must be an object with the import's columns.")]


def test_row_errors_read_as_sentences_in_line_order():
    rejected = ImportRejected([(3, "domain", "Bad."), (0, "file", "Too big."), (2, "", "Odd.")])
    assert rejected.messages == ["file: Too big.", "Line 2: Odd.", "Line 3, domain: Bad."]


@pytest.mark.django_db
def test_opportunities_command_names_line_2_for_a_10_mb_value(tmp_path, capsys):
    path = tmp_path / "opps.csv"
    path.write_bytes(b"external_id,account_name,domain,product_line,arr_usd,stage,close_date\n"
                     b"SF-1," + b"x" * (10 * 1024 * 1024) + b",a.example,flex,1,open,\n")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_opportunities", str(path))
    assert "Line 2: A value is longer than 131,072 characters." in capsys.readouterr().err
    assert not Opportunity.objects.exists()


@pytest.mark.django_db
def test_opportunities_page_names_the_line_of_a_value_over_the_limit(client, program_admin):
    client.force_login(program_admin)
    content = (b"external_id,account_name,domain,product_line,arr_usd,stage,close_date\n"
               b"SF-1,A,a.example,flex,1,open,\nSF-2," + b"x" * 200_000 + b",b.example,flex,1,open,\n")
    upload = SimpleUploadedFile("opps.csv", content, content_type="text/csv")
    response = client.post(reverse("dealreg:import"), {"kind": "opportunities", "file": upload})
    assert response.status_code == 400
    assert [(e.line, e.message) for e in response.context["row_errors"]] == [
        (3, "A value is longer than 131,072 characters.")]
    assert not Opportunity.objects.exists()


def test_roster_reads_through_the_same_reader():
    raw, errors = roster.read_csv(b"name,email\nA,a@b.example\nB," + b"x" * 200_000 + b"\n")
    assert raw == [] and errors == [RowError(3, "", "A value is longer than 131,072 characters.")]
