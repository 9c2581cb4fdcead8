# CyberReady: `make run` serves the platform with demo data; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
HOST   ?= 127.0.0.1
export PORT HOST
export FLASK_APP := wsgi

.PHONY: run test lint translations bench bench-drill clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Stamps: reinstall only when pyproject.toml changes.
$(VENV)/.run-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[postgres,deploy]'
	touch $@

$(VENV)/.dev-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.run-deps

translations: | $(BIN)/python
	@$(BIN)/pybabel -q compile -d core/translations

# Without a mail server of its own, the demo keeps each e-mail as a file in instance/mail/
# (invitation links included); set SMTP_URL to send them instead.
run: export SMTP_URL ?= file://$(CURDIR)/instance/mail
run: $(VENV)/.run-deps translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load
	@$(BIN)/flask demo logins
	$(BIN)/flask serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# The whole suite on SQLite; again on PostgreSQL when TEST_DATABASE_URL is set (CI sets it).
test: $(VENV)/.dev-deps translations lint
	env -u TEST_DATABASE_URL $(BIN)/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL: $$TEST_DATABASE_URL (browser tests ran above) =="; \
		$(BIN)/pytest -m "not browser"; \
	fi

bench: $(VENV)/.dev-deps translations
	$(BIN)/python bench/http_bench.py

# One drill, 200 teams, 1,000 polling consoles under gunicorn (about four minutes).
bench-drill: $(VENV)/.dev-deps translations
	$(BIN)/python bench/drill_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
