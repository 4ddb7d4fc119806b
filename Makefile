# Thông Suốt — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/thongsuot
export DJANGO_SETTINGS_MODULE := thongsuot.settings

.PHONY: run install migrate data serve worker test test-sqlite test-pg lint format bench mutate lock messages clean screenshots

$(VENV)/.installed: requirements.lock package.json
	@command -v $(PYTHON) >/dev/null || (echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	npm install --no-audit --no-fund --silent
	touch $@

install: $(VENV)/.installed messages

# Translations: the compiled .mo files are committed; they are rebuilt when gettext is installed.
messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0; \
	  else echo "msgfmt (gettext) not found: using the committed translations"; fi

migrate: install
	$(PY) manage.py migrate --noinput -v 0

data: migrate
	$(PY) manage.py load_directory
	$(PY) manage.py load_procedures
	$(PY) manage.py conference_endpoints
	$(PY) manage.py load_demo $(DEMO_FLAGS)
	$(PY) manage.py generate_dossiers

# Web server and background worker together; Ctrl-C stops both. E-mails and SMS go to files under .run/
# (read them at /thong-bao/hop-thu/), the worker's and the scheduler's logs too, so the terminal keeps the
# server's requests and, printed last once the server answers, the demo sign-ins.
# The trap stops only the processes started here, by their ids, and clears itself first: the former
# `trap 'kill 0' INT TERM EXIT` also sent SIGTERM to make and to the shell itself, whose EXIT trap then ran
# `kill 0` again and again until the shell crashed ("Segmentation fault").
run: DEMO_FLAGS = --no-sign-ins
run: data
	@mkdir -p .run
	@export SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	  $(PY) manage.py db_worker --queue-name '*' --no-reload >>.run/worker.log 2>&1 & pids=$$!; \
	  $(PY) manage.py run_periodic >>.run/periodic.log 2>&1 & pids="$$pids $$!"; \
	  $(PY) manage.py runserver $(HOST):$(PORT) --noreload & pids="$$pids $$!"; \
	  if [ -x /usr/bin/janus ]; then $(PY) manage.py janus_config >/dev/null; \
	    /usr/bin/janus -F .run/janus -C .run/janus/janus.jcfg >>.run/janus.log 2>&1 & pids="$$pids $$!"; \
	  else echo "Janus is not installed (apt-get install janus): the meetings pages say the media server is unavailable"; fi; \
	  trap 'trap - INT TERM EXIT; kill $$pids 2>/dev/null; wait; exit 0' INT TERM EXIT; \
	  for i in $$(seq 120); do $(PY) -c "import sys, urllib.request as r; r.urlopen(sys.argv[1], timeout=2)" \
	    "http://$(HOST):$(PORT)/healthz" 2>/dev/null && break; sleep 0.5; done; \
	  echo; echo "Thông Suốt on http://$(HOST):$(PORT)/  (API docs: /api/v1/docs)"; \
	  $(PY) manage.py load_demo --sign-ins 2>/dev/null; \
	  echo "E-mails and SMS: .run/mail/, .run/sms.log and http://$(HOST):$(PORT)/thong-bao/hop-thu/ (platform administrators)"; \
	  echo "Worker and scheduler logs: .run/worker.log, .run/periodic.log; Janus: .run/janus.log. Ctrl-C stops everything."; \
	  wait

# docs/screenshots/: the front page, the citizen form, a follow page and the statistics page at 1366×768 and
# 390×844 (Chromium through Playwright against the development server with the demo data).
screenshots: data
	$(PY) tools/screenshots.py

serve: install
	$(VENV)/bin/gunicorn thongsuot.wsgi --bind $(HOST):$(PORT) --workers 2

worker: install
	$(PY) manage.py db_worker --queue-name '*'

# The whole suite on SQLite and, when it is reachable, on PostgreSQL.
test: install
	THONGSUOT_ENV=test $(VENV)/bin/pytest -q
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "--- again on PostgreSQL ---"; \
	  THONGSUOT_ENV=test DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q; \
	else echo "PostgreSQL not reachable at $(PG_URL): skipped the PostgreSQL run"; fi

test-sqlite: install
	THONGSUOT_ENV=test $(VENV)/bin/pytest -q

test-pg: install
	THONGSUOT_ENV=test DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache  # the layers' contracts in pyproject.toml (docs/architecture-layers.md)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) bench/provisioning.py

# Mutation testing (cosmic-ray) of the access rules, workflow tables, calendar, staff-list planner and
# numbering; scores in the README. Long: MUTATE="calendar access" runs some of them.
mutate: install
	$(PY) tools/mutate.py $(MUTATE)

# Re-pin dependencies after editing requirements.in.
lock:
	rm -rf /tmp/thongsuot-lock && $(PYTHON) -m venv /tmp/thongsuot-lock
	/tmp/thongsuot-lock/bin/pip install --quiet -r requirements.in
	/tmp/thongsuot-lock/bin/pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3*
