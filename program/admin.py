from django.contrib import admin

from .models import ProgramYear


@admin.register(ProgramYear)
class ProgramYearAdmin(admin.ModelAdmin):
    list_display = ("year", "name", "status", "starts_on", "ends_on")
    readonly_fields = ("status", "published_at", "closed_at")
