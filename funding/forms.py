"""Forms validate shape (types, lengths, choices); funding/services/ validates the rules.
Only the fields listed here are read from a post, so a partner cannot post status, partner or amounts
that are not theirs to set."""

from decimal import Decimal

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import money as usd
from partners.models import TierLevel

from . import rules
from .models import TWILIO_PRODUCTS, MdfActivityType

AMOUNT = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01")}
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})


def _text(max_length, rows=None, **kwargs):
    if rows:
        widget = forms.Textarea(attrs={"rows": rows, "class": "form-control"})
    else:
        widget = forms.TextInput(attrs={"class": "form-control"})
    return forms.CharField(max_length=max_length, widget=widget, **kwargs)


def _amount(label, **kwargs):
    return forms.DecimalField(label=label, widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
                              **AMOUNT, **kwargs)


class PocNominationForm(forms.Form):
    customer_name = _text(200, label=gettext_lazy("Customer"))
    title = _text(200, label=gettext_lazy("Project name"))
    goals = _text(4000, rows=3, label=gettext_lazy("Goals and objectives"))
    success_criteria = _text(4000, rows=3, label=gettext_lazy("Success criteria"))
    next_steps = _text(4000, rows=3, label=gettext_lazy("Agreed next steps"))
    products = forms.MultipleChoiceField(choices=TWILIO_PRODUCTS, widget=forms.CheckboxSelectMultiple,
                                         label=gettext_lazy("Twilio products"))
    requested_amount = _amount(gettext_lazy("Requested amount (USD)"))
    starts_on = forms.DateField(label=gettext_lazy("Project starts"), widget=DATE)
    ends_on = forms.DateField(label=gettext_lazy("Project ends"), widget=DATE)


class MdfRequestForm(forms.Form):
    activity_type = forms.ChoiceField(choices=[("", gettext_lazy("Choose an activity")), *MdfActivityType.choices],
                                      widget=forms.Select(attrs={"class": "form-select"}), label=gettext_lazy("Activity type"))
    title = _text(200, label=gettext_lazy("Activity name"))
    description = _text(
        4000, rows=4, label=gettext_lazy("Description"),
        help_text=gettext_lazy("What you will do, for which audience, and how it promotes Twilio-based services."))
    starts_on = forms.DateField(label=gettext_lazy("Activity starts"), widget=DATE)
    ends_on = forms.DateField(label=gettext_lazy("Activity ends"), widget=DATE)
    total_cost = _amount(gettext_lazy("Total activity cost (USD)"))
    requested_amount = _amount(gettext_lazy("Requested amount (USD)"))

    def __init__(self, *args, share=None, remaining=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.share, self.remaining, self.today = share, remaining, today
        self.allocation_warning = None
        sentences = []
        if share is not None:
            sentences.append(_("MDF is a co-investment: at most %(percent)s%% of the total cost.") % {
                "percent": f"{share * 100:.0f}"})
        if remaining is not None:
            sentences.append(_("Your remaining MDF allocation: %(remaining)s.") % {"remaining": usd(max(remaining, 0))})
        self.fields["requested_amount"].help_text = " ".join(sentences)

    def clean(self):
        """The service's share and date rules on whatever parsed, so every error shows on the first submit;
        an amount above the remaining allocation is a warning, not an error (the PAM sees it marked)."""
        data = super().clean()
        if self.today is not None:
            for field, message in rules.request_date_errors(data.get("starts_on"), data.get("ends_on"),
                                                            self.today).items():
                if field not in self.errors:
                    self.add_error(field, message)
        if "requested_amount" not in self.errors and (error := rules.share_error(
                total_cost=data.get("total_cost"), requested_amount=data.get("requested_amount"), share=self.share)):
            self.add_error("requested_amount", error)
        self.allocation_warning = rules.allocation_warning(requested_amount=data.get("requested_amount"),
                                                           remaining=self.remaining)
        return data


class WithdrawForm(forms.Form):
    reason = _text(4000, rows=2, required=False, label=gettext_lazy("Why (optional)"))


class AnswerForm(forms.Form):
    answer = _text(4000, rows=3, label=gettext_lazy("Your answer"))
    requested_amount = _amount(gettext_lazy("Revised requested amount (USD, optional)"), required=False)


class ReasonForm(forms.Form):
    reason = _text(4000, rows=2, label=gettext_lazy("Reason"))


class ApproveForm(forms.Form):
    approved_amount = _amount(gettext_lazy("Approved amount (USD)"))
    reason = _text(4000, rows=2, label=gettext_lazy("Reason"))


class PayForm(forms.Form):
    payment_reference = _text(100, label=gettext_lazy("Payment reference"))
    reason = _text(4000, rows=2, required=False, label=gettext_lazy("Note (optional)"))


# The form of each action on a request's page (funding.rules.TRANSITIONS), under the name the template reads,
# with its prefix (several reason forms share the page). A claim has its own page (ClaimForm).
ACTION_FORMS = {
    "withdraw": ("withdraw_form", WithdrawForm, None),
    "answer": ("answer_form", AnswerForm, None),
    "approve": ("approve_form", ApproveForm, None),
    "reject": ("reject_form", ReasonForm, "reject"),
    "request_info": ("info_form", ReasonForm, "info"),
    "approve_claim": ("claim_approve_form", ApproveForm, "claim"),
    "reject_claim": ("claim_reject_form", ReasonForm, "claim_reject"),
    "pay": ("pay_form", PayForm, None),
}


def action_form(action, data=None, *, initial=None):
    _name, form_class, prefix = ACTION_FORMS[action]
    return form_class(data, prefix=prefix, initial=initial)


def action_forms(actions, *, funding_request, claim_cap=None, bound):
    """{name: form} for the ``actions`` offered: the posted form (``bound``, with its errors) where there is
    one, a blank one otherwise. Amounts start at the most that can be approved."""
    initial = {
        "approve": {"approved_amount": funding_request.requested_amount},
        "approve_claim": {"approved_amount": funding_request.approved_amount if claim_cap is None else claim_cap},
    }
    forms_ = dict(bound)
    for action in actions:
        if action in ACTION_FORMS:
            forms_.setdefault(ACTION_FORMS[action][0], action_form(action, initial=initial.get(action)))
    return forms_


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control", "accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else single(data, initial)


class ClaimForm(forms.Form):
    actual_cost = _amount(gettext_lazy("Actual cost (USD)"))
    notes = _text(4000, rows=3, required=False, label=gettext_lazy("Notes for the reviewer"))
    files = MultipleFileField(
        label=gettext_lazy("Proof of performance"),
        help_text=format_lazy(gettext_lazy(
            "PDF, PNG or JPEG; up to {files} files of at most {megabytes} MB each (invoices, screenshots, attendee lists)."),
            files=rules.PROOF_MAX_FILES, megabytes=rules.PROOF_MAX_BYTES // (1024 * 1024)),
    )


class AllocationForm(forms.Form):
    amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"), label=gettext_lazy("Allocation (USD)"),
                                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}))
    reason = _text(300, required=False, label=gettext_lazy("Reason (optional)"))


class TierDefaultForm(AllocationForm):
    tier = forms.ChoiceField(
        label=gettext_lazy("Tier"),
        choices=[(t.value, t.label) for t in TierLevel if TierLevel.at_least(t.value, TierLevel.BRONZE)],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
