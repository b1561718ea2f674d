"""Checking sales-system rows (CSV files read by core.csv_import, and API bodies) before anything is written.

Every row is checked; if any is bad the whole import is refused with one error per problem, each with
its line number (the CSV line, header = line 1; for the API the item's position, first = 1).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import csv_import
from core.csv_import import ImportRejected
from partners.domains import is_valid_domain, normalise_domain
from partners.models import Partner

from .models import Opportunity

OPPORTUNITY_COLUMNS = ("external_id", "account_name", "domain", "product_line", "arr_usd", "stage", "close_date",
                       "partner_domain", "attached_on")
OPPORTUNITY_REQUIRED = OPPORTUNITY_COLUMNS[:7]
ACCOUNT_COLUMNS = ("external_id", "name", "domain")
MAX_ROWS = 50_000


def read_csv(file_bytes, *, columns, required):
    """(line, row dict) pairs from CSV bytes, or ImportRejected for a file that cannot be read."""
    return csv_import.read_csv(file_bytes, columns=columns, required=required, max_rows=MAX_ROWS)


def _strip(data):
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}


class OpportunityRow(forms.Form):
    external_id = forms.CharField(max_length=64)
    account_name = forms.CharField(max_length=200)
    domain = forms.CharField(max_length=300)
    product_line = forms.ChoiceField(choices=Opportunity.ProductLine.choices)
    arr_usd = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2)
    stage = forms.ChoiceField(choices=Opportunity.Stage.choices)
    close_date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    partner_domain = forms.CharField(max_length=300, required=False)
    attached_on = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean_domain(self):
        domain = normalise_domain(self.cleaned_data["domain"])
        if not is_valid_domain(domain):
            raise ValidationError(_("Enter a web domain such as example.com."))
        return domain

    def clean_partner_domain(self):
        value = self.cleaned_data["partner_domain"]
        return normalise_domain(value) if value else ""

    def clean(self):
        data = super().clean()
        if data.get("stage") == Opportunity.Stage.CLOSED_WON and not data.get("close_date") and "close_date" not in self.errors:
            self.add_error("close_date", _("A closed-won opportunity needs its close date (YYYY-MM-DD)."))
        if data.get("partner_domain") and not data.get("attached_on") and "attached_on" not in self.errors:
            self.add_error("attached_on", _("Give the date the partner was attached (YYYY-MM-DD)."))
        if data.get("attached_on") and not data.get("partner_domain"):
            # Translators: attached_on is a CSV column name; keep it as it is.
            self.add_error("partner_domain", _("attached_on needs the partner's domain."))
        return data


class AccountRow(forms.Form):
    external_id = forms.CharField(max_length=64)
    name = forms.CharField(max_length=200)
    domain = forms.CharField(max_length=300)

    def clean_domain(self):
        domain = normalise_domain(self.cleaned_data["domain"])
        if not is_valid_domain(domain):
            raise ValidationError(_("Enter a web domain such as example.com."))
        return domain


def _validate(rows, form_class, columns):
    cleaned, seen = [], {}
    if not rows:
        raise ImportRejected([(0, "rows", _("There are no rows to import."))])
    if len(rows) > MAX_ROWS:
        raise ImportRejected([(0, "rows", _("At most %(max)s rows per import.") % {"max": MAX_ROWS})])
    rows, errors = csv_import.check_shape(rows, columns=columns)
    for line, data in rows:
        form = form_class(_strip(data))
        if not form.is_valid():
            for field, messages in form.errors.items():
                errors.extend((line, field if field != "__all__" else "", m) for m in messages)
            continue
        external_id = form.cleaned_data["external_id"]
        if external_id in seen:
            errors.append((line, "external_id", _("%(external_id)s is already on line %(line)s.") % {
                "external_id": external_id, "line": seen[external_id]}))
            continue
        seen[external_id] = line
        cleaned.append((line, form.cleaned_data))
    return errors, cleaned


def validate_opportunity_rows(rows):
    errors, cleaned = _validate(rows, OpportunityRow, OPPORTUNITY_COLUMNS)
    partner_domains = {data["partner_domain"] for _, data in cleaned if data["partner_domain"]}
    partners = {p.domain: p for p in Partner.objects.filter(domain__in=partner_domains)}
    out = []
    for line, data in cleaned:
        partner = None
        if data["partner_domain"]:
            partner = partners.get(data["partner_domain"])
            if partner is None:
                errors.append((line, "partner_domain",
                               _("No partner has the domain %(domain)s.") % {"domain": data["partner_domain"]}))
                continue
        data = {k: v for k, v in data.items() if k != "partner_domain"}
        data["partner"] = partner
        out.append(data)
    if errors:
        raise ImportRejected(errors)
    return out


def validate_account_rows(rows):
    errors, cleaned = _validate(rows, AccountRow, ACCOUNT_COLUMNS)
    if errors:
        raise ImportRejected(errors)
    return [data for _, data in cleaned]
