#!/usr/bin/env bash
# `make check-deploy`: manage.py check --deploy on the production settings, with the
# variables of .env.example and a random secret; fails on any warning.
set -euo pipefail
# The suite sets this for Playwright; it has no place in a deployment check.
unset DJANGO_ALLOW_ASYNC_UNSAFE
cd "$(dirname "$0")/.."
set -a
# shellcheck disable=SC1091
source .env.example
set +a
SECRET_KEY=$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(64))")
export SECRET_KEY DJANGO_SETTINGS_MODULE=reform_portal.settings.production
exec .venv/bin/python manage.py check --deploy --fail-level WARNING
