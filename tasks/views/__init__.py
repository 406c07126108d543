from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property

from .. import rules, selectors
from ..filtersets import TaskFilterSet, count_from_tally
from ..models import Task
from .actions import task_page


@login_required
def home(request):
    """Office and leadership land on the dashboard, departments on their tasks."""
    if rules.can_see_dashboards(request.user):
        return redirect("dashboard:overview")
    return redirect("tasks:list")


def listed(request, today) -> TaskFilterSet:
    """The tasks the list at this address holds for this user: the page counts and pages
    through exactly these (tests count a dashboard's links through it too)."""
    return TaskFilterSet(request.GET, queryset=selectors.task_list(user=request.user, today=today), request=request)


class CountedPaginator(Paginator):
    """A paginator told how many rows its list holds, so it does not count them again."""

    def __init__(self, object_list, per_page, *, count: int | None = None):
        super().__init__(object_list, per_page)
        self.known = count

    @cached_property
    def count(self) -> int:
        return self.known if self.known is not None else Paginator.count.func(self)


@login_required
def task_list(request):
    today = timezone.localdate()
    filterset = listed(request, today)
    # At a million tasks, counting a light's tasks for the page numbers took 0.3 s; the
    # tally gives the same number from its shapes when the filters allow.
    count = count_from_tally(filterset, selectors.tally(today))
    page = CountedPaginator(filterset.qs.values_list("pk", flat=True), 50, count=count).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.task_rows(list(page.object_list), today=today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tasks/task_list.html",
        {"filterset": filterset, "page": page, "query": query.urlencode(), "today": today},
    )


@login_required
def task_detail(request, pk: int):
    task = get_object_or_404(Task.objects.visible_to(request.user), pk=pk)
    return task_page(request, task)
