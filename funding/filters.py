"""The staff funding lists' filters: one FilterSet per list, read by its page, its CSV export and its API twin
(whose OpenAPI parameters drf-spectacular takes from it)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext_lazy

from partners.access import partners_visible_to
from partners.models import Partner, StaffRole, TierLevel, User

from .models import FundingRequest, Program, Status

# What waits on staff: requests to decide, claims to review, approved claims to pay (the queue's default).
QUEUE = "queue"
QUEUE_STATUSES = (Status.SUBMITTED, Status.CLAIM_SUBMITTED, Status.CLAIM_APPROVED)
ANY_STATUS = "all"
# MDF is Silver and above, Bronze by invitation: the allocations list is the partners at Bronze or above.
ALLOCATION_TIERS = [(t.value, t.label) for t in TierLevel if TierLevel.at_least(t.value, TierLevel.BRONZE)]


def _pam(queryset, value, field="partner__pam"):
    if value == "none":
        return queryset.filter(**{f"{field}__isnull": True})
    return queryset.filter(**{f"{field}_id": int(value)}) if value.isdigit() else queryset.none()


class _StaffListFilter(django_filters.FilterSet):
    pam = django_filters.CharFilter(method="filter_pam", max_length=20, label=gettext_lazy("PAM"),
                                    help_text=gettext_lazy('The partner\'s PAM (a user id), or "none"'))

    @property
    def pams(self):
        return User.objects.filter(staff_role=StaffRole.PAM).order_by("full_name", "email")


class FundingQueueFilter(_StaffListFilter):
    status = django_filters.ChoiceFilter(
        choices=[(QUEUE, gettext_lazy("Waiting on staff")), *Status.choices, (ANY_STATUS, gettext_lazy("Any status"))],
        method="filter_status", empty_label=None, label=gettext_lazy("Status"),
        help_text=gettext_lazy('Default: "queue" (requests to decide, claims to review, claims to pay); '
                               '"all" for any status'))
    program = django_filters.ChoiceFilter(choices=Program.choices, empty_label=gettext_lazy("POC and MDF"),
                                          label=gettext_lazy("Program"))
    q = django_filters.CharFilter(method="search", max_length=100, label=gettext_lazy("Search"),
                                  help_text=gettext_lazy("Reference (MDF-00012), name, customer or partner"))
    partner = django_filters.NumberFilter(method="filter_partner", label=gettext_lazy("Partner id"),
                                          help_text=gettext_lazy("A partner id"))
    tier = django_filters.ChoiceFilter(choices=TierLevel.choices[1:], field_name="partner__tier",
                                       empty_label=gettext_lazy("Any tier"), label=gettext_lazy("Tier"))
    year = django_filters.NumberFilter(field_name="program_year__year", label=gettext_lazy("Program year"))
    o = django_filters.OrderingFilter(
        fields=(("submitted_at", "submitted"), ("requested_amount", "requested"), ("approved_amount", "approved"),
                ("partner__name", "partner"), ("claim_deadline", "deadline"), ("title", "name")),
        label=gettext_lazy("Sort by"), help_text=gettext_lazy("Default: submitted (oldest first)"))

    class Meta:
        model = FundingRequest
        fields = ["status", "program", "q", "partner", "pam", "tier", "year"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = QUEUE
        super().__init__(data, *args, **kwargs)
        # The API's filter backend passes the request; the page and the export pass the user.
        self.user = user or getattr(self.request, "user", None)

    def filter_status(self, queryset, name, value):
        if value == ANY_STATUS:
            return queryset
        return queryset.filter(status__in=QUEUE_STATUSES) if value == QUEUE else queryset.filter(status=value)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        match = Q(title__icontains=value) | Q(customer_name__icontains=value) | Q(partner__name__icontains=value)
        number = value.upper().removeprefix("MDF-").removeprefix("POC-").removeprefix("MDF").removeprefix("POC")
        if number.isdigit():
            match |= Q(pk=int(number))
        return queryset.filter(match)

    def filter_partner(self, queryset, name, value):
        # Only a partner the user may see narrows the list; any other id matches nothing.
        return queryset.filter(partner__in=partners_visible_to(self.user).filter(pk=int(value)))

    def filter_pam(self, queryset, name, value):
        return _pam(queryset, value)

    @property
    def qs(self):
        qs = super().qs
        # Default: oldest first. The id breaks ties, so pages and exports agree on the order.
        return qs.order_by(*(qs.query.order_by or ("submitted_at",)), "pk")

    @property
    def chosen_partner(self):
        value = self.form.cleaned_data.get("partner") if self.is_valid() else None
        return partners_visible_to(self.user).filter(pk=int(value)).first() if value else None


class AllocationFilter(_StaffListFilter):
    """The year's MDF allocations (funding.selectors.allocations): one row per partner at Bronze or above."""

    q = django_filters.CharFilter(method="search", max_length=100, label=gettext_lazy("Search"),
                                  help_text=gettext_lazy("Partner name or domain contains"))
    tier = django_filters.ChoiceFilter(choices=ALLOCATION_TIERS, empty_label=gettext_lazy("Any tier"),
                                       label=gettext_lazy("Tier"))
    source = django_filters.ChoiceFilter(
        choices=[("custom", gettext_lazy("Set for the partner")), ("default", gettext_lazy("Tier default"))],
        method="filter_source", empty_label=pgettext_lazy("allocation source", "Any"), label=gettext_lazy("Source"),
        help_text=gettext_lazy('"custom": set for the partner; "default": follows the tier default'))
    unused = django_filters.BooleanFilter(method="filter_unused", label=gettext_lazy("Money not committed yet"),
                                          help_text=gettext_lazy("true: some of the allocation is not committed"))
    o = django_filters.OrderingFilter(
        fields=(("name", "partner"), ("tier", "tier"), ("allocated", "allocated"), ("committed", "committed"),
                ("claimed", "claimed"), ("paid", "paid"), ("remaining", "remaining")),
        label=gettext_lazy("Sort by"), help_text=gettext_lazy("Default: partner name"))

    class Meta:
        model = Partner
        fields = ["q", "tier", "pam", "source", "unused"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(domain__icontains=value.lower())) if value else queryset

    def filter_pam(self, queryset, name, value):
        return _pam(queryset, value, field="pam")

    def filter_source(self, queryset, name, value):
        return queryset.filter(is_custom=value == "custom")

    def filter_unused(self, queryset, name, value):
        return queryset.filter(remaining__gt=0) if value else queryset.filter(remaining__lte=0)

    @property
    def qs(self):
        qs = super().qs
        return qs.order_by(*(qs.query.order_by or ("name",)), "pk")
