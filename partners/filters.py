"""One filter definition per staff list: the page, the API and the OpenAPI schema all read these
(django-filter FilterSets; drf-spectacular documents their parameters)."""

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activity import selectors as activity_selectors
from activity.models import AuditEntry
from core.formatting import country_choices

from .forms import BootstrapMixin, DateInput
from .models import Completion, Partner, Person, StaffRole, TierLevel, User

NOT_REGISTERED = "not_registered"
TIER_CHOICES = [(NOT_REGISTERED, gettext_lazy("Not registered")), *TierLevel.choices[1:]]


# The partner list's orderings that sort by a roster count: only these need the counts of every partner.
COUNT_ORDERINGS = ("people", "certified", "trained")


def sorted_by_count(ordering):
    """Whether an ``o`` parameter of the partner list sorts by a roster count."""
    return any(key.strip().lstrip("-") in COUNT_ORDERINGS for key in (ordering or "").split(","))


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=gettext_lazy("Search"), max_length=100,
                                  help_text=gettext_lazy("Name or domain contains"))
    tier = django_filters.ChoiceFilter(choices=TIER_CHOICES, method="filter_tier", empty_label=gettext_lazy("Any tier"),
                                       label=gettext_lazy("Tier"))
    # Chosen by name on the page; a typed code in any case (an old bookmark, the API) still filters.
    country = django_filters.CharFilter(method="filter_country", max_length=2, label=gettext_lazy("Country"),
                                        help_text=gettext_lazy("ISO 3166-1 alpha-2 code"),
                                        widget=forms.Select(choices=country_choices))
    partner_type = django_filters.ChoiceFilter(choices=Partner.PartnerType.choices, empty_label=gettext_lazy("Any type"),
                                               label=gettext_lazy("Partner type"))
    pam = django_filters.CharFilter(method="filter_pam", label=gettext_lazy("PAM"), max_length=20,
                                    help_text=gettext_lazy('A PAM\'s user id, or "none" for partners without a PAM'))
    is_active = django_filters.BooleanFilter(label=gettext_lazy("Active"))
    o = django_filters.OrderingFilter(
        fields=(("name", "name"), ("country", "country"), ("tier_since", "tier_since"),
                ("people_count", "people"), ("certified_count", "certified"), ("trained_count", "trained")),
        label=gettext_lazy("Sort by"),
    )

    class Meta:
        model = Partner
        fields = ["q", "tier", "country", "partner_type", "pam", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(domain__icontains=value.lower())) if value else queryset

    def filter_tier(self, queryset, name, value):
        return queryset.filter(tier="" if value == NOT_REGISTERED else value)

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.upper()) if value.strip() else queryset

    def filter_pam(self, queryset, name, value):
        if value == "none":
            return queryset.filter(pam__isnull=True)
        if value.isdigit():
            return queryset.filter(pam_id=int(value))
        return queryset.none()

    @property
    def qs(self):
        qs = super().qs
        # The id breaks ties, so pages and exports agree on the order.
        return qs.order_by(*(qs.query.order_by or ("name",)), "pk")

    @property
    def pams(self):
        return User.objects.filter(staff_role=StaffRole.PAM).order_by("full_name", "email")


