"""批量交办: the office picks drafts (of a plan, or any), sees which department gets which
task and by when it must acknowledge, then gives them out in one step."""

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext

from departments.permissions import is_office

from ..choices import AssignmentRole, TaskKind, TaskStatus
from ..models import Plan, Task
from ..services.giving_out import MAX_ACKNOWLEDGE_DAYS, acknowledge_deadline, reachable_departments, tasks_give_out


def _drafts(request, plan_id):
    drafts = (
        Task.objects.visible_to(request.user)
        .filter(kind=TaskKind.TASK, status=TaskStatus.DRAFT)
        .select_related("plan")
        .prefetch_related("assignments__department__aliases")
        .order_by("plan_id", "sort_key")
    )
    return drafts.filter(plan_id=plan_id) if plan_id else drafts


def _days(raw: str) -> tuple[int | None, str]:
    default = settings.PORTAL["ACKNOWLEDGE_WORKING_DAYS"]
    if not raw:
        return default, ""
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_ACKNOWLEDGE_DAYS:
        return None, gettext("签收时限须为1到%(days)s个工作日。") % {"days": MAX_ACKNOWLEDGE_DAYS}
    return int(raw), ""


def _by_department(tasks: list[Task]) -> list[dict]:
    """Which department gets which task (lead or co-operating), for the preview."""
    rows = defaultdict(lambda: {"lead": [], "cooperating": []})
    departments = {}
    for task in tasks:
        for assignment in task.assignments.all():
            departments[assignment.department_id] = assignment.department
            rows[assignment.department_id]["lead" if assignment.role == AssignmentRole.LEAD else "cooperating"].append(
                task
            )
    reachable = reachable_departments(departments)
    return [
        {"department": departments[pk], "reachable": pk in reachable, **rows[pk]}
        for pk in sorted(departments, key=lambda pk: departments[pk].name)
    ]


@login_required
def give_out(request):
    if not is_office(request.user):
        raise PermissionDenied(gettext("只有政府办（督查室）可以交办任务。"))
    source = request.POST if request.method == "POST" else request.GET
    plan_id = source.get("plan") if str(source.get("plan", "")).isdigit() else None
    plan = Plan.objects.filter(pk=plan_id).first() if plan_id else None
    drafts = list(_drafts(request, plan_id))
    for task in drafts:
        task.has_lead = any(a.role == AssignmentRole.LEAD for a in task.assignments.all())
    chosen_ids = {int(i) for i in request.POST.getlist("task") if i.isdigit()}
    days, error = _days(request.POST.get("acknowledge_days", "").strip())
    context = {
        "plan": plan,
        "drafts": drafts,
        "chosen": chosen_ids,
        "days": request.POST.get("acknowledge_days") or settings.PORTAL["ACKNOWLEDGE_WORKING_DAYS"],
        "max_days": MAX_ACKNOWLEDGE_DAYS,
        "error": error,
    }
    if request.method != "POST":
        return render(request, "tasks/give_out.html", context)
    chosen = [t for t in drafts if t.pk in chosen_ids]
    if not chosen:
        context["error"] = gettext("请勾选要交办的任务。")
    if context["error"]:
        return render(request, "tasks/give_out.html", context, status=400)
    if request.POST.get("step") != "confirm":
        context.update(
            preview=_by_department(chosen),
            chosen_tasks=chosen,
            acknowledge_by=acknowledge_deadline(timezone.localdate(), days),
        )
        return render(request, "tasks/give_out.html", context)
    try:
        given = tasks_give_out(tasks=chosen, by=request.user, acknowledge_days=days, reason="批量交办")
    except ValidationError as refused:
        context["error"] = "；".join(refused.messages)
        return render(request, "tasks/give_out.html", context, status=400)
    messages.success(
        request,
        gettext("已交办 %(count)s 项任务，签收时限%(day)s，各单位已收到通知。")
        % {"count": len(given), "day": date_format(given[0].acknowledge_by, gettext("Y年m月d日"))},
    )
    query = f"?plan={plan.pk}" if plan else ""
    return redirect(reverse("tasks:list") + query)
