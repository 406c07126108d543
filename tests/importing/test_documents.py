"""Files as offices send them: ledgers in Excel and CSV, Word documents, bad input."""

import io
import zipfile
from datetime import date

import openpyxl
import pytest

from importer.documents import DocumentError, parse_document
from importer.names import Registry

REGISTRY = Registry(
    [
        ("区财政局", "区财政局"),
        ("区审计局", "区审计局"),
        ("区发改委", "区发展和改革委员会"),
        ("区发展和改革委员会", "区发展和改革委员会"),
    ]
)


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    if table:
        cells = lambda row: "".join(f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>" for c in row)  # noqa: E731
        body += "<w:tbl>" + "".join(f"<w:tr>{cells(row)}</w:tr>" for row in table) + "</w:tbl>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml", f'<?xml version="1.0"?><w:document {ns}><w:body>{body}</w:body></w:document>'
        )
    return buffer.getvalue()


LEDGER = [
    ["附件", "", "", "", "", ""],
    ["完成时限", "编号", "工作内容", "责任单位", "配合部门", "分值"],
    ["", "一", "深化财政改革", "", "", ""],
    ["2024年6月底前", "1", "出台预算绩效管理办法。", "区财政局", "区审计局、发改委", 10],
    ["年底前", "2", "开展专项审计。", "区审计局", "有关部门", 5],
    ["", "二", "优化营商环境", "", "", ""],
    ["3月底前;9月底前", "3", "推行告知承诺制。", "区数据局", "", 15],
]


def test_an_excel_ledger_with_its_own_column_names_and_order():
    plan = parse_document(xlsx(LEDGER), "任务分工表.xlsx", registry=REGISTRY)
    assert [(t.number, t.kind, t.level) for t in plan.tasks] == [
        ("一", "section", 1),
        ("1", "task", 2),
        ("2", "task", 2),
        ("二", "section", 1),
        ("3", "task", 2),
    ]
    first = plan.tasks[1]
    assert [d.name for d in first.lead] == ["区财政局"]  # a lone 责任单位 column is the lead
    assert [d.name for d in first.cooperating] == ["区审计局", "区发展和改革委员会"]  # 区 carried to 发改委
    assert first.deadline.deadline == date(2024, 6, 30) and first.weight == 10
    second = plan.tasks[2]
    assert second.open_set and second.cooperating == []
    assert second.deadline.deadline == date(2024, 12, 31)  # the year the column names
    third = plan.tasks[4]
    assert not third.lead[0].known
    assert [m.deadline.deadline for m in third.milestones] == [date(2024, 3, 31), date(2024, 9, 30)]


def test_a_csv_ledger_in_gbk():
    text = "序号,任务内容,牵头单位,完成时限\n1,出台办法,区财政局,2025年4月底前\n2,开展检查,区审计局,2025-10-31\n"
    plan = parse_document(text.encode("gbk"), "台账.csv", registry=REGISTRY)
    assert [t.deadline.deadline for t in plan.tasks] == [date(2025, 4, 30), date(2025, 10, 31)]


def test_a_word_document_with_a_ledger_table_takes_the_title_from_its_text():
    data = docx(
        ["区2024年财政改革任务分工方案", "区人民政府办公室", "2024年3月1日"],
        table=[["序号", "任务", "牵头单位", "完成时限"], ["1", "出台办法", "区财政局", "6月底前"]],
    )
    plan = parse_document(data, "方案.docx", registry=REGISTRY)
    assert plan.title == "区2024年财政改革任务分工方案"
    assert plan.issued == date(2024, 3, 1) and plan.issuer == "区人民政府办公室"
    assert plan.tasks[0].deadline.deadline == date(2024, 6, 30)


def test_a_word_document_of_plain_paragraphs():
    data = docx(["一、深化改革", "(一)出台办法。(区财政局负责。2024年6月底前完成)"])
    plan = parse_document(data, "方案.docx", registry=REGISTRY)
    assert [t.number for t in plan.tasks] == ["一、", "(一)"]
    assert [d.name for d in plan.tasks[1].lead] == ["区财政局"]


def test_a_spreadsheet_without_recognisable_columns_is_refused():
    with pytest.raises(DocumentError, match="没有找到“任务"):
        parse_document(xlsx([["姓名", "电话"], ["张三", "123"]]), "通讯录.xlsx")


def test_a_document_without_tasks_is_refused():
    with pytest.raises(DocumentError, match="没有识别出任何任务"):
        parse_document("请各单位认真贯彻落实。".encode(), "通知.txt")


def test_gb18030_text_is_read():
    text = "一、推进改革\n(一)出台办法。(区财政局负责。2024年6月底前完成)\n"
    plan = parse_document(text.encode("gb18030"), "方案.txt", registry=REGISTRY)
    assert plan.tasks[1].deadline.deadline == date(2024, 6, 30)


def test_a_lead_merged_down_a_group_of_rows_belongs_to_each_row():
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ["序号", "任务内容", "牵头单位", "完成时限"],
        ["1", "出台办法", "区财政局", "6月底前"],
        ["2", "开展检查", "", "9月底前"],
    ]:
        sheet.append(row)
    sheet.merge_cells("C2:C3")
    buffer = io.BytesIO()
    book.save(buffer)
    plan = parse_document(buffer.getvalue(), "台账.xlsx", year=2024, registry=REGISTRY)
    assert [[d.name for d in t.lead] for t in plan.tasks] == [["区财政局"], ["区财政局"]]
