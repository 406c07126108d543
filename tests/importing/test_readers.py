"""The readers turn real files, built here byte by byte or with openpyxl, into text lines and tables."""

import datetime as dt
import io
import random
import zipfile

import openpyxl
import pytest

from importer.readers import MAX_BYTES, Document, DocumentError, _format_number, decode_text, read_document

PLAN = "一、2015年完成的任务(共3项)\n(一)做好…(区编委办会同有关部门负责。2015年12月底前完成)"
PASTED = "粘贴文本.txt"


# --- building real files -------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def paragraph(*runs: str) -> str:
    return '<w:p><w:pPr><w:jc w:val="left"/></w:pPr>' + "".join(runs) + "</w:p>"


def run(text: str) -> str:
    return f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def cell(*paragraphs: str, span: int = 1) -> str:
    properties = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span > 1 else "<w:tcPr/>"
    return "<w:tc>" + properties + "".join(paragraphs) + "</w:tc>"


def table(*rows: list[str]) -> str:
    body = "".join("<w:tr>" + "".join(cells) + "</w:tr>" for cells in rows)
    return '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid/>' + body + "</w:tbl>"


def make_docx(*blocks: str, numbering: str | None = None, styles: str | None = None) -> bytes:
    """A .docx of blocks; numbering and styles, when given, are the inner XML of word/numbering.xml and
    word/styles.xml."""
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}"><w:body>' + "".join(blocks) + "<w:sectPr/></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)
        if numbering is not None:
            archive.writestr(
                "word/numbering.xml", f'<?xml version="1.0"?><w:numbering xmlns:w="{W}">{numbering}</w:numbering>'
            )
        if styles is not None:
            archive.writestr("word/styles.xml", f'<?xml version="1.0"?><w:styles xmlns:w="{W}">{styles}</w:styles>')
    return buffer.getvalue()


def numbered(text: str, num_id: int | None = None, ilvl: int | None = None, style: str | None = None) -> str:
    """A paragraph numbered by Word: w:numPr with whichever of numId/ilvl is given, and/or a paragraph style."""
    properties = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num_id is not None or ilvl is not None:
        properties += "<w:numPr>"
        properties += f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
        properties += f'<w:numId w:val="{num_id}"/>' if num_id is not None else ""
        properties += "</w:numPr>"
    return f'<w:p><w:pPr>{properties}<w:ind w:firstLine="640"/></w:pPr>{run(text) if text else ""}</w:p>'


def level(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}<w:lvlJc w:val="left"/></w:lvl>'
    )


def abstract(abstract_id: int, *levels: str) -> str:
    return f'<w:abstractNum w:abstractNumId="{abstract_id}">{"".join(levels)}</w:abstractNum>'


