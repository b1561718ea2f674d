"""Django admin: read-mostly views for program staff. Workflow changes go through the portal's services."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TranslationAdmin

from .models import Agreement, AgreementAcceptance, Completion, Invitation, Partner, Person, User


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "country", "partner_type", "tier", "pam", "psa", "is_active"]
    list_filter = ["tier", "partner_type", "country"]
    search_fields = ["name", "domain"]
    # Tier standing is the tier engine's; PAM/PSA go through the team page (audit + notifications).
    readonly_fields = ["tier", "tier_since", "pam", "psa", "badge_token", "created_at"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "partner", "partner_role", "staff_role", "is_active"]
    list_filter = ["staff_role", "partner_role", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "language"]}),
        (gettext_lazy("Role"), {"fields": ["partner", "partner_role", "staff_role"]}),
        ("Django", {"fields": ["is_active", "is_staff", "is_superuser", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Agreement)
class AgreementAdmin(TranslationAdmin):
    """The title and text in each language (django-modeltranslation); partners accept the kind and version."""

    list_display = ["title", "kind", "version", "published_on", "is_current"]
    list_filter = ["kind", "is_current"]


@admin.register(AgreementAcceptance)
class AgreementAcceptanceAdmin(admin.ModelAdmin):
    list_display = ["partner", "agreement", "accepted_by", "accepted_at", "ip_address"]
    readonly_fields = ["partner", "agreement", "accepted_by", "accepted_at", "ip_address"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "partner", "role", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    readonly_fields = ["partner", "email", "role", "token_hash", "invited_by", "created_at", "expires_at",
                       "accepted_at", "accepted_user", "revoked_at", "revoked_by"]


class CompletionInline(admin.TabularInline):
    model = Completion
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "partner", "job_role"]
    list_filter = ["job_role"]
    search_fields = ["name", "email", "partner__name"]
    inlines = [CompletionInline]

    def get_readonly_fields(self, request, obj=None):
        # A person changes partner only through partners.services.person_move, which moves their
        # completions too (on SQLite nothing else would): Staff → Partners → (partner) → Move a person.
        return ["partner"] if obj is not None else []
