from django.apps import AppConfig


class PerfConfig(AppConfig):
    """Measurement code, kept out of the product: benchmark, race and load-test seed commands. Installed in
    the local and test profiles only (settings/local.py, settings/test.py), so production has none of them."""

    name = "perf"
    verbose_name = "Performance measurements"
