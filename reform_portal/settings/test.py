"""The test suite: fast hashing, the database from DATABASE_URL (SQLite by default)."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret-00000000000000000000000000000000"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "test-media" / str(os.getpid())  # noqa: F405
LANGUAGE_CODE = "zh-hans"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: tests that start a real Celery worker process share it.
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")}  # noqa: F405
