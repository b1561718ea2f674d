from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TiersConfig(AppConfig):
    name = "tiers"
    verbose_name = _("Tiers and recalculation")

    def ready(self):
        # The deal page shows what winning an open registration does to the tier (a tiers forecast).
        from dealreg import sections

        from . import views

        sections.register(sections.REGISTRATION_FORECAST, views.registration_forecast_section)
