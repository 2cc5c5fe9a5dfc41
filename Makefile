# factcheck: `make run` starts the whole service on embedded defaults; `make test` checks everything.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run test lint typecheck pytest migrate demo clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

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
	@echo "  Health: http://127.0.0.1:$(PORT)/healthz        Ctrl-C stops the web server, worker and beat."
	@echo ""
	DEBUG=$${DEBUG-1} FACTCHECK_PORT=$(PORT) $(VENV)/bin/honcho -f Procfile.dev start

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	DEBUG=1 $(VENV)/bin/mypy .

# Tests run with DEBUG's relaxed defaults (no https redirect, a throwaway key); Django's
# test runner turns DEBUG itself off.
pytest: install
	DEBUG=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

clean:
	rm -rf var $(VENV)
