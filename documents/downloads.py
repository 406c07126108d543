"""Downloads named as offices file them: 督查通报〔2026〕3号.pdf, 2026年度考核结果.docx."""

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Types a browser shows itself, safely, when asked to open a file in place (?inline=1).
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")


def download(data: bytes, filename: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    """The file with its Chinese name in Content-Disposition's filename* (RFC 6266, UTF-8
    percent-encoded), which every current browser saves under."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response


def stored_file(request, fileobj, *, name: str, content_type: str) -> FileResponse:
    """An uploaded file to download under its own name, or, with ?inline=1 and a PDF or an
    image, to open in the page (reviewers preview them in a frame of our own, in a sandbox)."""
    inline = request.GET.get("inline") == "1" and content_type in INLINE_TYPES
    response = FileResponse(fileobj, as_attachment=not inline, filename=name, content_type=content_type)
    if inline:
        response["X-Frame-Options"] = "SAMEORIGIN"
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; frame-ancestors 'self'"
    return response
