from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import RecalculationRun
from .services import TIER_FIELDS


class RunForm(forms.Form):
    kind = forms.ChoiceField(choices=RecalculationRun.Kind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    as_of = forms.DateField(label=gettext_lazy("As of"), required=False,
                            widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
                            help_text=gettext_lazy(
                                "Empty: today. Annual: 1 January of a published program year, with the revenue of the "
                                "prior calendar year. Mid-year: the 365 days ending on this date, not in the future."))


class DesignationForm(forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                             help_text=gettext_lazy("Why the program gives or removes the designation; the partner "
                                                    "reads it."))


class ProgramYearForm(forms.Form):
    """The provisional period, the POC maximum and each earned tier's thresholds of one program year."""

    provisional_period_days = forms.IntegerField(
        min_value=1, max_value=365, label=gettext_lazy("Certification provisional period (days)"),
        widget=forms.NumberInput(attrs={"class": "form-control"}))
    # POC draws from no allocation: each nomination is capped by this amount (docs/funding.md).
    poc_max_amount = forms.DecimalField(
        min_value=Decimal("0.01"), max_digits=12, decimal_places=2, label=gettext_lazy("POC maximum per nomination (USD)"),
        error_messages={"min_value": gettext_lazy("Enter an amount in USD greater than zero.")},
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}))

    def __init__(self, *args, tiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.tiers = [t for t in tiers if not t.is_designation]
        for t in self.tiers:
            self.fields[f"{t.level}-min_certified_technical"] = forms.IntegerField(
                min_value=0, max_value=100_000, label=_("%(tier)s: platform-certified technical people") % {"tier": t.name},
                initial=t.min_certified_technical, widget=forms.NumberInput(attrs={"class": "form-control"}))
            self.fields[f"{t.level}-min_sales_trained"] = forms.IntegerField(
                min_value=0, max_value=100_000, label=_("%(tier)s: sales-trained people") % {"tier": t.name},
                initial=t.min_sales_trained, widget=forms.NumberInput(attrs={"class": "form-control"}))
            self.fields[f"{t.level}-min_revenue_usd"] = forms.DecimalField(
                min_value=0, max_digits=14, decimal_places=2, label=_("%(tier)s: closed-won revenue (USD)") % {"tier": t.name},
                initial=t.min_revenue_usd, widget=forms.NumberInput(attrs={"class": "form-control"}))

    def requirements(self):
        return {t.level: {f: self.cleaned_data[f"{t.level}-{f}"] for f in TIER_FIELDS} for t in self.tiers}

    def tier_rows(self):
        return [(t, [self[f"{t.level}-{f}"] for f in TIER_FIELDS]) for t in self.tiers]
