"""The department workflow as pages: every action is a POST that calls one service.

Views find the object through the visibility rule (404 for what the user may not
see), let the service enforce the action rule (403), and show a service's
ValidationError next to the field it names, keeping what was typed."""

import mimetypes
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from documents.downloads import stored_file
from reform_portal.forms import errors_into

from .. import rules, selectors
from ..choices import TaskStatus
from ..forms import (
    AssignForm,
    CompletionForm,
    ExtensionForm,
    ParticipationForm,
    ReasonForm,
    ReportForm,
    StepForm,
    UrgeForm,
)
from ..models import (
    CompletionRequest,
    Evidence,
    ExtensionRequest,
    ParticipationRequest,
    ProgressReport,
    Task,
)
from ..services import (
    completion_decide,
    completion_request,
    extension_decide,
    extension_request,
    participation_decide,
    participation_request,
    report_review,
    report_save,
    report_sign_off,
    report_submit,
    step_add,
    task_acknowledge,
    task_assign,
    tasks_give_out,
)


def _visible_task(request, pk: int) -> Task:
    return get_object_or_404(Task.objects.visible_to(request.user).prefetch_related("assignments"), pk=pk)


def _visible_report(request, pk: int) -> ProgressReport:
    """A report of a task the user sees; another department's draft does not exist for them."""
    visible = Task.objects.visible_to(request.user)
    report = get_object_or_404(
        ProgressReport.objects.select_related("task", "department", "reviewed_by__membership").filter(task__in=visible),
        pk=pk,
    )
    if not rules.can_read_report(request.user, report):
        raise Http404
    return report


def _back(task: Task, message: str, request) -> HttpResponse:
    messages.success(request, message)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = task.get_absolute_url()
        return response
    return redirect(task)


def task_page(request, task: Task, status: int = 200, **forms) -> HttpResponse:
    """The task page with the forms for what this user may do (bound ones keep their errors)."""
    today = timezone.localdate()
    task = selectors.task_detail(user=request.user, pk=task.pk, today=today)
    user = request.user
    can = {
        "acknowledge": rules.can_acknowledge(user, task),
        "report": rules.can_report(user, task),
        "steps": rules.can_plan_steps(user, task),
        "extend": rules.can_request_extension(user, task)
        and not any(r.status == "pending" for r in task.extension_requests.all()),
        "complete": rules.can_request_completion(user, task),
        "assign": rules.can_assign(user, task),
        "urge": rules.can_urge(user, task),
    }
    reports = [
        {
            "report": report,
            "edit": rules.can_edit_report(user, report),
            "review": rules.can_review_report(user, report),
            "sign_off": rules.can_sign_off(user, report),
        }
        for report in task.reports.all()
        if rules.can_read_report(user, report)
    ]
    leads, cooperating = task.lead_departments(), task.cooperating_departments()
    context = {
        "task": task,
        "today": today,
        "can": can,
        "reports": reports,
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "completion_form": forms.get("completion_form") or CompletionForm(),
        "step_form": forms.get("step_form") or StepForm(),
        "participation_form": forms.get("participation_form") or ParticipationForm(),
        "assign_form": forms.get("assign_form")
        or AssignForm(initial={"leads": leads, "cooperating": cooperating}, draft=task.status == TaskStatus.DRAFT),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "urge_form": forms.get("urge_form") or UrgeForm(),
        "schedule": selectors.backward_schedule(task, today=today),
    }
    return render(request, "tasks/task_detail.html", context, status=status)


@login_required
@require_POST
def acknowledge(request, pk: int):
    task = _visible_task(request, pk)
    task_acknowledge(task=task, by=request.user)
    return _back(task, gettext("已签收。"), request)


