from django.contrib import admin

from .models import ProgramYear


@admin.register(ProgramYear)
class ProgramYearAdmin(admin.ModelAdmin):
    """A year's settings are edited here until they are history: a closed year, or a published one that an
    applied recalculation used, is read-only (copy it instead). The status changes only through the program
    years page (audited)."""

    list_display = ("year", "name", "status", "starts_on", "ends_on")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and (obj.is_closed or obj.is_published and obj.runs.filter(status="applied").exists()):
            return [f.name for f in self.model._meta.fields]
        return ["status", "published_at", "closed_at"]
