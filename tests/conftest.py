import io

import pytest
from django.core.management import call_command

from departments.models import Department

DEMO_PASSWORD = "demo-pass-2026"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the registry and the five seed plans."""
    with django_db_blocker.unblock():
        call_command("load_seed_plans", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def demo_users(db):
    call_command("create_demo_users", password=DEMO_PASSWORD, stdout=io.StringIO())


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
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield app
