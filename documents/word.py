"""Official documents as Word (.docx), on the same GB/T 9704-2012 page as the PDF, for offices
that route documents through their OA system and edit them before 签发.

python-docx writes the file: the page (A4, margins 37/28/35/26 mm mirrored for double-sided
printing, 22 lines × 28 characters as Word's document grid), the styles an office restyles
(正文 仿宋 16 pt, 标题 小标宋 22 pt, 一级标题 黑体, 二级标题 楷体), and the footers "— N —" at the
right on odd pages and the left on even ones. The annex table is written as raw WordprocessingML
rows: python-docx's add_row() re-reads the table for every row, minutes for a 2 000-row annex.

What a document says comes in as an `OfficialDocument`; this module imports no app of ours."""

import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .titles import title_lines

RED = RGBColor(0xE6, 0x00, 0x12)
BODY_PT = 16  # §5.2.4 3号
TITLE_PT = 22  # §7.3.1 2号
TABLE_PT = 10.5  # 五号, as the PDF's annex
TABLE_LINE = round(TABLE_PT * 1.45 * 20)  # the PDF annex's line-height 1.45, exactly, in twips
CELL_MARGIN_TWIPS = round(1.2 * 56.692)
# §5.2.2: 225 mm of type area over 22 lines (Word's line grid), 156 mm over 28 characters: 16 pt
# characters set 0.2 pt closer, as the PDF's letter-spacing. Not Word's character grid
# ("linesAndChars"): LibreOffice spreads such a line to 17 characters.
LINE_PITCH_TWIPS = round(225 / 22 * 56.692)
CONDENSED_TWENTIETHS = -4  # w:spacing, −0.2 pt between characters


@dataclass(frozen=True)
class Paragraph:
    text: str
    level: int = 0  # 0 body, 1 一、(黑体), 2 (一)(楷体), 3 1.(bold)


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float]  # shares of the type area's width, summing to 1


@dataclass(frozen=True)
class Slip:
    """A part cut off along a dashed line and returned (回执): its name and blanks, each a
    label, what is already filled in, and the lines left to write on."""

    title: str
    fields: list[tuple[str, str, int]]


@dataclass
class OfficialDocument:
    mark: str
    title: str
    fonts: dict[str, list[str]]  # role → families, first found wins (settings.OFFICIAL_FONTS)
    number: str = ""
    recipients: str = ""
    body: list = field(default_factory=list)  # Paragraph and Table, in order
    annex_note: str = ""  # 附件：… under the body
    issuer: str = ""
    date: str = ""
    annex_title: str = ""  # the annex on landscape pages of its own
    annex: Table | None = None
    copy_to: str = ""  # 抄送 in the 版记
    printed_by: str = ""  # 印发机关 in the 版记
    draft: bool = False
    slip: Slip | None = None  # after the signature, on the body's pages


def _font(run, family: str, size: float | None = None, *, bold: bool = False, color: RGBColor | None = None):
    run.font.name = family
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), family)
    if size:
        run.font.size = Pt(size)
    run.font.bold = bold or None
    if color is not None:
        run.font.color.rgb = color


