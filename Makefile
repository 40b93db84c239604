# The two commands: `make run` (install + serve on SQLite at 127.0.0.1:8000) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run lint test browser bench fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/tollwatch serve

# Debian's Chromium for the dashboard's browser tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
		echo "warning: could not install chromium; browser tests will be skipped"

# Lint, format and types first (seconds), then the suite.
LINT_PATHS := service db extractors bench tests fuzz alembic

lint: install
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy

test: install browser lint
	$(BIN)/pytest -q

bench: install
	$(BIN)/python bench/extract.py

# Coverage-guided fuzzing (atheris) of the extractor and the feed path; FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
fuzz: install
	$(BIN)/python -m pip install -q -e '.[fuzz]'
	for target in fuzz/fuzz_*.py; do $(BIN)/python $$target -max_total_time=$(FUZZ_SECONDS) || exit 1; done

clean:
	rm -rf $(VENV) data .pytest_cache
