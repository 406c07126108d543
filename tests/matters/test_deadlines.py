"""Deadlines in working days on the official calendar: across the 2026 National Day holiday
and its 调休 Saturday, and on the office's own table for a year the package does not know."""

from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model

from matters.choices import InstructionKind, MeetingKind
from matters.services import ItemInput, instruction_register, meeting_register
from matters.services.deadlines import add_months
from tasks.models import CalendarDay
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.django_db


def register(dept, today):
    return instruction_register(
        by=get_user_model().objects.get(username="office"),
        leader_name="王区长",
        instructed_on=today,
        content="请研究落实。",
        kind=InstructionKind.HANDLE,
        item=ItemInput(title="研究落实", leads=[dept("区编委办")]),
    )


@pytest.mark.time_machine(datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI))
def test_five_working_days_from_before_national_day_end_on_the_adjusted_saturday(demo_users, dept):
    # Given out Monday 28 September: 29, 30 September; 1-7 October off; 8, 9 October;
    # Saturday 10 October is worked (调休) and is the fifth working day.
    instruction = register(dept, date(2026, 9, 28))
    assert instruction.feedback_due == date(2026, 10, 10)
    # 20 working days: the count goes on from the Saturday to Friday 30 October.
    assert instruction.task.deadline == date(2026, 10, 30)


@pytest.mark.time_machine(datetime(2026, 9, 18, 10, 0, tzinfo=SHANGHAI))
def test_the_mid_autumn_adjusted_sunday_counts_and_the_holiday_does_not(demo_users, dept):
    # Friday 18 September: Sunday 20 September is worked; Friday 25 September (中秋) is not.
    instruction = register(dept, date(2026, 9, 18))
    assert instruction.feedback_due == date(2026, 9, 24)  # 20, 21, 22, 23, 24


@pytest.mark.time_machine(datetime(2027, 9, 29, 10, 0, tzinfo=SHANGHAI))
def test_a_year_the_package_does_not_know_uses_the_offices_table(demo_users, dept):
    for day in (1, 4, 5, 6, 7):
        CalendarDay.objects.create(day=date(2027, 10, day), working=False, name="国庆节")
    CalendarDay.objects.create(day=date(2027, 10, 9), working=True, name="国庆节调休上班")
    meeting = meeting_register(
        by=get_user_model().objects.get(username="office"),
        name="主任办公会",
        kind=MeetingKind.DIRECTOR,
        held_on=date(2027, 9, 28),
        items=[ItemInput(title="落实", leads=[dept("区发改委")])],
    )
    # 15 working days from Wednesday 29 September 2027: 30 Sep, 8, 9(Sat), 11-15, 18-22, 25, 26.
    assert meeting.items.get().task.deadline == date(2027, 10, 26)


def test_three_months_from_the_last_days_of_a_month():
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
