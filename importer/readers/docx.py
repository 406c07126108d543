""".docx: straight from the zip and its XML, in document order, with Word's automatic list numbers written back in
front of their paragraphs. Also the reader of what LibreOffice converts .doc/.wps/.rtf/.odt into."""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, replace
from xml.etree import ElementTree

from .base import MSG_BROKEN_ZIP, Document, DocumentError

_W_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",  # transitional (what Word and WPS write)
        "http://purl.oclc.org/ooxml/wordprocessingml/main",  # strict
    }
)
_MC_NAMESPACE = "http://schemas.openxmlformats.org/markup-compatibility/2006"

# Inside a paragraph: elements whose subtree never holds visible text (properties, deleted text, field codes,
# the fallback copy of a drawing that mc:Choice already holds).
_SKIPPED_IN_PARAGRAPH = frozenset({"pPr", "rPr", "sdtPr", "delText", "instrText", "mc:Fallback"})
# At block level (body, cell, text box): same idea.
_SKIPPED_IN_BLOCKS = frozenset({"sectPr", "sdtPr", "tblPr", "tblGrid", "trPr", "tcPr", "mc:Fallback"})


def _local(tag: object) -> str | None:
    """The WordprocessingML local name of a tag ("p", "tbl"), "mc:<name>" for markup compatibility, else None."""
    if not isinstance(tag, str) or not tag.startswith("{"):
        return None
    namespace, _, local = tag[1:].partition("}")
    if namespace in _W_NAMESPACES:
        return local
    if namespace == _MC_NAMESPACE:
        return "mc:" + local
    return None


def read_docx(archive: zipfile.ZipFile) -> Document:
    try:
        xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, KeyError, RuntimeError, ValueError, NotImplementedError):
        raise DocumentError(MSG_BROKEN_ZIP) from None
    if b"<!DOCTYPE" in xml:  # Word never writes one; refuse entity tricks outright.
        raise DocumentError(MSG_BROKEN_ZIP)
    try:
        root = ElementTree.fromstring(xml)
    except (ElementTree.ParseError, LookupError):  # LookupError: an unknown encoding declared
        raise DocumentError(MSG_BROKEN_ZIP) from None
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise DocumentError(MSG_BROKEN_ZIP)
    lines: list[str] = []
    tables: list[list[list[str]]] = []
    numbering = _Numbering.load(archive)
    try:
        _docx_blocks(body, lines, tables, numbering)
    except RecursionError:  # absurdly deep nesting: not something Word writes
        raise DocumentError(MSG_BROKEN_ZIP) from None
    return Document(text="\n".join(lines), tables=tables, encoding=None, kind="docx")


def _docx_blocks(
    parent: ElementTree.Element, lines: list[str], tables: list[list[list[str]]], numbering: _Numbering | None
) -> None:
    """Paragraphs and tables under parent, in document order, through content controls and the like. numbering
    (None when the file has none) puts each automatically numbered paragraph's label back in front of its text."""
    for child in parent:
        name = _local(child.tag)
        if name == "p":
            text_boxes: list[ElementTree.Element] = []
            label = numbering.label(child) if numbering is not None else ""  # counted before its text boxes
            lines.append(_join_label(label, _docx_paragraph(child, text_boxes)))
            for box in text_boxes:  # a text box anchored in the paragraph reads after it
                _docx_blocks(box, lines, tables, numbering)
        elif name == "tbl":
            rows = _docx_table(child, numbering)
            tables.append(rows)
            # One line per row: a cell's own line breaks become spaces so the row stays one line.
            lines.extend("\t".join(cell.replace("\n", " ") for cell in row) for row in rows)
        elif name is not None and name not in _SKIPPED_IN_BLOCKS:
            _docx_blocks(child, lines, tables, numbering)  # w:sdt, w:sdtContent, w:customXml, mc:AlternateContent ...


