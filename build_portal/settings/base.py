"""Settings shared by every profile, read from the environment (12-factor).

A profile is a module next to this one, chosen by DJANGO_SETTINGS_MODULE:
- ``build_portal.settings.production`` (manage.py, wsgi and celery default to it): DEBUG off, secrets
  without defaults, secure cookies;
- ``build_portal.settings.local`` (``make run``): SQLite, eager Celery tasks, email printed to the console;
- ``build_portal.settings.test`` (pytest's configuration names it): PostgreSQL and Redis.
Each profile star-imports this module and then sets what differs: DEBUG, the secret key, hosts, the
database and cache, static files storage, email backend, Celery eagerness and queue, throttles, HTTPS.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[2]


def env(name, default=None, *, required=False):
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from exc


def postgres_databases(*, required, conn_max_age):
    """DATABASES for PostgreSQL at DATABASE_URL; each test run gets its own database so two never collide."""
    databases = {
        "default": dj_database_url.parse(
            env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres", required=required),
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", conn_max_age),
        )
    }
    databases["default"]["TEST"] = {"NAME": f"test_build_portal_{env('TEST_RUN_ID', os.getpid())}"}
    return databases


def redis_caches(redis_url, key_prefix):
    return {
        "default": {
            # Django's, sharing one Redis client per connection pool (core/cache.py).
            "BACKEND": "core.cache.SharedClientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": key_prefix,
        }
    }


DEBUG = env_bool("DJANGO_DEBUG", False)
# Local and test only: production requires DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (production.py).
SECRET_KEY = env("DJANGO_SECRET_KEY") or "insecure-key-for-local-and-test-only"
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in env("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Before the admin: its TranslationAdmin tabs and per-language columns patch the admin's forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "django_filters",
    "django_countries",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Domain apps, bottom to top (DESIGN.md §4): an app imports only apps listed before it.
    "core",
    "activity",
    "program",
    "partners",
    "dealreg",
    "tiers",
    "benefits",
    "funding",
    "build_portal",
]

MIDDLEWARE = [
    "build_portal.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of a request: the session's choice, else the browser's Accept-Language, else English.
    # After the session (it reads the choice there), before CommonMiddleware (which may redirect).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in user's profile language (else the switcher's choice in the session) over the browser's.
    "build_portal.language.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # NUL and other control characters in any field: a 400 naming the field, before any view.
    "build_portal.middleware.ControlCharacterGuard",
    # Staff two-factor and partner agreement gates for pages; the API applies the same gates as DRF
    # permission classes (REST_FRAMEWORK below), where token authentication has run.
    "partners.gates.PagesGate",
    "program.middleware.NoProgramYearPage",
]

ROOT_URLCONF = "build_portal.urls"
WSGI_APPLICATION = "build_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "build_portal.context_processors.navigation",
                "build_portal.language.languages",
            ],
        },
    },
]

# Database: PostgreSQL (DATABASE_URL); `make run` uses SQLite unless DATABASE_URL is set (local.py).
DATABASES = postgres_databases(required=False, conn_max_age=0)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "partners.User"

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = redis_caches(REDIS_URL, "bp")

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: email is the login, no usernames, verified email, no open sign-up
# (partner users join by invitation; companies apply through the "become a partner" form).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_ADAPTER = "partners.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "signup": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_INSECURE_BYPASS_CODE = None
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
# Sessions are read from the cache (Redis) and written through to the database: every signed-in page loads
# its session, and the cache answers without a query; a session the cache has lost is read from the table.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# The guide offers training "in English, French, Japanese, Portuguese, and Spanish": the portal speaks the
# same five. Each language is named in itself, as the switcher shows it. English is the source language
# and the fallback for anything not translated.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "français"),
    ("ja", "日本語"),
    ("pt-br", "português (Brasil)"),
    ("es", "español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# django-modeltranslation: one column per language for admin-written program data, English when empty.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
import xstatic.pkg.bootstrap  # noqa: E402  (static files come from Python packages, no CDN)

STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Email: console for `make run`, SMTP in production (EMAIL_URL-like settings), locmem in tests.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Build Portal <no-reply@build-portal.example>")
# Notification emails: the domain of their Message-ID, and how long a worker's claim on one holds.
EMAIL_MESSAGE_ID_DOMAIN = env("EMAIL_MESSAGE_ID_DOMAIN", urlsplit(SITE_URL).hostname or "build-portal.example")
NOTIFICATION_EMAIL_CLAIM_SECONDS = env_int("NOTIFICATION_EMAIL_CLAIM_SECONDS", 300)

# Celery: Redis is the broker; eager for `make run`.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_TASK_DEFAULT_QUEUE = "build_portal"
# A task that hangs is stopped rather than holding a worker forever (cookiecutter-django's values): the
# soft limit raises SoftTimeLimitExceeded inside the task, the hard one kills the worker process. The
# longest task, a 100,000-partner tier recalculation, takes about 10 s.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 5 * 60)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a request without credentials a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # knox's, answering in the token user's profile language when the request names none.
        "build_portal.language.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # partners.gates.SIGNED_IN; public views use partners.gates.PUBLIC (the same gates, no sign-in needed).
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "partners.gates.StaffMFA",
        "partners.gates.PartnerAgreement",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.query.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", "60/min"),
        "user": env("API_THROTTLE_USER", "1200/hour"),
    },
}
# `load_demo` creates staff with a published password and TOTP secret: only the local and test profiles allow it.
DEMO_DATA_ALLOWED = False

# Content-Security-Policy (django-csp) on every answer: scripts, styles, fonts and images from this site
# only (static files come from Python packages, no CDN), no inline script or style attribute, no framing.
# Bootstrap draws some icons as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# API tokens (django-rest-knox): stored as SHA-512 digests, each expiring after API_TOKEN_TTL_DAYS.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("API_TOKEN_TTL_DAYS", 90)),
    "AUTO_REFRESH": False,
}
API_TOKENS_PER_USER = env_int("API_TOKENS_PER_USER", 10)

SPECTACULAR_SETTINGS = {
    "TITLE": "Build Portal API",
    "DESCRIPTION": "Partner program portal: partners, tiers, benefits, deal registration, funding.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Public, behind the staff two-factor gate; partners still accepting the agreement may read it.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny", "partners.gates.StaffMFA"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.document_invalid_page",
        "core.api.document_empty_filters",
    ],
    # One name per choice set shared across apps, so the schema has no ambiguous enums.
    "ENUM_NAME_OVERRIDES": {
        "TierLevelEnum": "partners.models.ENROLLED_TIERS",
        "DealRegistrationStatusEnum": "dealreg.models.DealRegistration.Status",
        "RejectReasonEnum": "dealreg.models.DealRegistration.RejectReason",
        "FundingStatusEnum": "funding.models.Status",
        "ProductLineEnum": "dealreg.models.Opportunity.ProductLine",
        "ProgramYearStatusEnum": "program.models.ProgramYear.Status",
        "RecalculationKindEnum": "tiers.models.RecalculationRun.Kind",
        "RecalculationStatusEnum": "tiers.models.RecalculationRun.Status",
    },
}

# /healthz waits this long (seconds) for a Celery worker to answer.
HEALTH_CELERY_TIMEOUT = float(env("HEALTH_CELERY_TIMEOUT", "0.5"))

# Logs: one JSON object a line (python-json-logger), each with the request id of the web request it
# belongs to, also in the worker for the tasks that request queued (build_portal.request_id).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "build_portal.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
# The worker logs through LOGGING too, instead of Celery's own plain-text format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
