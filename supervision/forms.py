from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from departments.models import Department, display_name
from departments.permissions import SUPERVISING_ROLES
from tasks.forms import MultipleFileField, TextField

from .choices import InspectionKind, Rating

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DepartmentChoiceField(forms.ModelChoiceField):
    """Departments by full name (str() would read each one's aliases: a query per option)."""

    def label_from_instance(self, obj):
        return obj.name


class DepartmentsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PeopleField(forms.ModelMultipleChoiceField):
    """People offered by 姓名 (and post), never by their login."""

    def label_from_instance(self, user):
        title = user.membership.title if getattr(user, "membership", None) else ""
        if not title:
            return display_name(user)
        return gettext("%(name)s（%(title)s）") % {"name": display_name(user), "title": title}


class InspectionForm(forms.Form):
    title = forms.CharField(label=_("督查名称"), max_length=200)
    kind = forms.ChoiceField(label=_("督查类型"), choices=InspectionKind.choices)
    period_start = forms.DateField(label=_("开始日期"), widget=DATE)
    period_end = forms.DateField(label=_("结束日期"), widget=DATE)
    inspectors = PeopleField(
        label=_("督查人员"),
        queryset=get_user_model()
        .objects.filter(membership__role__in=SUPERVISING_ROLES, is_active=True)
        .select_related("membership")
        .order_by("membership__full_name", "username"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = TextField(label=_("说明"), limit=2000, rows=3, required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("结束日期不能早于开始日期。"))
        return cleaned


class FindingForm(forms.Form):
    rating = forms.ChoiceField(label=_("督查评价"), choices=Rating.choices)
    comment = TextField(label=_("督查意见"), limit=5000, rows=3, required=False)


class EvidenceForm(forms.Form):
    files = MultipleFileField(label=_("督查佐证"), help_text=_("PDF、图片或Office文档，每个20 MB以内"))


class DemandForm(forms.Form):
    department = DepartmentChoiceField(
        label=_("责任单位"),
        queryset=Department.objects.supervised().order_by("name"),
        help_text=_("只列本机关督查的单位（本级部门、下级政府）。"),
    )
    requirement = TextField(label=_("整改要求"), limit=2000, rows=3)
    due_date = forms.DateField(label=_("整改时限"), widget=DATE)


class DemandReportForm(forms.Form):
    text = TextField(label=_("整改情况"), limit=10000, rows=4)
    files = MultipleFileField(
        label=_("整改佐证"),
        required=False,
        help_text=_("照片、PDF、Word或Excel等，可选多个（最多10个），每个20 MB以内"),
    )


class NoticeSendForm(forms.Form):
    """The preview's choices: 反馈时限 and 办理要求; nothing is sent without `confirm`."""

    feedback_due = forms.DateField(label=_("反馈时限"), widget=DATE)
    requirements = TextField(label=_("办理要求"), limit=2000, rows=3)
    confirm = forms.BooleanField(label=_("已核对发送名单，确认发送"), required=False)


class NoticeResponseForm(forms.Form):
    text = TextField(label=_("办理情况"), limit=5000, rows=5)
    files = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_("照片、PDF、Word或Excel等，可选多个（最多10个），每个20 MB以内"),
    )


class DemandDecisionForm(forms.Form):
    comment = TextField(label=_("审核意见"), limit=2000, rows=2, required=False)


class BulletinForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    recipients = forms.CharField(label=_("主送机关"), max_length=200, required=False)
    basic = TextField(label=_("一、基本情况"), limit=20000, rows=5, required=False)
    achievements = TextField(label=_("二、主要成效"), limit=20000, rows=5, required=False)
    problems = TextField(label=_("三、存在问题"), limit=20000, rows=5, required=False)
    requirements = TextField(label=_("四、下一步工作要求"), limit=20000, rows=5, required=False)
    commended = DepartmentsChoiceField(
        label=_("通报表扬的单位"),
        # Only the units the office supervises: a bulletin never judges a higher body or its own parent.
        queryset=Department.objects.supervised().order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    criticised = DepartmentsChoiceField(
        label=_("通报批评的单位"),
        queryset=Department.objects.supervised().order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("commended") or ()) & set(cleaned.get("criticised") or ())
        if both:
            names = "、".join(sorted(d.name for d in both))
            self.add_error("criticised", _("同一单位不能既被表扬又被批评：%(names)s。") % {"names": names})
        return cleaned


class RulesForm(forms.Form):
    commend_min_tasks = forms.IntegerField(label=_("表扬：牵头任务至少（项），且全部按期推进"), min_value=1)
    criticise_overdue_days = forms.IntegerField(label=_("通报批评：任一任务逾期超过（天）"), min_value=0)


class CorrectionForm(forms.Form):
    reason = TextField(label=_("更正原因"), limit=1000, rows=2)
