"""The test profile (pytest's configuration in pyproject.toml names it): real PostgreSQL and Redis, one
database, cache prefix and Celery queue per run (TEST_RUN_ID) so two runs never collide."""

import os

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, REDIS_URL, REST_FRAMEWORK, env, redis_caches

_run_id = env("TEST_RUN_ID", os.getpid())

CACHES = redis_caches(REDIS_URL, f"bp_test_{_run_id}")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_DEFAULT_QUEUE = f"build_portal_test_{_run_id}"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "user": env("API_THROTTLE_USER", "100000/hour"),
    },
}
# Static files straight from their sources.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Benchmark, race and load-test seed commands: never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "perf"]

# Demo data (published logins) may be loaded here, never in production.
DEMO_DATA_ALLOWED = True
