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

# The Qt UI's translations: Chinese is the source language; English comes from the .ts (kept in git),
# compiled to a .qm (not kept) that desktop/ui/i18n.py loads.
TS_EN      := resources/translations/casebook_en.ts
QM_EN      := resources/translations/casebook_en.qm
UI_SOURCES := $(wildcard desktop/ui/*.py desktop/ui/*/*.py) desktop/app.py

.PHONY: run test bench lint clean translations lupdate

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(STAMP_TEST): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@ $(STAMP_RUN)

## make translations: compile the .ts files to the .qm files the window loads
translations: $(QM_EN)

$(QM_EN): $(TS_EN) | $(STAMP_RUN)
	$(BIN)/pyside6-lrelease $(TS_EN) -qm $(QM_EN)

## make lupdate: add new UI strings to the .ts (existing translations are kept); then translate them
lupdate: | $(STAMP_RUN)
	$(BIN)/pyside6-lupdate $(UI_SOURCES) -ts $(TS_EN) -source-language zh_CN -target-language en \
		-no-obsolete -locations relative

## make run: create .venv, install, open the window on the default library
run: $(STAMP_RUN) translations fonts
	$(BIN)/casebook

## make test: install what the tests need, lint, type-check and run every test
test: $(STAMP_TEST) translations fonts
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
	rm -rf $(VENV) build dist *.egg-info $(QM_EN)

## make fonts: convert the open CJK faces (Noto Serif/Sans SC, SIL OFL 1.1) to TrueType for the PDFs,
## with their licence, into resources/fonts (not kept in git; ~25 s on two cores, skipped when present)
.PHONY: fonts
fonts: $(STAMP_RUN)
	$(PY) -m desktop.briefs.fontconv resources/fonts
