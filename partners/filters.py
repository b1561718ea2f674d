"""One filter definition per staff list: the page, the API and the OpenAPI schema all read these
(django-filter FilterSets; drf-spectacular documents their parameters)."""

import django_filters
from django.db.models import Q

from .models import Partner, StaffRole, TierLevel, User

NOT_REGISTERED = "not_registered"
TIER_CHOICES = [(NOT_REGISTERED, "Not registered"), *TierLevel.choices[1:]]


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search", max_length=100,
                                  help_text="Name or domain contains")
    tier = django_filters.ChoiceFilter(choices=TIER_CHOICES, method="filter_tier", empty_label="Any tier")
    country = django_filters.CharFilter(method="filter_country", max_length=2, label="Country",
                                        help_text="ISO 3166-1 alpha-2 code")
    partner_type = django_filters.ChoiceFilter(choices=Partner.PartnerType.choices, empty_label="Any type",
                                               label="Partner type")
    pam = django_filters.CharFilter(method="filter_pam", label="PAM", max_length=20,
                                    help_text='A PAM\'s user id, or "none" for partners without a PAM')
    is_active = django_filters.BooleanFilter(label="Active")
    o = django_filters.OrderingFilter(
        fields=(("name", "name"), ("country", "country"), ("tier_since", "tier_since"),
                ("people_count", "people"), ("certified_count", "certified"), ("trained_count", "trained")),
        label="Sort by",
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