def _docx_paragraph(paragraph: ElementTree.Element, text_boxes: list[ElementTree.Element]) -> str:
    parts: list[str] = []

    def walk(element: ElementTree.Element) -> None:
        for child in element:
            name = _local(child.tag)
            if name == "t":
                parts.append(child.text or "")
            elif name in ("tab", "ptab"):
                parts.append("\t")
            elif name in ("br", "cr"):
                parts.append("\n")
            elif name == "noBreakHyphen":
                parts.append("-")
            elif name == "txbxContent":
                text_boxes.append(child)
            elif name not in _SKIPPED_IN_PARAGRAPH:
                # Runs and what wraps them: w:r, w:hyperlink, w:ins, w:smartTag, w:fldSimple, w:sdt, w:drawing
                # (whose namespaces are not w:, hence walking anything not skipped).
                walk(child)

    walk(paragraph)
    return "".join(parts)


def _docx_children(parent: ElementTree.Element, wanted: str):
    """Direct children named wanted, looking through the content controls and custom XML that may wrap them."""
    for child in parent:
        name = _local(child.tag)
        if name == wanted:
            yield child
        elif name in ("sdt", "sdtContent", "customXml"):
            yield from _docx_children(child, wanted)


def _grid_count(properties: ElementTree.Element | None, wanted: str) -> int:
    """The w:val of a w:gridSpan / w:gridBefore / w:gridAfter under properties, 0 when absent."""
    if properties is None:
        return 0
    for child in properties:
        if _local(child.tag) == wanted:
            value = next((v for k, v in child.attrib.items() if k.endswith("}val") or k == "val"), "")
            return int(value) if value.isdigit() else 0
    return 0


def _docx_table(table: ElementTree.Element, numbering: _Numbering | None) -> list[list[str]]:
    """Rows of cell texts. A cell merged across columns is followed by "" for each column it covers, so columns
    line up; a cell merged down (w:vMerge) is "" below its first row, as in the file."""
    rows: list[list[str]] = []
    for tr in _docx_children(table, "tr"):
        row_properties = next((c for c in tr if _local(c.tag) == "trPr"), None)
        row = [""] * _grid_count(row_properties, "gridBefore")
        for tc in _docx_children(tr, "tc"):
            cell_lines: list[str] = []
            _docx_blocks(tc, cell_lines, [], numbering)  # a nested table lands in the cell's text, one line per row
            row.append("\n".join(cell_lines).strip())
            cell_properties = next((c for c in tc if _local(c.tag) == "tcPr"), None)
            row.extend([""] * max(_grid_count(cell_properties, "gridSpan") - 1, 0))
        row.extend([""] * _grid_count(row_properties, "gridAfter"))
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------------------------
# .docx automatic numbering
#
def _join_label(label: str, text: str) -> str:
    """Word sets a tab between label and text; a space is kept where a digit follows "1." so it reads "1. 2015年…"."""
    if label.endswith((".", "．")) and text[:1].isdigit():
        return f"{label} {text}"
    return label + text


# Word keeps a numbered paragraph's label ("一、", "（一）", "1.") out of its text: the paragraph (or its style) names
# a list (w:numPr: w:numId, w:ilvl); word/numbering.xml maps the list (w:num) to a definition (w:abstractNum) whose
# levels (w:lvl) give the start value, the number format and the label pattern ("%1、", "（%1）", "%1.%2"). Counters
# run per list and level in document order, and a level starts again when a shallower level of its list is used.