def num(num_id: int, abstract_id: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


# The usual outline of a government document: 一、 / （一） / 1. / （1）
OUTLINE = abstract(
    0,
    level(0, "chineseCounting", "%1、"),
    level(1, "chineseCounting", "（%2）"),  # %n is level n's counter (1-based), so level 1 shows %2
    level(2, "decimal", "%3."),
    level(3, "decimal", "（%4）"),
)


def make_xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


HEADER = ["序号", "任务内容", "牵头单位", "配合单位", "完成时限", "分值"]


# --- decode_text -----------------------------------------------------------------------------------------------


def test_utf8_decodes():
    assert decode_text(PLAN.encode("utf-8")) == (PLAN, "utf-8")


def test_utf8_bom_is_removed():
    text, encoding = decode_text(b"\xef\xbb\xbf" + PLAN.encode("utf-8"))
    assert (text, encoding) == (PLAN, "utf-8-sig")
    assert "\ufeff" not in text


@pytest.mark.parametrize("codec", ["gbk", "gb2312", "gb18030"])
def test_gb_family_decodes_identically(codec):
    assert decode_text(PLAN.encode(codec)) == (PLAN, "gb18030")


def test_gb18030_beyond_gbk():
    text = "鿏与𠮷：GBK没有的字"  # U+9FCF and an astral character only GB18030 encodes
    assert decode_text(text.encode("gb18030")) == (text, "gb18030")


@pytest.mark.parametrize(
    ("codec", "bom", "name"), [("utf-16-le", b"\xff\xfe", "utf-16-le"), ("utf-16-be", b"\xfe\xff", "utf-16-be")]
)
def test_utf16_with_bom(codec, bom, name):
    assert decode_text(bom + PLAN.encode(codec)) == (PLAN, name)


def test_newlines_are_normalised():
    text, _ = decode_text("第一行\r\n第二行\r第三行\n第四行\u2028第五行\r\n".encode())
    assert text == "第一行\n第二行\n第三行\n第四行\n第五行\n"


def test_crlf_in_gbk_is_normalised():
    assert decode_text(PLAN.replace("\n", "\r\n").encode("gbk"))[0] == PLAN


def test_a_stray_control_character_is_dropped():
    assert decode_text("任务内容完成情况良好\x1a".encode()) == ("任务内容完成情况良好", "utf-8")


def test_nul_bytes_are_binary():
    with pytest.raises(DocumentError, match="二进制"):
        decode_text("任务".encode() + b"\x00\x01")


def test_many_control_characters_are_binary():
    with pytest.raises(DocumentError, match="二进制"):
        decode_text(b"ab\x01\x02\x03\x04cd\x05\x06")


def test_undecodable_bytes():
    with pytest.raises(DocumentError) as error:
        decode_text(b"abc\x80\xff def")
    assert str(error.value) == "无法识别文件的文字编码，请另存为UTF-8或GB18030编码的文本。"


# --- read_document: text ------------------------------------------------------------------------------------------


def test_pasted_text():
    document = read_document(PLAN.encode("utf-8"), PASTED)
    assert document == Document(text=PLAN, tables=[], encoding="utf-8", kind="text")


def test_gbk_txt_file():
    document = read_document(PLAN.replace("\n", "\r\n").encode("gbk"), "实施方案.TXT")
    assert (document.text, document.encoding, document.kind) == (PLAN, "gb18030", "text")


def test_content_beats_the_name():
    document = read_document(make_docx(paragraph(run("正文"))), "方案.txt")
    assert (document.kind, document.text) == ("docx", "正文")


# --- read_document: docx ------------------------------------------------------------------------------------------


def test_docx_reads_paragraphs_and_tables_in_order():
    data = make_docx(
        paragraph(run("一、2015年完成的任务"), run("(共3项)")),
        paragraph(run("序号"), "<w:r><w:tab/></w:r>", run("内容"), "<w:r><w:br/><w:t>续行</w:t></w:r>"),
        table(
            [cell(paragraph(run("任务内容"))), cell(paragraph(run("牵头单位")))],
            [cell(paragraph(run("做好机构改革")), paragraph(run("第二段"))), cell(paragraph(run(" 区编委办 ")))],
        ),
        paragraph(run("二、2016年的任务")),
        paragraph(),
    )
    document = read_document(data, "方案.docx")
    assert document.kind == "docx"
    assert document.encoding is None
    assert document.tables == [[["任务内容", "牵头单位"], ["做好机构改革\n第二段", "区编委办"]]]
    assert document.text.split("\n") == [
        "一、2015年完成的任务(共3项)",
        "序号\t内容",
        "续行",
        "任务内容\t牵头单位",
        "做好机构改革 第二段\t区编委办",
        "二、2016年的任务",
        "",
    ]


def test_docx_hyperlinks_insertions_and_content_controls_are_read_but_deletions_are_not():
    data = make_docx(
        paragraph(
            run("依据"),
            f'<w:hyperlink xmlns:r="x" r:id="rId9">{run("《方案》")}</w:hyperlink>',
            f'<w:ins w:id="1" w:author="a">{run("（新增）")}</w:ins>',
            '<w:del w:id="2" w:author="a"><w:r><w:delText>删去</w:delText></w:r></w:del>',
            "<w:r><w:instrText> PAGE </w:instrText></w:r>",
        ),
        '<w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr>'
        f"<w:sdtContent>{paragraph(run('控件内'))}</w:sdtContent></w:sdt>",
    )
    assert read_document(data, "a.docx").text == "依据《方案》（新增）\n控件内"


def test_docx_text_box_is_read_once_after_its_paragraph():
    box = f"<w:txbxContent>{paragraph(run('框内文字'))}</w:txbxContent>"
    alternate = (
        '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx xmlns:wps="urn:wps">{box}</wps:txbx></w:drawing>'
        f'</mc:Choice><mc:Fallback><w:pict><v:textbox xmlns:v="urn:v">{box}</v:textbox></w:pict></mc:Fallback>'
        "</mc:AlternateContent>"
    )
    data = make_docx(paragraph(run("正文"), f"<w:r>{alternate}</w:r>"), paragraph(run("下一段")))
    assert read_document(data, "a.docx").text == "正文\n框内文字\n下一段"


def test_docx_merged_cells_keep_columns_aligned():
    data = make_docx(
        table(
            [cell(paragraph(run("序号"))), cell(paragraph(run("任务"))), cell(paragraph(run("单位")))],
            [cell(paragraph(run("一、合并标题")), span=3)],
            [cell(paragraph(run("1"))), cell(paragraph(run("任务甲"))), cell(paragraph(run("区财政局")))],
        )
    )
    assert read_document(data, "a.docx").tables == [
        [["序号", "任务", "单位"], ["一、合并标题", "", ""], ["1", "任务甲", "区财政局"]]
    ]


def test_docx_nested_table_lands_in_its_cell():
    inner = table([cell(paragraph(run("甲"))), cell(paragraph(run("乙")))])
    data = make_docx(table([cell(paragraph(run("外")), inner), cell(paragraph(run("右")))]))
    document = read_document(data, "a.docx")
    assert document.tables == [[["外\n甲\t乙", "右"]]]
    assert document.text == "外 甲\t乙\t右"


def test_docx_with_only_empty_paragraphs_has_no_text():
    with pytest.raises(DocumentError) as error:
        read_document(make_docx(paragraph(), paragraph(run("　 "))), "空.docx")
    assert str(error.value) == "文件中没有文字内容。"


# --- read_document: docx automatic numbering ----------------------------------------------------------------------


def test_docx_numbering_labels_restart_under_each_heading():
    data = make_docx(
        paragraph(run("关于全面深化改革的实施方案")),
        numbered("总体要求", 1, 0),
        numbered("指导思想", 1, 1),
        paragraph(run("正文段落不编号。")),
        numbered("基本原则", 1, 1),
        numbered("坚持问题导向", 1, 2),
        numbered("细化措施", 1, 3),
        numbered("坚持统筹推进", 1, 2),
        numbered("主要任务", 1, 0),
        numbered("深化机构改革", 1, 1),
        numbered("落实责任", 1, 2),
        numbered("", 1, 0),
        numbered("保障措施", 1, 0),
        numbering=OUTLINE + num(1, 0),
    )
    assert read_document(data, "方案.docx").text.split("\n") == [
        "关于全面深化改革的实施方案",
        "一、总体要求",
        "（一）指导思想",
        "正文段落不编号。",
        "（二）基本原则",
        "1.坚持问题导向",
        "（1）细化措施",
        "2.坚持统筹推进",
        "二、主要任务",
        "（一）深化机构改革",
        "1.落实责任",
        "三、",  # an empty numbered paragraph still shows, and counts
        "四、保障措施",
    ]


def test_docx_numbering_counts_past_ten_in_chinese():
    data = make_docx(*(numbered(f"任务{i}", 1, 0) for i in range(1, 23)), numbering=OUTLINE + num(1, 0))
    lines = read_document(data, "a.docx").text.split("\n")
    assert [line.partition("、")[0] for line in lines[8:]] == [
        "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十", "二十一", "二十二"
    ]  # fmt: skip


def test_docx_numbering_start_override():
    overrides = (
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride>'
        '<w:lvlOverride w:ilvl="1"><w:startOverride w:val="5"/></w:lvlOverride>'
    )
    data = make_docx(
        numbered("第一部分", 1, 0),
        numbered("接续上文", 2, 0),
        numbered("条目", 2, 1),
        numbered("条目", 2, 1),
        numbered("再一部分", 2, 0),
        numbered("条目", 2, 1),
        numbering=OUTLINE + num(1, 0) + num(2, 0, overrides),
    )
    assert read_document(data, "a.docx").text.split("\n") == [
        "一、第一部分",
        "三、接续上文",
        "（五）条目",
        "（六）条目",
        "四、再一部分",
        "（五）条目",
    ]


def test_docx_numbering_level_override_replaces_the_level():
    override = '<w:lvlOverride w:ilvl="0">' + level(0, "decimal", "第%1条", start=7) + "</w:lvlOverride>"
    data = make_docx(numbered("甲", 5, 0), numbered("乙", 5, 0), numbering=OUTLINE + num(5, 0, override))
    assert read_document(data, "a.docx").text == "第7条甲\n第8条乙"


def test_docx_numbering_id_zero_switches_numbering_off():
    styles = (
        '<w:style w:type="paragraph" w:styleId="ListHeading">'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    )
    data = make_docx(
        numbered("总体要求", 1, 0),
        numbered("不编号", 0, 0),
        numbered("样式编号被关掉", 0, style="ListHeading"),
        numbered("主要任务", 1, 0),
        numbering=OUTLINE + num(1, 0),
        styles=styles,
    )
    assert read_document(data, "a.docx").text == "一、总体要求\n不编号\n样式编号被关掉\n二、主要任务"


def test_docx_numbering_inherited_from_paragraph_styles():
    styles = (
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>'
        '<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="2Red"><w:basedOn w:val="2"/></w:style>'
    )
    data = make_docx(
        numbered("总体要求", style="1"),
        numbered("指导思想", style="2"),
        numbered("工作目标", style="2Red"),  # numbering from the style this one is based on
        numbered("正文", style="Normal"),
        numbered("主要任务", style="1"),
        numbered("第一项", style="2"),
        numbered("改在段落里降一级", ilvl=2, style="2"),  # the paragraph's own ilvl wins, the style's numId stays
        numbering=OUTLINE + num(1, 0),
        styles=styles,
    )
    assert read_document(data, "a.docx").text.split("\n") == [
        "一、总体要求",
        "（一）指导思想",
        "（二）工作目标",
        "正文",
        "二、主要任务",
        "（一）第一项",
        "1.改在段落里降一级",
    ]


def test_docx_numbering_level_found_through_its_linked_style():
    # Word's heading numbering: the styles name the list only, each level names its style (w:lvl/w:pStyle).
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="{sid}"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr>'
        "</w:style>"
        for sid in ("H1", "H2")
    )
    definition = abstract(
        4,
        level(0, "chineseCounting", "第%1章", extra='<w:pStyle w:val="H1"/>'),
        level(1, "decimal", "%1.%2", extra='<w:pStyle w:val="H2"/><w:isLgl/>'),
    )
    data = make_docx(
        numbered("总则", style="H1"),
        numbered("目的", style="H2"),
        numbered("依据", style="H2"),
        numbered("分则", style="H1"),
        numbered("范围", style="H2"),
        numbering=definition + num(3, 4),
        styles=styles,
    )
    assert read_document(data, "a.docx").text == "第一章总则\n1.1目的\n1.2依据\n第二章分则\n2.1范围"


