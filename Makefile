# factcheck: `make run` starts the whole service on embedded defaults; `make test` checks everything.
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
# The optional `.[ml]` extra (torch, sentence embeddings) gets a venv of its own: .venv never
# gets torch, so the default install is what `make test` checks.
VENV_ML := .venv-ml
STAMP_ML := $(VENV_ML)/.installed

.PHONY: install install-ml run test test-fast test-ml eval lint typecheck pytest migrate demo clean browser

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# A local checkout's settings: development mode and a key of its own, so that every
# `manage.py` command works as printed. Git ignores it; real environment variables win.
.env:
	$(PYTHON) -c "import secrets; print('DEBUG=1'); print('SECRET_KEY=' + secrets.token_urlsafe(50))" > .env

install: $(STAMP) .env

# The browser tests drive Debian's Chromium (Playwright's own download needs the internet).
browser:
	test -x /usr/bin/chromium || ( $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium )

$(STAMP_ML): pyproject.toml
	test -x $(VENV_ML)/bin/python || $(PYTHON) -m venv $(VENV_ML)
	$(VENV_ML)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_ML)/bin/python -m pip install --quiet -e '.[dev,ml]'
	touch $(STAMP_ML)

install-ml: $(STAMP_ML)

migrate: install
	mkdir -p var
	DEBUG=$${DEBUG-1} $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=$${DEBUG-1} $(PY) manage.py load_demo --editor

run: demo
	@echo ""
	@echo "  factcheck is starting on http://127.0.0.1:$(PORT)/"
	@echo "  Editors' desk:  http://127.0.0.1:$(PORT)/admin/   (demo editor: editor / factcheck-demo)"
	@echo "  Your own editor account and API token:"
	@echo "      $(PY) manage.py editor_token YOURNAME --password"
	@echo "  Health: http://127.0.0.1:$(PORT)/healthz        Ctrl-C stops the web server, worker, reader, beat and relay."
	@echo ""
	DEBUG=$${DEBUG-1} FACTCHECK_PORT=$(PORT) $(VENV)/bin/honcho -f Procfile.dev start

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(VENV)/bin/lint-imports --no-cache

typecheck: install
	DEBUG=1 $(VENV)/bin/mypy .

# Tests run with DEBUG's relaxed defaults (no https redirect, a throwaway key); Django's
# test runner turns DEBUG itself off.
pytest: install
	DEBUG=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# While working: lint, types, and the tests that need no subprocess, socket server, browser,
# worker or schemathesis run (marked `slow`); `make test` runs everything.
test-fast: lint typecheck
	DEBUG=1 $(VENV)/bin/pytest -m "not slow" $(PYTEST_ARGS)

# Stance and certainty figures of both assessment methods on our labelled set, FNC-1 and
# Emergent, held out by claim (docs/evaluation.md); without the data beside
# FACTCHECK_FNC1_DIR, FNC-1/Emergent are skipped with a note. Then firmness, cross-validated
# on the desk's archive in ../shared/emergent (skipped with a note when it is not there).
eval: install
	mkdir -p bench/results
	DEBUG=1 $(PY) manage.py evaluate_assessor --method rules --method model --json bench/results/eval.json
	@if [ -f ../shared/emergent/train.jsonl ]; then \
		DEBUG=1 $(PY) manage.py evaluate_firmness --curve --json bench/results/firmness.json; \
	else echo "firmness: ../shared/emergent/train.jsonl is not there; not evaluated"; fi

# Only the tests marked `ml`, in .venv-ml; FACTCHECK_REQUIRE_ML=1 fails them rather than
# skipping when the extra is missing.
test-ml: $(STAMP_ML)
	DEBUG=1 FACTCHECK_REQUIRE_ML=1 $(VENV_ML)/bin/pytest -m ml -q $(PYTEST_ARGS)

clean:
	rm -rf var $(VENV) $(VENV_ML)
