"""docker-compose.yml describes the production shape, configured only through environment variables.

Docker is not available on the development machines, so the file is parsed and checked here.
"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("web", "worker", "beat")
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY$")


def command(service):
    value = SERVICES[service]["command"]
    return " ".join(value) if isinstance(value, list) else value


def test_the_five_services_exist():
    assert set(SERVICES) == {"postgres", "redis", "web", "worker", "beat"}


def test_web_runs_gunicorn_worker_celery_beat_the_database_scheduler():
    assert "gunicorn build_portal.wsgi:application" in command("web")
    assert "migrate" in command("web")
    assert "celery -A build_portal worker" in command("worker")
    beat = command("beat")
    assert beat.index("manage.py setup_periodic_tasks") < beat.index("celery -A build_portal beat")
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat


def test_app_services_share_one_image_and_the_environment_contract():
    for name in APP_SERVICES:
        env = SERVICES[name]["environment"]
        for key in ("DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"):
            assert key in env, f"{name} lacks {key}"
        assert env["DJANGO_SETTINGS_MODULE"] == "build_portal.settings.production"
        assert SERVICES[name]["image"] == "build-portal:latest"
    assert SERVICES["worker"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert SERVICES["web"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def _all_environment_items():
    for name, service in SERVICES.items():
        for key, value in (service.get("environment") or {}).items():
            yield name, key, str(value)


def test_no_secret_literal_is_written_in_the_file():
    for service, key, value in _all_environment_items():
        if SECRET_NAME.search(key):
            # Only an interpolation of the environment, with no default (":?" = required) or an empty one.
            assert re.fullmatch(r"\$\{[A-Z_]+(:\?[^}]*|:-)?\}", value), f"{service}.{key} holds a literal: {value!r}"
    text = (ROOT / "docker-compose.yml").read_text()
    # Credentials inside URLs come from variables too (user:password@host).
    for url in re.findall(r"\w+://[^\s\"']+", text):
        userinfo = url.split("://", 1)[1].split("@", 1)[0] if "@" in url else ""
        assert not userinfo or ":${" in userinfo or userinfo.startswith("${"), url


def test_the_database_password_is_required_not_defaulted():
    assert SERVICES["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert SERVICES["web"]["environment"]["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")


def test_the_dockerfile_builds_the_image_the_services_run():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11" in dockerfile
    assert "requirements.txt" in dockerfile and "collectstatic" in dockerfile
    assert "USER portal" in dockerfile  # not root
