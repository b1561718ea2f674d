"""Read-mostly admin: workflow objects change only through dealreg/services.py (pages and API)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import history
from .models import (
    CustomerAccount,
    DealRegistration,
    DealRegistrationEvent,
    DealRegistrationLimits,
    ExcludedCustomerDomain,
    Opportunity,
    OpportunityPartner,
    SalesImport,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = DealRegistrationEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "actor", "action", "from_status", "to_status", "why", "reason_code"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Reason"))
    def why(self, event):
        """The portal's words in the admin's language, then the typed reason (dealreg/history.py)."""
        return history.event_text(event)


@admin.register(DealRegistration)
class DealRegistrationAdmin(ReadOnlyAdmin):
    list_display = ["id", "customer_company", "domain", "partner", "status", "waiting_since", "expires_on"]
    list_filter = ["status"]
    search_fields = ["customer_company", "domain", "partner__name"]
    list_select_related = ["partner"]
    inlines = [EventInline]


class AttachmentInline(admin.TabularInline):
    model = OpportunityPartner
    extra = 0
    can_delete = False
    readonly_fields = ["partner", "attached_on", "source"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Opportunity)
class OpportunityAdmin(ReadOnlyAdmin):
    list_display = ["external_id", "account_name", "domain", "product_line", "arr_usd", "stage", "close_date"]
    list_filter = ["stage", "product_line"]
    search_fields = ["external_id", "account_name", "domain"]
    inlines = [AttachmentInline]


@admin.register(CustomerAccount)
class CustomerAccountAdmin(ReadOnlyAdmin):
    list_display = ["external_id", "name", "domain"]
    search_fields = ["external_id", "name", "domain"]


@admin.register(SalesImport)
class SalesImportAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "source", "imported_by", "rows", "created", "updated", "unchanged"]
    list_filter = ["kind"]


@admin.register(ExcludedCustomerDomain)
class ExcludedCustomerDomainAdmin(admin.ModelAdmin):
    """Program data: domains a registration cannot name as the customer (free mail, the vendor's own)."""

    list_display = ["domain", "reason", "note"]
    list_filter = ["reason"]
    search_fields = ["domain"]

    def save_model(self, request, obj, form, change):
        from partners.domains import normalise_domain

        obj.domain = normalise_domain(obj.domain)
        super().save_model(request, obj, form, change)


@admin.register(DealRegistrationLimits)
class DealRegistrationLimitsAdmin(admin.ModelAdmin):
    list_display = ["year", "confirm_arr_above_usd", "confirm_close_months"]
