# Two commands on a fresh machine: `make build`, then `make test`.
VENV   := .venv
BIN    := $(VENV)/bin
PYTHON ?= python3

# Debian packages: Pango for WeasyPrint; PDF tools the tests inspect PDFs with.
BUILD_DEBS := libpango-1.0-0 libpangoft2-1.0-0
TEST_DEBS  := poppler-utils qpdf ghostscript

.PHONY: build test lint serve clean setup test-setup bench

build: setup
	$(BIN)/publish build

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@scripts/apt-ensure $(BUILD_DEBS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

test-setup: $(VENV)/.test-installed

$(VENV)/.test-installed: $(VENV)/.installed
	@scripts/apt-ensure $(TEST_DEBS)
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

test: test-setup
	$(BIN)/pytest -q

# The build engine against the hand-made chain (docs/benchmarks.md); N articles, N=10 for a
# quick run.
N ?= 100
bench: setup
	$(BIN)/python bench/bench.py --articles $(N)

lint: test-setup
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/ruff format --check pipeline tests bench

clean:
	rm -rf output .pytest_cache .ruff_cache
