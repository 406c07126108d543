"""Plain text in the encodings Chinese offices use, and .csv."""

from __future__ import annotations

import codecs
import csv
import io
import re

from .base import MSG_BAD_CSV, MSG_BINARY, MSG_ENCODING, Document, DocumentError

# Every line boundary str.splitlines() knows, CRLF first so it stays one break.
LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Control characters that have no business in a text: C0 except tab and the line breaks, DEL, C1 (less NEL).
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f\x80-\x84\x86-\x9f]")
# Above this share of control characters (and this many) the "text" is binary decoded by luck.
_MAX_CONTROL_SHARE = 0.05
_MAX_STRAY_CONTROLS = 2

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)


def decode_text(data: bytes) -> tuple[str, str]:
    """bytes → (text, encoding name). BOMs first (utf-8-sig, utf-16 LE/BE); then strict UTF-8; then GB18030
    (a superset of GBK/GB2312). Text with NUL bytes or a high share of control characters is binary:
    raise DocumentError. Normalise newlines to "\\n"."""
    for bom, bom_encoding, codec in _BOMS:
        if data.startswith(bom):
            name = bom_encoding
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise DocumentError(MSG_ENCODING) from None
            break
    else:
        # Without a BOM a NUL byte is binary: UTF-8 and GB18030 text never contains one.
        if b"\x00" in data:
            raise DocumentError(MSG_BINARY)
        for name in ("utf-8", "gb18030"):
            try:
                text = data.decode(name)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise DocumentError(MSG_ENCODING)

    controls = sum(1 for _ in _CONTROLS.finditer(text))
    if controls:
        if "\x00" in text or controls > max(len(text) * _MAX_CONTROL_SHARE, _MAX_STRAY_CONTROLS):
            raise DocumentError(MSG_BINARY)
        # A stray few (a DOS end-of-file mark, a bell copied out of an old system) are noise: drop them.
        text = _CONTROLS.sub("", text)
    return LINE_BREAKS.sub("\n", text), name


_CSV_DELIMITERS = (",", "\t", ";", "，")
_CSV_SAMPLE_LINES = 50


def read_csv(data: bytes) -> Document:
    text, encoding = decode_text(data)
    delimiter = _sniff_delimiter(text)
    try:
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error:
        raise DocumentError(MSG_BAD_CSV) from None
    rows = [row for row in rows if any(row)]
    return Document(text="", tables=[rows] if rows else [], encoding=encoding, kind="csv")


def _sniff_delimiter(text: str) -> str:
    """The candidate that splits the first lines into the same number (> 1) of fields most consistently, then into
    the most fields. Parses with the csv module, so a delimiter inside quotes does not count. "," if none splits."""
    sample = [line for line in text.split("\n", _CSV_SAMPLE_LINES)[:_CSV_SAMPLE_LINES] if line.strip()]
    best, best_score = ",", (0.0, 0)
    for delimiter in _CSV_DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts:
            continue
        modal = max(set(counts), key=lambda n: (counts.count(n), n))
        if modal < 2:
            continue
        score = (counts.count(modal) / len(counts), modal)
        if score > best_score:
            best, best_score = delimiter, score
    return best
