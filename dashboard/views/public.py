"""Plan progress for the public (政务公开): off by default, switched on per plan by the office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tasks.choices import TaskStatus
from tasks.models import Plan, Task
from tasks.services import plans

from .. import selectors as dashboards


def public_plan(request, slug: str):
    """No login: the plan's progress and its completed tasks, without reports or comments."""
    plan = get_object_or_404(Plan, slug=slug, is_public=True)
    tasks = Task.objects.filter(plan=plan).tracked()
    rollups = dashboards.plan_progress(tasks, progress=dashboards.accepted_progress())
    completed = (
        tasks.filter(status=TaskStatus.COMPLETED).prefetch_related("assignments__department").order_by("sort_key")
    )
    return render(
        request,
        "public/plan.html",
        {"plan": plan, "rollup": rollups[0] if rollups else None, "completed": completed},
    )


@login_required
@require_POST
def plan_publish(request, pk: int):
    """The office switches a plan's public page on or off."""
    plan = get_object_or_404(Plan, pk=pk)
    plan = plans.plan_publish(plan=plan, public=request.POST.get("public") == "on", by=request.user)
    done = gettext("《%(title)s》已公开。") if plan.is_public else gettext("《%(title)s》已停止公开。")
    messages.success(request, done % {"title": plan.title})
    return redirect("dashboard:plans")