def test_docx_numbering_multilevel_decimal_and_legal():
    definition = abstract(
        1,
        level(0, "chineseCounting", "%1、"),
        level(1, "decimal", "%1.%2"),
        level(2, "decimal", "%1.%2.%3", extra="<w:isLgl/>"),
    )
    data = make_docx(
        numbered("甲", 1, 1),  # before any level-0 paragraph: Word shows the parent as 0 ("0.1")
        numbered("乙", 1, 0),
        numbered("丙", 1, 1),
        numbered("丁", 1, 2),
        numbered("戊", 1, 1),
        numbering=definition + num(1, 1),
    )
    assert read_document(data, "a.docx").text == "〇.1甲\n一、乙\n一.1丙\n1.1.1丁\n一.2戊"


def test_docx_numbering_lvl_restart():
    definition = abstract(
        0,
        level(0, "chineseCounting", "%1、"),
        level(1, "decimal", "%2.", extra='<w:lvlRestart w:val="0"/>'),  # never restarts
        level(2, "lowerLetter", "%3)", extra='<w:lvlRestart w:val="1"/>'),  # restarts only under a new level 0
    )
    data = make_docx(
        numbered("一", 1, 0),
        numbered("a", 1, 1),
        numbered("b", 1, 2),
        numbered("c", 1, 1),
        numbered("d", 1, 2),
        numbered("二", 1, 0),
        numbered("e", 1, 1),
        numbered("f", 1, 2),
        numbering=definition + num(1, 0),
    )
    assert read_document(data, "a.docx").text.split("\n") == [
        "一、一", "1.a", "a)b", "2.c", "b)d", "二、二", "3.e", "a)f"
    ]  # fmt: skip


