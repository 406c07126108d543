"""Evidence and deliverable files: the type is judged by content, not by name."""

import zipfile

from django.core.exceptions import ValidationError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# Office Open XML packages name their main part; an OLE2 container is an old Office file.
_OOXML_PARTS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_MAGIC = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),  # .doc/.xls/.ppt and WPS files
]
ALLOWED_DESCRIPTION = "PDF、图片（PNG/JPEG/GIF）或Office文档（Word/Excel/PowerPoint）"


def content_type_of(upload) -> str:
    """The file's real type, or a ValidationError (Chinese) saying why it is refused."""
    if upload.size == 0:
        raise ValidationError(f"文件“{upload.name}”是空的。")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"文件“{upload.name}”超过{MAX_UPLOAD_BYTES // (1024 * 1024)} MB的上限。")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            upload.seek(0)
        for part, kind in _OOXML_PARTS.items():
            if part in names:
                return kind
    raise ValidationError(f"文件“{upload.name}”的类型不允许：只能上传{ALLOWED_DESCRIPTION}。")
