from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ProgramConfig(AppConfig):
    name = "program"
    verbose_name = gettext_lazy("Program years")
