# The README's two commands: `make run` and `make test`. Only Python 3.11 and make are assumed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB := data/cockpit.duckdb
PORT ?= 8501

.PHONY: run test lint audit attack format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

$(DB): | $(VENV)/.runtime
	$(BIN)/python -m cockpit generate demo --database-url duckdb:///$(DB)

run: $(VENV)/.runtime $(DB)
	$(BIN)/python -m cockpit run --port $(PORT)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Known vulnerabilities in the installed packages: pip-audit, reported by tools/dep_audit.py, which
# says "ikke kontrolleret" when PyPI's advisory data cannot be reached (and then does not fail;
# `make audit AUDIT_FLAGS=--strict` does). A known vulnerability fails.
audit: $(VENV)/.dev
	$(BIN)/python tools/dep_audit.py $(AUDIT_FLAGS)

# The differencing attacker (tools/differencing.py) as a Direktør on every month end of the demo:
# fails when it recovers a figure behind 1-4 citizens.
attack: $(VENV)/.dev $(DB)
	$(BIN)/python -m tools.differencing --url duckdb:///$(DB)

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(VENV)/.dev lint audit
	bash .ci/ensure-services
	$(BIN)/python -m pytest -q --durations=15

bench: $(VENV)/.dev
	$(BIN)/python -m cockpit bench

clean:
	rm -rf $(VENV) data artifacts