class _Writer:
    def __init__(self, document: OfficialDocument):
        self.source = document
        self.doc = Document()
        names = {role: (families[0] if families else "FangSong") for role, families in document.fonts.items()}
        self.body_font = names.get("body", "仿宋_GB2312")
        self.title_font = names.get("title", "方正小标宋简体")
        self.heading_font = names.get("heading", "黑体")
        self.kai_font = names.get("kai", "楷体_GB2312")
        self.number_font = names.get("number", "Times New Roman")

    # The page -----------------------------------------------------------------------------
    def page(self):
        section = self.doc.sections[0]
        _portrait(section)
        settings = self.doc.settings.element
        # Binding margin inside: left on odd pages, right on even (§5.2.2, printed both sides).
        settings.append(OxmlElement("w:mirrorMargins"))
        self.doc.settings.odd_and_even_pages_header_footer = True
        _grid(section)
        self._footers(section)
        # 16 pt everywhere unless a run says otherwise.
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for tag in ("w:sz", "w:szCs"):
            size = rpr.find(qn(tag))
            if size is None:
                size = OxmlElement(tag)
                rpr.append(size)
            size.set(qn("w:val"), str(BODY_PT * 2))
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(BODY_PT)
        normal.font.name = self.body_font
        normal_rpr = normal.element.get_or_add_rPr()
        normal_rpr.get_or_add_rFonts().set(qn("w:eastAsia"), self.body_font)
        normal_rpr.append(_text_element("w:spacing", val=str(CONDENSED_TWENTIETHS)))
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        # CJK line breaking: no line starts with ，。、 (Word's kinsoku, on by default, made explicit).
        ppr = normal.element.get_or_add_pPr()
        for tag in ("w:kinsoku", "w:overflowPunct", "w:autoSpaceDE"):
            element = OxmlElement(tag)
            element.set(qn("w:val"), "1")
            ppr.append(element)

    def _footers(self, section):
        section.footer_distance = Mm(35 - 7 - 5)  # §7.5 page number 7 mm under the type area
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = align
            indent = Pt(14)  # one character in from the edge
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                paragraph.paragraph_format.right_indent = indent
            else:
                paragraph.paragraph_format.left_indent = indent
            _font(paragraph.add_run("— "), self.number_font, 14)
            _page_field(paragraph, self.number_font)
            _font(paragraph.add_run(" —"), self.number_font, 14)

    # The head -----------------------------------------------------------------------------
    def head(self):
        d = self.source
        if d.draft:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(p.add_run("草稿 · 未印发"), self.body_font, 12, color=RGBColor(0x88, 0x88, 0x88))
        mark = self.doc.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark.paragraph_format.space_before = Mm(25)
        _font(mark.add_run(d.mark), self.title_font, 30, color=RED)
        rule_holder = mark
        if d.number:
            number = self.doc.add_paragraph()
            number.alignment = WD_ALIGN_PARAGRAPH.CENTER
            number.paragraph_format.space_before = Mm(15)
            _font(number.add_run(d.number), self.body_font)
            rule_holder = number
        _red_rule(rule_holder)
        title = self.doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_before = Mm(16)
        title.paragraph_format.space_after = Mm(10)
        for n, line in enumerate(title_lines(d.title)):  # broken between phrases, as in the PDF
            run = title.add_run(line)
            _font(run, self.title_font, TITLE_PT)
            if n:
                run._element.addprevious(OxmlElement("w:br"))
        if d.recipients:
            self.line(d.recipients, indent=False)

    # The body -----------------------------------------------------------------------------
    def line(self, text: str, *, level: int = 0, indent: bool = True):
        p = self.doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        font = {1: self.heading_font, 2: self.kai_font}.get(level, self.body_font)
        _font(p.add_run(text), font, BODY_PT, bold=level == 3)
        if level == 1:
            p.paragraph_format.keep_with_next = True
        return p

    def body(self):
        blocks = self.source.body
        for n, block in enumerate(blocks):
            if isinstance(block, Table):
                self.table(block, portrait=True)
                continue
            p = self.line(block.text, level=block.level)
            if n + 1 < len(blocks) and isinstance(blocks[n + 1], Table):
                # LibreOffice keeps such a heading with the whole table, leaving page 1 half empty.
                p.paragraph_format.keep_with_next = False

    def closing(self):
        d = self.source
        # §7.3.5: the signature and date never stand alone on a page: the last body
        # paragraph, the annex note, the signature and the date keep together.
        if self.doc.paragraphs:
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        if d.annex_note:
            note = self.line(d.annex_note)
            note.paragraph_format.space_before = Mm(10)
            note.paragraph_format.keep_with_next = True
        for n, (text, right) in enumerate(((d.issuer, 2), (d.date, 1))):
            if not text:
                continue
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(BODY_PT * right)
            if n == 0:
                p.paragraph_format.space_before = Mm(20)  # room for the 印章 above the date
                p.paragraph_format.keep_with_next = True
            _font(p.add_run(text), self.body_font)

    def slip(self):
        slip = self.source.slip
        if slip is None:
            return
        cut = self.doc.add_paragraph()
        cut.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cut.paragraph_format.space_before = Mm(10)
        cut.paragraph_format.keep_with_next = True
        _border(cut, "top", size=6, space=4, style="dashed")
        _font(cut.add_run(slip.title), self.heading_font, 18)
        grid = self.doc.add_table(rows=len(slip.fields), cols=2)
        grid.style = self.doc.styles["Table Grid"]
        grid.autofit = False
        for row, (label, value, lines) in zip(grid.rows, slip.fields, strict=True):
            row.height = Pt(TABLE_PT * 1.45 * 2 * lines)
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for cell, text, width, family in (
                (row.cells[0], label, Mm(156 * 0.22), self.heading_font),
                (row.cells[1], value, Mm(156 * 0.78), self.body_font),
            ):
                cell.width = width
                _font(cell.paragraphs[0].add_run(text), family, 12)
            row.cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    # The annex ----------------------------------------------------------------------------
    def annex(self):
        d = self.source
        if d.annex is None:
            return
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        _landscape(section)
        # The table's 五号 text is set close, not on the body's 28-character grid.
        section._sectPr.find(qn("w:docGrid")).set(qn("w:type"), "default")
        label = self.doc.add_paragraph()
        _font(label.add_run("附件"), self.heading_font)
        title = self.doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(title.add_run(d.annex_title), self.title_font, 18)
        self.table(d.annex, portrait=False)

    def table(self, table: Table, *, portrait: bool):
        width = Mm(156 if portrait else 225)
        grid = self.doc.add_table(rows=1, cols=len(table.header))
        grid.style = self.doc.styles["Table Grid"]
        grid.autofit = False
        widths = [int(width * share) for share in table.widths]
        tbl = grid._tbl
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        tbl.tblPr.append(layout)
        margins = OxmlElement("w:tblCellMar")  # 1.2 mm all round, as the PDF's cells
        for side in ("top", "left", "bottom", "right"):
            margins.append(_text_element(f"w:{side}", w=str(CELL_MARGIN_TWIPS), type="dxa"))
        tbl.tblPr.append(margins)
        for n, cell in enumerate(grid.rows[0].cells):
            cell.width = widths[n]
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(p.add_run(table.header[n]), self.heading_font, TABLE_PT)
        header = grid.rows[0]._tr
        repeat = OxmlElement("w:tblHeader")  # the header on every page the table runs onto
        header.get_or_add_trPr().append(repeat)
        for row in table.rows:
            tbl.append(_row(row, widths, self.body_font))
        for gridcol, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=False):
            gridcol.set(qn("w:w"), str(int(w / 635)))  # EMU → twips

    def colophon(self):
        d = self.source
        if not (d.copy_to or d.printed_by):
            return
        if d.copy_to:
            p = self.doc.add_paragraph()
            p.paragraph_format.space_before = Mm(10)
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            _border(p, "top")
            _font(p.add_run(f"抄送：{d.copy_to}"), self.body_font, 14)
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT  # not justified: the tab carries the date to the right
        if not d.copy_to:
            _border(p, "top")
        _border(p, "bottom")
        p.paragraph_format.tab_stops.add_tab_stop(Mm(225 if d.annex else 156) - Pt(28))
        _font(p.add_run(f"{d.printed_by}\t{d.date}印发"), self.body_font, 14)

    def write(self) -> bytes:
        self.page()
        self.head()
        self.body()
        self.closing()
        self.slip()
        self.annex()
        self.colophon()
        core = self.doc.core_properties
        core.title = self.source.title
        core.subject = self.source.number
        core.author = self.source.issuer
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def write_docx(document: OfficialDocument) -> bytes:
    return _Writer(document).write()


