"""The production profile passes Django's deployment checklist and refuses to start without secrets."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_with_production_settings_reports_nothing():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SETTINGS_MODULE="build_portal.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.example",
        DATABASE_URL="postgres://portal@db.invalid:5432/portal",
        REDIS_URL="redis://redis.invalid:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_SETTINGS_MODULE="build_portal.settings.production")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_is_off_unless_local():
    result = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)",
        DJANGO_SETTINGS_MODULE="build_portal.settings.production", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL="postgres://portal@db.invalid:5432/portal", REDIS_URL="redis://redis.invalid:6379/0",
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr
