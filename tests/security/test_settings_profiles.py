"""Settings profiles are modules chosen by DJANGO_SETTINGS_MODULE; pytest's configuration names the test one."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _setting(module, name, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    environment.update(env, DJANGO_SETTINGS_MODULE=module)
    code = f"import django; django.setup(); from django.conf import settings; print(repr(settings.{name}))"
    result = subprocess.run(  # noqa: S603 - our own interpreter with fixed arguments
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_pytest_runs_the_test_profile():
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "build_portal.settings.test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.CELERY_TASK_DEFAULT_QUEUE.startswith("build_portal_test_")


def test_celery_tasks_have_a_soft_and_a_hard_time_limit():
    assert 0 < settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT


def test_local_profile_runs_on_sqlite_with_eager_tasks_and_the_console_mail():
    assert _setting("build_portal.settings.local", "DATABASES['default']['ENGINE']") == "'django.db.backends.sqlite3'"
    assert _setting("build_portal.settings.local", "CELERY_TASK_ALWAYS_EAGER") == "True"
    assert _setting("build_portal.settings.local", "EMAIL_BACKEND") == "'django.core.mail.backends.console.EmailBackend'"
    assert _setting("build_portal.settings.local", "DEBUG") == "True"


def test_measurement_commands_are_installed_in_local_and_test_only():
    assert "perf" in settings.INSTALLED_APPS
    assert "'perf'" in _setting("build_portal.settings.local", "INSTALLED_APPS")
    production = _setting("build_portal.settings.production", "INSTALLED_APPS", DJANGO_SECRET_KEY="x" * 50,
                          DATABASE_URL="postgres://portal@db.invalid:5432/portal", REDIS_URL="redis://redis.invalid:6379/0")
    assert "'perf'" not in production and "'funding'" in production


def test_csrf_cookie_secure_has_its_own_setting():
    env = {"DJANGO_SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://p@db.invalid/p", "REDIS_URL": "redis://r.invalid/0"}
    module = "build_portal.settings.production"
    assert _setting(module, "CSRF_COOKIE_SECURE", **env) == "True"
    assert _setting(module, "CSRF_COOKIE_SECURE", DJANGO_SESSION_COOKIE_SECURE="false", **env) == "True"
    assert _setting(module, "CSRF_COOKIE_SECURE", DJANGO_CSRF_COOKIE_SECURE="false", **env) == "False"
    assert _setting(module, "SESSION_COOKIE_SECURE", DJANGO_CSRF_COOKIE_SECURE="false", **env) == "True"


def test_load_demo_refuses_to_run_under_the_production_profile():
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    environment.update(DJANGO_SETTINGS_MODULE="build_portal.settings.production", DJANGO_SECRET_KEY="x" * 50,
                       DATABASE_URL="postgres://p@db.invalid/p", REDIS_URL="redis://r.invalid/0")
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "load_demo"], cwd=ROOT, env=environment, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "never in production" in result.stderr
