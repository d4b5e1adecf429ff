# CX Workbench: the front door. `make test` and `make report` set up everything they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
KERNEL := cxlib
PERIOD ?= 2026-Q3
BY ?= region
LANG_REPORT ?= nl
CHROMIUM ?= /usr/bin/chromium

.PHONY: help setup lock browser postgres gnu-time lint test test-fast report screenshot sample validate lab notebooks workshop bench dashboard clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip "setuptools>=78.1.1"
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (cxlib)"
	touch $(STAMP)

setup: $(STAMP)  ## create .venv, install the locked dependencies (requirements.lock) + cxlib (editable), register the kernel

lock:  ## refresh requirements.lock: the newest versions that fit pyproject.toml, all extras (commit the result)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --all-extras --upgrade --python-version 3.11.5 \
		--custom-compile-command "make lock" --annotation-style line -o requirements.lock

browser:  ## install Debian's Chromium for the browser tests (needs root)
	@if [ -x $(CHROMIUM) ]; then echo "chromium: $(CHROMIUM)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "The browser tests need Chromium: run 'sudo apt-get install chromium' (Debian/Ubuntu) or set CHROMIUM=/path/to/chrome" >&2; exit 1; fi

postgres:  ## install Debian's PostgreSQL server for the database tests (needs root; the tests start it themselves)
	@if command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then echo "postgresql: installed"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else echo "The database tests need PostgreSQL: run 'sudo apt-get install postgresql' (Debian/Ubuntu)" >&2; exit 1; fi

gnu-time:  ## install GNU time (/usr/bin/time -v measures the benchmarks' peak memory; needs root)
	@if [ -x /usr/bin/time ]; then echo "time: /usr/bin/time"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; \
	else echo "The memory benchmark needs GNU time: run 'sudo apt-get install time'" >&2; exit 1; fi

lint: setup  ## ruff: lint and format check (rules in pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: setup browser postgres lint  ## run every test: lint, cxlib, notebooks (nbval), the report batch, the browser, PostgreSQL
	CX_CHROMIUM=$(CHROMIUM) $(PY) -m pytest

test-fast: setup lint  ## lint and the unit tests only (no notebooks, no browser)
	$(PY) -m pytest -m "not slow" --ignore=notebooks

report: setup  ## render the quarterly review reports into reports/<period>/
	$(VENV)/bin/cx validate data/sample
	$(VENV)/bin/cx report --period $(PERIOD) --by $(BY) --lang $(LANG_REPORT)

screenshot: setup browser  ## the first screen of the 2026-Q1 whole-company review → docs/img/ (README)
	CX_CHROMIUM=$(CHROMIUM) $(PY) tools/first_screen.py

sample: setup  ## regenerate data/sample/ (deterministic)
	$(VENV)/bin/cx sample

validate: setup  ## validate data/sample/ and print the summary
	$(VENV)/bin/cx validate data/sample

lab: setup  ## open JupyterLab on the notebooks
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

notebooks: setup  ## execute the notebooks and keep only the outputs nbval checks
	$(PY) -m cxlib.notebook_tools

workshop: setup  ## rebuild the participant and solution editions of the workshop notebooks
	$(VENV)/bin/cx workshop build

bench: setup gnu-time  ## run the benchmarks (prints figures and ratios; not tests)
	for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

DASHBOARD_DATA ?= build/dashboard-sample
dashboard: setup  ## serve the live dashboard on a copy of the sample (http://127.0.0.1:8050/, demo users in docs/dashboard.md)
	@test -d $(DASHBOARD_DATA) || (mkdir -p $(DASHBOARD_DATA) && cp data/sample/*.csv data/sample/*.yaml $(DASHBOARD_DATA)/)
	$(VENV)/bin/cx dashboard --data $(DASHBOARD_DATA) --lang $(LANG_REPORT)

clean:  ## remove the environment and generated reports
	rm -rf $(VENV) reports/*/ .pytest_cache
