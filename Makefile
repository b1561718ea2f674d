# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: run test install lint clean loadtest messages makemessages

$(STAMP): requirements.txt requirements-dev.txt requirements-static.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q "setuptools<81" wheel
	$(PIP) install -q --no-build-isolation -r requirements-static.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Compiled catalogs (.mo, not committed) from locale/<lang>/LC_MESSAGES/*.po. msgfmt is Debian's gettext
# (installed here as root, as scripts/test.sh does for `make test`). .venv is skipped: Django's own catalogs
# ship compiled.
messages: $(STAMP)
	@command -v msgfmt >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null 2>&1; } || true
	@command -v msgfmt >/dev/null 2>&1 || { echo "make: msgfmt is missing: apt-get install gettext"; exit 1; }
	DJANGO_SETTINGS_MODULE=build_portal.settings.local $(PY) manage.py compilemessages --ignore=.venv --ignore=staticfiles --ignore=media

# Marked strings into locale/<lang>/LC_MESSAGES/django.po (new msgids empty, changed ones fuzzy), for a
# translator to complete. tests/i18n/test_catalogs.py extracts with the same MAKEMESSAGES_OPTIONS and fails on
# any msgid a catalog lacks. SVG: the tier badge is a template. Tests, measurement code and docs hold no text
# the portal shows.
MAKEMESSAGES_OPTIONS := -e html,txt,py,svg --ignore=.venv --ignore=staticfiles --ignore=media --ignore=artifacts --ignore=tests --ignore=loadtest --ignore=perf --ignore=docs --ignore=scripts
makemessages: $(STAMP)
	DJANGO_SETTINGS_MODULE=build_portal.settings.local $(PY) manage.py makemessages -l fr -l ja -l pt_BR -l es --no-wrap --no-obsolete $(MAKEMESSAGES_OPTIONS)

# SQLite, eager Celery tasks, email printed to the console.
run: $(STAMP) messages
	DJANGO_SETTINGS_MODULE=build_portal.settings.local $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=build_portal.settings.local $(PY) manage.py load_program
	DJANGO_SETTINGS_MODULE=build_portal.settings.local $(PY) manage.py load_demo
	DJANGO_SETTINGS_MODULE=build_portal.settings.local $(PY) manage.py runserver 127.0.0.1:8000

# Real PostgreSQL and Redis: DATABASE_URL / REDIS_URL, else 127.0.0.1, else throwaway servers.
# The layers contract (pyproject.toml [tool.importlinter]) and the type check ([tool.mypy]) first: an
# upward import or a wrong type fails the run before pytest starts. scripts/test.sh compiles the catalogs
# (installing gettext when msgfmt is missing), so targeted runs read the same translations.
test: $(STAMP)
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy
	bash scripts/test.sh

# Figures under load (a command, not a test): see README "Figures under load".
loadtest: $(STAMP)
	$(PIP) install -q -r requirements-load.txt
	bash scripts/loadtest.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
