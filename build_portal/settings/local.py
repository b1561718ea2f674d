"""The local profile (``make run``): DEBUG on, SQLite unless DATABASE_URL is set, local-memory cache,
eager Celery tasks, email printed to the console, the measurement commands of ``perf``."""

from .base import *  # noqa: F403
from .base import BASE_DIR, INSTALLED_APPS, env, env_bool, postgres_databases

DEBUG = env_bool("DJANGO_DEBUG", True)

if env("DATABASE_URL"):
    DATABASES = postgres_databases(required=False, conn_max_age=0)
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# allauth refuses it unless DEBUG: demo staff log in with the code 000000.
MFA_TOTP_INSECURE_BYPASS_CODE = "000000" if DEBUG else None

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
# Static files straight from their sources.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Benchmark, race and load-test seed commands: never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "perf"]

# Demo data (published logins) may be loaded here, never in production.
DEMO_DATA_ALLOWED = True
