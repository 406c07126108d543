"""What every supervision page shares: refusals, errors next to their fields, file answers."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404

from .. import rules


def require_supervisor(request) -> None:
    if not rules.can_supervise(request.user):
        raise PermissionDenied("督查工作仅向督查员和政府办开放。")


def errors_into(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def file_answer(field, filename: str, *, sha256: str = "", content_type: str = "application/pdf"):
    """A stored file as a download; with `sha256`, only if it is still the file issued."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    if sha256:
        digest = hashlib.sha256()
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
        if digest.hexdigest() != sha256:
            handle.close()
            raise PermissionDenied("文件校验失败：存档的文件与印发时不一致，请联系管理员。")
        handle.seek(0)
    return FileResponse(handle, as_attachment=False, filename=filename, content_type=content_type)
