"""What every reader shares: the result, the error and its Chinese messages, the size limits."""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 10 * 1024 * 1024

# A .docx or .xlsx may not inflate its XML beyond this: the longest real plan is a few MB of XML (a 1 MB text is
# about 8 MB as Word writes it), a zip bomb far more.
MAX_UNZIPPED_XML_BYTES = 48 * 1024 * 1024
# Nor hold more members than this: a .docx has a few dozen parts, an OFD one folder of a few files per page.
MAX_ZIP_MEMBERS = 5000

MSG_EMPTY = "文件是空的。"
MSG_TOO_LARGE = "文件超过10 MB的上限。"
MSG_IMAGE = "这是图片文件，不是文字文档。"
MSG_OLD_EXCEL = "暂不支持旧版Excel（.xls）格式，请另存为.xlsx后再导入。"
MSG_OLD_OFFICE = "这是无法识别的旧版Office文件（不是Word文档），请另存为.docx后再导入。"
MSG_ENCRYPTED = "文件设有密码保护，请取消密码后另存为.docx/.xlsx再导入。"
MSG_BROKEN_ZIP = "文件已损坏或不是Word/Excel文档。"
MSG_BROKEN_WORD = "文件已损坏或不是Word文档，无法读取。"
MSG_UNZIPPED_TOO_LARGE = "文件解压后的内容过大，无法导入。"
MSG_BINARY = "这不是文字文档（文件含有二进制数据），无法导入。"
MSG_ENCODING = "无法识别文件的文字编码，请另存为UTF-8或GB18030编码的文本。"
MSG_BAD_CSV = "CSV文件格式有误，无法读取。"
MSG_NO_TEXT = "文件中没有文字内容。"


class DocumentError(ValueError):
    """Bad input, with a message in Chinese for the person who gave it."""


@dataclass(frozen=True)
class Document:
    text: str  # the document as text lines ("" for a pure spreadsheet)
    tables: list[list[list[str]]]  # every table: rows of cell strings (stripped, None → "")
    encoding: str | None  # the text encoding detected, for .txt/.csv; None otherwise
    kind: str  # "text" | "csv" | "docx" | "xlsx" | "pdf" | "doc" | "wps" | "rtf" | "odt" | "html" | "ofd"