def test_docx_numbering_counters_are_per_list_and_run_through_tables():
    data = make_docx(
        numbered("甲", 1, 0),
        table([cell(numbered("表内", 1, 0)), cell(numbered("另一个列表", 2, 0))]),
        numbered("乙", 1, 0),
        numbered("丙", 2, 0),
        numbering=OUTLINE + num(1, 0) + num(2, 0),
    )
    document = read_document(data, "a.docx")
    assert document.tables == [[["二、表内", "一、另一个列表"]]]
    assert document.text == "一、甲\n二、表内\t一、另一个列表\n三、乙\n二、丙"


def test_docx_numbering_bullets_and_none_have_no_label():
    definition = abstract(
        2, level(0, "bullet", "\uf06c"), level(1, "none", ""), level(2, "decimalEnclosedCircle", "%3")
    )
    data = make_docx(
        numbered("要点", 1, 0),
        numbered("无", 1, 1),
        numbered("圈", 1, 2),
        numbered("圈", 1, 2),
        numbering=definition + num(1, 2),
    )
    assert read_document(data, "a.docx").text == "要点\n无\n①圈\n②圈"


def test_docx_numbering_custom_format_falls_back_to_the_plain_one():
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    custom = (
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><mc:AlternateContent xmlns:mc="{mc}">'
        '<mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="001, 002, 003, ..."/></mc:Choice>'
        '<mc:Fallback><w:numFmt w:val="decimalZero"/></mc:Fallback></mc:AlternateContent>'
        '<w:lvlText w:val="%1."/></w:lvl>'
    )
    data = make_docx(numbered("甲", 1, 0), numbering=abstract(0, custom) + num(1, 0))
    assert read_document(data, "a.docx").text == "01.甲"


