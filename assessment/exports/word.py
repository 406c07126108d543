"""The ranking and a statement as Word, on documents.word's GB/T 9704 page: the same contexts
the PDF templates print."""

from django.conf import settings

from documents.word import OfficialDocument, Paragraph, Table, write_docx

from .pdf import ranking_context, statement_context


def _as_of(context) -> str:
    snapshot = context["snapshot"]
    if not snapshot:
        return ""
    day = snapshot.as_of
    return f"，计分截至{day.year}年{day.month}月{day.day}日"


def ranking_docx(scheme, rows, classes) -> bytes:
    context = ranking_context(scheme, rows, classes)
    body = [
        Paragraph(
            f"根据{scheme.title}，现将{scheme.year}年度改革任务考核结果通报如下。各部门得分为其全部计分明细之和，"
            f"按满分折算为百分制{_as_of(context)}。"
        ),
        Paragraph("一、总排名", level=1),
        Table(
            ["排名", "部门", "类别", "得分合计", "满分", "百分制得分"],
            [[str(r.rank), r.name, r.class_name, str(r.total), str(r.full_marks), str(r.score)] for r in rows]
            or [["", "本期没有计分的任务。", "", "", "", ""]],
            [0.09, 0.37, 0.18, 0.12, 0.12, 0.12],
        ),
        Paragraph("二、分类排名", level=1),
    ]
    for heading, members in context["classes"]:
        body.append(Paragraph(heading, level=2))
        body.append(
            Table(
                ["类内排名", "部门", "得分合计", "百分制得分"],
                [[str(r.class_rank), r.name, str(r.total), str(r.score)] for r in members],
                [0.16, 0.48, 0.18, 0.18],
            )
        )
    return write_docx(
        OfficialDocument(
            mark=context["mark"],
            title=context["title"],
            recipients="各有关单位：",
            body=body,
            issuer=context["issuer"],
            date=context["date"],
            fonts=settings.OFFICIAL_FONTS,
            draft=not context["snapshot"],
        )
    )


def statement_docx(scheme, statement) -> bytes:
    context = statement_context(scheme, statement)
    row = statement.row
    placed = f"，总排名第{row.rank}名，{row.class_name}第{row.class_rank}名" if context["snapshot"] else ""
    lines = [
        [
            str(n),
            line.task_label or "—",
            line.rule_label,
            str(line.points),
            line.explanation + ("" if line.source == "task" else f"（依据：{line.source_label}）"),
        ]
        for n, line in enumerate(statement.lines, start=1)
    ]
    lines.append(["", "合计", "", str(row.total), ""])
    return write_docx(
        OfficialDocument(
            mark=context["mark"],
            title=context["title"],
            recipients=f"{row.name}：",
            body=[
                Paragraph(
                    f"你单位在{scheme.title}中得分合计{row.total}分，为下列{len(statement.lines)}项明细之和；"
                    f"满分{row.full_marks}分，折算百分制得分{row.score}分{placed}。"
                ),
                Table(["序号", "任务", "规则", "分数", "说明"], lines, [0.06, 0.28, 0.13, 0.09, 0.44]),
            ],
            issuer=context["issuer"],
            date=context["date"],
            fonts=settings.OFFICIAL_FONTS,
            draft=not context["snapshot"],
        )
    )
