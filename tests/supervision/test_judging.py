"""The suggested rating and the bulletin's rules, as plain Python."""

from datetime import date, timedelta

import pytest

from supervision.judging import (
    DepartmentRecord,
    TaskFacts,
    expected_progress,
    overdue_days,
    propose_verdicts,
    suggest_rating,
)

TODAY = date(2026, 11, 21)


def facts(**changes) -> TaskFacts:
    values = dict(
        status="in_progress",
        progress=50,
        deadline=TODAY + timedelta(days=60),
        start=TODAY - timedelta(days=60),
        completed_on=None,
        milestones_missed=0,
        indicators_behind=0,
        has_accepted_report=True,
    )
    values.update(changes)
    return TaskFacts(**values)


@pytest.mark.parametrize(
    ("changes", "rating"),
    [
        ({}, "on_track"),
        ({"status": "completed", "completed_on": TODAY - timedelta(days=1), "deadline": TODAY}, "on_time"),
        ({"status": "completed", "completed_on": TODAY, "deadline": TODAY - timedelta(days=9)}, "behind"),
        ({"status": "completed", "completed_on": TODAY, "deadline": None}, "on_time"),
        ({"deadline": TODAY - timedelta(days=1)}, "overdue"),
        ({"status": "suspended", "deadline": TODAY - timedelta(days=3)}, "overdue"),
        ({"status": "assigned"}, "not_started"),
        ({"progress": 0, "has_accepted_report": False}, "not_started"),
        ({"milestones_missed": 1}, "behind"),
        ({"indicators_behind": 2}, "behind"),
        ({"status": "suspended"}, "behind"),
        ({"progress": 20}, "behind"),  # half the time gone, a fifth done: more than 25 points behind
        ({"progress": 30}, "on_track"),  # 20 points behind is within a month's reporting lag
        ({"start": None, "progress": 5}, "on_track"),  # without a start date there is no schedule to trail
    ],
)
def test_suggested_rating(changes, rating):
    assert suggest_rating(facts(**changes), TODAY) == rating


def test_overdue_days_count_to_today_while_open_and_to_completion_once_closed():
    assert overdue_days(facts(deadline=TODAY - timedelta(days=45)), TODAY) == 45
    closed_late = facts(
        status="completed", deadline=TODAY - timedelta(days=45), completed_on=TODAY - timedelta(days=40)
    )
    assert overdue_days(closed_late, TODAY) == 5
    assert overdue_days(facts(status="cancelled", deadline=TODAY - timedelta(days=45)), TODAY) == 0
    assert overdue_days(facts(deadline=None), TODAY) == 0


def test_expected_progress_is_the_share_of_time_gone():
    assert expected_progress(facts(), TODAY) == 50
    assert expected_progress(facts(deadline=TODAY - timedelta(days=1)), TODAY) == 100
    assert expected_progress(facts(start=TODAY + timedelta(days=200)), TODAY) is None


def record(department_id, name, ratings, overdue=()):
    return DepartmentRecord(department_id, name, list(ratings), list(overdue))


def test_rules_commend_all_good_and_criticise_long_overdue():
    records = [
        record(1, "甲", ["on_time", "on_track"]),
        record(2, "乙", ["on_time"]),  # too few tasks to be commended
        record(3, "丙", ["overdue", "on_time"], [("任务一", 31)]),
        record(4, "丁", ["overdue"], [("任务二", 30)]),  # not more than 30 days
        record(5, "戊", ["on_track", "behind"]),
    ]
    proposals = {p.department_id: p for p in propose_verdicts(records, commend_min_tasks=2, criticise_overdue_days=30)}
    assert {k: p.verdict for k, p in proposals.items()} == {1: "commend", 3: "criticise"}
    assert proposals[1].reason == "牵头的2项任务全部按期推进，其中1项按期完成"
    assert proposals[3].reason == "牵头的“任务一”逾期31天"


def test_a_criticised_department_lists_its_worst_three_and_is_never_commended():
    overdue = [(f"任务{n}", 40 + n) for n in range(5)]
    (proposal,) = propose_verdicts(
        [record(1, "甲", ["overdue"] * 5, overdue)], commend_min_tasks=1, criticise_overdue_days=30
    )
    assert proposal.verdict == "criticise"
    assert proposal.reason == "牵头的“任务4”逾期44天、“任务3”逾期43天、“任务2”逾期42天等5项任务"


def test_the_rules_are_configurable():
    records = [record(1, "甲", ["on_time"]), record(2, "乙", ["overdue"], [("任务", 10)])]
    strict = propose_verdicts(records, commend_min_tasks=2, criticise_overdue_days=30)
    lenient = propose_verdicts(records, commend_min_tasks=1, criticise_overdue_days=7)
    assert strict == []
    assert {(p.department_id, p.verdict) for p in lenient} == {(1, "commend"), (2, "criticise")}
