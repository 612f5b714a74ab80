# Two commands do all the set-up: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO := var/.demo-built

.PHONY: run test lint bench reference migration clean help

help:
	@echo "make run        installe, construit la base de démonstration au premier lancement, sert http://127.0.0.1:8050"
	@echo "make test       installe et lance toute la suite de tests (lint compris)"
	@echo "make bench      mesures de performance -> benchmarks/RESULTS.md"
	@echo "make reference  reconstruit data/reference/ depuis les paquets publics (et les listes des programmes)"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 ou plus récent est requis")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The demo database is built once; `rm var/.demo-built` (or `make clean`) builds it again.
$(DEMO): | $(STAMP)
	$(BIN)/suivi init
	$(BIN)/suivi demo
	touch $(DEMO)

# The local demo is public (SUIVI_PUBLIC=1): dashboards read without an account; the demo
# accounts (passwords generated once into var/demo-accounts.txt) sign in to load or evaluate.
run: $(STAMP) $(DEMO)
	$(BIN)/suivi init
	$(BIN)/suivi demo --accounts-only
	SUIVI_PUBLIC=1 $(BIN)/suivi serve --local --bind 127.0.0.1:8050

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# axe-core (npm) audits accessibility in the browser tests; without npm those audits skip.
AXE := node_modules/axe-core/axe.min.js
$(AXE):
	@if command -v npm >/dev/null 2>&1; then npm install --no-save --silent --no-audit --no-fund axe-core@4; else echo "npm absent : audits d'accessibilité ignorés"; fi

test: lint $(AXE)
	$(BIN)/python -m pytest --headless -q

# make bench (everything) or make bench ARGS="callbacks precompute" (a subset, other figures kept);
# make bench ARGS=load: the load test alone (BENCH_LOAD_SCOPE, BENCH_LOAD_USERS, BENCH_LOAD_SECONDS)
bench: $(STAMP)
	$(BIN)/python -m benchmarks $(ARGS)

# The programme lists are mapped to the referential just built; without ../shared/samples/
# their step says so and keeps the committed files.
reference: $(STAMP)
	$(BIN)/python data/build_reference.py
	$(BIN)/python data/build_programmes.py

# A new Alembic migration from the models: make migration m="add load notes"
migration: $(STAMP)
	rm -f var/alembic-scratch.db
	$(BIN)/alembic -c alembic.ini upgrade head
	$(BIN)/alembic -c alembic.ini revision --autogenerate -m "$(m)"
	rm -f var/alembic-scratch.db
	$(BIN)/ruff check --fix --quiet indicators/store/migrations
	$(BIN)/ruff format indicators/store/migrations

clean:
	rm -rf var benchmarks/.work
