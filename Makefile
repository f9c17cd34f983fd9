# `make run` and `make test` work on a bare machine: they create .venv and install everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench demo template clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/sip-tui

demo: $(STAMP)
	$(BIN)/sip-tui demo

lint: $(STAMP)
	$(BIN)/ruff check sip_tui tests bench templates

# Tests run on two workers: the Pilot tests are most of the time.
test: $(STAMP) lint
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -q -n 2

bench: $(STAMP)
	@status=0; for script in bench/bench*.py; do echo "== $$script"; $(BIN)/python $$script || status=1; done; exit $$status

template: $(STAMP)
	$(BIN)/python templates/build_template.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
