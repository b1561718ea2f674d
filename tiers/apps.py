from django.apps import AppConfig


class TiersConfig(AppConfig):
    name = "tiers"
    verbose_name = "Tiers and recalculation"

    def ready(self):
        # The deal page shows what winning an open registration does to the tier (a tiers forecast).
        from dealreg import sections

        from . import views

        sections.register(sections.REGISTRATION_FORECAST, views.registration_forecast_section)
