# The two commands of the README: `make run` and `make test`. Both install
# everything into .venv first (again only when pyproject.toml changes).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install run test lint openapi bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Serve on SQLite (./claimdesk.db) with the reference article loaded.
run: install
	$(BIN)/claimdesk serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile

# Lint, then the whole suite on SQLite and PostgreSQL.
test: lint
	$(BIN)/pytest

openapi: install
	$(BIN)/claimdesk openapi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
