from django.contrib import admin

from .models import AuditEntry, Notification


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail is append-only: nobody edits or deletes it, not even in the admin."""

    list_display = ["at", "actor", "action", "object_type", "object_repr", "partner_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor__email", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "to_email", "kind", "subject", "read_at", "emailed_at", "email_attempts"]
    list_filter = ["kind", "emailed_at"]
    readonly_fields = ["recipient", "to_email", "kind", "params", "language", "subject", "body", "url", "created_at",
                       "read_at", "emailed_at", "email_attempts"]
