from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "POC and MDF funding"

    def ready(self):
        from program import copying

        from . import services

        copying.register(services.tier_defaults_copy)
