import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """LocaleMiddleware leaves the last request's language active on the thread (Django does not reset it):
    each test here starts and ends in English so no other test reads French by accident."""
    translation.activate("en")
    yield
    translation.activate("en")
