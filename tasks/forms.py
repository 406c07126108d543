from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tasks.importing.readers import MAX_BYTES

from .models import Plan


class ImportForm(forms.Form):
    """Upload a plan document or paste its text."""

    document = forms.FileField(
        label=_("上传文件"), required=False, help_text=_("支持 .txt .docx .xlsx .csv，10 MB以内")
    )
    text = forms.CharField(label=_("或粘贴文字"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    year = forms.IntegerField(
        label=_("方案年度"),
        required=False,
        min_value=1949,
        max_value=2100,
        help_text=_("文中时限没有写年份时按此年度解析；不填则从文中推断。"),
    )
    plan = forms.ModelChoiceField(
        label=_("作为已有方案的新版本"),
        queryset=Plan.objects.order_by("-year", "title"),
        required=False,
        empty_label=_("（新方案）"),
    )

    def clean(self):
        cleaned = super().clean()
        document, text = cleaned.get("document"), (cleaned.get("text") or "").strip()
        if document and text:
            raise ValidationError(_("请只上传文件或只粘贴文字，不要同时提供。"))
        if not document and not text:
            raise ValidationError(_("请上传文件或粘贴方案文字。"))
        if document and document.size > MAX_BYTES:
            raise ValidationError(_("文件超过10 MB的上限。"))
        if len(text.encode()) > MAX_BYTES:
            raise ValidationError(_("粘贴的文字超过10 MB的上限。"))
        return cleaned

    def source(self) -> tuple[bytes, str]:
        """The bytes to read and the name to read them under."""
        document = self.cleaned_data.get("document")
        if document:
            return document.read(), document.name
        return self.cleaned_data["text"].encode("utf-8"), "粘贴文本.txt"
