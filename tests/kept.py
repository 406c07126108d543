"""Data built once for a module's tests instead of once per test.

The data is written in a transaction that stays open while the module's tests run; each
test's own transaction nests in it as a savepoint and is rolled back after the test, so every
test starts from the same data, and the module's transaction is rolled back after its last
test. Only for tests whose writes roll back (pytest.mark.django_db without transaction=True)."""

from contextlib import contextmanager

import time_machine
from django.db import transaction


@contextmanager
def kept_for_module(django_db_blocker, build, day):
    """Yields what `build()` returned, having run it with the clock at `day`."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(day, tick=True):
            built = build()
        yield built
        transaction.set_rollback(True)
