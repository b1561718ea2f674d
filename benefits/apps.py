from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = gettext_lazy("Benefits")

    def ready(self):
        # The tier pages (tiers, below this app) show our benefits list and our "copy a year" form.
        from tiers import sections

        from . import views

        sections.register(sections.STANDING_BENEFITS, views.tier_benefits_section)
        sections.register(sections.PROGRAM_YEAR_COPY, views.program_year_copy_section)
