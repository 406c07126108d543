# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed

.PHONY: run test test-sqlite bench lint check-migrations system-run system-test venv clean

run: system-run venv
	@scripts/run.sh

test: system-test venv lint check-migrations
	@scripts/test.sh

bench: system-test venv
	@scripts/bench.sh

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

system-run:
	@scripts/system-packages.sh run

system-test:
	@scripts/system-packages.sh test

check-migrations: venv
	@DJANGO_SETTINGS_MODULE=reform_portal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null \
		|| { echo "模型有未生成的迁移：运行 manage.py makemigrations" >&2; exit 1; }

lint: venv
	@$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .run var db.sqlite3*
