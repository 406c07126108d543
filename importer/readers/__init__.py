"""Turn an uploaded file (or pasted text) into text lines and tables for the parser.

Plain Python, no Django. One module per format; this one decides which reads a file, by its content first and its
name second:
- .txt (UTF-8, UTF-16 with BOM, GB18030/GBK/GB2312) and .csv: text.py
- .docx: docx.py (straight from the zip and its XML, with Word's automatic list numbers); .xlsx: xlsx.py
- .pdf with a text layer: pdf.py (a scan, an encrypted or empty PDF is refused with the reason)
- .doc, .wps, .rtf, .odt: converted to .docx by LibreOffice (office.py), then read as .docx
- .html/.htm (or .mht, saved as one file), a web page saved from a browser, in any declared encoding: webpage.py
- .ofd (GB/T 33190): ofd.py
Anything else is refused with a Chinese message that tells the person who uploaded it what was wrong.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

from .base import (
    MAX_BYTES,
    MAX_UNZIPPED_XML_BYTES,
    MAX_ZIP_MEMBERS,
    MSG_BROKEN_WORD,
    MSG_BROKEN_ZIP,
    MSG_EMPTY,
    MSG_ENCRYPTED,
    MSG_IMAGE,
    MSG_NO_TEXT,
    MSG_OLD_EXCEL,
    MSG_OLD_OFFICE,
    MSG_TOO_LARGE,
    MSG_UNZIPPED_TOO_LARGE,
    Document,
    DocumentError,
)
from .budget import check_docx, check_xlsx
from .docx import _format_number, read_docx
from .limits import run_limited
from .text import decode_text, read_csv
from .xlsx import read_xlsx

__all__ = ["MAX_BYTES", "Document", "DocumentError", "_format_number", "decode_text", "read_document"]

# What the upload form and the import command accept (the content decides how a file is read; this is for people).
EXTENSIONS = (
    ".txt",
    ".csv",
    ".docx",
    ".xlsx",
    ".pdf",
    ".doc",
    ".wps",
    ".rtf",
    ".odt",
    ".html",
    ".htm",
    ".mht",
    ".mhtml",
    ".ofd",
)

_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
)
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or the end record of an empty zip
# OLE2 directory entries are named in UTF-16-LE: an encrypted .docx/.xlsx holds an EncryptedPackage; a Word 97-2003
# document (and a WPS one, which keeps Word's binary format) a WordDocument stream; an old Excel workbook a Workbook.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_WORD_DOCUMENT = "WordDocument".encode("utf-16-le")
_WORKBOOK = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.I | re.S
)
# A single-file web page: MIME headers, one of them announcing multipart/related, before the first blank line.
_MHTML_START = re.compile(
    rb"^(?:[\x21-\x7e]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)*?[Cc]ontent-[Tt]ype:\s*multipart/related"
)
MSG_NOT_CONVERTED_HERE = "此处只接受表格文件（.xlsx 或 .csv），不接受PDF、.doc等需要转换的文件。"
_CONVERTED_KINDS = {
    "doc": "Word 97-2003文档（.doc）",
    "wps": "WPS文字文档（.wps）",
    "rtf": "RTF文档（.rtf）",
    "odt": "OpenDocument文档（.odt）",
}


def read_document(data: bytes, filename: str, *, convert: bool = True) -> Document:
    """Dispatch on the file's content first and the name second (see the module's doc). Pasted text comes in as bytes
    of UTF-8 with filename "粘贴文本.txt". Raises DocumentError with a Chinese message for anything it cannot read.
    convert=False refuses what is read in another process (PDF, and what LibreOffice converts), for uploads that
    any department's staff may make (the progress ledger): each costs up to a minute of a helper process."""
    if not data:
        raise DocumentError(MSG_EMPTY)
    if len(data) > MAX_BYTES:
        raise DocumentError(MSG_TOO_LARGE)
    if data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        raise DocumentError(MSG_IMAGE)

    name = filename.lower().strip()
    if not convert and (
        _PDF_MAGIC in data[:1024]
        or data.startswith(_OLE2_MAGIC)
        or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf")
        or (data.startswith(_ZIP_MAGIC) and b"opendocument" in data[:200])
    ):
        raise DocumentError(MSG_NOT_CONVERTED_HERE)
    if _PDF_MAGIC in data[:1024]:  # readers accept junk before the header, so must we
        from .pdf import MSG_PDF_BROKEN, read_pdf

        document = run_limited(read_pdf, data, broken=MSG_PDF_BROKEN)
    elif data.startswith(_OLE2_MAGIC):
        document = _read_ole2(data, name)
    elif data.startswith(_ZIP_MAGIC):
        document = _read_zip(data)
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        document = _converted(data, "rtf")
    elif name.endswith((".docx", ".xlsx", ".xlsm", ".ofd", ".odt")):
        # Named as a zip-based document but not a zip: damaged, or something else renamed.
        raise DocumentError(MSG_BROKEN_ZIP)
    elif name.endswith((".mht", ".mhtml")) or _MHTML_START.match(data[:4096]):
        from .webpage import read_mhtml

        document = read_mhtml(data)
    elif name.endswith((".html", ".htm", ".shtml", ".xhtml")) or _HTML_START.match(data[:4096]):
        # Also a .doc that a web system wrote as HTML (a common "export to Word").
        from .webpage import read_html

        document = read_html(data)
    elif name.endswith((".doc", ".wps")):
        raise DocumentError(MSG_BROKEN_WORD)
    elif name.endswith(".csv"):
        document = read_csv(data)
    else:
        text, encoding = decode_text(data)
        document = Document(text=text, tables=[], encoding=encoding, kind="text")

    if not document.text.strip() and not any(cell for table in document.tables for row in table for cell in row):
        raise DocumentError(MSG_NO_TEXT)
    return document


