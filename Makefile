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
STAMP_PACKAGE := $(VENV)/.installed-package

# The Qt UI's translations: Chinese is the source language; English comes from the .ts (kept in git),
# compiled to a .qm (not kept) that desktop/ui/i18n.py loads.
TS_EN      := resources/translations/casebook_en.ts
QM_EN      := resources/translations/casebook_en.qm
UI_SOURCES := $(wildcard desktop/ui/*.py desktop/ui/*/*.py) desktop/app.py

# The other messages (CLI, services, validation, exchange …) go through desktop/domain/i18n.py's gettext
# catalogue: Babel extracts their _("…") strings into the .pot; English is translated in the .po (both kept
# in git) and compiled to the .mo (not kept) that set_language loads.
POT             := resources/translations/casebook.pot
PO_EN           := resources/translations/en/LC_MESSAGES/casebook.po
MO_EN           := resources/translations/en/LC_MESSAGES/casebook.mo
MESSAGE_SOURCES := desktop/cli.py desktop/paths.py desktop/files.py desktop/domain desktop/store desktop/search desktop/services \
                   desktop/briefs desktop/exchange

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

$(STAMP_PACKAGE): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[package]"
	@touch $@ $(STAMP_RUN)

## make translations: compile the .ts files to the .qm files the window loads, the .po to the .mo of the other text
translations: $(QM_EN) $(MO_EN)

$(QM_EN): $(TS_EN) | $(STAMP_RUN)
	$(BIN)/pyside6-lrelease $(TS_EN) -qm $(QM_EN)

$(MO_EN): $(PO_EN) | $(STAMP_RUN)
	$(BIN)/pybabel -q compile -D casebook -i $(PO_EN) -o $(MO_EN)

## make lupdate: add new strings to the .ts and the .po (existing translations are kept); then translate them
lupdate: | $(STAMP_RUN)
	$(BIN)/pyside6-lupdate $(UI_SOURCES) -ts $(TS_EN) -source-language zh_CN -target-language en \
		-no-obsolete -locations relative
	$(BIN)/pybabel -q extract --no-default-keywords -k _ --add-comments=Translators: --sort-output \
		--add-location=file --no-wrap --project="Pilot Casebook" -o $(POT) $(MESSAGE_SOURCES)
	$(BIN)/pybabel -q update -D casebook -l en -i $(POT) -o $(PO_EN) --no-fuzzy-matching --ignore-obsolete \
		--no-wrap

## make run: create .venv, install, open the window on the default library
run: $(STAMP_RUN) translations fonts
	$(BIN)/casebook

## make test: install what the tests need, lint, type-check and run every test
test: $(STAMP_TEST) translations fonts
	$(BIN)/ruff check desktop tests packaging
	$(BIN)/mypy
	$(BIN)/mypy $(PACKAGING_PY)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

## make bench: the speed and memory benchmarks (prints figures, writes tests/perf/results.json)
bench: $(STAMP_TEST)
	$(PY) -m tests.perf.run_all

## make torture: the crash and fuzz suites at length (200 kill rounds per operation, 5,000 mutated inputs)
.PHONY: torture
torture: $(STAMP_TEST) translations fonts
	CASEBOOK_CRASH_ROUNDS=200 CASEBOOK_FUZZ_CASES=5000 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -s \
		-p no:cacheprovider --timeout=0 tests/unit/test_crash.py tests/unit/test_fuzz.py

## make soak: the window on 100,000 cases for an hour of scripted use (memory, descriptors, stalls)
.PHONY: soak
soak: $(STAMP_TEST) translations fonts
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.perf.soak_bench 60

lint: $(STAMP_TEST)
	$(BIN)/ruff check desktop tests packaging
	$(BIN)/mypy
	$(BIN)/mypy $(PACKAGING_PY)

clean:
	rm -rf $(VENV) build dist *.egg-info $(QM_EN) $(MO_EN)

## make fonts: convert the open CJK faces (Noto Serif/Sans SC, SIL OFL 1.1) to TrueType for the PDFs,
## with their licence, into resources/fonts (not kept in git; ~25 s on two cores, skipped when present)
.PHONY: fonts
fonts: $(STAMP_RUN)
	$(PY) -m desktop.briefs.fontconv resources/fonts

## make package: the one-folder application in dist/casebook (PyInstaller, packaging/casebook.spec), then its
## size and start-up times against the budget (printed; build/package-figures.json). See README, 安装包.
.PHONY: package package-test icons licenses
PACKAGING_PY := $(wildcard packaging/*.py packaging/hooks/rthooks/*.py)

package: $(STAMP_PACKAGE) translations fonts
	$(PY) packaging/make_bundle.py

## make package-test: build the bundle, then run the frozen program's tests (tests/package)
package-test: package $(STAMP_TEST)
	QT_QPA_PLATFORM=offscreen CASEBOOK_REQUIRE_BUNDLE=1 $(PY) -m pytest -q -p no:cacheprovider tests/package

## make icons / make licenses: regenerate the icon files from the SVG, the licence texts from the installed packages
icons: $(STAMP_RUN)
	$(PY) packaging/icons.py

licenses: $(STAMP_PACKAGE)
	$(PY) packaging/licenses.py
