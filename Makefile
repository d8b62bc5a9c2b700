# Two commands on a fresh machine: `make build`, then `make test`.
VENV   := .venv
BIN    := $(VENV)/bin
PYTHON ?= python3

# Debian packages: Pango for WeasyPrint; PDF tools the tests inspect PDFs with; Chromium for
# looking at pages; openssl for the SMTP test server's certificate; SpamAssassin scores each
# message a send makes (local rules only).
# Ghostscript carries the CMYK profile (default_cmyk.icc) the print PDF's output intent uses;
# poppler's pdftotext is one of the two readers the preflight checks a PDF's text with.
BUILD_DEBS := libpango-1.0-0 libpangoft2-1.0-0 ghostscript poppler-utils
# Chromium runs the web pages' accessibility and layout checks; vnu (the HTML checker) needs
# Java 11+, installed only where no java is found.
JAVA_DEB   := $(if $(shell command -v java),,default-jre-headless)
TEST_DEBS  := poppler-utils qpdf ghostscript chromium openssl spamassassin $(JAVA_DEB)

.PHONY: build test lint serve clean setup test-setup web-fonts proofs bench bench-send bench-fitting \
	bench-studio studio-screenshot

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
	$(BIN)/python scripts/corpus.py
	@touch $@

test: test-setup
	$(BIN)/pytest -q

# The build engine against the hand-made chain (docs/benchmarks.md); N articles, N=10 for a
# quick run.
N ?= 100
bench: setup
	$(BIN)/python bench/bench.py --articles $(N)

# What copyfitting costs against WeasyPrint's layout, in the same builds (docs/benchmarks.md).
bench-fitting: setup
	$(BIN)/python bench/fitting.py --articles 20 --runs 3

# The studio: from a save to each pane in Chromium, median of 10 saves, against `publish build`
# of the same change (docs/benchmarks.md).
bench-studio: test-setup
	$(BIN)/python bench/studio.py --saves 10 --articles 20

# `publish send --list` to 10,000 readers through a loopback SMTP server, against a hand-made
# smtplib loop (docs/benchmarks.md, at the end).
bench-send: test-setup
	$(BIN)/python bench/send.py --recipients 10000 --runs 3

lint: test-setup
	$(BIN)/ruff check pipeline tests bench scripts
	$(BIN)/ruff format --check pipeline tests bench scripts
	$(BIN)/lint-imports

serve: setup
	$(BIN)/publish serve

# The WOFF2 web builds of the brand fonts in layouts/web/fonts/ (run after changing a font).
web-fonts: setup
	$(BIN)/python scripts/web_fonts.py
# PNG proofs of the sample brochure's pages, shown in the README: remake and look at them after
# a change to layouts/print/. Rendered from the screen PDF (the print PDF's pages in RGB, trimmed).
SAMPLE_BROCHURE := output/web/ketamine-therapy-for-pain-management/brochure.pdf
proofs: build
	@scripts/apt-ensure poppler-utils
	rm -f docs/brochure-*.png
	pdftoppm -r 60 -png $(SAMPLE_BROCHURE) docs/brochure-page
	mv docs/brochure-page-1.png docs/brochure-cover.png

# The README's picture of the studio, in headless Chromium: remake and look at it after a change
# to pipeline/preview/assets/.
studio-screenshot: test-setup
	$(BIN)/python scripts/studio_screenshot.py docs/studio.png

clean:
	rm -rf output .pytest_cache .ruff_cache
