import io
import os
from contextlib import contextmanager
from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import TransactionTestCase

from departments.models import Department
from tests import seed_world
from tests.seed_world import DEMO_PASSWORD, SEEDED_AT, SHANGHAI

# The suite never reads the real calendar. The seed world is built on SEEDED_AT, and every
# test runs on TODAY (a Monday in the middle of a month, before the report due day) unless it
# states its own day with @pytest.mark.time_machine(...). The clock ticks from there, so
# timeouts and throttles behave; only the date is pinned.
TODAY = datetime(2026, 11, 16, 10, 0, tzinfo=SHANGHAI)
__all__ = ["DEMO_PASSWORD", "SEEDED_AT", "SHANGHAI", "TODAY"]


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """Every test database starts with the registry, the five seed plans and the demo
    accounts (tests/seed_world.py); each test's changes are rolled back. Copied from the
    template `scripts/test.sh` built (PORTAL_TEST_TEMPLATE), else built here."""
    from django.test.utils import setup_databases, teardown_databases

    template = os.environ.get("PORTAL_TEST_TEMPLATE")
    with django_db_blocker.unblock():
        if template:
            clone = seed_world.clone(template, f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}")
        else:
            databases = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
            seed_world.load()
        seed_world.reload.keep()
    yield
    with django_db_blocker.unblock():
        if template:
            seed_world.drop(clone)
        else:
            teardown_databases(databases, verbosity=0)


def _seed_world_back(self) -> None:
    """After a transactional test (a live server's, a real worker's), the seed world again,
    exactly as the process copied it, where Django would empty every table (`flush`). So
    every test starts from the seed world, whatever ran before it. On PostgreSQL the flush
    took 0.35 s idle and 3-4 s under the suite's load, and the next test then reloaded the
    world (0.9 s idle); putting back the world's rows takes 0.14 s idle (seed_world.reload)."""
    seed_world.reload()


TransactionTestCase._fixture_teardown = _seed_world_back


@pytest.fixture(autouse=True)
def pinned_clock(request):
    """Today is TODAY, whatever the real date, or the day a test names with
    @pytest.mark.time_machine(...). Autouse, so the clock is set before any other
    fixture of the test builds data."""
    marker = request.node.get_closest_marker("time_machine")
    destination = marker.args[0] if marker else TODAY
    with time_machine.travel(destination, tick=marker.kwargs.get("tick", True) if marker else True):
        yield


# The days that break date arithmetic. A test that asks for `calendar_day` runs on each of
# them, whatever the real date: the middle of a month; the day after the report due day
# (the 25th); the last day of a month; 31 December and 1 January; 29 February 2028; a day
# inside the National Day holiday (1-7 October).
CALENDAR_DAYS = {
    "mid-month": datetime(2026, 12, 15, 10, 0, tzinfo=SHANGHAI),
    "day-after-due": datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI),
    "month-end": datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI),
    "new-years-eve": datetime(2026, 12, 31, 10, 0, tzinfo=SHANGHAI),
    "new-year": datetime(2027, 1, 1, 10, 0, tzinfo=SHANGHAI),
    "leap-day": datetime(2028, 2, 29, 10, 0, tzinfo=SHANGHAI),
    "national-day-holiday": datetime(2027, 10, 4, 10, 0, tzinfo=SHANGHAI),
}


@pytest.fixture(params=list(CALENDAR_DAYS.values()), ids=list(CALENDAR_DAYS))
def calendar_day(request):
    """Today is each of CALENDAR_DAYS in turn; ask for it before fixtures that build data."""
    with time_machine.travel(request.param, tick=True):
        yield request.param.date()


@pytest.fixture
def seeds_given_out_in_october(db):
    """The seed world gives its tasks out the day it is loaded (16 November), so they owe
    reports from December (tasks.obligations). Tests about November's report, its due day
    and what follows it use tasks given out before November."""
    from tasks.models import Task

    Task.objects.exclude(assigned_on=None).update(assigned_on=date(2026, 10, 1))


def demo_users_ensure() -> None:
    """The demo accounts. The seed world every test starts from has them; they are made here
    only for a database without them."""
    if not get_user_model().objects.filter(username="admin").exists():
        call_command("create_demo_users", password=DEMO_PASSWORD, stdout=io.StringIO())


@pytest.fixture
def demo_users(db):
    """The demo accounts (demo_users_ensure)."""
    demo_users_ensure()


@contextmanager
def built_once_for_the_module(django_db_blocker):
    """An open transaction for objects a module builds once and all its tests share, rolled
    back when the module is done. Each test's `db` fixture runs the test in a savepoint inside
    it and rolls that back, so every test still finds the objects as they were built. Build
    them under `time_machine.travel(TODAY, tick=True)`: a module fixture runs before
    pinned_clock. Hand tests primary keys, not instances, so none sees another's changes."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_users_ensure()
        yield
        transaction.set_rollback(True)


@contextmanager
def kept_for_module(django_db_blocker, build, day=TODAY):
    """built_once_for_the_module, for objects `build()` makes with the clock at `day`;
    yields what it returned."""
    with built_once_for_the_module(django_db_blocker):
        with time_machine.travel(day, tick=True):
            built = build()
        yield built


@pytest.fixture
def login(client, demo_users):
    """A client signed in as one of the demo accounts."""

    def sign_in(username: str):
        assert client.login(username=username, password=DEMO_PASSWORD)
        return client

    return sign_in


@pytest.fixture
def dept():
    """A registered department by any of its names."""

    def resolve(name: str) -> Department:
        department = Department.objects.resolve(name)
        assert department is not None, name
        return department

    return resolve


@pytest.fixture
def celery_worker_thread(settings):
    """A real Celery worker, in a thread, on the Redis the suite runs with."""
    from celery.contrib.testing.worker import start_worker

    from reform_portal.celery import app

    app.conf.broker_url = settings.REDIS_URL
    app.conf.task_always_eager = False
    # Earlier tests in this process may have left messages no worker took, about rows that
    # are gone with their transactions: the worker starts on an empty queue.
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield app


# Module-scoped fixtures that each process may as well make for itself.
CHEAP_IN_EACH_PROCESS = {"chromium"}


def pytest_collection_modifyitems(items):
    """Tests that share what their module built once (a module-scoped fixture, such as
    kept_for_module's generated tasks) go to one process together: `make test` runs with
    --dist loadgroup, which otherwise hands tests out one by one and so had each of three
    processes build the module's data (up to 7 s each). The others still go out one by one.
    A module fixture's tests all use the database without being transactional, so a group
    keeps pytest-django's order: database tests, then transactional ones, then the rest.

    Chromium, module-scoped too, starts in a second: the browser tests, the longest of the
    suite and all transactional (so all at its end), go out one by one rather than a
    module's worth to one process while the others wait."""
    for item in items:
        definitions = getattr(item, "_fixtureinfo", None)
        if definitions is None:
            continue
        shared = any(
            fixture.scope == "module" and name not in CHEAP_IN_EACH_PROCESS
            for name, fixtures in definitions.name2fixturedefs.items()
            for fixture in fixtures
        )
        if shared:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
