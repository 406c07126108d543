"""Records for scoring tests, written straight to the tables: these tests are about the
arithmetic, not the workflow that would produce the same rows."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from assessment.models import Scheme
from supervision.choices import BulletinStatus, InspectionKind, Verdict
from supervision.models import Bulletin, BulletinDepartment, Finding, Inspection
from tasks.choices import AssignmentRole, ReportStatus, TaskStatus
from tasks.models import Assignment, Milestone, ProgressReport, Task
from tests.factories import DepartmentFactory, PlanFactory, TaskFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def user():
    return get_user_model().objects.get_or_create(username="assessment-builder")[0]


def department(name=None, **fields):
    return DepartmentFactory(**({"name": name} if name else {}), **fields)


def plan(year=2026):
    return PlanFactory(year=year)


def scheme(year=2026, **fields) -> Scheme:
    return Scheme.objects.create(year=year, title=fields.pop("title", f"{year}年度考核"), **fields)


def task(
    plan,
    *,
    lead,
    cooperating=(),
    weight: str | None = "10",
    deadline: date | None = date(2026, 6, 30),
    original_deadline: date | None = None,
    status: str = TaskStatus.IN_PROGRESS,
    completed_on: date | None = None,
    progress: int = 0,
) -> Task:
    created = TaskFactory(
        plan=plan,
        weight=Decimal(weight) if weight is not None else None,
        deadline=deadline,
        original_deadline=original_deadline,
        progress=progress,
    )
    Assignment.objects.create(task=created, department=lead, role=AssignmentRole.LEAD)
    for n, other in enumerate(cooperating):
        Assignment.objects.create(task=created, department=other, role=AssignmentRole.COOPERATING, order=n)
    Task.objects.filter(pk=created.pk).update(status=status, completed_on=completed_on)
    created.refresh_from_db()
    return created


def report(task, department, *, period: date, submitted: datetime | None, status=ReportStatus.ACCEPTED):
    return ProgressReport.objects.create(
        task=task,
        department=department,
        period=period,
        text="进展",
        status=status,
        created_by=user(),
        submitted_at=submitted.replace(tzinfo=SHANGHAI) if submitted else None,
    )


def milestone(task, *, deadline: date, done_on: date | None):
    return Milestone.objects.create(task=task, text="完成调研", deadline=deadline, done_on=done_on)


def inspection(title="专项督查", day=date(2026, 4, 1)):
    return Inspection.objects.create(
        title=title, kind=InspectionKind.SPECIAL, period_start=day, period_end=day, created_by=user()
    )


def finding(inspection, task, *, rating: str, confirmed: datetime | None = datetime(2026, 4, 1, 10)):
    return Finding.objects.create(
        inspection=inspection,
        task=task,
        task_status=task.status,
        suggested_rating=rating,
        rating=rating if confirmed else "",
        confirmed_at=confirmed.replace(tzinfo=SHANGHAI) if confirmed else None,
        confirmed_by=user() if confirmed else None,
    )


_sequence = iter(range(1, 10_000))


def bulletin(inspection, verdicts: dict, *, issued: date | None = date(2026, 9, 1), status=BulletinStatus.ISSUED):
    made = Bulletin.objects.create(
        inspection=inspection,
        title="督查通报",
        status=status,
        year=issued.year if issued else None,
        sequence=next(_sequence) if issued else None,
        issue_date=issued,
        pdf_sha256="0" * 64 if status != BulletinStatus.DRAFT else "",
        created_by=user(),
    )
    for department, verdict in verdicts.items():
        BulletinDepartment.objects.create(bulletin=made, department=department, verdict=verdict, reason="事由")
    return made


COMMEND, CRITICISE = Verdict.COMMEND, Verdict.CRITICISE
