"""OFD (GB/T 33190-2016, the format of China's electronic official documents): a zip of XML.

OFD.xml → DocBody → DocRoot names a document (Doc_0/Document.xml); its Pages list each page's Content.xml
(BaseLoc, relative to the document's folder, or from the package root when it starts with "/"). A page's layers
hold TextObjects (Boundary "x y w h" in millimetres) whose TextCodes give text at X, Y inside the boundary (Y is the
baseline) with DeltaX spacing. The text is read by position, top to bottom then left to right, and made paragraphs
by layout.py as a PDF's is. Page templates (running heads, the red rule) are not read.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from xml.etree import ElementTree

from .base import Document, DocumentError
from .layout import Line, assemble, drop_furniture, group_lines

MSG_OFD_BROKEN = "OFD文件已损坏或结构不完整，无法读取。"
MSG_OFD_EMPTY = "OFD文件中没有文字（可能是扫描件，系统不做文字识别）。请上传原始的Word/WPS文档。"
MSG_OFD_ENCRYPTED = "OFD文件经过加密，请取消加密后再导入。"
MSG_OFD_TOO_MANY_PAGES = "OFD页数超过{limit}页的上限，请只导入方案本身。"

MAX_PAGES = 500
_DEFAULT_FONT_SIZE = 3.5  # mm, about 10 pt: what a TextObject without Size is read at
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def read_ofd(archive: zipfile.ZipFile) -> Document:
    names = set(archive.namelist())
    root = _xml(archive, "OFD.xml" if "OFD.xml" in names else "ofd.xml")
    body = _first(root, "DocBody")
    if body is None:
        raise DocumentError(MSG_OFD_BROKEN)
    if _first(body, "Encryptions") is not None or any(name.lower().endswith("encryptions.xml") for name in names):
        raise DocumentError(MSG_OFD_ENCRYPTED)
    doc_root = (_first(body, "DocRoot").text or "").strip() if _first(body, "DocRoot") is not None else ""
    if not doc_root:
        raise DocumentError(MSG_OFD_BROKEN)
    document_path = _resolve("", doc_root)
    document = _xml(archive, document_path)
    folder = posixpath.dirname(document_path)
    pages = [page for page in document.iter() if _local(page.tag) == "Page" and page.get("BaseLoc")]
    if len(pages) > MAX_PAGES:
        raise DocumentError(MSG_OFD_TOO_MANY_PAGES.format(limit=MAX_PAGES))

    lines: list[Line] = []
    for number, page in enumerate(pages):
        content_path = _resolve(folder, page.get("BaseLoc", ""))
        content = _xml(archive, content_path)
        pieces = [_piece(number, obj, code) for obj, code in _text_codes(_first(content, "Content"))]
        lines.extend(group_lines([piece for piece in pieces if piece is not None]))
    if not any(line.text.strip() for line in lines):
        raise DocumentError(MSG_OFD_EMPTY)
    return assemble(drop_furniture(lines, len(pages)), [], kind="ofd")


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _first(element: ElementTree.Element | None, wanted: str) -> ElementTree.Element | None:
    if element is None:
        return None
    return next((child for child in element if _local(child.tag) == wanted), None)


def _resolve(folder: str, location: str) -> str:
    """A location inside the package: from the root when it starts with "/", else from folder; never outside."""
    location = location.strip().replace("\\", "/")
    path = location.lstrip("/") if location.startswith("/") else posixpath.join(folder, location)
    path = posixpath.normpath(path)
    if path.startswith("../") or path == "..":
        raise DocumentError(MSG_OFD_BROKEN)
    return path


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        xml = archive.read(name)
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError, NotImplementedError):
        raise DocumentError(MSG_OFD_BROKEN) from None
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:  # no OFD writer declares one; refuse entity tricks outright
        raise DocumentError(MSG_OFD_BROKEN)
    try:
        return ElementTree.fromstring(xml)
    except (ElementTree.ParseError, LookupError):  # LookupError: an unknown encoding declared
        raise DocumentError(MSG_OFD_BROKEN) from None


def _numbers(text: str | None) -> list[float]:
    return [float(value) for value in _NUMBER.findall(text or "")]


def _text_codes(parent: ElementTree.Element | None):
    """(TextObject, TextCode) pairs in the page's content, through layers, page blocks and composite objects."""
    if parent is None:
        return
    for child in parent:
        name = _local(child.tag)
        if name == "TextObject":
            for code in child:
                if _local(code.tag) == "TextCode":
                    yield child, code
        elif name in ("Layer", "PageBlock", "CompositeObject", "Content"):
            yield from _text_codes(child)


def _piece(page: int, text_object: ElementTree.Element, code: ElementTree.Element) -> Line | None:
    text = (code.text or "").strip()
    if not text:
        return None
    boundary = _numbers(text_object.get("Boundary"))
    left, top = (boundary[0], boundary[1]) if len(boundary) >= 2 else (0.0, 0.0)
    size = (_numbers(text_object.get("Size")) or [_DEFAULT_FONT_SIZE])[0]
    ctm = _numbers(text_object.get("CTM"))
    if len(ctm) == 6 and ctm[3]:  # a scaled text object: sizes on the page are scaled with it
        size *= abs(ctm[3])
    x = left + (_numbers(code.get("X")) or [0.0])[0]
    baseline = top + (_numbers(code.get("Y")) or [size])[0]
    width = _advance(code.get("DeltaX"), len(text)) or len(text) * size
    return Line(page=page, top=baseline - size, bottom=baseline, left=x, right=x + width + size, text=text)


def _advance(delta_x: str | None, count: int) -> float:
    """The sum of a DeltaX ("g 3 5.6 2.1": three of 5.6 then 2.1) over the gaps between count glyphs."""
    if not delta_x:
        return 0.0
    tokens = delta_x.split()
    total, gaps, index = 0.0, 0, 0
    while index < len(tokens) and gaps < count - 1:
        if tokens[index] == "g" and index + 2 < len(tokens):
            repeat = _numbers(tokens[index + 1])
            value = _numbers(tokens[index + 2])
            times = min(int(repeat[0]) if repeat else 0, count - 1 - gaps)
            total += times * (value[0] if value else 0.0)
            gaps += times
            index += 3
        else:
            value = _numbers(tokens[index])
            total += value[0] if value else 0.0
            gaps += 1
            index += 1
    return total
