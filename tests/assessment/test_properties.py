"""On random periods: every department's total is the sum of its lines, the ranking's
sums (made by the database) equal the statements' lines, and the 百分制 is the total
over the full marks. Each example is written and rolled back inside one test."""

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.choices import ExtensionMode
from assessment.scoring.engine import Period
from assessment.selectors import live_lines, live_ranking
from supervision.choices import Rating, Verdict
from tasks.choices import ReportStatus, TaskStatus

from . import builders as b

pytestmark = pytest.mark.django_db

points = st.decimals(min_value=0, max_value=20, places=2)
percent = st.decimals(min_value=0, max_value=100, places=2)
day = st.dates(min_value=date(2025, 10, 1), max_value=date(2027, 3, 31))

schemes = st.fixed_dictionaries(
    {
        "default_weight": points,
        "late_percent_per_week": percent,
        "late_cap_percent": percent,
        "late_report_points": points,
        "returned_report_points": points,
        "milestone_points": points,
        "finding_on_time_bonus": points,
        "finding_behind_deduction": points,
        "finding_overdue_deduction": points,
        "commend_bonus": points,
        "criticise_deduction": points,
        "cooperating_share_percent": percent,
        "extension_mode": st.sampled_from(ExtensionMode.values),
    }
)
tasks = st.lists(
    st.fixed_dictionaries(
        {
            "weight": st.one_of(st.none(), st.sampled_from(["5", "10", "15", "12.5", "0", "7.33"])),
            "deadline": st.one_of(st.none(), day),
            "extended_by": st.integers(0, 90),
            "status": st.sampled_from([TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED, TaskStatus.CANCELLED]),
            "finished_after": st.integers(-60, 120),
            "progress": st.integers(0, 100),
            "lead": st.integers(0, 3),
            "partners": st.sets(st.integers(0, 3), max_size=3),
            "reports": st.lists(
                st.tuples(st.integers(1, 12), st.integers(0, 40), st.sampled_from(list(ReportStatus))),
                max_size=3,
                unique_by=lambda report: report[0],  # one report a month
            ),
            "milestones": st.lists(st.tuples(day, st.one_of(st.none(), st.integers(-10, 30))), max_size=2),
            "rating": st.one_of(st.none(), st.sampled_from(list(Rating))),
        }
    ),
    min_size=1,
    max_size=8,
)
verdicts = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(list(Verdict))), max_size=3, unique_by=lambda v: v[0])
as_of = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))


def build(scheme_values, task_specs, verdict_specs):
    plan = b.plan(2026)
    departments = [b.department() for _ in range(4)]
    scheme = b.scheme(**scheme_values)
    inspection = b.inspection()
    for spec in task_specs:
        deadline = spec["deadline"]
        original = deadline
        if deadline and spec["extended_by"]:
            deadline = deadline + timedelta(days=spec["extended_by"])
        completed = spec["status"] == TaskStatus.COMPLETED
        base = deadline or date(2026, 12, 31)
        task = b.task(
            plan,
            lead=departments[spec["lead"]],
            cooperating=[departments[n] for n in spec["partners"] - {spec["lead"]}],
            weight=spec["weight"],
            deadline=deadline,
            original_deadline=original,
            status=spec["status"],
            completed_on=base + timedelta(days=spec["finished_after"]) if completed else None,
            progress=spec["progress"],
        )
        for month, sent_after, status in spec["reports"]:
            sent = None if status in (ReportStatus.DRAFT, ReportStatus.SIGNOFF) else datetime(2026, month, 1, 10)
            b.report(
                task,
                departments[spec["lead"]],
                period=date(2026, month, 1),
                submitted=sent + timedelta(days=sent_after) if sent else None,
                status=status,
            )
        for due, done_after in spec["milestones"]:
            b.milestone(
                task, deadline=due, done_on=due + timedelta(days=done_after) if done_after is not None else None
            )
        if spec["rating"]:
            b.finding(b.inspection(), task, rating=spec["rating"])
    if verdict_specs:
        b.bulletin(inspection, {departments[n]: verdict for n, verdict in verdict_specs}, issued=date(2026, 6, 1))
    return scheme


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scheme_values=schemes, task_specs=tasks, verdict_specs=verdicts, day=as_of)
def test_every_total_is_the_sum_of_its_lines(scheme_values, task_specs, verdict_specs, day):
    with transaction.atomic():
        scheme = build(scheme_values, task_specs, verdict_specs)
        period = Period.of(scheme, day)
        rows = live_ranking(period)
        every_line = live_lines(period)
        for row in rows:
            lines = live_lines(period, row.department_id)
            assert row.total == sum((line.points for line in lines), Decimal("0.00"))
            assert lines == [line for line in every_line if line.department_id == row.department_id]
            expected = (
                (row.total * 100 / row.full_marks).quantize(Decimal("0.01"), ROUND_HALF_UP) if row.full_marks else 0
            )
            assert row.score == expected
            assert all(line.points == line.points.quantize(Decimal("0.01")) for line in lines)
        # No department has lines and no place in the ranking.
        assert {line.department_id for line in every_line} <= {row.department_id for row in rows}
        # Ranks: sorted by score, equal scores share a place.
        scores = [row.score for row in rows]
        assert scores == sorted(scores, reverse=True)
        for before, after in zip(rows, rows[1:], strict=False):
            assert (after.rank == before.rank) == (after.score == before.score)
        transaction.set_rollback(True)
