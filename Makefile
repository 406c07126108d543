# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed

.PHONY: run test screenshots bench lint check-migrations check-deploy backup restore loadtest system-run system-test venv clean

run: system-run venv
	@scripts/run.sh

test: system-test venv lint check-migrations
	@scripts/test.sh

# The browser tests once more, on SQLite, in the full Chromium, keeping a screenshot of each
# page they visit in var/screenshots/ for people to look at (`make test` runs the same
# assertions without them, in Chromium's headless shell).
screenshots: system-test venv
	@bash -c 'source scripts/services.sh && ensure_test_redis && PORTAL_SCREENSHOTS=1 PORTAL_CHROMIUM=$$(command -v chromium) \
		DJANGO_SETTINGS_MODULE=reform_portal.settings.test $(BIN)/pytest -m browser -n 3 --dist loadgroup'

bench: system-test venv
	@scripts/bench.sh

venv: $(STAMP)

# uv installs the pinned requirements in seconds where pip takes half a minute (a fresh
# clone's `make test` begins here); pip stays the fallback where uv cannot reach an index.
$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -q --disable-pip-version-check uv==0.13.9 \
		&& $(BIN)/uv pip install -q --python $(BIN)/python --compile-bytecode -r requirements-dev.txt \
		|| $(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

system-run:
	@scripts/system-packages.sh run

system-test:
	@scripts/system-packages.sh test

check-migrations: venv
	@DJANGO_SETTINGS_MODULE=reform_portal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null \
		|| { echo "模型有未生成的迁移：运行 manage.py makemigrations" >&2; exit 1; }

# ruff, then the import contracts of pyproject.toml ([tool.importlinter]): an app importing
# the wrong way fails the build.
lint: venv
	@$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports --no-cache

# Back up the database named by DATABASE_URL (the SQLite file by default) and the
# uploaded files into var/backups/; restore one into an empty database.
backup: venv
	@$(BIN)/python manage.py backup_portal

restore: venv
	@test -n "$(FILE)" || { echo "用法：make restore FILE=var/backups/portal-….tar.gz（恢复到空数据库）" >&2; exit 1; }
	@$(BIN)/python manage.py restore_portal "$(FILE)"

# 50 simulated people for 2 minutes against gunicorn and PostgreSQL, on the loopback.
loadtest: system-test venv
	@scripts/loadtest.sh

# Django's deployment checks against the production settings, with the example
# environment and a throwaway secret; any warning fails.
check-deploy: venv
	@scripts/check-deploy.sh

clean:
	rm -rf $(VENV) .run var db.sqlite3*
