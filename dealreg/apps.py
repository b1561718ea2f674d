from django.apps import AppConfig


class DealregConfig(AppConfig):
    name = "dealreg"
    verbose_name = "Deal registration and opportunities"
