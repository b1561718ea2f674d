# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: run test install lint clean loadtest

$(STAMP): requirements.txt requirements-dev.txt requirements-static.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q "setuptools<81" wheel
	$(PIP) install -q --no-build-isolation -r requirements-static.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# SQLite, eager Celery tasks, email printed to the console.
run: $(STAMP)
	DJANGO_SETTINGS_MODULE=build_portal.settings.local $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=build_portal.settings.local $(PY) manage.py load_program
	DJANGO_SETTINGS_MODULE=build_portal.settings.local $(PY) manage.py load_demo
	DJANGO_SETTINGS_MODULE=build_portal.settings.local $(PY) manage.py runserver 127.0.0.1:8000

# Real PostgreSQL and Redis: DATABASE_URL / REDIS_URL, else 127.0.0.1, else throwaway servers.
# The layers contract (pyproject.toml [tool.importlinter]) and the type check ([tool.mypy]) first: an
# upward import or a wrong type fails the run before pytest starts.
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
