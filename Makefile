# Förbundsbudget: `make run` starts the dashboard, `make test` runs every check.
# Both create .venv from requirements.txt when it is missing or older than requirements.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test test-fast lint bench bench-ui init clean

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 eller senare krävs."; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
	  else echo "Kan inte skapa .venv: installera python3-venv (sudo apt-get install python3-venv)."; exit 1; fi; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

init: $(STAMP)
	$(BIN)/python -m core init

run: init
	$(BIN)/streamlit run dashboard.py --server.port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

test-fast: lint
	$(BIN)/python -m pytest -m "not browser"

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py

bench-ui: $(STAMP)
	$(BIN)/python benchmarks/bench_ui.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis artifacts
