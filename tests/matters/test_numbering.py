"""督办编号 under concurrency: consecutive, never twice, a failed registration gives its
number back. On SQLite the threads queue on its one writer; on PostgreSQL on the row lock."""

import threading

import pytest
from django.db import connection, transaction

from matters.models import CodeSequence
from matters.services import code_next
from tasks.choices import TaskSource


@pytest.mark.django_db(transaction=True)
def test_numbers_taken_at_once_by_many_are_consecutive_and_all_different():
    taken, errors = [], []
    start = threading.Barrier(8)

    def take():
        try:
            start.wait()
            with transaction.atomic():
                taken.append(code_next(source=TaskSource.MEETING, year=2031))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(taken, key=lambda code: int(code[7:-1])) == [f"会〔2031〕{n}号" for n in range(1, 9)]


@pytest.mark.django_db
def test_a_rolled_back_registration_gives_its_number_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        code_next(source=TaskSource.PROPOSAL, year=2031)
        raise RuntimeError
    assert code_next(source=TaskSource.PROPOSAL, year=2031) == "建〔2031〕1号"
    assert CodeSequence.objects.get(source=TaskSource.PROPOSAL, year=2031).last == 1


@pytest.mark.django_db
def test_the_format_is_a_setting(settings):
    settings.PORTAL = settings.PORTAL | {"MATTER_CODES": {"instruction": "区批〔{year}〕第{number:03d}号"}}
    assert code_next(source=TaskSource.INSTRUCTION, year=2031) == "区批〔2031〕第001号"
