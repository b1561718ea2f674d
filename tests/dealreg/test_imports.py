"""Opportunities and customer accounts from the sales system: CSV command, page and API; all or nothing,
idempotent, row-level errors with line numbers."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from dealreg.models import CustomerAccount, Opportunity, OpportunityPartner, SalesImport

pytestmark = pytest.mark.django_db

HEADER = "external_id,account_name,domain,product_line,arr_usd,stage,close_date,partner_domain,attached_on\n"
GOOD = HEADER + (
    "SF-1,Initech,https://www.Initech.example/,flex,120000.00,closed_won,2022-05-31,ACME.example,2022-04-01\n"
    "SF-2,Umbrella,umbrella.example,professional_services,5000,closed_won,2022-06-30,,\n"
    "SF-3,Hooli,hooli.example,segment,80000.5,open,,,\n"
)
BAD = HEADER + (
    "SF-1,Initech,initech.example,flex,120000.00,closed_won,2022-05-31,acme.example,2022-04-01\n"
    "SF-2,Umbrella,not a domain,flux,-5,closed_won,,,\n"
    "SF-3,Hooli,hooli.example,segment,abc,open,31/12/2022,nobody.example,2022-01-01\n"
    "SF-1,Initech again,initech.example,flex,1,open,,,\n"
)


def _file(tmp_path, text, name="opps.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_command_imports_and_attaches_then_changes_nothing_the_second_time(tmp_path, partner, capsys):
    path = _file(tmp_path, GOOD)
    call_command("import_opportunities", path)
    assert "3 new, 0 changed, 0 unchanged" in capsys.readouterr().out
    initech = Opportunity.objects.get(external_id="SF-1")
    assert (initech.domain, initech.arr_usd, initech.stage) == ("initech.example", Decimal("120000.00"), "closed_won")
    attachment = OpportunityPartner.objects.get(opportunity=initech)
    assert (attachment.partner, attachment.attached_on, attachment.source) == (
        partner, datetime.date(2022, 4, 1), "sales_team")
    assert Opportunity.objects.get(external_id="SF-3").close_date is None

    call_command("import_opportunities", path)
    assert "0 new, 0 changed, 3 unchanged" in capsys.readouterr().out
    assert Opportunity.objects.count() == 3 and OpportunityPartner.objects.count() == 1


def test_command_updates_changed_rows_by_external_id(tmp_path, partner, capsys):
    call_command("import_opportunities", _file(tmp_path, GOOD))
    changed = GOOD.replace("80000.5,open,,", "90000,closed_won,2022-07-01").replace("2022-04-01", "2022-03-01")
    call_command("import_opportunities", _file(tmp_path, changed, "b.csv"))
    assert "0 new, 2 changed, 1 unchanged" in capsys.readouterr().out
    hooli = Opportunity.objects.get(external_id="SF-3")
    assert (hooli.stage, hooli.arr_usd, hooli.close_date) == ("closed_won", Decimal("90000"), datetime.date(2022, 7, 1))
    assert OpportunityPartner.objects.get().attached_on == datetime.date(2022, 3, 1)


def test_bad_rows_import_nothing_and_name_every_line(tmp_path, partner, capsys):
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_opportunities", _file(tmp_path, BAD))
    err = capsys.readouterr().err
    for expected in ("Line 3, domain:", "Line 3, product_line:", "Line 3, arr_usd:", "Line 3, close_date:",
                     "Line 4, arr_usd:", "Line 4, close_date:", "Line 5, external_id: SF-1 is already on line 2"):
        assert expected in err, expected
    assert Opportunity.objects.count() == 0
    assert SalesImport.objects.count() == 0


def test_unknown_partner_domain_is_a_row_error(tmp_path, capsys):
    text = HEADER + "SF-9,X,x.example,flex,1,open,,nobody.example,2022-01-01\n"
    with pytest.raises(CommandError):
        call_command("import_opportunities", _file(tmp_path, text))
    assert "Line 2, partner_domain: No partner has the domain nobody.example." in capsys.readouterr().err


@pytest.mark.parametrize(("content", "message"), [
    (b"external_id,account_name\nSF-1,X\n", "Missing column(s): domain"),
    (HEADER.encode() + b"\xff\xfe\n", "not UTF-8"),
    (HEADER.encode(), "no rows"),
    ((HEADER.strip() + ",colour\n").encode() + b"SF-1,X,x.example,flex,1,open,,,,red\n", "Unknown column(s): colour"),
    (HEADER.encode() + b"SF-1,X,x.example,flex,1,open,,,,extra\n", "more values than the header"),
])
def test_unreadable_files_are_refused(tmp_path, capsys, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("import_opportunities", str(path))
    assert message in capsys.readouterr().err


def test_customer_accounts_command(tmp_path, capsys):
    path = _file(tmp_path, "external_id,name,domain\nA-1,Initech,WWW.initech.example\nA-2,Hooli,hooli.example\n")
    call_command("import_customer_accounts", path)
    call_command("import_customer_accounts", path)
    assert "0 new, 0 changed, 2 unchanged" in capsys.readouterr().out
    assert CustomerAccount.objects.get(external_id="A-1").domain == "initech.example"


def test_program_admin_imports_on_the_page(client, program_admin, partner):
    client.force_login(program_admin)
    upload = SimpleUploadedFile("opps.csv", GOOD.encode(), content_type="text/csv")
    response = client.post(reverse("dealreg:import"), {"kind": "opportunities", "file": upload}, follow=True)
    assert "3 new, 0 changed, 0 unchanged" in response.content.decode()
    batch = SalesImport.objects.get()
    assert (batch.imported_by, batch.source, batch.rows) == (program_admin, "opps.csv", 3)


def test_page_shows_row_errors_and_imports_nothing(client, program_admin, partner):
    client.force_login(program_admin)
    upload = SimpleUploadedFile("opps.csv", BAD.encode(), content_type="text/csv")
    response = client.post(reverse("dealreg:import"), {"kind": "opportunities", "file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html and "is already on line 2" in html
    assert Opportunity.objects.count() == 0


def test_page_refuses_a_file_that_is_not_csv(client, program_admin):
    client.force_login(program_admin)
    upload = SimpleUploadedFile("opps.xlsx", b"PK\x03\x04", content_type="application/octet-stream")
    response = client.post(reverse("dealreg:import"), {"kind": "opportunities", "file": upload})
    assert response.status_code == 400
    assert "Upload a .csv file." in response.content.decode()


def test_pam_cannot_import(client, pam):
    client.force_login(pam)
    upload = SimpleUploadedFile("opps.csv", GOOD.encode(), content_type="text/csv")
    assert client.post(reverse("dealreg:import"), {"kind": "opportunities", "file": upload}).status_code == 403
    assert Opportunity.objects.count() == 0


ROW = {"external_id": "SF-1", "account_name": "Initech", "domain": "initech.example", "product_line": "flex",
       "arr_usd": "120000.00", "stage": "closed_won", "close_date": "2022-05-31", "partner_domain": "acme.example",
       "attached_on": "2022-04-01"}


def test_api_upsert_by_external_id(client, program_admin, partner):
    client.force_login(program_admin)
    url = reverse("api:dealreg-opportunity-import")
    first = client.post(url, {"rows": [ROW]}, content_type="application/json")
    assert first.status_code == 200 and first.json()["created"] == 1
    again = client.post(url, {"rows": [{**ROW, "arr_usd": 130000}]}, content_type="application/json")
    assert again.json()["updated"] == 1
    assert Opportunity.objects.get().arr_usd == Decimal("130000")


@pytest.mark.parametrize(("rows", "expected"), [
    ([{**ROW, "arr_usd": "lots"}], {"line": 1, "field": "arr_usd"}),
    ([ROW, {**ROW, "stage": "maybe"}], {"line": 2, "field": "stage"}),
    ([{**ROW, "external_id": "x" * 65}], {"line": 1, "field": "external_id"}),
    ([{**ROW, "status": "won"}], {"line": 1, "field": ""}),
    ([{k: v for k, v in ROW.items() if k != "domain"}], {"line": 1, "field": "domain"}),
])
def test_api_row_errors_write_nothing(client, program_admin, partner, rows, expected):
    client.force_login(program_admin)
    response = client.post(reverse("api:dealreg-opportunity-import"), {"rows": rows}, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(e["line"] == expected["line"] and e["field"] == expected["field"] for e in errors), errors
    assert Opportunity.objects.count() == 0


@pytest.mark.parametrize("body", [{}, {"rows": []}, {"rows": "SF-1"}, {"rows": [1, 2]}])
def test_api_malformed_bodies_are_400(client, program_admin, body):
    client.force_login(program_admin)
    response = client.post(reverse("api:dealreg-opportunity-import"), body, content_type="application/json")
    assert response.status_code == 400


def test_api_customer_accounts(client, program_admin):
    client.force_login(program_admin)
    url = reverse("api:dealreg-account-import")
    response = client.post(url, {"rows": [{"external_id": "A-1", "name": "Initech", "domain": "bad domain"}]},
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "domain"
    response = client.post(url, {"rows": [{"external_id": "A-1", "name": "Initech", "domain": "initech.example"}]},
                           content_type="application/json")
    assert response.json()["created"] == 1
