from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = "Benefits"

    def ready(self):
        # The tier pages (tiers, below this app) show our benefits list and our "copy a year" form.
        from tiers import sections

        from . import views

        sections.register(sections.STANDING_BENEFITS, views.tier_benefits_section)
        sections.register(sections.PROGRAM_YEAR_COPY, views.program_year_copy_section)