@login_required
def report_form(request, pk: int, report_id: int | None = None):
    """Write or correct the department's report; 保存草稿 keeps it, 提交 sends it on."""
    task = _visible_task(request, pk)
    report = _visible_report(request, report_id) if report_id else None
    if report and report.task_id != task.pk:
        raise PermissionDenied(gettext("报告不属于这项任务。"))
    if report:
        rules.require(rules.can_edit_report(request.user, report), gettext("这份报告已报送，不能再修改。"))
    else:
        rules.require(rules.can_report(request.user, task), gettext("不能为这项任务报送进展。"))
    today = timezone.localdate()
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, task=task, today=today)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = report_save(
                    task=task,
                    by=request.user,
                    report=report,
                    version=data.get("version"),
                    period=date.fromisoformat(data["period"]),
                    text=data["text"],
                    percent=data["percent"],
                    lower_reason=data["lower_reason"],
                    milestones_done=data["milestones_done"],
                    indicator_values=form.indicator_values(),
                    files=data["files"],
                )
                if "submit" in request.POST:
                    report_submit(report=report, by=request.user)
                    return _back(task, gettext("报告已提交。"), request)
                messages.success(request, gettext("草稿已保存。"))
                return redirect("tasks:report_edit", pk=task.pk, report_id=report.pk)
            except ValidationError as error:
                errors_into(form, error)
        status = 400
    else:
        initial = {"period": today.replace(day=1).isoformat()}
        if report:
            initial = {
                "period": report.period.isoformat(),
                "text": report.text,
                "percent": report.percent,
                "lower_reason": report.lower_reason,
                "milestones_done": [str(pk) for pk in report.milestones_done.values_list("pk", flat=True)],
                "version": report.version,
            }
        form = ReportForm(initial=initial, task=task, today=today)
        status = 200
    return render(request, "tasks/report_form.html", {"task": task, "form": form, "report": report}, status=status)


