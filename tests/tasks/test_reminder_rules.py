from datetime import date, timedelta

import pytest

from reminders.schedule import Kind, Rule, Schedule, deadlines_due, due_today, report_reminders_due
from tasks.cycles import reports_late

TODAY = date(2026, 11, 23)
DEFAULT = Schedule()


@pytest.mark.parametrize(
    ("days_left", "rules"),
    [
        (8, []),
        (7, [Rule(Kind.BEFORE, 7)]),
        (3, [Rule(Kind.BEFORE, 3)]),
        (1, [Rule(Kind.BEFORE, 1)]),
        (0, [Rule(Kind.BEFORE, 0)]),
        (-1, [Rule(Kind.OVERDUE, 1)]),
        (-2, []),
        (-4, [Rule(Kind.OVERDUE, 4)]),
        # The escalations count working days overdue (issue 20): TODAY is a Monday, so a week
        # late is only 5 working days; 7 working days late is the Thursday before last, and
        # 14 working days the Tuesday three weeks back (they were -7 and -14 calendar days).
        (-7, [Rule(Kind.OVERDUE, 7)]),
        (-11, [Rule(Kind.ESCALATE_HEAD)]),
        (-13, [Rule(Kind.OVERDUE, 13)]),
        (-14, []),
        (-20, [Rule(Kind.ESCALATE_OFFICE)]),
        (-400, []),
    ],
)
def test_what_a_deadline_calls_for(days_left, rules):
    assert [d.rule for d in due_today(TODAY + timedelta(days=days_left), TODAY, DEFAULT)] == rules


def test_audiences():
    assert due_today(TODAY + timedelta(days=3), TODAY, DEFAULT)[0].audience == ("lead", "cooperating")
    assert due_today(TODAY - timedelta(days=1), TODAY, DEFAULT)[0].audience == ("lead",)
    assert due_today(TODAY - timedelta(days=20), TODAY, DEFAULT)[0].audience == ("office",)  # 14 working days


def test_the_dates_the_sweep_asks_for_are_exactly_those_that_call_for_something():
    asked = set(deadlines_due(TODAY, DEFAULT))
    for offset in range(-500, 30):
        day = TODAY + timedelta(days=offset)
        assert (day in asked) == bool(due_today(day, TODAY, DEFAULT)), offset


def test_a_configured_schedule():
    schedule = Schedule(before=(5,), overdue_every=2, escalate_head_after=3, escalate_office_after=5)
    assert [d.rule for d in due_today(TODAY + timedelta(days=5), TODAY, schedule)] == [Rule(Kind.BEFORE, 5)]
    # 3 and 5 working days back from a Monday are Wednesday and Monday (a weekend between).
    assert [d.rule for d in due_today(TODAY - timedelta(days=3), TODAY, schedule)] == [Rule(Kind.OVERDUE, 3)]
    assert [d.rule for d in due_today(TODAY - timedelta(days=5), TODAY, schedule)] == [
        Rule(Kind.OVERDUE, 5),
        Rule(Kind.ESCALATE_HEAD),
    ]
    assert [d.rule for d in due_today(TODAY - timedelta(days=7), TODAY, schedule)] == [
        Rule(Kind.OVERDUE, 7),
        Rule(Kind.ESCALATE_OFFICE),
    ]


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 11, 25), []),  # the due day itself: still time
        (date(2026, 11, 26), [("monthly", date(2026, 11, 1), Rule(Kind.REPORT, cycle="monthly"))]),
        (date(2026, 11, 27), []),
        (date(2026, 11, 29), [("monthly", date(2026, 11, 1), Rule(Kind.REPORT_AGAIN, cycle="monthly"))]),
        # December closes the fourth quarter too.
        (
            date(2026, 12, 26),
            [
                ("monthly", date(2026, 12, 1), Rule(Kind.REPORT, cycle="monthly")),
                ("quarterly", date(2026, 10, 1), Rule(Kind.REPORT, cycle="quarterly")),
            ],
        ),
        (date(2026, 10, 26), [("monthly", date(2026, 10, 1), Rule(Kind.REPORT, cycle="monthly"))]),
    ],
)
def test_report_reminders_fall_the_day_after_the_due_day_and_again(today, due):
    found = [(d.cycle, d.period, d.rule) for d in report_reminders_due(today, due_day=25, again_after=3)]
    assert found == due


def test_a_late_reminder_again_may_fall_in_the_next_period():
    """Due on the 28th, reminded again five days on: in the first days of the next month."""
    (again,) = report_reminders_due(date(2026, 12, 4), due_day=28, again_after=5)
    assert (again.period, again.due, again.rule) == (
        date(2026, 11, 1),
        date(2026, 11, 28),
        Rule(Kind.REPORT_AGAIN, cycle="monthly"),
    )


def test_which_reports_are_late():
    assert reports_late(date(2026, 11, 25), 25) == []
    assert reports_late(date(2026, 11, 26), 25) == [("monthly", date(2026, 11, 1))]
    assert reports_late(date(2026, 3, 31), 25) == [("monthly", date(2026, 3, 1)), ("quarterly", date(2026, 1, 1))]


def _rules(deadline: date, today: date, schedule: Schedule = DEFAULT) -> list[Rule]:
    return [d.rule for d in due_today(deadline, today, schedule)]


