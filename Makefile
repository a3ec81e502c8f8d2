# The README's two commands live here: `make run` (demo clinic) and `make test` (whole suite).
SHELL := /bin/sh
VENV := .venv
BIN := $(VENV)/bin
PORT := $(or $(KAPCLINIC_PORT),8000)
# Links in emails point at the server `make run` starts, unless a public address is given.
SITE_URL := $(or $(KAPCLINIC_SITE_URL),http://127.0.0.1:$(PORT))
export KAPCLINIC_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test test-sqlite lint format messages clean bench bench-gnuhealth security

$(BIN)/python:
	@PY=$$(scripts/find-python) && echo "Creating $(VENV) with $$PY" && "$$PY" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed-run

## make run: the demo clinic network on SQLite, seeded, at http://127.0.0.1:$(PORT)
run: $(VENV)/.installed-run
	@mkdir -p "$(KAPCLINIC_VAR_DIR)"
	$(BIN)/kapclinic migrate --no-input
	$(BIN)/kapclinic demo
	@echo "Serving the demo at http://127.0.0.1:$(PORT) with the background worker (Ctrl-C stops both)"
	@trap 'kill 0' INT TERM EXIT; export KAPCLINIC_SITE_URL="$(SITE_URL)"; \
	  $(BIN)/kapclinic worker & $(BIN)/kapclinic runserver 127.0.0.1:$(PORT)

## make test: the whole suite, on PostgreSQL when KAPCLINIC_TEST_DATABASE_URL is set, else SQLite
test: $(VENV)/.installed-dev
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src
	$(BIN)/kapclinic makemigrations --check --dry-run --skip-checks
	KAPCLINIC_DATABASE_URL="$(or $(KAPCLINIC_TEST_DATABASE_URL),sqlite:///$(KAPCLINIC_VAR_DIR)/test.sqlite3)" \
	  $(BIN)/pytest $(PYTEST_ARGS)

## make test-sqlite: the suite on SQLite even when a PostgreSQL URL is set (PostgreSQL-only tests deselected)
test-sqlite: $(VENV)/.installed-dev
	KAPCLINIC_DATABASE_URL="sqlite:///$(KAPCLINIC_VAR_DIR)/test.sqlite3" $(BIN)/pytest -m "not postgres" $(PYTEST_ARGS)

## make security: the security catalogue's tests (pytest -m security), then its table of figures
security: $(VENV)/.installed-dev
	rm -rf "$(KAPCLINIC_VAR_DIR)/security/figures"
	KAPCLINIC_DATABASE_URL="$(or $(KAPCLINIC_TEST_DATABASE_URL),sqlite:///$(KAPCLINIC_VAR_DIR)/test.sqlite3)" \
	  $(BIN)/pytest -m security $(PYTEST_ARGS)
	$(BIN)/python scripts/security_table.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

## make messages: refresh the French catalogue after changing strings (needs GNU gettext)
messages: $(VENV)/.installed-dev
	cd src/kapclinic && ../../$(BIN)/kapclinic makemessages -l fr --no-location --no-obsolete
	cd src/kapclinic && ../../$(BIN)/kapclinic compilemessages -l fr

clean:
	rm -rf $(VENV) var

## make bench: benchmarks; figures go to bench/results/
bench: $(VENV)/.installed-dev
	KAPCLINIC_DATABASE_URL="$(or $(KAPCLINIC_TEST_DATABASE_URL),sqlite:///$(KAPCLINIC_VAR_DIR)/bench.sqlite3)" \
	  $(BIN)/python bench/audit_chain.py
	KAPCLINIC_DATABASE_URL="$(or $(KAPCLINIC_TEST_DATABASE_URL),sqlite:///$(KAPCLINIC_VAR_DIR)/bench.sqlite3)" \
	  $(BIN)/python bench/fhir_export.py

## make bench-gnuhealth: kapclinic beside GNU Health (installed from PyPI into $(KAPCLINIC_VAR_DIR)),
## on PostgreSQL, BENCH_PATIENTS patients (1000 unless set); figures to bench/results/gnuhealth.md
bench-gnuhealth: $(VENV)/.installed-dev
	$(BIN)/python bench/gnuhealth.py --patients $(or $(BENCH_PATIENTS),1000)
