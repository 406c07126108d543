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
    """The file's real type, or a ValidationError (Chinese) saying why it is refused.

    The whole file is judged, not its first bytes: "%PDF-" followed by a web page, or a
    PNG signature on anything, would otherwise be kept and served as that type."""
    if upload.size == 0:
        raise ValidationError(f"文件“{upload.name}”是空的。")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"文件“{upload.name}”超过{MAX_UPLOAD_BYTES // (1024 * 1024)} MB的上限。")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    if kind is None and head.startswith(b"PK\x03\x04"):
        kind = _ooxml_kind(upload)
    if kind is None:
        raise ValidationError(f"文件“{upload.name}”的类型不允许：只能上传{ALLOWED_DESCRIPTION}。")
    try:
        whole = _STRUCTURE[kind.split("/")[0] if kind.startswith("image/") else kind](upload)
    except Exception:  # noqa: BLE001 - whatever the parser trips on, the file is not what it claims
        whole = False
    finally:
        upload.seek(0)
    if not whole:
        raise ValidationError(f"文件“{upload.name}”已损坏或不是完整的{_NAMES.get(kind, '文件')}，未保存。")
    return kind


# Unpacked, an evidence document is at most this large; a "zip bomb" is refused unread.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# An image larger than this many pixels is not a scan of a page (Pillow's bomb check).
MAX_IMAGE_PIXELS = 100_000_000
_NAMES = {
    "application/pdf": "PDF文件",
    "image/png": "图片",
    "image/jpeg": "图片",
    "image/gif": "图片",
    "application/msword": "Office文档",
    **dict.fromkeys(_OOXML_PARTS.values(), "Office文档"),
}


def _ooxml_kind(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return next((kind for part, kind in _OOXML_PARTS.items() if part in names), None)


def _pdf(upload) -> bool:
    """A PDF whose cross-reference and pages read: at least one page, and no page tree
    made up by pypdf's repair of a file that only starts like a PDF."""
    from pypdf import PdfReader

    reader = PdfReader(upload, strict=False)
    return len(reader.pages) >= 1


def _image(upload) -> bool:
    from PIL import Image

    with Image.open(upload) as image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            return False
        image.verify()
    return True


def _ooxml(upload) -> bool:
    """An Office Open XML package: a whole zip (its central directory read), small enough
    unpacked, with its content-types part and XML main part."""
    with zipfile.ZipFile(upload) as archive:
        infos = archive.infolist()
        if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
            return False
        names = {info.filename for info in infos}
        main = next((part for part in _OOXML_PARTS if part in names), None)
        if "[Content_Types].xml" not in names or main is None:
            return False
        for part in ("[Content_Types].xml", main):
            with archive.open(part) as stream:
                if not stream.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                    return False
    return True


def _ole2(upload) -> bool:
    """An OLE2 compound file (.doc/.xls/.ppt, WPS): its header's byte order, sector size
    and version agree, and the file is whole sectors long."""
    upload.seek(0)
    header = upload.read(512)
    if len(header) < 512 or header[28:30] != b"\xfe\xff":
        return False
    major, shift = int.from_bytes(header[26:28], "little"), int.from_bytes(header[30:32], "little")
    if (major, shift) not in ((3, 9), (4, 12)):
        return False
    return (upload.size - 512) % (1 << shift) == 0 and upload.size > 512


_STRUCTURE = {
    "application/pdf": _pdf,
    "image": _image,
    "application/msword": _ole2,
    **dict.fromkeys(_OOXML_PARTS.values(), _ooxml),
}