def test_docx_numbering_in_the_strict_namespace():
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    data = make_docx(numbered("甲", 1, 0), numbering=OUTLINE + num(1, 0)).replace(W.encode(), strict.encode())
    assert read_document(data, "a.docx").text == "一、甲"


def test_docx_numbered_paragraphs_without_numbering_xml_still_read():
    data = make_docx(numbered("总体要求", 1, 0), numbered("指导思想", 1, 1), paragraph(run("正文")))
    assert read_document(data, "a.docx").text == "总体要求\n指导思想\n正文"


@pytest.mark.parametrize(
    "numbering",
    [
        "<w:abstractNum",  # broken XML
        '<w:num w:numId="1"><w:abstractNumId w:val="9"/></w:num>',  # a list with no definition
        abstract(0, '<w:lvl w:ilvl="x"/>', '<w:lvl w:ilvl="0"><w:start w:val="一"/></w:lvl>') + num(1, 0),
        num(1, 0) + '<w:abstractNum w:abstractNumId="0"><w:numStyleLink w:val="loop"/></w:abstractNum>',
    ],
    ids=["broken", "undefined", "odd-values", "dangling-link"],
)
def test_docx_with_malformed_numbering_reads_without_labels(numbering):
    data = make_docx(numbered("总体要求", 1, 0), numbered("主要任务", 1, 0), numbering=numbering)
    assert read_document(data, "a.docx").text == "总体要求\n主要任务"


