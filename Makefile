# Samenspraak — the two commands: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test venv install migrate demo totp messages lint typecheck check bench clean

$(VENV)/.installed: pyproject.toml requirements.lock
	@PYTHON_BIN=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating virtual environment with $$PYTHON_BIN"; $$PYTHON_BIN -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

venv install: $(VENV)/.installed

# Each catalogue is compiled when it changed, not on every run: two test
# runs started side by side (CI) then never write a catalogue under each other.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

messages: $(VENV)/.installed $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	@if command -v msgfmt >/dev/null; then msgfmt --check-format -o $@ $<; \
	else echo "msgfmt not found (apt-get install gettext): English texts stay untranslated."; fi

run: export DJANGO_DEBUG ?= 1
run: install messages
	@mkdir -p var
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py seed_demo
# Appointment notices (reminders) and diary reminders are sent by loops beside the server,
# and the retention purge runs hourly; the trap stops the loops when the server stops.
	@$(PY) manage.py send_due_notices --loop & notices=$$!; \
	$(PY) manage.py send_diary_reminders --loop >/dev/null & reminders=$$!; \
	$(PY) manage.py purge_retention --loop >/dev/null & retention=$$!; \
	trap 'kill $$notices $$reminders $$retention 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

totp: install
	@DJANGO_DEBUG=1 $(PY) manage.py demo_totp

test: install messages
	@mkdir -p var
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy .

check: lint typecheck
	@mkdir -p var
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
# The layers and the import graph (no upward import, no cycle): quick, so
# it runs with the static checks too.
	$(PY) -m pytest tests/test_layers.py -q -p no:cacheprovider

bench: install
	@mkdir -p var
	$(PY) bench/page_load.py
	$(PY) bench/socket_load.py
	$(PY) bench/booking_race.py
	$(PY) bench/benchmark_computation.py
	@if pg_isready -h 127.0.0.1 -q 2>/dev/null && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then \
	  dropdb -h 127.0.0.1 -U postgres --if-exists samenspraak_bench && createdb -h 127.0.0.1 -U postgres samenspraak_bench; \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/samenspraak_bench REDIS_URL=redis://127.0.0.1:6379/9 $(PY) bench/page_load.py; \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/samenspraak_bench REDIS_URL=redis://127.0.0.1:6379/9 $(PY) bench/socket_load.py; \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/samenspraak_bench REDIS_URL=redis://127.0.0.1:6379/9 $(PY) bench/booking_race.py; \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/samenspraak_bench REDIS_URL=redis://127.0.0.1:6379/9 $(PY) bench/benchmark_computation.py; \
	fi

clean:
	rm -rf $(VENV) var .pytest_cache test-results
