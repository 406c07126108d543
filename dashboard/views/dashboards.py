"""Dashboards for the office, supervisors and leadership (数据看板)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from tasks import rules, selectors
from tasks.filtersets import DashboardFilterSet
from tasks.models import Task
from tasks.selectors.sources import source_counts

from .. import selectors as dashboards

# Plans on one page of the plans dashboard: a province keeps thousands over five years.
PLANS_PER_PAGE = 20
# Departments on one page of the ranking: a city has some dozens, a province thousands. The
# ranking is sorted over all of them; a page draws its share.
DEPARTMENTS_PER_PAGE = 100


def _filtered(request):
    """The dashboard's tasks as its filters cut them, and those filters as a query string."""
    if not rules.can_see_dashboards(request.user):
        raise PermissionDenied(gettext("数据看板仅向政府办、督查员和领导开放。"))
    today = timezone.localdate()
    visible = selectors.lights(Task.objects.visible_to(request.user).tracked(), today)
    filterset = DashboardFilterSet(request.GET, queryset=visible, request=request)
    base = "&".join(f"{name}={value}" for name, value in request.GET.items() if name in filterset.filters and value)
    return filterset, filterset.qs, base, today


def _link(base: str, query: str) -> str:
    return "/tasks/?" + "&".join(part for part in (base, query) if part)


@login_required
def overview(request):
    filterset, tasks, base, today = _filtered(request)
    tally = selectors.tally(today) if dashboards.of_every_task(request.user, filterset) else None
    counts = dashboards.counted(tasks, today=today, tally=tally)
    data = dashboards.overview(tasks, today=today, counts=counts)
    for group in ("tiles", "statuses", "lights"):
        for tile in data[group]:
            tile.href = _link(base, tile.query)
    trend = dashboards.trend(tasks, today=today, counts=counts)
    for week in trend:
        week["href"] = _link(base, week["completed_query"])
        week["overdue_href"] = _link(base, week["overdue_query"])
    sources = source_counts(tasks, today=today, tally=tally)
    for row in sources:
        for key in ("open", "overdue", "due_soon"):
            row[f"{key}_href"] = _link(base, row[f"{key}_query"])
    calendar = dashboards.deadline_calendar(tasks, today=today, counts=counts)
    for month in calendar:
        month["href"] = _link(base, month["query"])
    charts = {
        "statuses": {"labels": [t.label for t in data["statuses"]], "values": [t.value for t in data["statuses"]]},
        "lights": {"labels": [t.label for t in data["lights"]], "values": [t.value for t in data["lights"]]},
        "trend": {
            "labels": [w["week"].strftime("%m-%d") for w in trend],
            "completed": [w["completed"] for w in trend],
            "overdue": [w["overdue"] for w in trend],
        },
        "calendar": {
            "labels": [m["month"].strftime("%Y-%m") for m in calendar],
            "values": [m["count"] for m in calendar],
        },
    }
    context = {
        "filterset": filterset,
        "data": data,
        "trend": trend,
        "sources": sources,
        "calendar": calendar,
        "charts": charts,
        "today": today,
        "base": base,
    }
    return render(request, "dashboard/overview.html", context)


@login_required
def departments(request):
    filterset, tasks, base, today = _filtered(request)
    sort = request.GET.get("sort", "overdue")
    descending = request.GET.get("dir", "desc") != "asc"
    every_task = dashboards.of_every_task(request.user, filterset)
    rows = dashboards.department_ranking(tasks, sort=sort, descending=descending, every_task=every_task)
    page = Paginator(rows, DEPARTMENTS_PER_PAGE).get_page(request.GET.get("page"))
    links = []
    for row in page.object_list:
        pk = row.department.pk
        links.append(
            (
                row,
                {
                    "led": _link(base, f"lead={pk}"),
                    "cooperating": _link(base, f"cooperating={pk}"),
                    "on_time": _link(base, f"lead={pk}&on_time=yes"),
                    "overdue": _link(base, f"lead={pk}&light=red"),
                    "reports_late": _link(base, f"lead={pk}&report_late=true"),
                    "average_delay": _link(base, f"lead={pk}&on_time=no"),
                },
            )
        )
    columns = [(key, label) for key, (label, _) in dashboards.RANKING_COLUMNS.items()]
    sort = sort if sort in dashboards.RANKING_COLUMNS else "overdue"
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "order_note": dashboards.ranking_order_note(sort, descending),
        "filterset": filterset,
        "rows": links,
        "page": page,
        "query": query.urlencode(),
        "columns": columns,
        "sort": sort,
        "descending": descending,
        "base": base,
        "today": today,
    }
    return render(request, "dashboard/departments.html", context)


@login_required
def plans(request):
    filterset, tasks, base, today = _filtered(request)
    # A page of the plans that have tasks under the filters, newest year first; only
    # their tasks are summed, so the page costs the same whatever the number of plans.
    page = Paginator(dashboards.plans_with_tasks(tasks), PLANS_PER_PAGE).get_page(request.GET.get("page"))
    rollups = dashboards.plan_progress(tasks.filter(plan__in=list(page.object_list)))
    for plan, chapters in rollups:
        plan.href = _link(base, plan.query)
        plan.completed_href = _link(base, plan.query + "&status=completed")
        for chapter in chapters:
            chapter.href = _link(base, chapter.query)
            chapter.completed_href = _link(base, chapter.query + "&status=completed")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filterset": filterset,
        "rollups": rollups,
        "page": page,
        "query": query.urlencode(),
        "base": base,
        "today": today,
    }
    return render(request, "dashboard/plans.html", context)