def test_docx_numbering_with_a_doctype_is_ignored():
    data = make_zip(
        {
            "word/document.xml": f'<w:document xmlns:w="{W}"><w:body>{numbered("甲", 1, 0)}</w:body></w:document>',
            "word/numbering.xml": '<!DOCTYPE x [<!ENTITY a "一、">]><w:numbering xmlns:w="x"/>',
        }
    )
    assert read_document(data, "a.docx").text == "甲"


@pytest.mark.parametrize(
    ("number", "fmt", "expected"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (12, "chineseCountingThousand", "十二"),
        (20, "chineseCounting", "二十"),
        (21, "chineseCountingThousand", "二十一"),
        (99, "chineseCounting", "九十九"),
        (100, "chineseCounting", "一百"),
        (101, "chineseCounting", "一百零一"),
        (110, "chineseCounting", "一百一十"),
        (1005, "chineseCountingThousand", "一千零五"),
        (0, "chineseCounting", "〇"),
        (1, "ideographTraditional", "甲"),
        (10, "ideographTraditional", "癸"),
        (11, "ideographTraditional", "甲"),
        (1, "decimalEnclosedCircle", "①"),
        (20, "decimalEnclosedCircleChinese", "⑳"),
        (21, "decimalEnclosedCircle", "21"),
        (3, "decimalEnclosedParen", "⑶"),
        (1, "upperLetter", "A"),
        (26, "lowerLetter", "z"),
        (28, "upperLetter", "BB"),
        (0, "upperLetter", "0"),
        (4, "upperRoman", "IV"),
        (1994, "upperRoman", "MCMXCIV"),
        (9, "lowerRoman", "ix"),
        (4000, "lowerRoman", "4000"),
        (7, "decimal", "7"),
        (7, "decimalZero", "07"),
        (12, "decimalFullWidth", "１２"),
        (3, "ordinal", "3"),  # unknown: digits
        (3, "bullet", ""),
        (3, "none", ""),
    ],
)
def test_format_number(number, fmt, expected):
    assert _format_number(number, fmt) == expected


# --- read_document: xlsx ------------------------------------------------------------------------------------------


def test_xlsx_rows_with_whole_numbers_and_dates():
    data = make_xlsx(
        {
            "任务": [
                HEADER,
                [1, "做好机构改革", "区编委办", "区人社局", dt.datetime(2016, 12, 31), 15],
                [None, None, None, None, None, None],
                [2.0, "  推进简政放权  ", "区发改委", None, dt.date(2017, 6, 30), 7.5],
            ]
        }
    )
    document = read_document(data, "任务表.xlsx")
    assert (document.kind, document.text, document.encoding) == ("xlsx", "", None)
    assert document.tables == [
        [
            HEADER,
            ["1", "做好机构改革", "区编委办", "区人社局", "2016-12-31", "15"],
            ["2", "推进简政放权", "区发改委", "", "2017-06-30", "7.5"],
        ]
    ]


def test_xlsx_reads_every_sheet_and_skips_empty_ones():
    data = make_xlsx({"第一批": [["任务", "分值"], ["甲", 15]], "空表": [], "第二批": [["任务"], ["乙"]]})
    assert read_document(data, "a.xlsx").tables == [[["任务", "分值"], ["甲", "15"]], [["任务"], ["乙"]]]


def test_xlsx_without_any_value_has_no_text():
    with pytest.raises(DocumentError) as error:
        read_document(make_xlsx({"Sheet": [[None, "  "]]}), "空.xlsx")
    assert str(error.value) == "文件中没有文字内容。"


# --- read_document: csv -------------------------------------------------------------------------------------------

CSV_ROWS = [HEADER, ["1", "做好机构改革, 精简机构", "区编委办", "", "2016-12-31", "15"]]


def test_csv_with_commas_and_quotes():
    data = '序号,任务内容,牵头单位,配合单位,完成时限,分值\r\n1,"做好机构改革, 精简机构",区编委办,,2016-12-31,15\r\n'
    document = read_document(data.encode("utf-8"), "tasks.csv")
    assert document == Document(text="", tables=[CSV_ROWS], encoding="utf-8", kind="csv")


def test_csv_with_tabs_in_gbk():
    data = "\n".join("\t".join(row) for row in CSV_ROWS) + "\n\n"
    document = read_document(data.encode("gbk"), "任务.CSV")
    assert (document.tables, document.encoding) == ([CSV_ROWS], "gb18030")


