"""What every uploaded file keeps beside its bytes, whatever it is attached to (a report's
evidence, an inspector's photographs, a demand's or a notice's reply). Abstract: each owner
declares its own `file` with its own folder; `downloads.stored_file` serves them all."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UploadedFile(models.Model):
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name
