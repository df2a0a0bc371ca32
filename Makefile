# The two commands: `make demo` and `make test`. Both need only Python >= 3.12 on the machine;
# scripts/bootstrap.sh finds it and builds .venv from uv.lock.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv/bin
ARGS ?=

.PHONY: help bootstrap demo test lint fmt bench clean

help:
	@echo "make demo       run the demo site on http://127.0.0.1:8000 (logins are printed)"
	@echo "make test       lint, types, migrations, tests on SQLite (+ browser) and PostgreSQL"
	@echo "make lint       ruff check, ruff format --check and mypy"
	@echo "make fmt        ruff format and ruff check --fix"
	@echo "make bench      run the benchmarks in tests/benchmarks/"
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

fmt: bootstrap
	$(VENV)/ruff format --extend-exclude static,.venv,.tools .
	$(VENV)/ruff check --fix --extend-exclude static,.venv,.tools .

bench: bootstrap
	@if [ -f scripts/bench.sh ]; then bash scripts/bench.sh $(ARGS); \
	else echo "make bench: no benchmarks yet."; fi

clean:
	rm -rf .venv .tools .mypy_cache .ruff_cache
