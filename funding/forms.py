"""Forms validate shape (types, lengths, choices); funding/services.py validates the rules.
Only the fields listed here are read from a post, so a partner cannot post status, partner or amounts
that are not theirs to set."""

from decimal import Decimal

from django import forms

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
    customer_name = _text(200, label="Customer")
    title = _text(200, label="Project name")
    goals = _text(4000, rows=3, label="Goals and objectives")
    success_criteria = _text(4000, rows=3, label="Success criteria")
    next_steps = _text(4000, rows=3, label="Agreed next steps")
    products = forms.MultipleChoiceField(choices=TWILIO_PRODUCTS, widget=forms.CheckboxSelectMultiple,
                                         label="Twilio products")
    requested_amount = _amount("Requested amount (USD)")
    starts_on = forms.DateField(label="Project starts", widget=DATE)
    ends_on = forms.DateField(label="Project ends", widget=DATE)


class MdfRequestForm(forms.Form):
    activity_type = forms.ChoiceField(choices=[("", "Choose an activity"), *MdfActivityType.choices],
                                      widget=forms.Select(attrs={"class": "form-select"}), label="Activity type")
    title = _text(200, label="Activity name")
    description = _text(4000, rows=4, label="Description",
                        help_text="What you will do, for which audience, and how it promotes Twilio-based services.")
    starts_on = forms.DateField(label="Activity starts", widget=DATE)
    ends_on = forms.DateField(label="Activity ends", widget=DATE)
    total_cost = _amount("Total activity cost (USD)")
    requested_amount = _amount("Requested amount (USD)")

    def __init__(self, *args, share=None, remaining=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.share, self.remaining, self.today = share, remaining, today
        self.allocation_warning = None
        help_text = f"MDF is a co-investment: at most {share * 100:.0f}% of the total cost." if share is not None else ""
        if remaining is not None:
            help_text += f" Your remaining MDF allocation: {usd(max(remaining, 0))}."
        self.fields["requested_amount"].help_text = help_text.strip()

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
    reason = _text(4000, rows=2, required=False, label="Why (optional)")


class AnswerForm(forms.Form):
    answer = _text(4000, rows=3, label="Your answer")
    requested_amount = _amount("Revised requested amount (USD, optional)", required=False)


class ReasonForm(forms.Form):
    reason = _text(4000, rows=2, label="Reason")


class ApproveForm(forms.Form):
    approved_amount = _amount("Approved amount (USD)")
    reason = _text(4000, rows=2, label="Reason")


class PayForm(forms.Form):
    payment_reference = _text(100, label="Payment reference")
    reason = _text(4000, rows=2, required=False, label="Note (optional)")


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
    actual_cost = _amount("Actual cost (USD)")
    notes = _text(4000, rows=3, required=False, label="Notes for the reviewer")
    files = MultipleFileField(
        label="Proof of performance",
        help_text=f"PDF, PNG or JPEG; up to {rules.PROOF_MAX_FILES} files of at most "
                  f"{rules.PROOF_MAX_BYTES // (1024 * 1024)} MB each (invoices, screenshots, attendee lists).",
    )


class AllocationForm(forms.Form):
    amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"), label="Allocation (USD)",
                                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}))
    reason = _text(300, required=False, label="Reason (optional)")


class TierDefaultForm(AllocationForm):
    tier = forms.ChoiceField(
        choices=[(t.value, t.label) for t in TierLevel if TierLevel.at_least(t.value, TierLevel.BRONZE)],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
