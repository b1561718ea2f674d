from django.apps import AppConfig


class BuildPortalConfig(AppConfig):
    name = "build_portal"
    verbose_name = "Build Portal"
