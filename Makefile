# Two commands for a new machine: `make run` (set up, start the app) and
# `make test` (set up, run every check). Both create .venv and install what CI tested.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup lint typecheck imports pytest i18n bench hooks clean

run: $(STAMP)
	$(BIN)/cardbind

test: $(STAMP) lint imports typecheck pytest

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "cardbind needs Python 3.11 or newer; set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

imports: $(STAMP)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Prints line and branch coverage of core, ocr, gui and cli (files not fully covered).
pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q --cov --cov-report=term

# Every benchmark once, with quick settings (a minute or two); the README gives the
# settings the reported figures come from.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[bench]'
	$(BIN)/python -m benchmarks.bind_bench --cards 100
	$(BIN)/python -m benchmarks.ocr_bench --synth 2 --seed 101
	$(BIN)/python -m benchmarks.camera_bench --videos 1
	@if command -v espeak-ng >/dev/null; then \
		$(BIN)/python -m benchmarks.voice_bench --codes 3 --scenario flagged; \
	else echo "voice_bench skipped: it needs espeak-ng"; fi
	$(BIN)/python -m benchmarks.startup_bench --runs 2

# The pre-commit hook: ruff, ruff format and import-linter on every commit.
hooks: $(STAMP)
	$(BIN)/pre-commit install

# After changing user-visible strings: merge them into the catalogues, then translate.
i18n: $(STAMP)
	$(BIN)/python -m core.i18n_catalog update
	$(BIN)/python -m core.i18n_catalog check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .coverage
