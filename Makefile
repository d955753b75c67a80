# Two commands on a fresh machine:
#   make run   — install, build the demo catalog, serve GraphiQL at http://127.0.0.1:8000/graphql
#   make test  — install, then ruff, mypy and the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DATA   ?= .data
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?= -q

.PHONY: install install-dev run demo serve test lint typecheck pytest schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-dev: $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'

demo: install
	$(BIN)/catalog --data-dir $(DATA) demo

serve: install
	$(BIN)/catalog --data-dir $(DATA) serve --host $(HOST) --port $(PORT)

run: demo serve

lint: install-dev
	$(BIN)/ruff check .

typecheck: install-dev
	$(BIN)/mypy .

pytest: install-dev
	scripts/install-system-deps
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

schema: install
	$(BIN)/catalog export-schema --out schema.graphql

clean:
	rm -rf $(VENV) $(DATA) build *.egg-info
