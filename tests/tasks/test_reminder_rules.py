from datetime import date, timedelta

import pytest

from tasks.reminders.rules import Schedule, deadlines_due, due_today, report_reminders_due, reports_late

TODAY = date(2026, 11, 23)
DEFAULT = Schedule()


@pytest.mark.parametrize(
    ("days_left", "rules"),
    [
        (8, []),
        (7, ["before:7"]),
        (3, ["before:3"]),
        (1, ["before:1"]),
        (0, ["before:0"]),
        (-1, ["overdue:1"]),
        (-2, []),
        (-4, ["overdue:4"]),
        (-7, ["overdue:7", "escalate:head"]),
        (-13, ["overdue:13"]),
        (-14, ["escalate:office"]),
        (-400, []),
    ],
)
def test_what_a_deadline_calls_for(days_left, rules):
    assert [d.rule for d in due_today(TODAY + timedelta(days=days_left), TODAY, DEFAULT)] == rules


def test_audiences():
    assert due_today(TODAY + timedelta(days=3), TODAY, DEFAULT)[0].audience == ("lead", "cooperating")
    assert due_today(TODAY - timedelta(days=1), TODAY, DEFAULT)[0].audience == ("lead",)
    assert due_today(TODAY - timedelta(days=14), TODAY, DEFAULT)[0].audience == ("office",)


def test_the_dates_the_sweep_asks_for_are_exactly_those_that_call_for_something():
    asked = set(deadlines_due(TODAY, DEFAULT))
    for offset in range(-500, 30):
        day = TODAY + timedelta(days=offset)
        assert (day in asked) == bool(due_today(day, TODAY, DEFAULT)), offset


def test_a_configured_schedule():
    schedule = Schedule(before=(5,), overdue_every=2, escalate_head_after=3, escalate_office_after=5)
    assert [d.rule for d in due_today(TODAY + timedelta(days=5), TODAY, schedule)] == ["before:5"]
    assert [d.rule for d in due_today(TODAY - timedelta(days=3), TODAY, schedule)] == ["overdue:3", "escalate:head"]


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 11, 25), []),  # the due day itself: still time
        (date(2026, 11, 26), [("monthly", date(2026, 11, 1), "report:monthly")]),
        (date(2026, 11, 27), []),
        (date(2026, 11, 29), [("monthly", date(2026, 11, 1), "report-again:monthly")]),
        # December closes the fourth quarter too.
        (
            date(2026, 12, 26),
            [("monthly", date(2026, 12, 1), "report:monthly"), ("quarterly", date(2026, 10, 1), "report:quarterly")],
        ),
        (date(2026, 10, 26), [("monthly", date(2026, 10, 1), "report:monthly")]),
    ],
)
def test_report_reminders_fall_the_day_after_the_due_day_and_again(today, due):
    found = [(d.cycle, d.period, d.rule) for d in report_reminders_due(today, due_day=25, again_after=3)]
    assert found == due


def test_a_late_reminder_again_may_fall_in_the_next_period():
    """Due on the 28th, reminded again five days on: in the first days of the next month."""
    (again,) = report_reminders_due(date(2026, 12, 4), due_day=28, again_after=5)
    assert (again.period, again.due, again.rule) == (date(2026, 11, 1), date(2026, 11, 28), "report-again:monthly")


def test_which_reports_are_late():
    assert reports_late(date(2026, 11, 25), 25) == []
    assert reports_late(date(2026, 11, 26), 25) == [("monthly", date(2026, 11, 1))]
    assert reports_late(date(2026, 3, 31), 25) == [("monthly", date(2026, 3, 1)), ("quarterly", date(2026, 1, 1))]