@pytest.mark.parametrize("delimiter", [";", "，"])
def test_csv_with_semicolons_or_chinese_commas(delimiter):
    data = "\n".join(delimiter.join(cell.replace(",", "、") for cell in row) for row in CSV_ROWS)
    rows = read_document(data.encode("utf-8-sig"), "tasks.csv").tables[0]
    assert rows[0] == HEADER
    assert rows[1][1] == "做好机构改革、 精简机构"


# --- read_document: refusals --------------------------------------------------------------------------------------


def refusal(data: bytes, filename: str = "upload.bin") -> str:
    with pytest.raises(DocumentError) as error:
        read_document(data, filename)
    return str(error.value)


def test_document_error_is_a_value_error():
    assert issubclass(DocumentError, ValueError)


def test_empty_file():
    assert refusal(b"", PASTED) == "文件是空的。"


def test_oversize_file():
    assert refusal(b"a" * (MAX_BYTES + 1), "big.txt") == "文件超过10 MB的上限。"


def test_exactly_max_bytes_is_accepted():
    assert read_document(b"a" * MAX_BYTES, "big.txt").kind == "text"


@pytest.mark.parametrize(
    "magic",
    [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", b"GIF89a", b"GIF87a", b"RIFF\x10\x00\x00\x00WEBPVP8 "],
    ids=["png", "jpeg", "gif89a", "gif87a", "webp"],
)
def test_images(magic):
    assert refusal(magic + bytes(range(256)), "扫描件.docx") == "这是图片文件，不是文字文档。"


def test_damaged_pdf():
    assert refusal(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "方案.pdf") == "PDF文件已损坏，无法读取。"


def test_old_excel_and_other_old_office_files():
    # .doc goes to LibreOffice (tests/importing/test_formats.py); an old workbook or a slide deck does not.
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert (
        refusal(ole2 + "Workbook".encode("utf-16-le"), "任务.xls")
        == "暂不支持旧版Excel（.xls）格式，请另存为.xlsx后再导入。"
    )
    assert "不是Word文档" in refusal(ole2 + "PowerPoint Document".encode("utf-16-le"), "汇报.ppt")


def test_password_protected_office_file():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le")
    assert "密码" in refusal(ole2, "方案.docx")


def test_random_bytes_with_nuls():
    data = random.Random(20150101).randbytes(4096) + b"\x00"
    assert refusal(data) == "这不是文字文档（文件含有二进制数据），无法导入。"


def test_zip_that_is_not_office():
    data = make_zip({"readme.txt": "不是Word文档", "pic/a.xml": "<a/>"})
    assert refusal(data, "方案.docx") == "文件已损坏或不是Word/Excel文档。"


def test_truncated_docx():
    data = make_docx(paragraph(run("正文" * 200)))
    assert refusal(data[: len(data) // 2], "方案.docx") == "文件已损坏或不是Word/Excel文档。"


def test_docx_with_broken_xml():
    data = make_zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": "<w:document><w:body>"})
    assert refusal(data, "方案.docx") == "文件已损坏或不是Word/Excel文档。"


def test_truncated_xlsx():
    data = make_xlsx({"任务": [HEADER]})
    assert refusal(data[:-200], "任务.xlsx") == "文件已损坏或不是Word/Excel文档。"


def test_text_renamed_to_docx():
    assert refusal(PLAN.encode(), "方案.docx") == "文件已损坏或不是Word/Excel文档。"


def test_undecodable_text():
    assert refusal(b"\xff\xfb\x90\x64" + b"\xfe" * 10, "song.txt") == (
        "无法识别文件的文字编码，请另存为UTF-8或GB18030编码的文本。"
    )


@pytest.mark.parametrize("data", [b" \r\n\t\n", "\u3000\u3000\n".encode(), b"\xef\xbb\xbf"])
def test_whitespace_only_text(data):
    assert refusal(data, PASTED) == "文件中没有文字内容。"


def test_csv_without_values():
    assert refusal(b",,\n,,\n", "empty.csv") == "文件中没有文字内容。"
