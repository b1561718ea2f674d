"""Forms check the shape of input; the rules (ARR > 0, close date ahead, duplicates) live in services."""

from django import forms
from django.utils import timezone

from . import rules
from .models import DealRegistration, Opportunity, SalesImport

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class RegistrationForm(forms.Form):
    customer_company = forms.CharField(max_length=200, widget=forms.TextInput(TEXT))
    website = forms.CharField(
        label="Customer website domain", max_length=300, widget=forms.TextInput({**TEXT, "placeholder": "example.com"}),
        help_text="We store the bare domain: https://www.Example.com/about becomes example.com.",
    )
    country = forms.CharField(
        max_length=2, widget=forms.TextInput({**TEXT, "placeholder": "US", "style": "max-width: 6rem"}),
        help_text="Two-letter ISO 3166 country code of the customer, for example US, DE or GB.",
    )
    contact_name = forms.CharField(label="Customer contact name", max_length=150, widget=forms.TextInput(TEXT))
    contact_email = forms.EmailField(label="Customer contact email", max_length=254, widget=forms.EmailInput(TEXT))
    products = forms.MultipleChoiceField(
        label="Products of interest", choices=Opportunity.ProductLine.choices, widget=forms.CheckboxSelectMultiple
    )
    use_case = forms.CharField(max_length=4000, widget=forms.Textarea({**TEXT, "rows": 4}))
    estimated_arr_usd = forms.DecimalField(
        label="Estimated ARR (USD)", max_digits=14, decimal_places=2, widget=forms.NumberInput({**TEXT, "step": "0.01"})
    )
    expected_close_date = forms.DateField(label="Expected close date", widget=forms.DateInput({**TEXT, "type": "date"}))

    # The service decides; these show its two simplest rules together with the missing-field errors,
    # so the partner fixes everything in one go.
    def clean_estimated_arr_usd(self):
        value = self.cleaned_data["estimated_arr_usd"]
        if error := rules.estimated_arr_error(value):
            raise forms.ValidationError(error)
        return value

    def clean_country(self):
        value = self.cleaned_data["country"]
        if error := rules.country_error(value):
            raise forms.ValidationError(error)
        return rules.normalise_country(value)

    def clean_expected_close_date(self):
        value = self.cleaned_data["expected_close_date"]
        if error := rules.close_date_error(value, today=timezone.localdate()):
            raise forms.ValidationError(error)
        return value


class ClaimForm(forms.Form):
    """A missing sourced opportunity (guide p.10): named by the sales system's opportunity id or the domain."""

    opportunity_id = forms.CharField(
        label="Sales system opportunity id", max_length=64, required=False, widget=forms.TextInput(TEXT),
        help_text="As your account team sees it in the sales system. Leave empty to find it by the customer's domain.",
    )
    website = forms.CharField(
        label="Customer website domain", max_length=300, required=False,
        widget=forms.TextInput({**TEXT, "placeholder": "example.com"}),
        help_text="Used when you give no opportunity id; the customer must have one closed-won opportunity.",
    )
    sourced_how = forms.CharField(
        label="How your company sourced it", max_length=4000, widget=forms.Textarea({**TEXT, "rows": 4}),
        help_text="Who you worked with at the customer and what your company did to bring the sale in.",
    )
    country = forms.CharField(
        max_length=2, widget=forms.TextInput({**TEXT, "placeholder": "US", "style": "max-width: 6rem"}),
        help_text="Two-letter ISO 3166 country code of the customer.",
    )
    contact_name = forms.CharField(label="Customer contact name", max_length=150, widget=forms.TextInput(TEXT))
    contact_email = forms.EmailField(label="Customer contact email", max_length=254, widget=forms.EmailInput(TEXT))

    def clean_country(self):
        value = self.cleaned_data["country"]
        if error := rules.country_error(value):
            raise forms.ValidationError(error)
        return rules.normalise_country(value)

    def clean(self):
        data = super().clean()
        if not (data.get("opportunity_id") or "").strip() and not (data.get("website") or "").strip():
            self.add_error("opportunity_id", "Give the sales system's opportunity id or the customer's website domain.")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea({**TEXT, "rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=2000, required=False, widget=forms.Textarea({**TEXT, "rows": 2}))


class RespondForm(forms.Form):
    answer = forms.CharField(label="Your answer", max_length=4000, widget=forms.Textarea({**TEXT, "rows": 3}))


class DecisionForm(forms.Form):
    DECISIONS = [("approve", "Approve"), ("reject", "Reject"), ("request_info", "Request information")]
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.Select(SELECT))
    reason_code = forms.ChoiceField(
        label="Rejection reason", required=False, choices=[("", "—")] + DealRegistration.RejectReason.choices,
        widget=forms.Select(SELECT), help_text="Needed when you reject.",
    )
    reason = forms.CharField(
        max_length=2000, widget=forms.Textarea({**TEXT, "rows": 3}),
        help_text="The partner sees this: why you approve or reject, or what you need to know.",
    )


class OutcomeForm(forms.Form):
    OUTCOMES = [("win", "Won"), ("lose", "Lost")]
    outcome = forms.ChoiceField(choices=OUTCOMES, widget=forms.Select(SELECT))
    final_arr_usd = forms.DecimalField(
        label="Final ARR (USD)", required=False, max_digits=14, decimal_places=2,
        widget=forms.NumberInput({**TEXT, "step": "0.01"}), help_text="Needed when won.",
    )
    closed_on = forms.DateField(label="Close date", required=False, widget=forms.DateInput({**TEXT, "type": "date"}),
                                help_text="Needed when won.")
    reason = forms.CharField(max_length=2000, required=False, widget=forms.Textarea({**TEXT, "rows": 2}),
                             help_text="Needed when lost.")


class ExtensionDecisionForm(forms.Form):
    grant = forms.TypedChoiceField(
        label="Extension", choices=[("yes", "Grant"), ("no", "Decline")], coerce=lambda v: v == "yes",
        widget=forms.Select(SELECT),
    )
    reason = forms.CharField(max_length=2000, widget=forms.Textarea({**TEXT, "rows": 2}))


class ImportForm(forms.Form):
    MAX_BYTES = 5 * 1024 * 1024
    kind = forms.ChoiceField(choices=SalesImport.Kind.choices, widget=forms.Select(SELECT))
    file = forms.FileField(label="CSV file", widget=forms.ClearableFileInput({**TEXT, "accept": ".csv,text/csv"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB; split it into smaller imports.")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Upload a .csv file.")
        return upload


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "Any status")] + DealRegistration.Status.choices,
                               widget=forms.Select(SELECT))
    q = forms.CharField(label="Search", required=False, max_length=100,
                        widget=forms.TextInput({**TEXT, "placeholder": "Company, domain, contact or DR-number"}))
