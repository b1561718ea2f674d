"""Forms validate shape; services (benefits/services.py) validate the rules."""

from django import forms
from django.utils.translation import gettext_lazy

from core.formatting import country_choices
from core.forms import CountryChoiceField, QuickSelect
from program.models import ProgramYear

from . import rules
from .vocabulary import INDUSTRIES, PRODUCTS, join_codes, split_codes

TIER_FILTER_CHOICES = [("", gettext_lazy("Any tier"))] + [(t, rules.TIER_NAMES[t]) for t in reversed(rules.PUBLIC_TIERS)]


class ProgramYearCopyForm(forms.Form):
    source = forms.ModelChoiceField(queryset=ProgramYear.objects.all(), label=gettext_lazy("Copy from"), to_field_name="year",
                                    widget=forms.Select(attrs={"class": "form-select"}))
    year = forms.IntegerField(label=gettext_lazy("New year"), min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"class": "form-control"}),
                              help_text=gettext_lazy("Copies the settings, the tier requirements and the benefits table; "
                                                     "not the invitations."))


class InvitationForm(forms.Form):
    benefit = forms.ChoiceField(choices=[], label=gettext_lazy("Benefit"))
    region = forms.CharField(max_length=100, required=False, label=gettext_lazy("Region"),
                             help_text=gettext_lazy(
                                 "Required for POC co-funding (select regions, guide p.9); optional for the others."),
                             widget=forms.TextInput(attrs={"class": "form-control"}))
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                             label=gettext_lazy("Reason"))

    def __init__(self, *args, benefits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["benefit"].choices = [(b.code, b.name) for b in benefits]
        self.fields["benefit"].widget.attrs["class"] = "form-select"


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                             label=gettext_lazy("Reason"))


class ListingForm(forms.Form):
    """The showcase listing draft. Every field is optional here: a draft may be incomplete; the page
    says what is missing before it can be published."""

    description = forms.CharField(required=False, max_length=5000, label=gettext_lazy("Description"),
                                  widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}))
    services = forms.CharField(required=False, max_length=500, label=gettext_lazy("Services"),
                               help_text=gettext_lazy("e.g. contact-centre migration, SMS campaigns, managed support"),
                               widget=forms.TextInput(attrs={"class": "form-control"}))
    industries = forms.MultipleChoiceField(required=False, choices=INDUSTRIES, label=gettext_lazy("Industries"),
                                           widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}))
    countries_served = forms.MultipleChoiceField(
        required=False, choices=country_choices, label=gettext_lazy("Countries served"),
        help_text=gettext_lazy("Hold Ctrl (Cmd on a Mac) to choose more than one."),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 8}))
    products = forms.MultipleChoiceField(required=False, choices=PRODUCTS, label=gettext_lazy("Products"),
                                         widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}))
    website = forms.URLField(required=False, max_length=300, assume_scheme="https", label=gettext_lazy("Website"),
                             widget=forms.URLInput(attrs={"class": "form-control"}))
    contact_email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"class": "form-control"}),
                                     label=gettext_lazy("Contact email"))
    logo = forms.FileField(required=False, help_text=gettext_lazy("PNG or JPEG, at most 1 MB."), label=gettext_lazy("Logo"),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control",
                                                                  "accept": "image/png,image/jpeg"}))

    def clean_industries(self):
        return join_codes(self.cleaned_data["industries"])

    def clean_products(self):
        return join_codes(self.cleaned_data["products"])

    def clean_countries_served(self):
        return join_codes(dict.fromkeys(self.cleaned_data["countries_served"]))

    @classmethod
    def initial_for(cls, listing):
        if listing is None:
            return {}
        return {
            "description": listing.description, "services": listing.services,
            "industries": split_codes(listing.industries), "countries_served": split_codes(listing.countries_served),
            "products": split_codes(listing.products), "website": listing.website,
            "contact_email": listing.contact_email,
        }


class DirectorySearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=gettext_lazy("Search"),
                        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": gettext_lazy("Name, service…")}))
    country = CountryChoiceField(required=False, label=gettext_lazy("Country"),
                                 choices=lambda: [("", gettext_lazy("Any country")), *country_choices()],
                                 widget=QuickSelect(attrs={"class": "form-select"}))
    product = forms.ChoiceField(required=False, choices=[("", gettext_lazy("Any product"))] + PRODUCTS,
                                label=gettext_lazy("Product"),
                                widget=QuickSelect(attrs={"class": "form-select"}))
    industry = forms.ChoiceField(required=False, choices=[("", gettext_lazy("Any industry"))] + INDUSTRIES,
                                 label=gettext_lazy("Industry"),
                                 widget=QuickSelect(attrs={"class": "form-select"}))
    tier = forms.ChoiceField(required=False, choices=TIER_FILTER_CHOICES, label=gettext_lazy("Tier"),
                             widget=QuickSelect(attrs={"class": "form-select"}))
    page = forms.IntegerField(required=False, min_value=1, max_value=500, widget=forms.HiddenInput)

    def filters(self):
        data = self.cleaned_data
        return {"text": data["q"], "country": data["country"], "product": data["product"],
                "industry": data["industry"], "tier": data["tier"]}


class LeadForm(forms.Form):
    """The public "contact this partner" form of a published listing."""

    name = forms.CharField(max_length=150, label=gettext_lazy("Your name"),
                           widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}))
    email = forms.EmailField(max_length=254, label=gettext_lazy("Your email"),
                             help_text=gettext_lazy("The partner replies to this address."),
                             widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "email"}))
    company = forms.CharField(max_length=200, required=False, label=gettext_lazy("Company"),
                              widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "organization"}))
    country = CountryChoiceField(required=False, label=gettext_lazy("Country"),
                                 widget=QuickSelect(attrs={"class": "form-select"}))
    message = forms.CharField(max_length=4000, label=gettext_lazy("Message"),
                              widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}))
