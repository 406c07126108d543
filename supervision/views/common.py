"""What every supervision page shares: refusals and file answers."""

import hashlib

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.utils.translation import gettext

from .. import rules


def require_supervisor(request) -> None:
    if not rules.can_supervise(request.user):
        raise PermissionDenied(gettext("督查工作仅向督查员和政府办开放。"))


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
            raise PermissionDenied(gettext("文件校验失败：存档的文件与印发时不一致，请联系管理员。"))
        handle.seek(0)
    return FileResponse(handle, as_attachment=False, filename=filename, content_type=content_type)
