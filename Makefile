# Sagsindsigt. `make run` starts the demo; `make test` runs the whole suite (README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/sagsindsigt
# `make run PORT=8100` when 8000 is taken.
PORT ?= 8000
export SAGSINDSIGT_DEV ?= 1

.PHONY: install run test test-sqlite test-postgres lint format bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	mkdir -p var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo --if-empty
	$(PY) manage.py demo --print-logins
	@echo "Sagsindsigt kører på http://127.0.0.1:$(PORT) (stop med Ctrl+C)"
	# The task worker (large imports) runs beside the server and stops with it.
	$(PY) manage.py db_worker & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite on SQLite, and on PostgreSQL when it is reachable (always under CI=true).
test: install
	bin/test-all

test-sqlite: install
	DATABASE_URL= $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=$(PG_URL) $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy sagsindsigt config bench
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Figures and ratios against baselines measured in the same run; the import benchmark needs PostgreSQL.
bench: install
	$(PY) bench/run.py
	$(PY) bench/intake.py --rows $${BENCH_ROWS:-1000000}
	$(PY) bench/dashboard.py --cases $${BENCH_CASES:-5000000}

clean:
	rm -rf $(VENV) var
