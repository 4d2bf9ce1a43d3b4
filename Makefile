# 试点案例库 · Pilot Casebook — set-up, run, test, benchmark, lint.
# Everything installs into .venv; Python 3.11+ must be on PATH as $(PYTHON).

PYTHON ?= python3
VENV   := .venv
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
else
BIN := $(VENV)/bin
endif
PY := $(BIN)/python
STAMP_RUN  := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test bench lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(STAMP_TEST): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@ $(STAMP_RUN)

## make run: create .venv, install, open the window on the default library
run: $(STAMP_RUN)
	$(BIN)/casebook

## make test: install what the tests need, lint, type-check and run every test
test: $(STAMP_TEST)
	$(BIN)/ruff check desktop tests
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

## make bench: the speed and memory benchmarks (prints figures, writes tests/perf/results.json)
bench: $(STAMP_TEST)
	$(PY) -m tests.perf.run_all

lint: $(STAMP_TEST)
	$(BIN)/ruff check desktop tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist *.egg-info