def test_a_before_reminder_on_a_weekend_comes_on_the_friday_before():
    saturday = date(2026, 11, 28)
    # before:0 (Saturday) and before:1 (Friday) are one reminder on the Friday, 1 day left.
    assert _rules(saturday, date(2026, 11, 27)) == [Rule(Kind.BEFORE, 1)]
    assert _rules(saturday, date(2026, 11, 25)) == [Rule(Kind.BEFORE, 3)]
    # before:7 falls on Saturday the 21st: it comes on Friday the 20th, 8 days left.
    assert _rules(saturday, date(2026, 11, 20)) == [Rule(Kind.BEFORE, 8)]
    assert _rules(saturday, date(2026, 11, 21)) == []
    assert _rules(saturday, date(2026, 11, 28)) == []


def test_before_reminders_across_the_national_day_holiday():
    # 2026: 1-7 October off, Saturday 10 October worked (调休).
    monday_after = date(2026, 10, 12)
    assert _rules(monday_after, date(2026, 9, 30)) == [Rule(Kind.BEFORE, 12)]  # before:7 was 5 October
    assert _rules(monday_after, date(2026, 10, 5)) == []
    assert _rules(monday_after, date(2026, 10, 9)) == [Rule(Kind.BEFORE, 3)]
    # before:1 is Sunday the 11th: it comes on the 调休 Saturday, a working day.
    assert _rules(monday_after, date(2026, 10, 10)) == [Rule(Kind.BEFORE, 2)]
    assert _rules(monday_after, date(2026, 10, 11)) == []
    assert _rules(monday_after, date(2026, 10, 12)) == [Rule(Kind.BEFORE, 0)]
    # A deadline inside the holiday: before:0, 1 and 3 all come on the last day before it.
    in_holiday = date(2026, 10, 5)
    assert _rules(in_holiday, date(2026, 9, 30)) == [Rule(Kind.BEFORE, 5)]
    assert _rules(in_holiday, date(2026, 9, 28)) == [Rule(Kind.BEFORE, 7)]
    before = [day for day in _days(date(2026, 9, 20), date(2026, 10, 5)) if _rules(in_holiday, day)]
    assert before == [
        date(2026, 9, 28),
        date(2026, 9, 30),
    ]


def test_escalations_count_working_days_across_the_holiday():
    deadline = date(2026, 9, 29)  # working days after: 9-30, 10-8, 10-9, 10-10 (调休), 10-12, 10-13, 10-14
    escalated = [
        day for day in _days(deadline, date(2026, 11, 10)) if Rule(Kind.ESCALATE_HEAD) in _rules(deadline, day)
    ]
    assert escalated == [date(2026, 10, 14)]
    assert Rule(Kind.ESCALATE_HEAD) not in _rules(deadline, date(2026, 10, 6))  # 7 calendar days: a holiday


def test_the_offices_own_calendar_wins():
    # The office takes Friday 27 November off (a local holiday): Saturday's before:0 and
    # before:1 come on the Thursday; escalations skip the Friday.
    schedule = Schedule(overrides={date(2026, 11, 27): False})
    assert _rules(date(2026, 11, 28), date(2026, 11, 27), schedule) == []
    assert _rules(date(2026, 11, 28), date(2026, 11, 26), schedule) == [Rule(Kind.BEFORE, 2)]
    assert _rules(date(2026, 11, 18), date(2026, 11, 27), schedule) == []
    assert _rules(date(2026, 11, 18), date(2026, 11, 30), schedule) == [Rule(Kind.ESCALATE_HEAD)]
    assert _rules(date(2026, 11, 18), date(2026, 11, 27)) == [Rule(Kind.ESCALATE_HEAD)]  # without it: 7 working days


HOLIDAY_DAYS = [date(2026, 9, 30), date(2026, 10, 3), date(2026, 10, 10), date(2026, 10, 11), date(2026, 11, 27)]
OFFICE_CALENDAR = Schedule(overrides={date(2026, 11, 27): False, date(2026, 10, 3): True})


@pytest.mark.parametrize("today", [*HOLIDAY_DAYS, date(2026, 11, 28)])
@pytest.mark.parametrize("schedule", [DEFAULT, OFFICE_CALENDAR])
def test_the_dates_asked_for_match_the_rules_around_holidays(today, schedule):
    asked = set(deadlines_due(today, schedule))
    for day in _days(today - timedelta(days=400), today + timedelta(days=30)):
        assert (day in asked) == bool(due_today(day, today, schedule)), day


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def test_a_rule_is_a_value_whose_numbers_fit_its_kind():
    assert Rule(Kind.BEFORE, 3) == Rule("before", 3) and Rule(Kind.BEFORE, 3) != Rule(Kind.OVERDUE, 3)
    for wrong in ((Kind.BEFORE,), (Kind.ESCALATE_HEAD, 2), (Kind.REPORT,), (Kind.OVERDUE, 1, "monthly")):
        with pytest.raises(ValueError):
            Rule(*wrong)
    assert Rule(Kind.BEFORE, 3).phrase(date(2026, 11, 26)) == "还有3天到期（2026-11-26）"
    assert Rule(Kind.BEFORE, 0).phrase(date(2026, 11, 26)) == "今天到期（时限2026-11-26）"
    assert str(Rule(Kind.REPORT_AGAIN, cycle="quarterly")) == "报送再次提醒（季度）"
