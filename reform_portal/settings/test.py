"""The test suite: fast hashing, the database from DATABASE_URL (SQLite by default)."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret-00000000000000000000000000000000"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "test-media" / str(os.getpid())  # noqa: F405
LANGUAGE_CODE = "zh-hans"
# The suite's stand-in group robot (tests/webhook_server.py) listens on the loopback over
# http, as an office's intranet robot would be listed; the SSRF tests clear this list.
PORTAL["WEBHOOK_ALLOWED_HOSTS"] = ["127.0.0.1"]  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: tests that start a real Celery worker process share it.
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")}  # noqa: F405

# Parallel test workers (pytest-xdist) each get a Redis database of their own, so one
# worker's Celery queues and keys never meet another's, nor those of the suite running
# beside it on the other database engine (SQLite on 1-7, PostgreSQL on 8-14). Written back
# to the environment so the worker and web processes a test starts use the same one,
# unless the test names another broker for them.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and "PORTAL_TEST_REDIS_DB" not in os.environ:
    _base = 1 if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else 8  # noqa: F405
    os.environ["PORTAL_TEST_REDIS_DB"] = str(_base + int(_worker[2:]) % 7)
    REDIS_URL = os.environ["REDIS_URL"] = f"{REDIS_URL.rsplit('/', 1)[0]}/{os.environ['PORTAL_TEST_REDIS_DB']}"  # noqa: F405
    CELERY_BROKER_URL = REDIS_URL
