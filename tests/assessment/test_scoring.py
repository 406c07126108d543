"""Hand-computed examples, one for every rule, on the real database.

The scheme is the default: 分值 10 when a task has none; late: 10% of 分值 a week, at
most 50%; a late or returned report 0.5; a missed milestone 1; findings 按期完成 +1,
进度滞后 −1, 未启动 −2, 已逾期 −2; bulletins 表扬 +2, 通报批评 −3; co-operating
departments carry 20%; approved extensions count (the moved deadline)."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from assessment.choices import ExtensionMode, Rule
from assessment.scoring.engine import Period
from assessment.selectors import live_lines, live_ranking
from supervision.choices import BulletinStatus, Rating
from tasks.choices import ReportStatus, TaskStatus

from . import builders as b

pytestmark = pytest.mark.django_db
YEAR_END = date(2026, 12, 31)
D = Decimal


def lines_of(scheme, department, as_of=YEAR_END):
    """(rule, task, points) in the order of the rules, then of the tasks."""
    found = [(line.rule, line.task_id, line.points) for line in live_lines(Period.of(scheme, as_of), department.pk)]
    return sorted(found, key=lambda line: (Rule.values.index(line[0]), line[1] or 0))


def row_of(scheme, department, as_of=YEAR_END):
    return next(r for r in live_ranking(Period.of(scheme, as_of)) if r.department_id == department.pk)


@pytest.fixture
def world():
    plan = b.plan(2026)
    lead, partner = b.department("甲局"), b.department("乙局")
    return plan, lead, partner


def test_on_time_completion_earns_the_weight_and_the_partner_its_share(world):
    plan, lead, partner = world
    scheme = b.scheme()
    task = b.task(
        plan, lead=lead, cooperating=[partner], weight="15", status=TaskStatus.COMPLETED, completed_on=date(2026, 6, 20)
    )
    assert lines_of(scheme, lead) == [(Rule.ON_TIME, task.pk, D("15.00"))]
    assert lines_of(scheme, partner) == [(Rule.ON_TIME, task.pk, D("3.00"))]  # 15 × 20%


def test_late_completion_earns_the_weight_less_a_part_week_counted_whole(world):
    plan, lead, partner = world
    scheme = b.scheme()
    # 10 days late: 2 weeks × 10% = 20% of 10 = 2; the partner 20% of that.
    task = b.task(
        plan,
        lead=lead,
        cooperating=[partner],
        deadline=date(2026, 3, 31),
        status=TaskStatus.COMPLETED,
        completed_on=date(2026, 4, 10),
    )
    assert lines_of(scheme, lead) == [
        (Rule.COMPLETED_LATE, task.pk, D("10.00")),
        (Rule.LATE_DEDUCTION, task.pk, D("-2.00")),
    ]
    assert lines_of(scheme, partner) == [
        (Rule.COMPLETED_LATE, task.pk, D("2.00")),
        (Rule.LATE_DEDUCTION, task.pk, D("-0.40")),
    ]


def test_exactly_seven_days_late_is_one_week(world):
    plan, lead, _ = world
    scheme = b.scheme(late_percent_per_week=D("12.5"))
    task = b.task(
        plan, lead=lead, deadline=date(2026, 3, 1), status=TaskStatus.COMPLETED, completed_on=date(2026, 3, 8)
    )
    assert (Rule.LATE_DEDUCTION, task.pk, D("-1.25")) in lines_of(scheme, lead)


def test_overdue_and_open_earns_nothing_and_the_deduction_stops_at_the_cap(world):
    plan, lead, _ = world
    scheme = b.scheme()
    # No 分值 on the task: the default 10. 334 days late, 48 weeks, 480% capped at 50%.
    task = b.task(plan, lead=lead, weight=None, deadline=date(2026, 1, 31))
    assert lines_of(scheme, lead) == [(Rule.OVERDUE, task.pk, D("0.00")), (Rule.LATE_DEDUCTION, task.pk, D("-5.00"))]
    # On 14 February the same task is two weeks late.
    assert lines_of(scheme, lead, date(2026, 2, 14)) == [
        (Rule.OVERDUE, task.pk, D("0.00")),
        (Rule.LATE_DEDUCTION, task.pk, D("-2.00")),
    ]


def test_a_task_not_yet_due_earns_its_progress(world):
    plan, lead, partner = world
    scheme = b.scheme()
    task = b.task(plan, lead=lead, cooperating=[partner], weight="5", deadline=date(2027, 6, 30), progress=40)
    assert lines_of(scheme, lead) == [(Rule.IN_PROGRESS, task.pk, D("2.00"))]
    assert lines_of(scheme, partner) == [(Rule.IN_PROGRESS, task.pk, D("0.40"))]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (ExtensionMode.EXTENDED, [(Rule.ON_TIME, D("10.00"))]),
        # Against the plan's 31 May: 45 days, 7 weeks, 70% capped at 50%.
        (ExtensionMode.ORIGINAL, [(Rule.COMPLETED_LATE, D("10.00")), (Rule.LATE_DEDUCTION, D("-5.00"))]),
    ],
)
def test_an_approved_extension_counts_as_the_scheme_says(world, mode, expected):
    plan, lead, _ = world
    scheme = b.scheme(extension_mode=mode)
    task = b.task(
        plan,
        lead=lead,
        original_deadline=date(2026, 5, 31),
        deadline=date(2026, 8, 31),
        status=TaskStatus.COMPLETED,
        completed_on=date(2026, 7, 15),
    )
    assert lines_of(scheme, lead) == [(rule, task.pk, points) for rule, points in expected]


def test_reports_sent_after_the_due_day_and_reports_returned_each_cost_half_a_point(world):
    plan, lead, partner = world
    scheme = b.scheme()
    task = b.task(plan, lead=lead, cooperating=[partner], deadline=date(2027, 6, 30))
    late = b.report(task, lead, period=date(2026, 3, 1), submitted=datetime(2026, 3, 28, 9))
    b.report(task, lead, period=date(2026, 4, 1), submitted=datetime(2026, 4, 25, 23, 30))  # on the day: on time
    returned = b.report(
        task, partner, period=date(2026, 5, 1), submitted=datetime(2026, 5, 10, 9), status=ReportStatus.RETURNED
    )
    b.report(task, lead, period=date(2026, 6, 1), submitted=None, status=ReportStatus.DRAFT)  # never sent: not scored
    # Half past midnight on the 26th in Beijing is still the 25th in UTC: late by the local date.
    after_midnight = b.report(task, lead, period=date(2026, 7, 1), submitted=datetime(2026, 7, 26, 0, 30))
    lead_lines = live_lines(Period.of(scheme, YEAR_END), lead.pk)
    assert [(line.rule, line.points, line.source_id) for line in lead_lines if line.rule == Rule.LATE_REPORT] == [
        (Rule.LATE_REPORT, D("-0.50"), late.pk),
        (Rule.LATE_REPORT, D("-0.50"), after_midnight.pk),
    ]
    assert (Rule.RETURNED_REPORT, task.pk, D("-0.50")) in lines_of(scheme, partner)
    assert [
        line.source_id
        for line in live_lines(Period.of(scheme, YEAR_END), partner.pk)
        if line.rule == Rule.RETURNED_REPORT
    ] == [returned.pk]


def test_a_report_of_a_department_without_a_part_in_the_task_is_not_scored(world):
    plan, lead, partner = world
    scheme = b.scheme()
    task = b.task(plan, lead=lead, deadline=date(2027, 6, 30))
    b.report(task, partner, period=date(2026, 3, 1), submitted=datetime(2026, 3, 28, 9), status=ReportStatus.RETURNED)
    assert lines_of(scheme, partner) == []


def test_a_missed_milestone_costs_each_lead_a_point_and_no_partner(world):
    plan, lead, partner = world
    scheme = b.scheme()
    task = b.task(plan, lead=lead, cooperating=[partner], deadline=date(2027, 6, 30))
    done_late = b.milestone(task, deadline=date(2026, 4, 30), done_on=date(2026, 5, 5))
    b.milestone(task, deadline=date(2026, 2, 28), done_on=date(2026, 2, 20))  # done in time
    never = b.milestone(task, deadline=date(2026, 10, 31), done_on=None)
    b.milestone(task, deadline=date(2027, 3, 31), done_on=None)  # not due in this period
    misses = [line for line in live_lines(Period.of(scheme, YEAR_END), lead.pk) if line.rule == Rule.MISSED_MILESTONE]
    assert sorted((line.source_id, line.points) for line in misses) == [
        (done_late.pk, D("-1.00")),
        (never.pk, D("-1.00")),
    ]
    assert [r for r, _, _ in lines_of(scheme, partner)] == [Rule.IN_PROGRESS]


@pytest.mark.parametrize(
    ("rating", "points"),
    [
        (Rating.ON_TIME, D("1.00")),
        (Rating.BEHIND, D("-1.00")),
        (Rating.NOT_STARTED, D("-2.00")),
        (Rating.OVERDUE, D("-2.00")),
    ],
)
def test_a_confirmed_finding_credits_or_charges_the_lead(world, rating, points):
    plan, lead, partner = world
    scheme = b.scheme()
    task = b.task(plan, lead=lead, cooperating=[partner], deadline=date(2027, 6, 30))
    made = b.finding(b.inspection(), task, rating=rating)
    found = [line for line in live_lines(Period.of(scheme, YEAR_END), lead.pk) if line.rule == Rule.FINDING]
    assert [(line.points, line.source_id) for line in found] == [(points, made.pk)]
    assert Rule.FINDING not in [r for r, _, _ in lines_of(scheme, partner)]


def test_unconfirmed_findings_and_zero_rated_ones_make_no_line(world):
    plan, lead, _ = world
    scheme = b.scheme()
    task = b.task(plan, lead=lead, deadline=date(2027, 6, 30))
    b.finding(b.inspection("一"), task, rating=Rating.OVERDUE, confirmed=None)
    b.finding(b.inspection("二"), task, rating=Rating.ON_TRACK)  # 进展顺利 is worth 0 by default
    assert [r for r, _, _ in lines_of(scheme, lead)] == [Rule.IN_PROGRESS]


def test_issued_bulletins_commend_and_criticise_drafts_and_corrected_versions_do_not(world):
    plan, lead, partner = world
    scheme = b.scheme()
    b.task(plan, lead=lead, cooperating=[partner], deadline=date(2027, 6, 30))
    issued = b.bulletin(b.inspection(), {lead: b.COMMEND, partner: b.CRITICISE})
    b.bulletin(b.inspection(), {lead: b.CRITICISE}, issued=None, status=BulletinStatus.DRAFT)
    b.bulletin(b.inspection(), {lead: b.CRITICISE}, status=BulletinStatus.SUPERSEDED)
    b.bulletin(b.inspection(), {lead: b.CRITICISE}, issued=date(2025, 12, 1))  # last year's
    outsider = b.department("丙局")
    b.bulletin(b.inspection(), {outsider: b.COMMEND})  # no scored task: not ranked
    assert lines_of(scheme, lead) == [
        (Rule.IN_PROGRESS, lines_of(scheme, lead)[0][1], D("0.00")),
        (Rule.COMMENDED, None, D("2.00")),
    ]
    bulletin_lines = [line for line in live_lines(Period.of(scheme, YEAR_END), partner.pk) if line.task_id is None]
    assert [(line.rule, line.points, line.source_id) for line in bulletin_lines] == [
        (Rule.CRITICISED, D("-3.00"), issued.pk)
    ]
    assert outsider.pk not in {r.department_id for r in live_ranking(Period.of(scheme, YEAR_END))}


def test_cancelled_draft_and_other_years_tasks_are_not_scored(world):
    plan, lead, _ = world
    scheme = b.scheme()
    b.task(plan, lead=lead, status=TaskStatus.CANCELLED)
    b.task(b.plan(2025), lead=lead, status=TaskStatus.COMPLETED, completed_on=date(2025, 6, 1))
    draft = b.task(plan, lead=lead)
    from tasks.models import Task

    Task.objects.filter(pk=draft.pk).update(status=TaskStatus.DRAFT)
    assert lines_of(scheme, lead) == []


def test_the_whole_example_sums_and_scales(world):
    """Every rule at once, the figures the README quotes."""
    plan, lead, partner = world
    scheme = b.scheme()
    t1 = b.task(
        plan, lead=lead, cooperating=[partner], weight="15", status=TaskStatus.COMPLETED, completed_on=date(2026, 6, 20)
    )
    t2 = b.task(
        plan,
        lead=lead,
        cooperating=[partner],
        deadline=date(2026, 3, 31),
        status=TaskStatus.COMPLETED,
        completed_on=date(2026, 4, 10),
    )
    b.task(plan, lead=lead, weight=None, deadline=date(2026, 1, 31))
    b.task(plan, lead=lead, weight="5", deadline=date(2027, 6, 30), progress=40)
    b.task(
        plan,
        lead=lead,
        original_deadline=date(2026, 5, 31),
        deadline=date(2026, 8, 31),
        status=TaskStatus.COMPLETED,
        completed_on=date(2026, 7, 15),
    )
    b.report(t1, lead, period=date(2026, 3, 1), submitted=datetime(2026, 3, 28, 9))
    b.report(t1, lead, period=date(2026, 5, 1), submitted=datetime(2026, 5, 10, 9), status=ReportStatus.RETURNED)
    b.milestone(t1, deadline=date(2026, 4, 30), done_on=date(2026, 5, 5))
    b.finding(b.inspection(), t2, rating=Rating.BEHIND)
    b.bulletin(b.inspection(), {lead: b.COMMEND, partner: b.CRITICISE})

    # 甲局: 15 + (10 − 2) + (0 − 5) + 2 + 10 − 0.5 − 0.5 − 1 − 1 + 2 = 29 of 50 → 58.
    row = row_of(scheme, lead)
    assert (row.total, row.full_marks, row.score) == (D("29.00"), D("50.00"), D("58.00"))
    assert sum(line.points for line in live_lines(Period.of(scheme, YEAR_END), lead.pk)) == row.total
    # 乙局: 3 + (2 − 0.4) − 3 = 1.6 of 5 → 32.
    row = row_of(scheme, partner)
    assert (row.total, row.full_marks, row.score) == (D("1.60"), D("5.00"), D("32.00"))
    assert (row_of(scheme, lead).rank, row.rank) == (1, 2)


def test_a_plans_scheme_scores_only_that_plan(world):
    plan, lead, _ = world
    other = b.plan(2026)
    b.task(plan, lead=lead, weight="15", status=TaskStatus.COMPLETED, completed_on=date(2026, 6, 1))
    b.task(other, lead=lead, weight="10", status=TaskStatus.COMPLETED, completed_on=date(2026, 6, 1))
    assert row_of(b.scheme(plan=plan, title="专项"), lead).full_marks == D("15.00")
    assert row_of(b.scheme(), lead).full_marks == D("25.00")


def test_a_weighted_source_multiplies_its_tasks_marks_and_says_so(world):
    plan, lead, partner = world
    instructions = b.PlanFactory(year=2026, source="instruction")
    scheme = b.scheme(source_weights={"instruction": "1.5"})
    done = {"status": TaskStatus.COMPLETED, "completed_on": date(2026, 6, 20), "cooperating": [partner]}
    planned = b.task(plan, lead=lead, **done)
    instructed = b.task(instructions, lead=lead, **done)
    # 分值 10 each: the plan's task 10, the 批示件's 10 × 1.5; the partner 20% of each.
    assert lines_of(scheme, lead) == [(Rule.ON_TIME, planned.pk, D("10.00")), (Rule.ON_TIME, instructed.pk, D("15.00"))]
    assert lines_of(scheme, partner) == [
        (Rule.ON_TIME, planned.pk, D("2.00")),
        (Rule.ON_TIME, instructed.pk, D("3.00")),
    ]
    # The full marks are weighted alike, so doing everything is still 100.
    assert row_of(scheme, lead).score == D("100.00")
    explanations = {line.task_id: line.explanation for line in live_lines(Period.of(scheme, YEAR_END), lead.pk)}
    assert "领导批示件任务权重1.5" in explanations[instructed.pk]
    assert "权重" not in explanations[planned.pk]
    # Without weights (the default) both count their 分值, as before.
    unweighted = b.scheme(year=2026, plan=instructions)
    assert lines_of(unweighted, lead) == [(Rule.ON_TIME, instructed.pk, D("10.00"))]
