# The two commands a newcomer needs: `make site` and `make test`. Each sets up everything it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := site

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
SOURCE_DATE_EPOCH ?= 1767225600
export SOURCE_DATE_EPOCH
export NO_MKDOCS_2_WARNING := 1
# Debian packages the tests and PDFs need; installed once, with apt-get, if missing (Java runs the W3C
# HTML validator, vnu.jar from package.json).
SYSTEM_PACKAGES := chromium poppler-utils fonts-dejavu-core default-jre-headless

.PHONY: site docs test check serve system-deps clean help pdf bench

help:
	@echo "make site   - set up, build docs/ from sources/ and the static site into site/"
	@echo "make test   - set up (incl. Chromium), build, run every test"
	@echo "make check  - the fast tests only: no browser, no MkDocs site (under a minute)"
	@echo "make serve  - build and serve the site on http://127.0.0.1:8000"
	@echo "make pdf    - build the site, then one PDF per topic and the whole handbook into site/pdf/"

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	fi

docs: $(VENV)/.installed node_modules/.installed
	$(PY) -m builder build

# The print edition's chapters are copied from the built topic pages after MkDocs (each answer is converted once).
site: docs
	$(PY) -m mkdocs build --strict --quiet
	$(PY) -m builder book --site site --quiet
	@echo "site built in site/"

# PDFs are printed from the built site by headless Chromium; a separate target, as it takes a while.
pdf: system-deps site
	$(PY) -m builder pdf --site site

serve: docs
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

test: $(VENV)/.installed system-deps site
	$(BIN)/pytest -q

# Unit and golden tests of the builder: no browser, no MkDocs site, nothing installed from apt.
check: $(VENV)/.installed node_modules/.installed
	$(BIN)/pytest -q -m "not browser and not site and not slow"

# Benchmarks (not timed tests): build times against a naive MkDocs site, growth to a 20x corpus and
# Lighthouse scores (bench/results.md); search index size and typing-to-results latency (bench/search-results.md).
bench: site system-deps
	$(PY) bench/build_bench.py
	$(PY) bench/search_bench.py

clean:
	rm -rf site docs .pytest_cache test-output