def _portrait(section):
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)  # inside (binding), outside


def _landscape(section):
    """§10.1 横排表格: the same type area across the long side, binding margin at the top."""
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(28), Mm(26)
    section.left_margin, section.right_margin = Mm(37), Mm(35)


def _grid(section):
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))


def _page_field(paragraph, family: str):
    """A PAGE field: Word and LibreOffice fill in each page's number."""
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        _font(run, family, 14)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._element.append(instr)
        else:
            run.text = text


def _red_rule(paragraph):
    """§7.2.5 the red rule under the number, as wide as the type area."""
    _border(paragraph, "bottom", color="E60012", size=12, space=6)


def _border(paragraph, side: str, *, color: str = "000000", size: int = 8, space: int = 1, style: str = "single"):
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    edge = OxmlElement(f"w:{side}")
    for name, value in (("val", style), ("sz", str(size)), ("space", str(space)), ("color", color)):
        edge.set(qn(f"w:{name}"), value)
    borders.append(edge)


def _text_element(tag: str, **attributes):
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _row(cells: list[str], widths, family: str):
    """One table row as WordprocessingML: <w:tr><w:tc><w:tcPr/><w:p><w:r><w:t>…"""
    tr = OxmlElement("w:tr")
    trpr = OxmlElement("w:trPr")
    trpr.append(_text_element("w:cantSplit"))
    tr.append(trpr)
    for text, width in zip(cells, widths, strict=True):
        tc = OxmlElement("w:tc")
        tcpr = OxmlElement("w:tcPr")
        tcpr.append(_text_element("w:tcW", w=str(int(width / 635)), type="dxa"))
        tc.append(tcpr)
        for line in (text or "").split("\n"):
            p = OxmlElement("w:p")
            ppr = OxmlElement("w:pPr")
            ppr.append(_text_element("w:snapToGrid", val="0"))  # 五号 rows set close, off the body's line grid
            ppr.append(_text_element("w:spacing", line=str(TABLE_LINE), lineRule="exact", before="0", after="0"))
            ppr.append(_text_element("w:jc", val="left"))
            p.append(ppr)
            r = OxmlElement("w:r")
            rpr = OxmlElement("w:rPr")
            rpr.append(_text_element("w:rFonts", eastAsia=family, ascii=family, hAnsi=family))
            rpr.append(_text_element("w:sz", val=str(int(TABLE_PT * 2))))
            r.append(rpr)
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = line
            r.append(t)
            p.append(r)
            tc.append(p)
        tr.append(tc)
    return tr
