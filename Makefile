# Claimdesk: `make demo` runs the app on http://127.0.0.1:8000, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: install demo serve test lint run migrate seed clean-db screenshot backup restore stop

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	CLAIMDESK_DEMO=1 $(BIN)/python -m claimdesk.database
	CLAIMDESK_DEMO=1 $(BIN)/python manage.py migrate --noinput

seed: migrate
	CLAIMDESK_DEMO=1 $(BIN)/python manage.py load_seeds
	CLAIMDESK_DEMO=1 $(BIN)/python manage.py create_demo_users
	CLAIMDESK_DEMO=1 $(BIN)/python manage.py publish_demo_review

demo: seed
	@echo "Claimdesk is on http://$(HOST)/ (editorial desk: http://$(HOST)/admin/; Ctrl-C stops it)"
	CLAIMDESK_DEMO=1 DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

# The production configuration on this machine: gunicorn, DEBUG off, static
# files collected and served by WhiteNoise, the CSP and login throttling on.
# Only HTTPS is off (plain http on 127.0.0.1); a deployment sets
# DATABASE_URL and DJANGO_SECRET_KEY instead of CLAIMDESK_DEMO (docs/deploy.md).
serve: seed
	CLAIMDESK_DEMO=1 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Claimdesk (gunicorn) is on http://$(HOST)/ (Ctrl-C stops it)"
	CLAIMDESK_DEMO=1 $(BIN)/gunicorn claimdesk.wsgi --bind $(HOST) --workers 2 \
		--access-logfile - --graceful-timeout 10

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest

# The whole database to backups/claimdesk-<time>.dump (or FILE=…), and back.
backup: install
	CLAIMDESK_DEMO=1 $(BIN)/python manage.py backup $(if $(FILE),--output $(FILE))

restore: install
	@test -n "$(FILE)" || (echo "Give the archive: make restore FILE=backups/claimdesk-….dump"; exit 2)
	CLAIMDESK_DEMO=1 $(BIN)/python manage.py restore $(FILE)

# Stops the embedded server (its data stays; make demo starts it again).
stop:
	@if [ -f .pgdata/postmaster.pid ]; then kill $$(head -n 1 .pgdata/postmaster.pid) 2>/dev/null || true; echo "stopped the embedded PostgreSQL (data kept in .pgdata/)"; fi

# Stops the embedded server (it outlives each command) before removing its data.
clean-db:
	@if [ -f .pgdata/postmaster.pid ]; then kill $$(head -n 1 .pgdata/postmaster.pid) 2>/dev/null || true; sleep 2; fi
	rm -rf .pgdata
