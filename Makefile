# Sportello: the commands a person (and CI) runs. Each target sets itself up
# from a fresh clone: uv, the virtual environment (.venv), the dependencies.
#
#   make demo       the demo portal on http://localhost:8000/
#   make test       the whole test suite (SQLite, or DATABASE_URL if set)
#   make check      ruff, ruff format, mypy, Django's checks, migrations, translations
#   make messages   extract the strings to translate and compile the catalogues

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := $(CURDIR)/.venv
VPY := $(VENV)/bin/python
MANAGE := $(VPY) $(CURDIR)/manage.py
DEMO_PORT ?= 8000
# The demo runs with DEBUG on: it listens on the loopback address only. To show
# it to another machine on a trusted network: make demo DEMO_BIND=0.0.0.0
DEMO_BIND ?= 127.0.0.1
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
DEMO_ARGS ?=
CHROMIUM ?= /usr/bin/chromium
LOCALE_DIR := src/sportello/locale
EN_PO := $(LOCALE_DIR)/en/LC_MESSAGES/django.po

# uv on PATH when it runs, else the module of python3 (3.12 via .python-version).
UV = $(shell uv --version >/dev/null 2>&1 && echo uv || echo "$(PYTHON) -m uv")

DEMO_ENV := DEBUG=1 SPORTELLO_DEMO=1 PUBLIC_PORT=$(DEMO_PORT)
# Django's checks run against production-like settings (DEBUG off), with a
# throw-away key and host, so that what production needs is checked too.
CHECK_ENV = DEBUG=0 SPORTELLO_DEMO=0 ALLOWED_HOSTS=sportello.example \
	SECRET_KEY=$$($(VPY) -c 'import secrets; print(secrets.token_urlsafe(50))')
# makemessages scans src/sportello only (not .venv); locations without line
# numbers keep the catalogues' diffs small when code moves.
MAKEMESSAGES = DEBUG=1 $(MANAGE) makemessages --no-obsolete \
	--add-location=file --ignore=static --ignore='*/migrations/*'

.PHONY: help setup demo test check messages chromium \
	check-ruff check-format check-mypy check-django check-deploy check-migrations check-messages \
	check-readme

help:
	@echo "Sportello"
	@echo "  make demo      set up, migrate, load the demo data, serve http://localhost:$(DEMO_PORT)/"
	@echo "  make test      set up, install Chromium, Pango, ClamAV if missing (root), run the whole suite"
	@echo "  make check     ruff, ruff format --check, mypy, manage.py check (+ --deploy),"
	@echo "                 makemigrations --check, English translations complete, README settings"
	@echo "  make messages  makemessages (it, en) + compilemessages (needs gettext)"

setup:
	@if ! uv --version >/dev/null 2>&1 && ! $(PYTHON) -m uv --version >/dev/null 2>&1; then \
		echo "==> uv not found: installing it with $(PYTHON) -m pip install uv"; \
		$(PYTHON) -m pip install --quiet uv; \
	fi
	@echo "==> Installing the locked dependencies into .venv ($(UV) sync --frozen)"
	@$(UV) sync --frozen --quiet
	@echo "    $$($(VPY) --version) in .venv"

demo: setup
	@echo "==> Creating or updating the database: manage.py migrate"
	@$(DEMO_ENV) $(MANAGE) migrate --no-input
	@echo "==> Loading the demo data: manage.py demo $(DEMO_ARGS)"
	@$(DEMO_ENV) $(MANAGE) demo $(DEMO_ARGS)
	@echo "==> Serving the demo on http://localhost:$(DEMO_PORT)/, listening on $(DEMO_BIND) (Ctrl-C to stop)"
	@$(DEMO_ENV) $(MANAGE) runserver $(DEMO_BIND):$(DEMO_PORT)

# The Debian packages the tests need: Chromium (end-to-end tests), Pango and
# HarfBuzz (WeasyPrint's PDFs), a font, and ClamAV's clamd and sigtool (the
# upload tests start their own clamd, unless CLAMAV_SOCKET names a running one,
# as .ci/run does with the system's clamav-daemon). As
# root, or with passwordless sudo, the missing ones are installed (apt-get update only if the install fails, as
# .ci/run does); otherwise the one command to run is printed and make fails.
chromium:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	ldconfig -p 2>/dev/null | grep 'libpango-1.0.so' >/dev/null || missing="$$missing libpango-1.0-0"; \
	ldconfig -p 2>/dev/null | grep 'libpangoft2-1.0.so' >/dev/null || missing="$$missing libpangoft2-1.0-0"; \
	ldconfig -p 2>/dev/null | grep 'libharfbuzz-subset.so' >/dev/null || missing="$$missing libharfbuzz-subset0"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	[ -x /usr/sbin/clamd ] || missing="$$missing clamav-daemon"; \
	command -v sigtool >/dev/null || missing="$$missing clamav"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; \
	else \
		echo "!!  The tests need these Debian packages, which are missing:$$missing"; \
		echo "!!  Install them with:  sudo apt-get install -y$$missing"; \
		exit 1; \
	fi; \
	echo "==> Installing the Debian packages the tests need:$$missing"; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$sudo apt-get install -y --no-install-recommends $$missing \
		|| { $$sudo apt-get update && $$sudo apt-get install -y --no-install-recommends $$missing; }

