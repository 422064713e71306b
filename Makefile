# make run: set up and open the app on the seed articles.  make test: set up, lint and run the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench eval setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

timeline.db: $(STAMP)
	$(BIN)/timeline load

run: $(STAMP) timeline.db
	$(BIN)/timeline

# ruff (format, style and likely bugs), mypy (types), import-linter (the layers, contracts in .importlinter).
lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The tests run beside a throwaway PostgreSQL (scripts/pg_server.sh), stopped when they end.
test: lint
	scripts/pg_server.sh run $(BIN)/python -m pytest

eval: $(STAMP)
	$(BIN)/python -m tests.gold.evaluate

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) timeline.db timeline.db-* timeline.user.db* *.egg-info .mypy_cache .ruff_cache