class _AuditForm(BootstrapMixin, forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class AuditFilter(django_filters.FilterSet):
    """The audit trail's filters. The partner is found by name (or given by id, as the partner 360 links):
    a text search, not a select of every partner."""

    partner_name = django_filters.CharFilter(
        method="filter_partner_name", max_length=100, label=gettext_lazy("Partner"),
        help_text=gettext_lazy("Partner name contains"),
        # static/js/partner_search.js suggests names as staff type and puts the chosen one's id in "partner".
        widget=forms.TextInput(attrs={"data-partner-search": reverse_lazy("partners:partner_names"),
                                      "autocomplete": "off"}))
    partner = django_filters.NumberFilter(method="filter_partner", label=gettext_lazy("Partner id"), widget=forms.HiddenInput)
    action = django_filters.ChoiceFilter(empty_label=gettext_lazy("Any action"), label=gettext_lazy("Action"))
    object_type = django_filters.ChoiceFilter(empty_label=gettext_lazy("Any type"), label=gettext_lazy("Object type"))
    actor = django_filters.CharFilter(method="filter_actor", max_length=150, label=gettext_lazy("Actor"),
                                      help_text=gettext_lazy("Email or name"))
    date_from = django_filters.DateFilter(method="filter_dates", label=gettext_lazy("From"), widget=DateInput)
    date_to = django_filters.DateFilter(method="filter_dates", label=gettext_lazy("To"), widget=DateInput)

    class Meta:
        model = AuditEntry
        fields = ["partner_name", "partner", "action", "object_type", "actor", "date_from", "date_to"]
        form = _AuditForm

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # The choices are the actions and object types the trail holds (two queries).
        self.filters["action"].extra["choices"] = [(a, a) for a in activity_selectors.audit_actions(self.queryset)]
        self.filters["object_type"].extra["choices"] = [
            (t, t) for t in activity_selectors.audit_object_types(self.queryset)]

    def filter_partner_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(partner_id__in=Partner.objects.filter(name__icontains=value).values("pk"))

    def filter_partner(self, queryset, name, value):
        return queryset.filter(partner_id=int(value))

    def filter_actor(self, queryset, name, value):
        return activity_selectors.filter_audit_entries(queryset, actor=value)

    def filter_dates(self, queryset, name, value):
        return activity_selectors.filter_audit_entries(queryset, **{name: value})

    @property
    def qs(self):
        return super().qs.select_related("actor").order_by("-at", "-pk")


class PersonFilter(django_filters.FilterSet):
    """Staff's people list: who is on the rosters of the partners they see, and whose completions expire."""

    q = django_filters.CharFilter(method="search", max_length=100, label=gettext_lazy("Search"),
                                  help_text=gettext_lazy("Name or email contains"))
    partner = django_filters.NumberFilter(field_name="partner_id", label=gettext_lazy("Partner id"), widget=forms.HiddenInput)
    partner_name = django_filters.CharFilter(field_name="partner__name", lookup_expr="icontains", max_length=100,
                                             label=gettext_lazy("Partner"), help_text=gettext_lazy("Partner name contains"))
    job_role = django_filters.ChoiceFilter(choices=Person.JobRole.choices, empty_label=gettext_lazy("Any role"),
                                           label=gettext_lazy("Job role"))
    expiring_before = django_filters.DateFilter(
        method="filter_expiring", label=gettext_lazy("A completion expires before"), widget=DateInput,
        help_text=gettext_lazy("People with a completion that is current today and expires before this date"))
    o = django_filters.OrderingFilter(fields=(("name", "name"), ("partner__name", "partner"), ("email", "email")),
                                      label=gettext_lazy("Sort by"), help_text=gettext_lazy("Default: partner, then name"))

    class Meta:
        model = Person
        fields = ["q", "partner", "partner_name", "job_role", "expiring_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value)) if value else queryset

    def filter_expiring(self, queryset, name, value):
        today = timezone.localdate()
        soon = Completion.objects.filter(expires_on__gte=today, expires_on__lt=value)
        return queryset.filter(pk__in=soon.values("person_id"))

    @property
    def qs(self):
        qs = super().qs.select_related("partner")
        ordering = qs.query.order_by or ("partner__name", "name")
        if self.is_bound and self.form.cleaned_data.get("partner") is not None:
            # One partner: its name is the same on every row, and without it the (partner, name, id) index
            # gives the page its rows in order instead of a sort of the whole roster.
            ordering = [key for key in ordering if key.lstrip("-") != "partner__name"] or ["name"]
        return qs.order_by(*ordering, "pk")
