# The two commands: `make demo` and `make test`. Both need only Python >= 3.12 on the machine;
# scripts/bootstrap.sh finds it and builds .venv from uv.lock.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv/bin
ARGS ?=

.PHONY: help bootstrap demo test lint fmt bench faults clean

help:
	@echo "make demo       run the demo site on http://127.0.0.1:8000 (logins are printed)"
	@echo "make test       lint, types, migrations, tests on SQLite (+ browser) and PostgreSQL"
	@echo "make lint       ruff check, ruff format --check, mypy and the apps' layers (lint-imports)"
	@echo "make fmt        ruff format and ruff check --fix"
	@echo "make bench      run the benchmarks in tests/benchmarks/"
	@echo "make faults     the fault tests (locked SQLite, full disk, killed worker, lost database) on SQLite and PostgreSQL"
	@echo "make bootstrap  only prepare .venv"
	@echo "make clean      remove .venv, .tools and caches (not the demo database)"

bootstrap:
	@bash scripts/bootstrap.sh

demo: bootstrap
	$(VENV)/maca demo $(ARGS)

test: bootstrap
	@bash scripts/test.sh $(ARGS)

lint: bootstrap
	$(VENV)/ruff check --extend-exclude static,.venv,.tools .
	$(VENV)/ruff format --check --extend-exclude static,.venv,.tools .
	$(VENV)/mypy .
	$(VENV)/lint-imports --no-logo

fmt: bootstrap
	$(VENV)/ruff format --extend-exclude static,.venv,.tools .
	$(VENV)/ruff check --fix --extend-exclude static,.venv,.tools .

bench: bootstrap
	@if [ -f scripts/bench.sh ]; then bash scripts/bench.sh $(ARGS); \
	else echo "make bench: no benchmarks yet."; fi

# Faults survived with nothing lost; on PostgreSQL too when a server answers (each test skips
# where its fault cannot happen), taking turns on the shared test database as make test does.
FAULT_TESTS := tests/test_faults.py maca/sampling/tests/test_pages.py
FAULTS_PG ?= $(or $(MACA_TEST_POSTGRES_URL),postgres://postgres@127.0.0.1:5432/maca)
faults: bootstrap
	DJANGO_SETTINGS_MODULE=config.settings_test $(VENV)/python -m pytest $(FAULT_TESTS) -m faults -q
	@if $(VENV)/python -c "import psycopg,sys; psycopg.connect(sys.argv[1].rsplit('/',1)[0]+'/postgres', connect_timeout=5).close()" "$(FAULTS_PG)" 2>/dev/null; then \
		flock "$${TMPDIR:-/tmp}/maca-postgres-tests.lock" \
		env DATABASE_URL="$(FAULTS_PG)" DJANGO_SETTINGS_MODULE=config.settings_test \
		$(VENV)/python -m pytest $(FAULT_TESTS) -m "faults and not browser" -q --create-db; \
	else echo "make faults: no PostgreSQL at $(FAULTS_PG); the SQLite pass only."; fi

clean:
	rm -rf .venv .tools .mypy_cache .ruff_cache