_LEVELS = 9  # w:ilvl 0-8
_LEVEL_PLACEHOLDER = re.compile("%([1-9])")
_NO_LABEL_FORMATS = frozenset({"bullet", "none"})
_CHINESE_DIGITS = "〇一二三四五六七八九"
_CHINESE_UNITS = ("", "十", "百", "千")
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ENCLOSED_FORMATS = {  # first character for 1; Word shows these for 1-20 and plain digits beyond
    "decimalEnclosedCircle": 0x2460,  # ①
    "decimalEnclosedCircleChinese": 0x2460,
    "decimalEnclosedParen": 0x2474,  # ⑴
    "decimalEnclosedFullstop": 0x2488,  # ⒈
}
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"))
_ROMAN += ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_MAX_LETTER_NUMBER = 26 * 20  # beyond "TTTTTTTTTTTTTTTTTTTT" a letter label is absurd: show digits
_FULL_WIDTH_DIGITS = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _format_number(number: int, fmt: str) -> str:
    """number as a list level of format fmt (a w:numFmt value) shows it. Unknown formats, and numbers a format
    cannot show (0 in letters, 4000 in Roman numerals), come out as plain digits."""
    if fmt in _NO_LABEL_FORMATS:
        return ""
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographDigital", "japaneseCounting"):
        return _chinese_number(number)
    if fmt in _ENCLOSED_FORMATS and 1 <= number <= 20:
        return chr(_ENCLOSED_FORMATS[fmt] + number - 1)
    if fmt == "ideographTraditional" and number >= 1:
        return _HEAVENLY_STEMS[(number - 1) % len(_HEAVENLY_STEMS)]
    if fmt == "ideographZodiac" and number >= 1:
        return _EARTHLY_BRANCHES[(number - 1) % len(_EARTHLY_BRANCHES)]
    if fmt in ("upperLetter", "lowerLetter") and 1 <= number <= _MAX_LETTER_NUMBER:
        letters = chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1)  # Word: ... Z, AA, BB ...
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= number < 4000:
        roman, rest = [], number
        for value, symbol in _ROMAN:
            count, rest = divmod(rest, value)
            roman.append(symbol * count)
        return "".join(roman) if fmt == "upperRoman" else "".join(roman).lower()
    if fmt == "decimalZero" and 0 <= number < 10:
        return f"0{number}"
    if fmt == "decimalFullWidth":
        return str(number).translate(_FULL_WIDTH_DIGITS)
    return str(number)


def _chinese_number(number: int) -> str:
    """一 … 十, 十一 … 九十九, 一百, 一百零一, 一百一十 … 九千九百九十九; 〇 for 0, digits outside 0-9999."""
    if number == 0:
        return _CHINESE_DIGITS[0]
    if not 0 < number < 10000:
        return str(number)
    parts: list[str] = []
    gap = False
    digits = str(number)
    for position, digit in enumerate(digits):
        if digit == "0":
            gap = True
            continue
        if gap and parts:
            parts.append("零")
        gap = False
        parts.append(_CHINESE_DIGITS[int(digit)] + _CHINESE_UNITS[len(digits) - 1 - position])
    text = "".join(parts)
    return text[1:] if 10 <= number < 20 else text  # 十二, not 一十二


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str  # w:numFmt
    text: str  # w:lvlText: "%1、", "（%1）", "%1.%2"
    restart: int | None  # w:lvlRestart: start again when this (1-based) level is used; 0 never; None: any shallower
    legal: bool  # w:isLgl: every level's number shows as digits in this level's label
    style: str | None  # w:pStyle: the paragraph style tied to this level


@dataclass(frozen=True)
class _Style:
    based_on: str | None
    num_id: str | None  # from w:pPr/w:numPr, None when the style does not say
    ilvl: int | None


def _child(element: ElementTree.Element | None, wanted: str) -> ElementTree.Element | None:
    if element is None:
        return None
    return next((child for child in element if _local(child.tag) == wanted), None)


