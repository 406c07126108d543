"""Inspections, their findings, evidence and the demands raised on them."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from reform_portal.forms import errors_into

from .. import selectors
from ..choices import Rating
from ..filtersets import FindingFilterSet
from ..forms import DemandForm, EvidenceForm, FindingForm, InspectionForm, NoticeSendForm
from ..models import Finding, FindingEvidence, Inspection
from ..services import (
    bulletin_draft,
    demand_raise,
    finding_confirm,
    finding_evidence_add,
    findings_confirm_all,
    inspection_create,
    notices_preview,
    notices_send,
)
from .common import file_answer, require_supervisor


def _inspection(request, pk: int) -> Inspection:
    require_supervisor(request)
    return get_object_or_404(selectors.inspections(user=request.user), pk=pk)


def _finding(request, pk: int) -> Finding:
    require_supervisor(request)
    return get_object_or_404(
        Finding.objects.select_related("inspection", "task__plan", "confirmed_by__membership").prefetch_related(
            "evidence", "demands__department", "task__assignments__department"
        ),
        pk=pk,
    )


@login_required
def inspection_list(request):
    require_supervisor(request)
    page = Paginator(selectors.inspections(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "supervision/inspection_list.html", {"page": page})


@login_required
def inspection_new(request):
    """The inspection's particulars and its scope, chosen with the task list's own filters."""
    require_supervisor(request)
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    form = InspectionForm(data, initial={"period_start": today.replace(day=1), "period_end": today})
    scope = selectors.scope_filterset((request.POST if data else request.GET).urlencode(), today=today)
    if data is not None and form.is_valid():
        fields = form.cleaned_data
        try:
            inspection = inspection_create(
                title=fields["title"],
                kind=fields["kind"],
                period_start=fields["period_start"],
                period_end=fields["period_end"],
                inspectors=fields["inspectors"],
                notes=fields["notes"],
                scope=_scope_query(request.POST, scope),
                by=request.user,
                today=today,
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(
                request,
                gettext("已开展督查，生成督查发现%(count)s条，请逐条确认评价。")
                % {"count": inspection.findings.count()},
            )
            return redirect(inspection)
    status = 400 if data is not None else 200
    return render(request, "supervision/inspection_form.html", {"form": form, "scope": scope}, status=status)


def _scope_query(post, filterset) -> str:
    scope = post.copy()
    for name in list(scope):
        if name not in filterset.filters:
            scope.pop(name)
    return scope.urlencode()


@login_required
def inspection_detail(request, pk: int):
    inspection = _inspection(request, pk)
    rating = request.GET.get("rating", "")
    filters = request.GET.copy()
    filters.pop("inspection", None)
    findings = FindingFilterSet(filters, queryset=selectors.findings_page(inspection)).qs
    page = Paginator(findings, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "inspection": inspection,
        "page": page,
        "query": query.urlencode(),
        "rating": rating,
        "ratings": Rating.choices,
        "counts": selectors.rating_counts(inspection),
        "scope": selectors.scope_description(inspection.scope, today=timezone.localdate()),
        "bulletins": inspection.bulletins.order_by("-id"),
        "notices": inspection.notices.select_related("department").order_by("sequence", "department__name"),
    }
    return render(request, "supervision/inspection_detail.html", context)


@login_required
@require_POST
def confirm_all(request, pk: int):
    inspection = _inspection(request, pk)
    count = findings_confirm_all(inspection=inspection, by=request.user)
    messages.success(request, gettext("已按建议确认%(count)s条督查发现。") % {"count": count})
    return redirect(inspection)


@login_required
def finding_detail(request, pk: int):
    finding = _finding(request, pk)
    form = FindingForm(
        request.POST if request.method == "POST" else None,
        initial={"rating": finding.final_rating, "comment": finding.comment},
    )
    if request.method == "POST" and form.is_valid():
        try:
            finding_confirm(
                finding=finding,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, gettext("督查评价已确认。"))
            return redirect(finding.inspection.get_absolute_url() + f"#finding-{finding.pk}")
    status = 400 if form.is_bound else 200
    return _finding_page(request, finding, status=status, form=form)


def _finding_page(request, finding, *, status=200, **forms):
    lead = next(iter(finding.task.lead_departments()), None)
    context = {
        "finding": finding,
        "form": forms.get("form") or FindingForm(initial={"rating": finding.final_rating, "comment": finding.comment}),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "demand_form": forms.get("demand_form")
        or DemandForm(initial={"department": lead, "due_date": timezone.localdate() + timedelta(days=30)}),
    }
    return render(request, "supervision/finding_detail.html", context, status=status)


@login_required
@require_POST
def evidence_upload(request, pk: int):
    finding = _finding(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            finding_evidence_add(finding=finding, files=form.cleaned_data["files"], by=request.user)
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, gettext("督查佐证已上传。"))
            return redirect(finding)
    return _finding_page(request, finding, status=400, evidence_form=form)


@login_required
def evidence_download(request, pk: int):
    require_supervisor(request)
    evidence = get_object_or_404(FindingEvidence, pk=pk)
    return file_answer(evidence.file, evidence.original_name, content_type=evidence.content_type)


@login_required
@require_POST
def demand_new(request, pk: int):
    finding = _finding(request, pk)
    form = DemandForm(request.POST)
    if form.is_valid():
        try:
            demand_raise(
                finding=finding,
                department=form.cleaned_data["department"],
                requirement=form.cleaned_data["requirement"],
                due_date=form.cleaned_data["due_date"],
                by=request.user,
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, gettext("整改要求已提出，已通知责任单位。"))
            return redirect(finding)
    return _finding_page(request, finding, status=400, demand_form=form)


@login_required
def notices_new(request, pk: int):
    """The units that would receive a 督办单, the 反馈时限 and the contact; sent only when
    the office confirms, and then only to the units not yet sent one."""
    inspection = _inspection(request, pk)
    preview = notices_preview(inspection=inspection, by=request.user)
    data = request.POST if request.method == "POST" else None
    form = NoticeSendForm(data, initial={"feedback_due": preview.feedback_due, "requirements": preview.requirements})
    if data is not None and form.is_valid():
        fields = form.cleaned_data
        if not fields["confirm"]:
            form.add_error("confirm", gettext("请核对发送名单后勾选“确认发送”，督办单尚未发送。"))
        else:
            try:
                sent = notices_send(
                    inspection=inspection,
                    by=request.user,
                    feedback_due=fields["feedback_due"],
                    requirements=fields["requirements"],
                )
            except ValidationError as error:
                errors_into(form, error)
            else:
                messages.success(
                    request,
                    gettext("已向%(count)s个单位发送督办单。") % {"count": len(sent)}
                    if sent
                    else gettext("各单位均已收到督办单。"),
                )
                return redirect(inspection)
    status = 400 if data is not None else 200
    context = {"inspection": inspection, "preview": preview, "form": form}
    return render(request, "supervision/notice_send.html", context, status=status)


@login_required
@require_POST
def bulletin_new(request, pk: int):
    inspection = _inspection(request, pk)
    bulletin = bulletin_draft(inspection=inspection, by=request.user)
    messages.success(request, gettext("已起草督查通报，请审阅修改。"))
    return redirect(bulletin)
