# Cirkel: the two commands are `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(abspath $(VENV)/bin)
# nbgrader creates gradebooks by running `alembic`: the venv's bin must be on PATH.
export PATH := $(BIN):$(PATH)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := /usr/bin/chromium-headless-shell
# JupyterHub's own proxy (Node.js configurable-http-proxy), pinned by package-lock.json beside it
PROXY_DIR := deploy/proxy

.PHONY: run test install proxy chromium postgresql pango clean screenshots schema

install: $(VENV)/.installed proxy pango

$(VENV)/.installed: pyproject.toml setup.py
	@# a fresh Debian has Python but not always its venv module (package python3-venv)
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV) && $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# JupyterHub's proxy into $(PROXY_DIR)/node_modules (not a global prefix), exactly as locked; Node.js
# and npm from Debian when missing. Again only when package.json or the lock file changed.
proxy: $(PROXY_DIR)/node_modules/.installed

$(PROXY_DIR)/node_modules/.installed: $(PROXY_DIR)/package.json $(PROXY_DIR)/package-lock.json
	@if ! command -v npm >/dev/null; then \
	  echo "Installerar Node.js och npm från Debian ..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	npm ci --prefix $(PROXY_DIR) --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Pango and DejaVu fonts for the printed material (cirkel courses print): WeasyPrint lays the
# PDFs out with Pango and embeds the fonts; nothing is fetched when a PDF is made.
PANGO := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
pango:
	@if ! dpkg -s $(PANGO) >/dev/null 2>&1; then \
	  echo "Installerar Pango och typsnitten DejaVu från Debian ..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(PANGO) >/dev/null; \
	fi

# Debian's PostgreSQL 15 for the stores' PostgreSQL variants (tests/pg_cluster.py starts its own server with
# initdb and pg_ctl; as root it runs them as the package's postgres user). Only the binaries are used:
# the package's own cluster is not needed by the tests.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "Installerar PostgreSQL från Debian ..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql >/dev/null; \
	fi

# Debian's Chromium for the browser tests, its headless build (package chromium-headless-shell, from the
# same source as `chromium`: the same engine, a fifth less CPU); Playwright's own download cannot work here.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installerar Chromium från Debian ..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium-headless-shell >/dev/null; \
	fi

# Lint, then every lane with one worker more than the machine has cores (pytest-xdist): about a fifth
# of the suite waits (servers starting, pages polling, windows closing), and a third worker on two cores
# took the test phase from 13:17 to 10:58-12:02. One lane alone: `.venv/bin/pytest -m unit` (or notebook,
# nbgrader, browser, hub). Byte-code is written so that each kernel and server the tests start reads the
# compiled project instead of compiling it again. The slowest tests are listed at the end.
WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
test: install chromium postgresql
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(WORKERS) --durations=15

# PNG screenshots of every module of every course at 320 and 1280 px into docs/screenshots/
# (tests/screenshots.py; `--measure` there also counts layout problems per width).
screenshots: install chromium
	$(BIN)/python tests/screenshots.py

# JSON Schema of course.yml, module.yml, every content file and the answer files into docs/schema/,
# from the pydantic models (grading/course/content_schema.py); tests/unit/test_content_models.py keeps them equal.
schema: install
	$(BIN)/cirkel courses schema --out docs/schema

run: install
	$(BIN)/cirkel serve --hub --demo

clean:
	rm -rf $(VENV) .cirkel $(PROXY_DIR)/node_modules