def _attr(element: ElementTree.Element | None, wanted: str) -> str | None:
    """A w: attribute's value, stripped; None when the element or the attribute is missing."""
    if element is None:
        return None
    for key, value in element.attrib.items():
        namespace, _, local = key[1:].partition("}") if key.startswith("{") else ("", "", key)
        if local == wanted and (not namespace or namespace in _W_NAMESPACES):
            return value.strip()
    return None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _read_optional_part(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    """A part of the package that the text can do without: None when it is missing or broken."""
    try:
        xml = archive.read(name)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, KeyError, RuntimeError, ValueError, NotImplementedError):
        return None
    if b"<!DOCTYPE" in xml:
        return None
    try:
        return ElementTree.fromstring(xml)
    except (ElementTree.ParseError, LookupError):  # LookupError: an unknown encoding declared
        return None


def _num_pr(properties: ElementTree.Element | None) -> tuple[str | None, int | None]:
    """(w:numId, w:ilvl) of the w:numPr in a w:pPr; either None when not given."""
    num_pr = _child(properties, "numPr")
    return _attr(_child(num_pr, "numId"), "val"), _int(_attr(_child(num_pr, "ilvl"), "val"))


def _parse_styles(root: ElementTree.Element | None) -> tuple[dict[str, _Style], str | None]:
    """styleId → what numbering it carries, and the default paragraph style's id."""
    styles: dict[str, _Style] = {}
    default = None
    for element in root if root is not None else ():
        style_id = _attr(element, "styleId")
        if _local(element.tag) != "style" or style_id is None:
            continue
        num_id, ilvl = _num_pr(_child(element, "pPr"))
        styles.setdefault(style_id, _Style(_attr(_child(element, "basedOn"), "val"), num_id, ilvl))
        is_default = (_attr(element, "default") or "").lower() in ("1", "true", "on")
        if default is None and is_default and (_attr(element, "type") or "paragraph") == "paragraph":
            default = style_id
    return styles, default


def _parse_level(element: ElementTree.Element) -> _Level:
    fmt = _child(element, "numFmt")
    if fmt is None:  # Word 2010+ wraps custom formats in mc:AlternateContent, a plain one in its mc:Fallback
        for alternate in element:
            if _local(alternate.tag) == "mc:AlternateContent":
                fmt = _child(_child(alternate, "mc:Fallback"), "numFmt")
                if fmt is not None:
                    break
    legal = _child(element, "isLgl")
    return _Level(
        start=_int(_attr(_child(element, "start"), "val")) or 0,  # the standard's default is 0
        fmt=_attr(fmt, "val") or "decimal",
        text=_attr(_child(element, "lvlText"), "val") or "",
        restart=_int(_attr(_child(element, "lvlRestart"), "val")),
        legal=legal is not None and (_attr(legal, "val") or "1").lower() not in ("0", "false", "off"),
        style=_attr(_child(element, "pStyle"), "val"),
    )


def _parse_lists(root: ElementTree.Element, styles: dict[str, _Style]) -> dict[str, dict[int, _Level]]:
    """numId → ilvl → _Level: each w:num's definition with its w:lvlOverride applied."""
    abstracts: dict[str, ElementTree.Element] = {}
    nums: dict[str, ElementTree.Element] = {}
    for element in root:
        name = _local(element.tag)
        if name == "abstractNum" and (abstract_id := _attr(element, "abstractNumId")) is not None:
            abstracts.setdefault(abstract_id, element)
        elif name == "num" and (num_id := _attr(element, "numId")) is not None:
            nums.setdefault(num_id, element)

    def definition(abstract_id: str | None, links: int = 0) -> dict[int, _Level]:
        abstract = abstracts.get(abstract_id or "")
        if abstract is None:
            return {}
        levels: dict[int, _Level] = {}
        for element in abstract:
            ilvl = _int(_attr(element, "ilvl"))
            if _local(element.tag) == "lvl" and ilvl is not None and 0 <= ilvl < _LEVELS:
                levels.setdefault(ilvl, _parse_level(element))
        # A definition may only point at a numbering style (w:numStyleLink) whose list holds the levels.
        link = styles.get(_attr(_child(abstract, "numStyleLink"), "val") or "")
        if not levels and link is not None and link.num_id in nums and links < 4:
            return definition(_attr(_child(nums[link.num_id], "abstractNumId"), "val"), links + 1)
        return levels

    lists: dict[str, dict[int, _Level]] = {}
    for num_id, num in nums.items():
        if _int(num_id) == 0:  # numId 0 means "no numbering"; it never names a list
            continue
        levels = definition(_attr(_child(num, "abstractNumId"), "val"))
        for override in num:
            ilvl = _int(_attr(override, "ilvl"))
            if _local(override.tag) != "lvlOverride" or ilvl is None or not 0 <= ilvl < _LEVELS:
                continue
            if (level := _child(override, "lvl")) is not None:
                levels[ilvl] = _parse_level(level)
            start = _int(_attr(_child(override, "startOverride"), "val"))
            if start is not None and ilvl in levels:
                levels[ilvl] = replace(levels[ilvl], start=start)
        if levels:
            lists[num_id] = levels
    return lists