test: setup chromium
	@database=$${DATABASE_URL:-sqlite:}; \
		echo "==> Running the test suite on $${database%%:*}: pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)"; \
		if [ -n "$${CLAMAV_SOCKET:-}" ]; then echo "    uploads scanned by the clamd on $$CLAMAV_SOCKET"; fi
	@$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# -k: run every check and report all failures, then fail.
check: setup
	@$(MAKE) -k check-ruff check-format check-mypy check-django check-deploy \
		check-migrations check-messages check-readme \
		|| { echo "!!  make check failed (see the messages above)"; exit 1; }
	@echo "==> All checks passed"

check-ruff:
	@echo "==> Lint: ruff check"
	@$(VENV)/bin/ruff check

check-format:
	@echo "==> Formatting: ruff format --check"
	@$(VENV)/bin/ruff format --check

check-mypy:
	@echo "==> Types: mypy src"
	@$(CHECK_ENV) $(VENV)/bin/mypy src

check-django:
	@echo "==> Django system checks: manage.py check"
	@$(CHECK_ENV) $(MANAGE) check --fail-level WARNING

check-deploy:
	@echo "==> Production settings: manage.py check --deploy --fail-level WARNING"
	@$(CHECK_ENV) $(MANAGE) check --deploy --fail-level WARNING

check-migrations:
	@echo "==> Migrations up to date: manage.py makemigrations --check --dry-run"
	@$(CHECK_ENV) $(MANAGE) makemigrations --check --dry-run

# Extracts the strings of the current code into a scratch copy and fails if any
# lacks an English translation (or is fuzzy), or if a committed .mo does not
# match its .po. Needs gettext; without it the check says so and is skipped.
check-messages:
	@echo "==> Translations: every string has an English translation, catalogues compiled"
	@if ! command -v msgattrib >/dev/null; then \
		echo "    skipped: gettext is not installed (apt-get install -y gettext)"; exit 0; \
	fi; \
	scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; \
	cp -r src/sportello "$$scratch/"; \
	cd "$$scratch/sportello" && $(MAKEMESSAGES) -l en >/dev/null; \
	missing=$$(msgattrib --no-wrap --untranslated --no-obsolete locale/en/LC_MESSAGES/django.po); \
	fuzzy=$$(msgattrib --no-wrap --only-fuzzy --no-obsolete locale/en/LC_MESSAGES/django.po); \
	cd "$(CURDIR)"; status=0; \
	if [ -n "$$missing$$fuzzy" ]; then \
		echo "!!  Strings without an English translation (run make messages, translate $(EN_PO)):"; \
		printf '%s\n%s\n' "$$missing" "$$fuzzy" | awk '/^msgid /{m=1} /^msgstr/{m=0} \
			m && !/^msgid ""$$/ { print "    " $$0 }'; \
		status=1; \
	fi; \
	for po in $(LOCALE_DIR)/*/LC_MESSAGES/django.po; do \
		msgfmt --check-format -o "$$scratch/compiled.mo" "$$po"; \
		if ! cmp -s <(msgunfmt "$$scratch/compiled.mo") <(msgunfmt "$${po%.po}.mo"); then \
			echo "!!  $${po%.po}.mo is not compiled from $$po: run make messages"; status=1; \
		fi; \
	done; \
	exit $$status

# The README's settings table must name every variable settings.py reads.
check-readme:
	@echo "==> README: every environment variable of settings.py is in the settings table"
	@status=0; \
	for name in $$(tr '\n' ' ' <src/sportello/settings.py \
			| grep -oE 'env_(str|bool|int|list)\( *"[A-Z0-9_]+"' | grep -oE '[A-Z0-9_]{2,}' | sort -u); do \
		grep -q "^| \`$$name\` |" README.md || { echo "!!  $$name is read in settings.py but missing from README.md"; status=1; }; \
	done; \
	exit $$status

messages: setup
	@command -v msgfmt >/dev/null || { echo "!!  make messages needs gettext: sudo apt-get install -y gettext"; exit 1; }
	@echo "==> Extracting the strings of src/sportello into $(LOCALE_DIR) (makemessages -l it -l en)"
	@cd src/sportello && $(MAKEMESSAGES) -l it -l en
	@echo "==> Compiling the catalogues (compilemessages)"
	@cd src/sportello && DEBUG=1 $(MANAGE) compilemessages
	@echo "    English catalogue: $$(msgfmt --statistics -o /dev/null $(EN_PO) 2>&1)"
