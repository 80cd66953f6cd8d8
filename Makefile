# GridGov — the README's commands. Everything installs itself on a fresh machine of this kind
# (Debian + Python 3.11 + Node.js, root): a virtualenv in .venv, npm packages in node_modules,
# Debian packages (gettext; chromium and fonts-noto-cjk for the browser tests) when missing.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := gridgov.settings

.PHONY: demo test bench mutation lint openapi install messages clean

# The demo runs the product as deployed: DEBUG off, collected static files served by WhiteNoise,
# keys generated once into var/demo.env (reused later; load it for `gridgov` commands with
# `set -a; . var/demo.env; set +a`). DEMO=1 there means plain HTTP on 127.0.0.1 and staff
# two-factor sign-in off; text messages go to the log, chosen explicitly.
DEMO_ENV := var/demo.env
IN_DEMO := set -a && . ./$(DEMO_ENV) && set +a &&

demo: install $(DEMO_ENV)
	@$(IN_DEMO) $(BIN)/gridgov migrate --no-input -v0
	@$(IN_DEMO) $(BIN)/gridgov collectstatic --no-input -v0
	@$(IN_DEMO) $(BIN)/gridgov seed-demo
	@echo "Demo logins (password for all: see below):"
	@$(IN_DEMO) $(BIN)/gridgov demo-logins
	@echo "Staff two-factor sign-in is off in the demo (DEMO=1); start it with STAFF_TWO_FACTOR=1 to try it."
	@echo "Serving http://$(HOST):$(PORT)/ — Ctrl-C to stop."
	@$(IN_DEMO) $(BIN)/gridgov runserver --noreload $(HOST):$(PORT)

$(DEMO_ENV): | .installed-python
	@mkdir -p var
	@$(BIN)/python -c 'import secrets; k = lambda: secrets.token_urlsafe(50); print( \
	  "# Written once by make demo for the local demo; never commit or deploy it.\n" \
	  "DEMO=1\nDEBUG=0\nALLOWED_HOSTS=127.0.0.1,localhost\n" \
	  "DATABASE_URL=sqlite:///$(CURDIR)/var/demo.sqlite3\n" \
	  "SMS_BACKEND=gridgov.accounts.sms.LogSender\n" \
	  f"SECRET_KEY={k()}\nFIELD_ENCRYPTION_KEY={k()}")' > $@.tmp
	@chmod 600 $@.tmp && mv $@.tmp $@
	@echo "Wrote $@ (demo keys, kept for later runs)."

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	@for script in bench/bench_*.py; do echo "== $$script"; DEBUG=1 $(BIN)/python $$script || exit 1; done

# Mutation testing of the rule modules (docs/mutation.md): mutmut, run serially, configured in
# pyproject.toml, then the single-line mutants of the rule tables that mutmut does not make.
mutation: install
	rm -rf mutants && mkdir -p mutants/var
	$(BIN)/mutmut run --max-children 1
	$(BIN)/python -m tests.mutation_rules summary
	$(BIN)/python -m tests.mutation_rules tables

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy gridgov tests bench
	DEBUG=1 $(BIN)/gridgov check
	DEBUG=1 $(BIN)/gridgov makemigrations --check --dry-run
	DEBUG=1 $(BIN)/gridgov spectacular --lang en --validate --fail-on-warn --file var/openapi.yaml
	@diff -u docs/api/openapi.yaml var/openapi.yaml || \
	  (echo "docs/api/openapi.yaml is out of date: run 'make openapi' and commit it"; exit 1)

openapi: install
	DEBUG=1 $(BIN)/gridgov spectacular --lang en --validate --fail-on-warn --file docs/api/openapi.yaml

install: .installed-system .installed-python .installed-npm messages
	@mkdir -p var/static

# Debian packages: gettext compiles the translations; chromium and the CJK fonts run the
# browser tests and render Chinese (also in PDFs); poppler-utils' pdftotext reads PDFs back in
# tests. Installed only when missing.
.installed-system:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -d /usr/share/fonts/opentype/noto ] || missing="$$missing fonts-noto-cjk"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	touch $@

.installed-python: pyproject.toml
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

.installed-npm: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: .installed-python .installed-system
	@cd gridgov && DEBUG=1 ../$(BIN)/django-admin compilemessages --settings=gridgov.settings -v0

clean:
	rm -rf $(VENV) node_modules .installed-* var/static
