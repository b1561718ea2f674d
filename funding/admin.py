"""Admin: workflow rows are read-only (they change only through
funding/services/ so that every change is audited and notified)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import ledger
from .models import Claim, ClaimFile, FundingRequest, LedgerEntry, MdfAllocation, MdfTierDefault


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
    list_display = ["at", "partner", "program", "kind", "amount", "request", "actor", "words"]
    list_filter = ["program", "kind", "program_year"]
    list_select_related = ["partner", "request", "actor"]

    @admin.display(description=_("Note"))
    def words(self, obj):
        return ledger.ledger_words(obj)
