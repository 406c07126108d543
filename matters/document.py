"""交办单 (the assignment sheet): what it says, once, for the PDF's template and for Word
(documents.word's GB/T 9704 page)."""

from django.conf import settings
from django.utils import timezone

from documents.dates import chinese_date
from documents.word import OfficialDocument, Paragraph, Table

TITLE = "督办事项交办单"
CLOSING = "请承办单位收到后及时签收，按时限报送办理情况，并于办结时提交办结报告。"
WIDTHS = [0.24, 0.76]


def sheet_context(task) -> dict:
    assignments = list(task.assignments.all())
    leads = [a.department for a in assignments if a.role == "lead"]
    cooperating = [a.department for a in assignments if a.role == "cooperating"]
    return {
        "task": task,
        "title": TITLE,
        "rows": _rows(task, leads, cooperating),
        "closing": CLOSING,
        "mark": settings.PORTAL["BULLETIN"]["MARK"],
        "issuer": settings.PORTAL["BULLETIN"]["ISSUER"],
        "date": chinese_date(task.start_date or timezone.localdate()),
    }


def _rows(task, leads, cooperating) -> list[tuple[str, str]]:
    """(项目, 内容) in the sheet's order; a row with nothing to say is left out."""
    # The reverse one-to-ones: a task has at most one of them, and a plan task none.
    instruction, meeting_item, proposal = (
        getattr(task, name, None) for name in ("instruction", "meeting_item", "proposal")
    )
    origin = ""
    if instruction:
        origin = f"（{instruction.leader_name}{instruction.leader_post} {chinese_date(instruction.instructed_on)}批示）"
    elif meeting_item:
        origin = f"（{meeting_item.meeting} {chinese_date(meeting_item.meeting.held_on)}）"
    elif proposal:
        origin = f"（{proposal}，{proposal.proposer}）"
    rows = [("来源", f"{task.plan.get_source_display()}{origin}"), ("督办事项", task.title)]
    if instruction:
        rows.append(("批示内容", instruction.content))
    if task.text:
        rows.append(("具体要求", task.text))
    if instruction and instruction.requirements:
        rows.append(("办理要求", instruction.requirements))
    rows.append(("主办单位" if proposal else "牵头单位", "、".join(d.name for d in leads)))
    rows.append(("会办单位" if proposal else "配合单位", "、".join(d.name for d in cooperating) or "—"))
    if instruction and instruction.feedback_due:
        rows.append(("首次反馈时限", f"{chinese_date(instruction.feedback_due)}前"))
    rows.append(("办结时限", f"{chinese_date(task.deadline)}前" if task.deadline else "另行通知"))
    return rows


def sheet_document(context: dict) -> OfficialDocument:
    return OfficialDocument(
        mark=context["mark"],
        number=context["task"].code,
        title=context["title"],
        body=[Table(["项目", "内容"], [list(row) for row in context["rows"]], WIDTHS), Paragraph(context["closing"])],
        issuer=context["issuer"],
        date=context["date"],
        fonts=settings.OFFICIAL_FONTS,
    )
