# The two commands of the README: `make run` and `make test`. Both install
# everything into .venv first (again only when pyproject.toml changes).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install run test lint openapi clean browser

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

# Headless Chromium for tests/browser: Debian's chromium package, installed when
# missing (as root; otherwise it says how). Without it those tests fail.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	else \
		echo "chromium is missing: as root, apt-get install --no-install-recommends chromium" \
			"(tests/browser fail without it)" >&2; \
	fi

# Lint, then the whole suite on SQLite and PostgreSQL.
test: lint browser
	$(BIN)/pytest

openapi: install
	$(BIN)/claimdesk openapi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
