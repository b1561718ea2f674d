"""The production profile (the default of manage.py, wsgi and celery): DEBUG off, secrets without
defaults, compressed static files, HTTPS only."""

from .base import *  # noqa: F403
from .base import env, env_bool, env_int, postgres_databases, redis_caches

SECRET_KEY = env("DJANGO_SECRET_KEY", required=True)
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS", "").split(",")

DATABASES = postgres_databases(required=True, conn_max_age=60)
REDIS_URL = env("REDIS_URL", required=True)
CACHES = redis_caches(REDIS_URL, "bp")
CELERY_BROKER_URL = REDIS_URL

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
