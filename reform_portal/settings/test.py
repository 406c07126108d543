"""The test suite: fast hashing, the database from DATABASE_URL (SQLite by default)."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret-00000000000000000000000000000000"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / str(os.getpid())  # noqa: F405
LANGUAGE_CODE = "zh-hans"
