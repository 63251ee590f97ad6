# Two commands matter: `make demo` and `make test`. Both create .venv when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: venv demo test test-sqlite test-postgres lint fmt bench

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

demo: venv
	$(BIN)/secondcareer demo

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/secondcareer makemigrations --check --dry-run

# The whole suite on SQLite, then on a throwaway PostgreSQL cluster that the test
# plugin starts itself (initdb/pg_ctl). REQUIRE_POSTGRES=1 makes a missing PostgreSQL fail.
# Tests run in parallel processes (pytest-xdist), one per core, each test file in one
# process (module fixtures such as a migrated database are made once); PYTEST_WORKERS=0 runs
# them in this process.
PYTEST_WORKERS ?= auto
test: lint test-sqlite test-postgres

test-sqlite: venv
	TEST_DB=sqlite $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

# Tests that restart the PostgreSQL server run on their own after the parallel pass.
test-postgres: venv
	TEST_DB=postgres $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not restarts_database"
	TEST_DB=postgres $(BIN)/pytest -m restarts_database

fmt: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: venv
	$(BIN)/python bench/run.py
