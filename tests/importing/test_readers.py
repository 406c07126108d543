"""The readers turn real files, built here byte by byte or with openpyxl, into text lines and tables."""

import datetime as dt
import io
import random
import zipfile

import openpyxl
import pytest

from tasks.importing.readers import MAX_BYTES, Document, DocumentError, decode_text, read_document

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


def make_docx(*blocks: str) -> bytes:
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}"><w:body>' + "".join(blocks) + "<w:sectPr/></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


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


def test_pdf():
    assert (
        refusal(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "方案.pdf")
        == "PDF文件无法直接导入，请复制其中的文字粘贴导入。"
    )


def test_old_office_formats():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    expected = "暂不支持旧版Word/Excel（.doc/.xls）格式，请另存为.docx/.xlsx后再导入。"
    assert refusal(ole2, "方案.doc") == expected
    assert refusal(ole2, "任务.xls") == expected


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
