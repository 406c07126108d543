"""A developer's or a demo machine: DEBUG on, an embedded SQLite database."""

import os

from .base import *  # noqa: F403
from .base import PORTAL, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "local-only-not-secret-0000000000000000000000000000"
ALLOWED_HOSTS = ["*"]
PORTAL["DEMO_MODE"] = env_bool("PORTAL_DEMO_MODE", True)