class _Numbering:
    """A document's list definitions and paragraph styles, and the counters as its paragraphs are read in order."""

    def __init__(self, lists: dict[str, dict[int, _Level]], styles: dict[str, _Style], default_style: str | None):
        self._lists = lists
        self._styles = styles
        self._default_style = default_style
        self._counters: dict[str, list[int | None]] = {}  # numId → per level: last number shown, None: not yet

    @classmethod
    def load(cls, archive: zipfile.ZipFile) -> _Numbering | None:
        """None when word/numbering.xml is missing, broken or defines no list: the text then goes without labels."""
        root = _read_optional_part(archive, "word/numbering.xml")
        if root is None:
            return None
        styles, default_style = _parse_styles(_read_optional_part(archive, "word/styles.xml"))
        lists = _parse_lists(root, styles)
        return cls(lists, styles, default_style) if lists else None

    def label(self, paragraph: ElementTree.Element) -> str:
        """The label Word shows before the paragraph ("" for none), counting the paragraph in its list."""
        properties = _child(paragraph, "pPr")
        num_id, ilvl = _num_pr(properties)
        # What the paragraph leaves unsaid comes from its style, then the styles that style is based on.
        style_id = _attr(_child(properties, "pStyle"), "val")
        if style_id not in self._styles:  # no style named, or one the file does not define: Word uses the default
            style_id = self._default_style
        chain: list[str] = []
        while style_id is not None and style_id in self._styles and style_id not in chain and len(chain) < 32:
            chain.append(style_id)
            style = self._styles[style_id]
            num_id = style.num_id if num_id is None else num_id
            ilvl = style.ilvl if ilvl is None else ilvl
            style_id = style.based_on
        levels = self._lists.get(num_id or "")  # numId 0 (numbering switched off) names no list
        if levels is None:
            return ""
        if ilvl is None:  # a style tied to a level (w:lvl/w:pStyle) numbers at that level
            ilvl = next((i for sid in chain for i, level in sorted(levels.items()) if level.style == sid), 0)
        level = levels.get(ilvl)
        if level is None:
            return ""

        counters = self._counters.setdefault(num_id, [None] * _LEVELS)
        for deeper in range(ilvl + 1, _LEVELS):
            restart = levels[deeper].restart if deeper in levels else None
            if restart != 0 and ilvl < (restart if restart is not None and 0 < restart <= deeper else deeper):
                counters[deeper] = None
        counters[ilvl] = level.start if counters[ilvl] is None else counters[ilvl] + 1

        if level.fmt in _NO_LABEL_FORMATS:
            return ""

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            shown = levels.get(index)
            if shown is None:
                return ""
            value = counters[index]
            if value is None:  # a level not used yet shows one before its start, as Word's "0.1"
                value = shown.start - 1
            fmt = "decimal" if level.legal and shown.fmt not in _NO_LABEL_FORMATS else shown.fmt
            return _format_number(value, fmt)

        return _LEVEL_PLACEHOLDER.sub(number, level.text)
