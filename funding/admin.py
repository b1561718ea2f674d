"""Admin: program settings are editable here; workflow rows are read-only (they change only through
funding/services.py so that every change is audited and notified)."""

from django.contrib import admin

from .models import Claim, ClaimFile, FundingRequest, FundingYearSettings, LedgerEntry, MdfAllocation, MdfTierDefault


class ProgramAdminEditable:
    """Program admins edit program settings here (docs/funding.md sends them for the POC maximum) without a
    superuser flag or per-model permission rows: the staff role decides, as everywhere else in the portal.
    The admin site still requires is_staff (set for program admins)."""

    def _is_program_admin(self, request):
        return request.user.is_active and (request.user.is_superuser or request.user.is_program_admin)

    def has_module_permission(self, request):
        return self._is_program_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_program_admin(request)

    def has_change_permission(self, request, obj=None):
        return self._is_program_admin(request)

    def has_add_permission(self, request):
        return self._is_program_admin(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundingYearSettings)
class FundingYearSettingsAdmin(ProgramAdminEditable, admin.ModelAdmin):
    list_display = ["program_year", "poc_max_amount"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundingRequest)
class FundingRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "program", "partner", "title", "status", "requested_amount", "approved_amount", "claim_deadline"]
    list_filter = ["program", "status", "program_year"]
    search_fields = ["title", "partner__name"]
    list_select_related = ["partner"]


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["request", "actual_cost", "approved_amount", "payment_reference", "paid_at"]
    list_select_related = ["request"]


@admin.register(ClaimFile)
class ClaimFileAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "content_type", "size", "claim"]


@admin.register(MdfAllocation)
class MdfAllocationAdmin(ReadOnlyAdmin):
    list_display = ["partner", "program_year", "amount", "committed", "is_custom"]
    list_select_related = ["partner", "program_year"]


@admin.register(MdfTierDefault)
class MdfTierDefaultAdmin(ReadOnlyAdmin):
    list_display = ["program_year", "tier", "amount"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "partner", "program", "kind", "amount", "request", "actor"]
    list_filter = ["program", "kind", "program_year"]
    list_select_related = ["partner", "request", "actor"]