@login_required
@require_POST
def report_send(request, report_id: int):
    report = _visible_report(request, report_id)
    try:
        report_submit(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(report.task)
    return _back(report.task, gettext("报告已提交。"), request)


@login_required
@require_POST
def report_decide(request, report_id: int):
    """Accept or return a submitted report, or (a head) sign it off or send it back."""
    report = _visible_report(request, report_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    decision = request.POST.get("decision")
    try:
        if decision in ("accept", "return"):
            report_review(report=report, by=request.user, accept=decision == "accept", comment=comment)
        elif decision in ("sign_off", "send_back"):
            report_sign_off(report=report, by=request.user, approve=decision == "sign_off", comment=comment)
        else:
            raise ValidationError(gettext("未知的操作。"))
    except ValidationError as error:
        errors_into(form, error)
        if request.htmx and request.POST.get("from") == "queue":
            row = {"r": _queued_report(report), "error": "；".join(error.messages), "comment": comment}
            return render(request, "tasks/_queue_report_row.html", row, status=400)
        if request.htmx:
            return render(request, "tasks/_decision_form.html", {"form": form, "report": report}, status=400)
        return task_page(request, report.task, status=400, reason_form=form)
    if request.htmx and request.POST.get("from") == "queue":
        return _queue_done(request, report.task.title)
    return _back(report.task, gettext("已处理。"), request)


def _queued_report(report: ProgressReport) -> ProgressReport:
    return ProgressReport.objects.select_related("task", "department").prefetch_related("evidence").get(pk=report.pk)


def _queue_done(request, title: str) -> HttpResponse:
    """The decided row, and the queue's counts as they now stand."""
    queue = selectors.review_queue(user=request.user)
    counts = {key: queue[name].total for key, name in _QUEUE_COUNTS.items()}
    return render(request, "tasks/_queue_row.html", {"title": title, "counts": counts})


_QUEUE_COUNTS = {
    "reports": "reports",
    "extension": "extensions",
    "completion": "completions",
    "participation": "participations",
}


def request_action(request, pk: int, form_class, form_name: str, call, done: str):
    task = _visible_task(request, pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            call(task, form.cleaned_data)
            return _back(task, done, request)
        except ValidationError as error:
            errors_into(form, error)
    return task_page(request, task, status=400, **{form_name: form})


@login_required
@require_POST
def extension_new(request, pk: int):
    return request_action(
        request,
        pk,
        ExtensionForm,
        "extension_form",
        lambda task, data: extension_request(
            task=task, by=request.user, reason=data["reason"], proposed_deadline=data["proposed_deadline"]
        ),
        gettext("延期申请已提交，等待政府办审批。"),
    )


@login_required
@require_POST
def completion_new(request, pk: int):
    return request_action(
        request,
        pk,
        CompletionForm,
        "completion_form",
        lambda task, data: completion_request(
            task=task, by=request.user, summary=data["summary"], deliverable=data.get("deliverable")
        ),
        gettext("办结申请已提交，等待政府办审核。"),
    )


@login_required
@require_POST
def participation_new(request, pk: int):
    return request_action(
        request,
        pk,
        ParticipationForm,
        "participation_form",
        lambda task, data: participation_request(
            task=task, by=request.user, department=data["department"], reason=data["reason"]
        ),
        gettext("已提出增加参与部门，等待政府办确认。"),
    )


@login_required
@require_POST
def step_new(request, pk: int):
    def add(task, data):
        step_add(
            task=task,
            by=request.user,
            text=data["text"],
            deadline=data["deadline"],
            responsible_person=data["responsible_person"],
        )

    return request_action(request, pk, StepForm, "step_form", add, gettext("已添加步骤。"))


@login_required
@require_POST
def assign(request, pk: int):
    """调整分工; a draft whose lead is now set is given out in the same step (交办),
    unless the office unticks 调整后立即交办."""
    task = _visible_task(request, pk)
    form = AssignForm(request.POST, draft=task.status == TaskStatus.DRAFT)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                task_assign(
                    task=task,
                    leads=list(data["leads"]),
                    cooperating=list(data["cooperating"]),
                    by=request.user,
                    reason=data["reason"],
                )
                if data.get("give_out") and data["leads"]:
                    tasks_give_out(
                        tasks=[task],
                        by=request.user,
                        acknowledge_days=data.get("acknowledge_days"),
                        reason="调整分工后交办",
                    )
                    return _back(task, gettext("分工已调整，任务已交办。"), request)
            return _back(task, gettext("分工已调整。"), request)
        except ValidationError as error:
            errors_into(form, error)
    return task_page(request, task, status=400, assign_form=form)


_REQUESTS = {
    "extension": (ExtensionRequest, extension_decide),
    "completion": (CompletionRequest, completion_decide),
    "participation": (ParticipationRequest, participation_decide),
}


@login_required
@require_POST
def request_decide(request, kind: str, request_id: int):
    """The office approves or refuses a department's request, with the reason on record."""
    if kind not in _REQUESTS:
        raise Http404
    model, decide = _REQUESTS[kind]
    visible = Task.objects.visible_to(request.user)
    item = get_object_or_404(model.objects.select_related("task").filter(task__in=visible), pk=request_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        decide(
            request=item,
            by=request.user,
            approve=request.POST.get("decision") == "approve",
            reason=form.cleaned_data.get("comment", ""),
        )
    except ValidationError as error:
        if request.htmx:
            item.refresh_from_db()
            row = {
                "r": item,
                "kind": kind,
                "error": "；".join(error.messages),
                "comment": request.POST.get("comment", ""),
            }
            return render(request, "tasks/_queue_request_row.html", row, status=400)
        messages.error(request, "；".join(error.messages))
        return redirect("tasks:review")
    if request.htmx:
        return _queue_done(request, item.task.title)
    messages.success(request, gettext("已处理。"))
    return redirect("tasks:review")


@login_required
def review_queue(request):
    queue = selectors.review_queue(user=request.user)
    if not queue["can_review"]:
        raise PermissionDenied(gettext("审核待办仅向政府办和牵头单位开放。"))
    return render(request, "tasks/review_queue.html", {"queue": queue, "form": ReasonForm()})


@login_required
def evidence_download(request, evidence_id: int):
    """Evidence is served only to those who may see its task, under its Chinese name."""
    visible = Task.objects.visible_to(request.user)
    evidences = Evidence.objects.select_related("report").filter(report__task__in=visible)
    evidence = get_object_or_404(evidences, pk=evidence_id)
    if not rules.can_read_report(request.user, evidence.report):
        raise Http404
    return stored_file(
        request, evidence.file.open("rb"), name=evidence.original_name, content_type=evidence.content_type
    )


@login_required
def deliverable_download(request, request_id: int):
    """A closure request's deliverable (成果材料), for those who see its task."""
    visible = Task.objects.visible_to(request.user)
    item = get_object_or_404(CompletionRequest.objects.filter(task__in=visible).exclude(deliverable=""), pk=request_id)
    name = item.deliverable_name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return stored_file(request, item.deliverable.open("rb"), name=name, content_type=content_type)
