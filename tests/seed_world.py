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


class Reload:
    """The seed world again, for a transactional test (a live server's): the test before it
    may have emptied the database. Loading it through the services took 16 s on a busy 2-core
    machine, copying its rows back 0.2 s. So each test process keeps the world's rows as it
    found them, right after copying the template (`keep`), and puts back exactly those rows:
    the registry, the seeds, the demo accounts and what the migrations themselves wrote."""

    def __init__(self):
        # {table: (columns, rows)} of the world as the process found it.
        self.rows: dict[str, tuple[list[str], list[tuple]]] | None = None

    def keep(self) -> None:
        self.rows = _rows_copy()

    def __call__(self) -> None:
        from django.contrib.contenttypes.models import ContentType

        if self.rows is None:
            # A process that never set up the test database (a helper script): load as the
            # template does, then keep that.
            load()
            self.keep()
            return
        _rows_replace(self.rows)
        # Content types came back with the copy's keys, not those post_migrate gave them.
        ContentType.objects.clear_cache()


def _filled_tables() -> set[str]:
    from django.db import connection

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        filled = set()
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            if cursor.fetchone():
                filled.add(table)
    return filled


# Kept by triggers from other tables, in an order the copy does not follow (tasks go in
# before their plans): written afresh from the tasks after the copy instead.
DERIVED = {"tasks_tasktally", "tasks_departmenttally"}


def _rows_copy() -> dict[str, tuple[list[str], list[tuple]]]:
    from django.db import connection

    quote = connection.ops.quote_name
    copied = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            if table in DERIVED:
                continue
            cursor.execute(f"SELECT * FROM {quote(table)}")
            rows = cursor.fetchall()
            if rows:
                copied[table] = ([column[0] for column in cursor.description], rows)
    return copied


def _referencing_first(tables) -> list[str]:
    """The tables, each before those its foreign keys point to. Django checks foreign keys at
    commit (DEFERRABLE INITIALLY DEFERRED on both engines), but a trigger checks at once that
    a task out of draft has its lead (tasks/migrations/0002): the assignment goes in first."""
    from django.apps import apps

    referenced = {
        model._meta.db_table: {
            field.related_model._meta.db_table
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is not model
        }
        for model in apps.get_models(include_auto_created=True)
    }
    left, ordered = list(tables), []
    while left:
        # A table no other table left points to; in a cycle, any of them.
        free = [t for t in left if not any(t in referenced.get(other, ()) for other in left if other != t)]
        table = (free or left)[0]
        ordered.append(table)
        left.remove(table)
    return ordered


def _rows_replace(copied: dict[str, tuple[list[str], list[tuple]]]) -> None:
    """Empty the tables and insert the copied rows, keys and all. Sequences need no reset:
    emptying does not rewind them, so they are past every copied key already."""
    from django.db import connection, transaction

    from tasks.facts import department_tally_rebuild, tally_rebuild

    quote = connection.ops.quote_name
    # As many rows a statement as the engine takes parameters: PostgreSQL's statement-level
    # triggers (tasks/migrations) run once per INSERT, and once per row they took 0.9 s a reload.
    parameters = connection.features.max_query_params or 65535
    with transaction.atomic(), connection.cursor() as cursor:
        for table in _filled_tables():
            cursor.execute(f"DELETE FROM {quote(table)}")
        for table in _referencing_first(copied):
            columns, rows = copied[table]
            names = ", ".join(quote(column) for column in columns)
            row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
            step = max(1, parameters // len(columns))
            for start in range(0, len(rows), step):
                chunk = rows[start : start + step]
                values = ", ".join([row_marks] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {quote(table)} ({names}) VALUES {values}",
                    [value for row in chunk for value in row],
                )
        tally_rebuild()
        department_tally_rebuild()


reload = Reload()


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
