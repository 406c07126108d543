"""How a task is judged and whom a bulletin names: plain Python, no Django.

`suggest_rating` drafts the rating an inspector confirms; `propose_verdicts` applies the
bulletin's rules to the confirmed ratings, department by department."""

from dataclasses import dataclass, field
from datetime import date

# Mirrors tasks.choices and supervision.choices, kept as plain strings so this module
# imports nothing.
COMPLETED = "completed"
NOT_STARTED_STATUSES = ("assigned",)
ACTIVE_STATUSES = ("assigned", "acknowledged", "in_progress", "completion_requested")

ON_TIME, ON_TRACK, BEHIND, NOT_STARTED, OVERDUE = "on_time", "on_track", "behind", "not_started", "overdue"
GOOD = (ON_TIME, ON_TRACK)

# Progress may trail the share of time elapsed by this many points before a task is
# judged behind: reports are monthly, so a month's lag is normal.
LAG_ALLOWED = 25


@dataclass(frozen=True)
class TaskFacts:
    status: str
    progress: int
    deadline: date | None
    start: date | None
    completed_on: date | None
    milestones_missed: int
    indicators_behind: int
    has_accepted_report: bool
    # The due date of the task's first report (tasks.obligations.first_report_due): until
    # then nothing was owed, so a task just given out is not "not started". None: owed always.
    first_report_due: date | None = None


def overdue_days(facts: TaskFacts, today: date) -> int:
    """Days past the deadline: to today while open, to the completion date once closed late."""
    if facts.deadline is None:
        return 0
    if facts.status == COMPLETED:
        end = facts.completed_on or facts.deadline
    elif facts.status in ACTIVE_STATUSES or facts.status == "suspended":
        end = today
    else:
        return 0
    return max(0, (end - facts.deadline).days)


def expected_progress(facts: TaskFacts, today: date) -> int | None:
    """The share of the task's time elapsed, in per cent, when both ends are known."""
    if facts.deadline is None or facts.start is None or facts.deadline <= facts.start:
        return None
    elapsed = (min(today, facts.deadline) - facts.start).days
    return max(0, min(100, round(100 * elapsed / (facts.deadline - facts.start).days)))


def suggest_rating(facts: TaskFacts, today: date) -> str:
    """按期完成 / 进展顺利 / 进度滞后 / 未启动 / 已逾期, from the task's own data."""
    late = overdue_days(facts, today)
    if facts.status == COMPLETED:
        return ON_TIME if late == 0 else BEHIND
    if late > 0:
        return OVERDUE
    nothing_owed_yet = facts.first_report_due is not None and today <= facts.first_report_due
    if nothing_owed_yet and facts.progress == 0 and not facts.has_accepted_report:
        return ON_TRACK
    if facts.status in NOT_STARTED_STATUSES or (facts.progress == 0 and not facts.has_accepted_report):
        return NOT_STARTED
    if facts.status == "suspended" or facts.milestones_missed or facts.indicators_behind:
        return BEHIND
    expected = expected_progress(facts, today)
    if expected is not None and expected - facts.progress > LAG_ALLOWED:
        return BEHIND
    return ON_TRACK


@dataclass
class DepartmentRecord:
    """The inspected tasks a department leads: their ratings and the worst delay."""

    department_id: int
    name: str
    ratings: list[str] = field(default_factory=list)
    overdue: list[tuple[str, int]] = field(default_factory=list)  # (task title, days)


@dataclass(frozen=True)
class Proposal:
    department_id: int
    verdict: str  # "commend" or "criticise"
    reason: str


def propose_verdicts(records: list[DepartmentRecord], *, commend_min_tasks: int, criticise_overdue_days: int):
    """表扬 a department whose every inspected task (at least `commend_min_tasks`) is on time
    or on track; 通报批评 one with any task overdue more than `criticise_overdue_days` days.
    A department criticised is never also commended."""
    proposals = []
    for record in sorted(records, key=lambda r: r.name):
        late = [(title, days) for title, days in record.overdue if days > criticise_overdue_days]
        if late:
            late.sort(key=lambda item: -item[1])
            worst = "、".join(f"“{title}”逾期{days}天" for title, days in late[:3])
            more = f"等{len(late)}项任务" if len(late) > 3 else ""
            proposals.append(Proposal(record.department_id, "criticise", f"牵头的{worst}{more}"))
        elif len(record.ratings) >= max(1, commend_min_tasks) and all(r in GOOD for r in record.ratings):
            done = sum(1 for r in record.ratings if r == ON_TIME)
            reason = f"牵头的{len(record.ratings)}项任务全部按期推进"
            proposals.append(
                Proposal(record.department_id, "commend", reason + (f"，其中{done}项按期完成" if done else ""))
            )
    return proposals
