# Gongzhi — the two commands you need: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2

.PHONY: run test lint typecheck unit i18n migration bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Gongzhi needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[ml]"
	@touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.installed

## make run: install, migrate the SQLite database, load the demo world if empty, serve on http://127.0.0.1:8000
run: $(VENV)/.installed
	$(BIN)/gongzhi db upgrade
	$(BIN)/gongzhi demo load --if-empty
	$(BIN)/gongzhi serve

## make test: lint, type-check and the whole suite (SQLite; again on PostgreSQL when GONGZHI_TEST_DATABASE_URL is set)
test: $(VENV)/.dev-installed lint typecheck unit

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests benchmarks scripts

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy src

unit: $(VENV)/.dev-installed
	$(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider
	@if [ -n "$$GONGZHI_TEST_DATABASE_URL" ]; then \
		echo "--- again on PostgreSQL ($$GONGZHI_TEST_DATABASE_URL)"; \
		GONGZHI_TEST_BACKEND=postgres $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider -m db; \
	fi

## make i18n: extract messages, update every catalog (en filled from the source), list zh_CN still to translate
i18n: $(VENV)/.dev-installed
	$(BIN)/python scripts/i18n.py

## make migration m="what changed" [area=registry]: autogenerate an Alembic revision (on the area's branch)
migration: $(VENV)/.dev-installed
	rm -f /tmp/gongzhi-migration.db
	$(BIN)/python -c "import sys; from gongzhi.db.migrate import new_revision; \
		new_revision('sqlite:////tmp/gongzhi-migration.db', sys.argv[1], sys.argv[2] or None)" "$(m)" "$(area)"

bench: $(VENV)/.dev-installed
	@echo "see docs/benchmarks.md for each benchmark's command"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
