# Two entry points for a newcomer: `make run` and `make test`. Everything else is a step they depend on.
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 3000
# The virtualenv's bin holds bun (from PyPI) and the samen030-map script; reflex must find both.
export PATH := $(abspath $(BIN)):$(PATH)
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := 0

.PHONY: run run-scaled test setup data bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# Creates the database on first run (migrations) and adds the seed registry; keeps later edits.
data: setup
	$(BIN)/samen030-map init-db

# Only pages from the served origin may call the backend; set SAMEN030_ALLOWED_ORIGINS for a real domain.
run: export SAMEN030_ALLOWED_ORIGINS ?= http://localhost:$(PORT),http://127.0.0.1:$(PORT)
run: data
	$(BIN)/reflex run --env prod --frontend-port $(PORT) --backend-port $(PORT)

# A larger deployment: Redis and PostgreSQL started here (data under .scaled/), several workers.
# WORKERS=N sets their number (default: Reflex chooses, min(2 x CPU + 1, 8)).
WORKERS ?= 0
run-scaled: setup
	$(BIN)/python -m samen030_map.scaled --port $(PORT) --workers $(WORKERS)

test: setup
	$(BIN)/ruff check samen030_map tests bench
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/coverage.py

clean:
	rm -rf $(VENV) .web .states samen030.db .scaled
