"""The database every test starts from: migrated, with the registry, the five seed plans and the
demo accounts, built on a pinned day.

Building it takes most of a test process's start (migrations and seeds: ~15 s on PostgreSQL).
`scripts/test.sh` builds it once per database engine as a template (`python -m tests.seed_world`)
and every xdist worker copies it (a file copy on SQLite, CREATE DATABASE … TEMPLATE on
PostgreSQL); a plain `pytest` run without the template builds its own, as before."""

import io
import os
import shutil
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEEDED_AT = datetime(2026, 11, 16, 8, 0, tzinfo=SHANGHAI)
DEMO_PASSWORD = "demo-pass-2026"


def load() -> None:
    """The seeds and the demo accounts, into the database Django is connected to."""
    import time_machine
    from django.core.management import call_command

    with time_machine.travel(SEEDED_AT, tick=False):
        call_command("load_seed_plans", verbosity=0, stdout=io.StringIO())
        call_command("create_demo_users", password=DEMO_PASSWORD, stdout=io.StringIO())


def build_template() -> str:
    """Create, migrate and seed a test database under a name of its own; return that name."""
    from django.db import connection

    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = f"test_reform_portal_template_{os.getpid()}"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    load()
    connection.close()
    return name


def clone(template: str, suffix: str) -> str:
    """A copy of the template for one test process; returns its name and connects Django to it."""
    from django.db import connection

    if connection.vendor == "sqlite":
        root, ext = os.path.splitext(template)
        target = f"{root}_{suffix}{ext}"
        shutil.copyfile(template, target)
    else:
        target = f"{template}_{suffix}"
        quoted, source = connection.ops.quote_name(target), connection.ops.quote_name(template)
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
            # Another process copying the same template at this moment holds it for a second.
            for attempt in range(60):
                try:
                    cursor.execute(f"CREATE DATABASE {quoted} TEMPLATE {source}")
                    break
                except Exception as error:  # psycopg's ObjectInUse, under Django's wrapper
                    if "being accessed by other users" not in str(error) or attempt == 59:
                        raise
                    time.sleep(0.5)
    connection.close()
    connection.settings_dict["NAME"] = target
    connection.settings_dict["TEST"]["NAME"] = target
    return target


def drop(name: str) -> None:
    from django.db import connection

    connection.close()
    if connection.vendor == "sqlite":
        for path in (name, f"{name}-wal", f"{name}-shm"):
            if os.path.exists(path):
                os.remove(path)
        return
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


if __name__ == "__main__":
    # python -m tests.seed_world          build a template, print its name
    # python -m tests.seed_world --drop N drop it
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform_portal.settings.test")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if sys.argv[1:2] == ["--drop"]:
        drop(sys.argv[2])
    else:
        print(build_template())