def _read_ole2(data: bytes, name: str) -> Document:
    if _ENCRYPTED_PACKAGE in data:
        raise DocumentError(MSG_ENCRYPTED)
    if _WORD_DOCUMENT in data or name.endswith((".doc", ".wps", ".dot", ".wpt")):
        return _converted(data, "wps" if name.endswith((".wps", ".wpt")) else "doc")
    if any(stream in data for stream in _WORKBOOK):
        raise DocumentError(MSG_OLD_EXCEL)
    raise DocumentError(MSG_OLD_OFFICE)


def _converted(data: bytes, kind: str) -> Document:
    from .office import convert_to_docx

    docx = convert_to_docx(data, suffix=f".{kind}", kind=_CONVERTED_KINDS[kind])
    return replace(_read_zip(docx), kind=kind)


def _read_zip(data: bytes) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DocumentError(MSG_BROKEN_ZIP) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise DocumentError(MSG_UNZIPPED_TOO_LARGE)
        unzipped = sum(info.file_size for info in infos if info.filename.lower().endswith((".xml", ".rels")))
        if unzipped > MAX_UNZIPPED_XML_BYTES:
            raise DocumentError(MSG_UNZIPPED_TOO_LARGE)
        if "word/document.xml" in names:
            check_docx(archive)
            return run_limited(_read_docx_bytes, data, broken=MSG_BROKEN_WORD)
        if "xl/workbook.xml" in names:
            check_xlsx(archive)
            return run_limited(read_xlsx, data, broken=MSG_BROKEN_ZIP)
        if "OFD.xml" in names or "ofd.xml" in names:
            from .ofd import read_ofd

            return read_ofd(archive)
        if "content.xml" in names and _mimetype(archive) == _ODT_MIMETYPE:
            return _converted(data, "odt")
    raise DocumentError(MSG_BROKEN_ZIP)


def _read_docx_bytes(data: bytes) -> Document:
    """A .docx from its bytes, for reading in a child process under the memory and time limits."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return read_docx(archive)


def _mimetype(archive: zipfile.ZipFile) -> bytes:
    try:
        info = archive.getinfo("mimetype")
        return archive.read(info).strip() if info.file_size < 200 else b""
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError):
        return b""
