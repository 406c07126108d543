"""A department fills in the ledger's 进展情况 column and sends it back: each changed row
becomes its progress report for the month, submitted; all of them or none."""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from departments.permissions import department_id_of
from importer.ledger import find_columns

from .. import rules
from ..choices import ReportStatus
from ..models import ProgressReport, Task
from .reports import report_save, report_submit

# The exported cell starts with the period it reports ("2026年11月：…"); that prefix is not news.
_PERIOD_PREFIX = re.compile(r"^\d{4}年\d{1,2}月[:：]\s*")
_ID = re.compile(r"[0-9]{1,19}")


@dataclass
class ProgressRow:
    line: int
    task_id: int | None
    text: str
    task: Task | None = None
    action: str = ""  # "report" | "unchanged" | "error"
    message: str = ""


def read_progress(rows: list[list[str]], *, user, period: date) -> list[ProgressRow]:
    """The rows with progress written in, checked against what the user's department may report."""
    located = find_columns(rows)
    if located is None or "progress" not in located[1] or "task_id" not in located[1]:
        raise ValidationError("表格中没有“进展情况”和“任务编号”列：请使用从平台导出的任务台账填写。")
    header, columns = located
    found = []
    for offset, row in enumerate(rows[header + 1 :], start=header + 2):
        text, raw_id = _cell(row, columns, "progress"), _cell(row, columns, "task_id")
        if not raw_id or not text:
            continue
        found.append(ProgressRow(line=offset, task_id=_task_id(raw_id), text=text))
    tasks = (
        Task.objects.visible_to(user).prefetch_related("assignments").in_bulk([r.task_id for r in found if r.task_id])
    )
    department_id = department_id_of(user)
    last = {
        report.task_id: report.text
        for report in ProgressReport.objects.filter(task__in=tasks.values(), department_id=department_id)
        .exclude(status=ReportStatus.DRAFT)
        .order_by("task_id", "-period", "-id")
    }
    for row in found:
        row.task = tasks.get(row.task_id)
        if row.task is None:
            row.action, row.message = "error", "任务编号不存在或无权查看。"
        elif row.task.kind != "task":
            row.action, row.message = "unchanged", "章节行，不报送。"
        elif not rules.can_report(user, row.task):
            row.action, row.message = "error", "本部门不承担这项任务，或任务不在推进中。"
        elif _PERIOD_PREFIX.sub("", row.text) == last.get(row.task_id):
            row.action, row.message = "unchanged", "与上次报送相同。"
        elif (
            ProgressReport.objects.filter(task=row.task, department_id=department_id, period=period.replace(day=1))
            .exclude(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
            .exists()
        ):
            row.action, row.message = "error", "本月已报送过这项任务。"
        else:
            row.action = "report"
            row.text = _PERIOD_PREFIX.sub("", row.text)
    return found


def _task_id(raw: str) -> int | None:
    """The id a task can have, or None: ASCII digits within the database's bigint. str.isdigit()
    also takes "²" and "١٢", which int() refuses, and 23 digits overflow the column."""
    if not _ID.fullmatch(raw):
        return None
    number = int(raw)
    return number if 0 < number < 2**63 else None


def _cell(row: list[str], columns: dict, field: str) -> str:
    index = columns.get(field)
    return row[index].strip() if index is not None and index < len(row) else ""


@transaction.atomic
def progress_import(*, rows: list[ProgressRow], user, period: date) -> int:
    """Save and submit every "report" row; refuse the lot if any row is in error."""
    errors = [f"第{row.line}行：{row.message}" for row in rows if row.action == "error"]
    if errors:
        raise ValidationError(errors)
    department_id = department_id_of(user)
    sent = 0
    for row in rows:
        if row.action != "report":
            continue
        existing = ProgressReport.objects.filter(
            task=row.task, department_id=department_id, period=period.replace(day=1)
        ).first()
        previous = (
            ProgressReport.objects.filter(task=row.task, department_id=department_id)
            .exclude(status=ReportStatus.DRAFT)
            .order_by("-period", "-id")
            .first()
        )
        percent = previous.percent if previous else 0
        report = report_save(
            task=row.task,
            by=user,
            period=period,
            text=row.text,
            percent=percent,
            report=existing,
            version=existing.version if existing else None,
        )
        report_submit(report=report, by=user)
        sent += 1
    return sent
