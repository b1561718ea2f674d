"""A run's assessments: one FilterSet read by the run page, its CSV export and the assessments API (whose
OpenAPI parameters drf-spectacular takes from it)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from partners.models import TierLevel

from .models import Assessment


class AssessmentFilter(django_filters.FilterSet):
    movement = django_filters.ChoiceFilter(choices=Assessment.Movement.choices, empty_label=_("Any movement"))
    q = django_filters.CharFilter(method="search", max_length=100, label=_("Partner"),
                                  help_text=_("Partner name or domain contains"))
    applied_tier = django_filters.ChoiceFilter(choices=TierLevel.choices[1:], empty_label=_("Any tier"),
                                               label=_("Applied tier"))
    o = django_filters.OrderingFilter(
        fields=(("partner__name", "partner"), ("revenue_usd", "revenue"), ("certified_technical", "certified"),
                ("sales_trained", "trained")),
        label=_("Sort by"), help_text=_("Default: partner name"))

    class Meta:
        model = Assessment
        fields = ["movement", "q", "applied_tier"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(partner__name__icontains=value) | queryset.filter(partner__domain__icontains=value)

    @property
    def qs(self):
        qs = super().qs.select_related("partner")
        # The partner id breaks ties, so the page, its export and the API agree on the order.
        return qs.order_by(*(qs.query.order_by or ("partner__name",)), "partner_id")
