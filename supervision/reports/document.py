"""What an official document says, gathered for its template: the bulletin's sections as
numbered paragraphs, the departments it names, and the annex rows, in one pass of queries."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from documents.dates import chinese_date, deadline_words
from documents.fonts import font_css
from documents.titles import title_lines
from importer.simplify import simplify_text
from tasks.choices import AssignmentRole

from ..choices import Verdict
from ..selectors import annex_findings

# 一、 (一) 1. (1): GB/T 9704-2012 §7.3.3's four levels. The section titles are level 1;
# inside a section a paragraph opening with (一) is level 2 (楷体), 1. level 3 (bold).
_LEVEL_2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_LEVEL_3 = re.compile(r"^\d+[.．、]")
CN_NUMBERS = "一二三四五六七八九十"
SECTIONS = (
    ("basic", "基本情况"),
    ("achievements", "主要成效"),
    ("problems", "存在问题"),
    ("requirements", "下一步工作要求"),
)


@dataclass(frozen=True)
class Paragraph:
    text: str
    level: int = 0  # 0 body text, 2 (一), 3 1.


@dataclass(frozen=True)
class AnnexRow:
    number: int
    task: str
    leads: str
    deadline: str
    progress: str
    rating: str
    comment: str


def paragraphs(text: str) -> list[Paragraph]:
    """Each non-empty line a paragraph, its heading level read from how it opens."""
    result = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        level = 2 if _LEVEL_2.match(line) else 3 if _LEVEL_3.match(line) else 0
        result.append(Paragraph(line, level))
    return result


def deadline_text(task) -> str:
    return deadline_words(task.deadline, task.deadline_phrase, task.original_deadline)


def in_script(text: str) -> str:
    """Text in the office's script: a simplified office's documents carry no traditional
    characters, even where a plan imported in 繁体 named the task."""
    if settings.PORTAL["BULLETIN"]["SCRIPT"] == "simplified":
        return simplify_text(text)
    return text


def task_name(task) -> str:
    """ "（三）2.建立…": the number and title a reader finds the task by in the plan."""
    return in_script(f"{task.number}{task.title}" if task.number else task.title)


def _clip(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def progress_text(finding) -> str:
    parts = [f"进度{finding.progress}%"]
    if finding.overdue_days:
        parts.append(f"逾期{finding.overdue_days}天")
    if finding.milestones_missed:
        parts.append(f"{finding.milestones_missed}个节点逾期")
    if finding.indicators_behind:
        parts.append(f"{finding.indicators_behind}项指标未达标")
    summary = "，".join(parts) + "。"
    return summary + _clip(finding.last_report_text, 120) if finding.last_report_text else summary


def annex_rows(inspection) -> list[AnnexRow]:
    rows = []
    for number, finding in enumerate(annex_findings(inspection), start=1):
        task = finding.task
        leads = [d.short_name for d in task.lead_departments()]
        rows.append(
            AnnexRow(
                number=number,
                task=task_name(task),
                leads=in_script("、".join(leads)) or "—",
                deadline=deadline_text(task),
                progress=in_script(progress_text(finding)),
                rating=finding.get_final_rating_display(),
                comment=in_script(_clip(finding.comment, 100)),
            )
        )
    return rows


def verdict_sentence(verdicts, what: str) -> str:
    """ "对以下2个单位予以通报表扬：区编委办（…）；区民政局。", or nothing when none."""
    if not verdicts:
        return ""
    named = "；".join(f"{v.department.name}（{v.reason}）" if v.reason else v.department.name for v in verdicts)
    return in_script(f"对以下{len(verdicts)}个单位予以{what}：{named}。")


def bulletin_context(bulletin, *, rows: list[AnnexRow] | None = None) -> dict:
    """Everything the bulletin template prints. A draft shows its number as blank and
    today's date; an issued one its own."""
    config = settings.PORTAL["BULLETIN"]
    verdicts = list(bulletin.verdicts.select_related("department"))
    day = bulletin.issue_date or timezone.localdate()
    sections = []
    for index, (field, heading) in enumerate(SECTIONS):
        text = in_script(getattr(bulletin, field))
        sections.append({"heading": f"{CN_NUMBERS[index]}、{heading}", "paragraphs": paragraphs(text)})
    return {
        "bulletin": bulletin,
        "draft": bulletin.is_draft,
        "mark": config["MARK"],
        "issuer": config["ISSUER"],
        "number": bulletin.number,
        "year": (bulletin.year or day.year),
        "title": bulletin.title,
        "title_lines": title_lines(in_script(bulletin.title)),
        "copy_to": config["COPY_TO"],
        "recipients": bulletin.recipients,
        "sections": sections,
        "commended": [v for v in verdicts if v.verdict == Verdict.COMMEND],
        "criticised": [v for v in verdicts if v.verdict == Verdict.CRITICISE],
        "commended_text": verdict_sentence([v for v in verdicts if v.verdict == Verdict.COMMEND], "通报表扬"),
        "criticised_text": verdict_sentence([v for v in verdicts if v.verdict == Verdict.CRITICISE], "通报批评"),
        "rows": annex_rows(bulletin.inspection) if rows is None else rows,
        "date": chinese_date(day),
        "font_css": font_css(),
    }


# The 回执 the unit cuts off and returns: each blank with the lines it leaves to write on.
RECEIPT_FIELDS = (("承办单位", 1), ("办理情况", 6), ("经办人", 1), ("联系电话", 1), ("日期", 1))
RECEIPT_LINE_MM = 9


def notice_context(notice) -> dict:
    """A 督办单: the department's inspected tasks (those it leads) and its demands."""
    from ..models import RectificationDemand

    config = settings.PORTAL["BULLETIN"]
    findings = annex_findings(notice.inspection).filter(
        task__assignments__department=notice.department, task__assignments__role=AssignmentRole.LEAD
    )
    rows = [
        AnnexRow(
            number=number,
            task=task_name(finding.task),
            leads=notice.department.short_name,
            deadline=deadline_text(finding.task),
            progress=in_script(progress_text(finding)),
            rating=finding.get_final_rating_display(),
            comment=in_script(_clip(finding.comment, 200)),
        )
        for number, finding in enumerate(findings, start=1)
    ]
    demands = RectificationDemand.objects.filter(
        finding__inspection=notice.inspection, department=notice.department
    ).select_related("finding__task")
    sent_on = timezone.localtime(notice.sent_at).date()
    return {
        "mark": config["ISSUER"],
        "issuer": config["ISSUER"],
        "notice": notice,
        "number": notice.number,
        "inspection": notice.inspection,
        "department": notice.department,
        "findings": rows,
        "demands": demands,
        "requirements": paragraphs(in_script(notice.requirements)),
        "feedback_due": chinese_date(notice.feedback_due) if notice.feedback_due else "",
        "contact": notice.contact,
        "receipt": [(label, lines * RECEIPT_LINE_MM) for label, lines in RECEIPT_FIELDS],
        "date": chinese_date(sent_on),
        "font_css": font_css(),
    }
