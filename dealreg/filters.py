"""The review queue's filters: one FilterSet read by the queue page, its CSV export and the queue API
(whose OpenAPI parameters drf-spectacular takes from it)."""

import django_filters
from django.utils.translation import gettext_lazy

from partners.access import partners_visible_to

from . import rules, selectors
from .models import DealRegistration

ANY_STATUS = "all"


class ReviewQueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[*DealRegistration.Status.choices, (ANY_STATUS, gettext_lazy("Any status"))], method="filter_status",
        empty_label=None,
        help_text=gettext_lazy('Default: submitted; "all" for any status'))
    q = django_filters.CharFilter(method="search", max_length=100, label=gettext_lazy("Search"),
                                  help_text=gettext_lazy("Customer company, domain, contact or DR-number"))
    partner = django_filters.NumberFilter(method="filter_partner",
                                         help_text=gettext_lazy("A partner id"))
    pam = django_filters.CharFilter(method="filter_pam", max_length=20,
                                    help_text=gettext_lazy('The partner\'s PAM (a user id), or "none"'))
    # "1"/"true" as the page's checkbox and API clients send it.
    overdue = django_filters.ChoiceFilter(
        choices=[("1", gettext_lazy("Overdue only")), ("true", gettext_lazy("Overdue only")), ("0", gettext_lazy("Not overdue")),
                 ("false", gettext_lazy("Not overdue"))],
        method="filter_overdue", help_text=gettext_lazy("Past the review service level (1 / true), or not (0 / false)"))
    o = django_filters.OrderingFilter(
        fields=(("waiting_since", "waiting"), ("estimated_arr_usd", "arr"), ("customer_company", "customer"),
                ("partner__name", "partner"), ("created_at", "created")),
        label=gettext_lazy("Sort by"), help_text=gettext_lazy("Default: waiting (oldest first)"))

    class Meta:
        model = DealRegistration
        fields = ["status", "q", "partner", "pam", "overdue"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = rules.SUBMITTED
        super().__init__(data, *args, **kwargs)
        # The API's filter backend passes the request; the page passes the user.
        self.user = user or getattr(self.request, "user", None)

    def filter_status(self, queryset, name, value):
        return queryset if value == ANY_STATUS else queryset.filter(status=value)

    def search(self, queryset, name, value):
        return selectors.search(queryset, q=value)

    def filter_partner(self, queryset, name, value):
        # Only a partner the user may see narrows the queue; any other id matches nothing.
        return queryset.filter(partner__in=partners_visible_to(self.user).filter(pk=int(value)))

    def filter_pam(self, queryset, name, value):
        if value == "none":
            return queryset.filter(partner__pam__isnull=True)
        return queryset.filter(partner__pam_id=int(value)) if value.isdigit() else queryset.none()

    def filter_overdue(self, queryset, name, value):
        late = selectors.overdue(queryset)
        return late if value in ("1", "true") else queryset.exclude(pk__in=late.values("pk"))

    @property
    def qs(self):
        qs = super().qs
        # Default: oldest first. The id breaks ties, so pages and exports agree on the order.
        return qs.order_by(*(qs.query.order_by or ("waiting_since",)), "pk")

    @property
    def chosen_partner(self):
        """The partner the queue is narrowed to (shown on the page), when the user may see it."""
        value = self.form.cleaned_data.get("partner") if self.is_valid() else None
        return partners_visible_to(self.user).filter(pk=int(value)).first() if value else None
