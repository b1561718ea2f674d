"""Forms check the shape of input; the rules (ARR > 0, close date ahead, duplicates) live in services."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.safestring import mark_safe

# Labels are built at import time: lazy, so each request shows them in its own language.
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import CountryChoiceField, QuickSelect, _escape, _html_attrs

from . import rules
from .imports import ACCOUNT_COLUMNS, OPPORTUNITY_COLUMNS, OPPORTUNITY_REQUIRED, read_csv
from .models import DealRegistration, Opportunity, SalesImport

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


# The registration form's widgets write the HTML of Django's templates (django/forms/widgets/input.html,
# textarea.html, multiple_input.html with its options) from Python, from the same context (Widget.get_context), as
# core.forms.QuickSelect does for selects: an include or three per field cost about 6 ms of CPU per form page,
# on every deal registration form and list. tests/dealreg/test_quick_widgets.py holds them equal to Django's.
def _input_html(widget):
    value = "" if widget["value"] is None else f' value="{_escape(widget["value"])}"'
    return f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"{value}{_html_attrs(widget["attrs"])}>'


class _QuickInput:
    def _render(self, template_name, context, renderer=None):
        return mark_safe(_input_html(context["widget"]))  # noqa: S308 - every value is escaped


class QuickTextInput(_QuickInput, forms.TextInput):
    pass


class QuickEmailInput(_QuickInput, forms.EmailInput):
    pass


class QuickNumberInput(_QuickInput, forms.NumberInput):
    pass


class QuickDateInput(_QuickInput, forms.DateInput):
    pass


class QuickHiddenInput(_QuickInput, forms.HiddenInput):
    pass


class QuickTextarea(forms.Textarea):
    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        return mark_safe(  # noqa: S308 - every value is escaped
            f'<textarea name="{_escape(widget["name"])}"{_html_attrs(widget["attrs"])}>\n'
            f'{_escape(widget["value"]) if widget["value"] else ""}</textarea>')


class QuickCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        attrs = widget["attrs"]
        div_id = f' id="{_escape(attrs["id"])}"' if attrs.get("id") else ""
        div_class = f' class="{_escape(attrs["class"])}"' if attrs.get("class") else ""
        out = [f"<div{div_id}{div_class}>"]
        for group, options, _index in widget["optgroups"]:
            if group:
                out.append(f"\n  <div><label>{_escape(group)}</label>")
            for option in options:
                label_for = f' for="{_escape(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
                out.append(f"<div>\n    <label{label_for}>{_input_html(option)}\n {_escape(option['label'])}</label>\n\n</div>"
                           if option["wrap_label"] else f"<div>\n    {_input_html(option)}\n\n\n</div>")
            if group:
                out.append("\n  </div>")
        out.append("\n</div>")
        return mark_safe("".join(out))  # noqa: S308 - every value is escaped


class RegistrationForm(forms.Form):
    customer_company = forms.CharField(label=_("Customer company"), max_length=200, widget=QuickTextInput(TEXT))
    website = forms.CharField(
        label=_("Customer website domain"), max_length=300, widget=QuickTextInput({**TEXT, "placeholder": "example.com"}),
        help_text=_("We store the bare domain: https://www.Example.com/about becomes example.com."),
    )
    country = CountryChoiceField(label=_("Customer country"), widget=QuickSelect(SELECT), error_for=rules.country_error)
    contact_name = forms.CharField(label=_("Customer contact name"), max_length=150, widget=QuickTextInput(TEXT))
    contact_email = forms.EmailField(label=_("Customer contact email"), max_length=254, widget=QuickEmailInput(TEXT))
    products = forms.MultipleChoiceField(
        label=_("Products of interest"), choices=Opportunity.ProductLine.choices, widget=QuickCheckboxSelectMultiple
    )
    use_case = forms.CharField(label=_("Use case"), max_length=4000, widget=QuickTextarea({**TEXT, "rows": 4}))
    estimated_arr_usd = forms.DecimalField(
        label=_("Estimated ARR (USD)"), max_digits=14, decimal_places=2, widget=QuickNumberInput({**TEXT, "step": "0.01"})
    )
    expected_close_date = forms.DateField(label=_("Expected close date"), widget=QuickDateInput({**TEXT, "type": "date"}))
    # Shown only when a figure is unusual (services.registration_errors with code "confirm").
    confirm = forms.BooleanField(label=_("The figures are right"), required=False, widget=QuickHiddenInput)

    def add_rule_errors(self, errors):
        """Add the service's rule errors ({field: error}, or the ValidationError the submission service raised) to
        the fields that have none yet: every error shows on the first submit. An unusual figure reveals the "The
        figures are right" tick."""
        if isinstance(errors, ValidationError):
            errors = errors.error_dict if hasattr(errors, "error_dict") else {NON_FIELD_ERRORS: errors.error_list}
        for field, error in errors.items():
            target = field if field in self.fields else None
            if target and target in self.errors:
                continue
            for one in error if isinstance(error, list) else [error]:
                self.add_error(target, one)
                if getattr(one, "code", None) == "confirm":
                    self.fields["confirm"].widget = forms.CheckboxInput({"class": "form-check-input"})
        return self

    def submission(self):
        """The cleaned fields as the services' keyword arguments ("The figures are right" is ``confirmed``)."""
        data = dict(self.cleaned_data)
        data["confirmed"] = data.pop("confirm", False)
        return data

    def is_valid_under(self, rule_errors, *, partner):
        """The shape, and with a shape error the service's rules too (``rule_errors``: services.registration_errors,
        run on every field that parsed), so every error shows on the first submit. True when the shape passes: the
        submission service then checks the rules itself, once per submit instead of twice, and what it refuses goes
        to add_rule_errors."""
        if self.is_valid():
            return True
        self.add_rule_errors(rule_errors(partner=partner, today=timezone.localdate(), **self.submission()))
        return False

    @property
    def needs_confirmation(self):
        return isinstance(self.fields["confirm"].widget, forms.CheckboxInput)

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
        label=_("Sales system opportunity id"), max_length=64, required=False, widget=forms.TextInput(TEXT),
        help_text=_("As your account team sees it in the sales system. Leave empty to find it by the customer's domain."),
    )
    website = forms.CharField(
        label=_("Customer website domain"), max_length=300, required=False,
        widget=forms.TextInput({**TEXT, "placeholder": "example.com"}),
        help_text=_("Used when you give no opportunity id; the customer must have one closed-won opportunity."),
    )
    sourced_how = forms.CharField(
        label=_("How your company sourced it"), max_length=4000, widget=forms.Textarea({**TEXT, "rows": 4}),
        help_text=_("Who you worked with at the customer and what your company did to bring the sale in."),
    )
    country = CountryChoiceField(label=_("Country"), widget=QuickSelect(SELECT), error_for=rules.country_error)
    contact_name = forms.CharField(label=_("Customer contact name"), max_length=150, widget=forms.TextInput(TEXT))
    contact_email = forms.EmailField(label=_("Customer contact email"), max_length=254, widget=forms.EmailInput(TEXT))

    def clean_country(self):
        value = self.cleaned_data["country"]
        if error := rules.country_error(value):
            raise forms.ValidationError(error)
        return rules.normalise_country(value)

    def clean(self):
        data = super().clean()
        if not (data.get("opportunity_id") or "").strip() and not (data.get("website") or "").strip():
            self.add_error("opportunity_id", _("Give the sales system's opportunity id or the customer's website domain."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea({**TEXT, "rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea({**TEXT, "rows": 2}))


class RespondForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), max_length=4000, widget=forms.Textarea({**TEXT, "rows": 3}))


class DecisionForm(forms.Form):
    DECISIONS = [("approve", pgettext_lazy("verb: decide a registration", "Approve")),
                 ("reject", pgettext_lazy("verb: decide a registration", "Reject")),
                 ("request_info", _("Request information"))]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.Select(SELECT))
    reason_code = forms.ChoiceField(
        label=_("Rejection reason"), required=False, choices=[("", "—")] + DealRegistration.RejectReason.choices,
        widget=forms.Select(SELECT), help_text=_("Needed when you reject."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea({**TEXT, "rows": 3}),
        help_text=_("The partner sees this: why you approve or reject, or what you need to know."),
    )


class OutcomeForm(forms.Form):
    OUTCOMES = [("win", _("Won")), ("lose", _("Lost"))]
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, widget=forms.Select(SELECT))
    final_arr_usd = forms.DecimalField(
        label=_("Final ARR (USD)"), required=False, max_digits=14, decimal_places=2,
        widget=forms.NumberInput({**TEXT, "step": "0.01"}), help_text=_("Needed when won."),
    )
    closed_on = forms.DateField(label=_("Close date"), required=False, widget=forms.DateInput({**TEXT, "type": "date"}),
                                help_text=_("Needed when won."))
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False,
                             widget=forms.Textarea({**TEXT, "rows": 2}), help_text=_("Needed when lost."))


class ExtensionDecisionForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("Extension"), coerce=lambda v: v == "yes",
        choices=[("yes", pgettext_lazy("verb: an extension", "Grant")), ("no", pgettext_lazy("verb: an extension", "Decline"))],
        widget=forms.Select(SELECT),
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea({**TEXT, "rows": 2}))


class ImportForm(forms.Form):
    MAX_BYTES = 5 * 1024 * 1024
    kind = forms.ChoiceField(label=_("Kind"), choices=SalesImport.Kind.choices, widget=forms.Select(SELECT))
    file = forms.FileField(label=_("CSV file"), widget=forms.ClearableFileInput({**TEXT, "accept": ".csv,text/csv"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB; split it into smaller imports."))
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Upload a .csv file."))
        return upload

    def rows(self):
        """The uploaded file's (line, row) pairs with the columns of its kind; ImportRejected when unreadable."""
        if self.cleaned_data["kind"] == SalesImport.Kind.OPPORTUNITIES:
            columns, required = OPPORTUNITY_COLUMNS, OPPORTUNITY_REQUIRED
        else:
            columns = required = ACCOUNT_COLUMNS
        return read_csv(self.cleaned_data["file"].read(), columns=columns, required=required)


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + DealRegistration.Status.choices, widget=QuickSelect(SELECT))
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=QuickTextInput({**TEXT, "placeholder": _("Company, domain, contact or DR-number")}))


# The detail page's form for each action of the workflow table (dealreg.rules.TRANSITIONS), under the name
# the template reads; one form may carry several actions (a decision, an outcome).
ACTION_FORMS = {
    "withdraw": ("withdraw_form", WithdrawForm),
    "respond": ("respond_form", RespondForm),
    "request_extension": ("extension_form", ReasonForm),
    "approve": ("decision_form", DecisionForm),
    "reject": ("decision_form", DecisionForm),
    "request_info": ("decision_form", DecisionForm),
    "win": ("outcome_form", OutcomeForm),
    "lose": ("outcome_form", OutcomeForm),
    "decide_extension": ("extension_decision_form", ExtensionDecisionForm),
}


def action_forms(actions, *, bound):
    """{name: form} for the ``actions`` offered: the posted form (``bound``, with its errors) where there is
    one, a blank one otherwise."""
    forms_ = dict(bound)
    for action in actions:
        name, form_class = ACTION_FORMS[action]
        forms_.setdefault(name, form_class())
    return forms_
