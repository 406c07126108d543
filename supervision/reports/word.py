"""The bulletin and the 督办单 as Word documents: the same context the PDF templates print,
handed to documents.word's GB/T 9704 page."""

from django.conf import settings

from documents.word import OfficialDocument, Paragraph, Slip, Table, write_docx

from .document import RECEIPT_FIELDS, bulletin_context, notice_context

ANNEX_HEADER = ["序号", "任务", "牵头单位", "完成时限", "进展情况", "督查评价"]
ANNEX_WIDTHS = [0.06, 0.27, 0.13, 0.14, 0.28, 0.12]


def bulletin_document(context: dict) -> OfficialDocument:
    body = []
    for n, section in enumerate(context["sections"], start=1):
        body.append(Paragraph(section["heading"], level=1))
        body += [Paragraph(p.text, p.level) for p in section["paragraphs"]]
        extra = {2: context["commended_text"], 3: context["criticised_text"]}.get(n)
        if extra:
            body.append(Paragraph(extra))
    rows = [
        [str(r.number), r.task, r.leads, r.deadline, r.progress, f"{r.rating}\n{r.comment}".strip()]
        for r in context["rows"]
    ]
    return OfficialDocument(
        mark=context["mark"],
        number=context["number"] or "（印发时编号）",
        title="".join(context["title_lines"]),
        recipients=context["recipients"],
        body=body,
        annex_note="附件：任务进展情况表",
        issuer=context["issuer"],
        date=context["date"],
        annex_title="任务进展情况表",
        annex=Table(ANNEX_HEADER, rows or [["", "本次督查范围内没有任务。", "", "", "", ""]], ANNEX_WIDTHS),
        copy_to=context["copy_to"],
        printed_by=context["issuer"],
        fonts=settings.OFFICIAL_FONTS,
        draft=context["draft"],
    )


def bulletin_docx(bulletin, *, rows=None) -> bytes:
    return write_docx(bulletin_document(bulletin_context(bulletin, rows=rows)))


def notice_document(context: dict) -> OfficialDocument:
    inspection, department = context["inspection"], context["department"]
    findings = [[str(r.number), r.task, r.deadline, r.rating, r.comment] for r in context["findings"]]
    demands = [
        [
            str(n),
            d.finding.task.title,
            d.requirement,
            f"{d.due_date.year}年{d.due_date.month}月{d.due_date.day}日",
            d.get_status_display(),
        ]
        for n, d in enumerate(context["demands"], start=1)
    ]
    none = ["", "无。", "", "", ""]
    number = context["number"]
    particulars = [
        f"督办编号：{number or '—'}",
        f"承办单位：{department.name}",
        f"反馈时限：{context['feedback_due'] or '—'}",
        f"联系人与电话：{context['contact'] or '—'}",
    ]
    body = [
        Paragraph(
            f"根据{inspection.get_kind_display()}“{inspection.title}”的督查情况，现将你单位牵头任务的督办事项和"
            "整改要求列示如下，请抓紧落实，并按反馈时限报送回执。"
        ),
        *(Paragraph(line) for line in particulars),
        Paragraph("一、督办事项", level=1),
        Table(["序号", "任务", "完成时限", "督查评价", "督查意见"], findings or [none], [0.08, 0.33, 0.18, 0.14, 0.27]),
        Paragraph("二、整改要求", level=1),
        Table(["序号", "任务", "整改要求", "整改时限", "状态"], demands or [none], [0.08, 0.26, 0.34, 0.18, 0.14]),
    ]
    if context["requirements"]:
        body += [Paragraph("三、办理要求", level=1), *(Paragraph(p.text, p.level) for p in context["requirements"])]
    if context["feedback_due"]:
        body.append(Paragraph(f"请于{context['feedback_due']}前报送回执。联系人与电话：{context['contact'] or '—'}。"))
    blanks = [(label, "年　　月　　日" if label == "日期" else "", lines) for label, lines in RECEIPT_FIELDS]
    return OfficialDocument(
        mark=context["mark"],
        number=number,
        title="督办单",
        recipients=f"{department.name}：",
        body=body,
        issuer=context["issuer"],
        date=context["date"],
        fonts=settings.OFFICIAL_FONTS,
        slip=Slip("回执", [("督办编号", number, 1), *blanks]),
    )


def notice_docx(notice) -> bytes:
    return write_docx(notice_document(notice_context(notice)))
