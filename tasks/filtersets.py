from datetime import timedelta

import django_filters
from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from departments.permissions import department_id_of
from reform_portal.forms import LongSelect

from .choices import (
    ACTIVE_STATUSES,
    AssignmentRole,
    EventKind,
    Light,
    ReportStatus,
    RequestStatus,
    TaskSource,
    TaskStatus,
)
from .models import (
    Assignment,
    ExtensionRequest,
    Plan,
    ProgressReport,
    Task,
    TaskEvent,
)
from .querysets import ALL, department_seen_by, light_q

YES_NO = (("yes", _("是")), ("no", _("否")))
# Numbers within what the database and the calendar hold: one beyond them is refused by the
# form (400 in the API, ignored by the pages) instead of overflowing inside the query.
ID = {"min_value": 1, "max_value": 2**63 - 1}
YEAR = {"min_value": 1, "max_value": 9999}


def pending_decision() -> Q:
    """A task waiting for someone's decision: a submitted report or a pending request
    (`Task.waiting`, kept by triggers from those rows; tasks.facts checks it)."""
    return Q(waiting=True)


def on_time_q(prefix: str = "") -> Q:
    """Completed by the plan's date (an approved extension does not make it late); of the
    task at `prefix` ("task__" from an assignment)."""
    return Q(**{f"{prefix}status": TaskStatus.COMPLETED}) & (
        Q(**{f"{prefix}completed_on__lte": F(f"{prefix}deadline")}) | Q(**{f"{prefix}deadline__isnull": True})
    )


def overdue_on(day) -> Q:
    """Overdue at the end of `day`: past its deadline, not completed by then, and not
    a draft or cancelled."""
    return (
        Q(deadline__lt=day)
        & ~Q(status__in=[TaskStatus.CANCELLED, TaskStatus.DRAFT])
        & (Q(completed_on__isnull=True) | Q(completed_on__gt=day))
    )


class TaskFilterSet(django_filters.FilterSet):
    """The task filters, shared by the HTML list, the dashboards' links, the ledger export and the API."""

    q = django_filters.CharFilter(method="filter_q", label=_("搜索"))
    # Choices as (id, name) pairs from one query: a form with hundreds of departments and
    # plans renders in milliseconds, where model choices would build an object per option.
    plan = django_filters.ChoiceFilter(choices=lambda: _choices(Plan, "title"), label=_("方案"), widget=LongSelect)
    source = django_filters.ChoiceFilter(field_name="plan__source", choices=TaskSource.choices, label=_("来源"))
    year = django_filters.NumberFilter(field_name="deadline__year", label=_("完成年度"), **YEAR)
    category = django_filters.CharFilter(field_name="category", label=_("类别"))
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("状态"))
    light = django_filters.ChoiceFilter(choices=Light.choices, method="filter_light", label=_("灯色"))
    department = django_filters.ChoiceFilter(
        choices=lambda: _choices(Department, "name"), method="filter_department", label=_("责任单位"), widget=LongSelect
    )
    role = django_filters.ChoiceFilter(choices=AssignmentRole.choices, method="filter_role", label=_("本部门职责"))
    lead = django_filters.NumberFilter(method="filter_lead", widget=django_filters.widgets.forms.HiddenInput, **ID)
    cooperating = django_filters.NumberFilter(
        method="filter_cooperating", widget=django_filters.widgets.forms.HiddenInput, **ID
    )
    due_within = django_filters.NumberFilter(
        method="filter_due_within",
        label=_("几天内到期"),
        widget=django_filters.widgets.forms.HiddenInput,
        min_value=0,
        max_value=36500,
    )
    deadline_after = django_filters.DateFilter(
        field_name="deadline", lookup_expr="gte", widget=django_filters.widgets.forms.HiddenInput
    )
    deadline_before = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", widget=django_filters.widgets.forms.HiddenInput
    )
    report_late = django_filters.BooleanFilter(
        field_name="report_late", widget=django_filters.widgets.forms.HiddenInput
    )
    pending = django_filters.BooleanFilter(method="filter_pending", widget=django_filters.widgets.forms.HiddenInput)
    acknowledge_late = django_filters.BooleanFilter(
        method="filter_acknowledge_late", widget=django_filters.widgets.forms.HiddenInput
    )
    on_time = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_on_time", widget=django_filters.widgets.forms.HiddenInput
    )
    active = django_filters.BooleanFilter(method="filter_active", widget=django_filters.widgets.forms.HiddenInput)
    completed_after = django_filters.DateFilter(
        field_name="completed_on", lookup_expr="gte", widget=django_filters.widgets.forms.HiddenInput
    )
    completed_before = django_filters.DateFilter(
        field_name="completed_on", lookup_expr="lte", widget=django_filters.widgets.forms.HiddenInput
    )
    chapter = django_filters.NumberFilter(
        method="filter_chapter", widget=django_filters.widgets.forms.HiddenInput, **ID
    )
    overdue_on = django_filters.DateFilter(method="filter_overdue_on", widget=django_filters.widgets.forms.HiddenInput)

    class Meta:
        model = Task
        fields = ["q", "source", "plan", "year", "category", "status", "light", "department", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and "plan" in self.filters:
            # A department is offered, and may filter by, only the plans holding its tasks.
            plans = Plan.objects.visible_to(user).order_by("title")
            self.filters["plan"].extra["choices"] = lambda: list(plans.values_list("pk", "title"))

    def filter_light(self, queryset, name, value):
        # The light's condition on the columns, not the annotation: an index serves it.
        today, portal = timezone.localdate(), settings.PORTAL
        light = light_q(
            value, today=today, warning_days=portal["WARNING_DAYS"], report_due_day=portal["REPORT_DUE_DAY"]
        )
        return queryset.filter(light)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(text__icontains=value) | Q(number=value) | Q(code=value))

    def filter_department(self, queryset, name, value: int):
        return queryset.filter(Exists(_assigned(value)))

    def filter_lead(self, queryset, name, value):
        return queryset.filter(Exists(_assigned(value, AssignmentRole.LEAD)))

    def filter_cooperating(self, queryset, name, value):
        return queryset.filter(Exists(_assigned(value, AssignmentRole.COOPERATING)))

    def filter_role(self, queryset, name, value):
        department_id = department_id_of(self.request.user) if self.request else None
        if department_id is None:
            return queryset.none()
        return queryset.filter(Exists(_assigned(department_id, value)))

    def filter_due_within(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(
            status__in=ACTIVE_STATUSES, deadline__gte=today, deadline__lte=today + timedelta(days=int(value))
        )

    def filter_acknowledge_late(self, queryset, name, value):
        late = Task.objects.acknowledge_late_q(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_pending(self, queryset, name, value):
        return queryset.filter(pending_decision()) if value else queryset.exclude(pending_decision())

    def filter_on_time(self, queryset, name, value):
        late = Q(status=TaskStatus.COMPLETED) & ~on_time_q()
        return queryset.filter(on_time_q() if value == "yes" else late)

    def filter_chapter(self, queryset, name, value):
        """A top-level node and the tasks under it at any depth."""
        chapter = Task.objects.filter(pk=value).only("plan_id", "sort_key").first()
        if chapter is None:
            return queryset.none()
        under = Q(sort_key=chapter.sort_key) | Q(sort_key__startswith=chapter.sort_key + ".")
        return queryset.filter(under, plan_id=chapter.plan_id)

    def filter_overdue_on(self, queryset, name, value):
        return queryset.filter(overdue_on(value))

    def filter_active(self, queryset, name, value):
        return queryset.filter(status__in=ACTIVE_STATUSES) if value else queryset.exclude(status__in=ACTIVE_STATUSES)


def _choices(model, label: str) -> list[tuple[int, str]]:
    return list(model.objects.order_by(label).values_list("pk", label))


def _assigned(department, role: str | None = None):
    department_id = getattr(department, "pk", department)
    assignments = Assignment.objects.filter(task=OuterRef("pk"), department_id=department_id)
    return assignments.filter(role=role) if role else assignments


# The filters a tally shape can answer (models.TaskTally keeps what each of them reads),
# as cuts of tasks.selectors.tally.
TALLY_CUTS = {
    "light": lambda rows, value: rows.filter(light=value),
    "report_late": lambda rows, value: rows.filter(report_late=value),
    "status": lambda rows, value: rows.filter(status=value),
    "source": lambda rows, value: rows.filter(source=value),
    "pending": lambda rows, value: rows.filter(waiting=value),
    "active": lambda rows, value: (rows.filter if value else rows.exclude)(status__in=ACTIVE_STATUSES),
}


def count_from_tally(filterset: TaskFilterSet, tally) -> int | None:
    """How many tasks the filtered list holds, summed from the tally instead of counted over
    the tasks: when its user sees every task and only filters the tally answers are set.
    None otherwise (the list counts its tasks)."""
    user = getattr(filterset.request, "user", None)
    if user is None or department_seen_by(user) is not ALL or not filterset.is_valid():
        return None
    rows = tally
    for name, value in filterset.form.cleaned_data.items():
        if value is None or value == "":
            continue
        if name not in TALLY_CUTS:
            return None
        rows = TALLY_CUTS[name](rows, value)
    return rows.aggregate(n=Coalesce(Sum("n"), 0))["n"]


class DashboardFilterSet(TaskFilterSet):
    """The filters a dashboard is cut by; the task list applies the very same ones."""

    class Meta(TaskFilterSet.Meta):
        fields = ["source", "plan", "year", "category", "department"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.filters):
            if name not in self.Meta.fields:
                del self.filters[name]


class PlanFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"), **YEAR)
    q = django_filters.CharFilter(method="filter_q", label=_("搜索"))

    class Meta:
        model = Plan
        fields = ["year", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(document_number__icontains=value))


class ReportFilterSet(django_filters.FilterSet):
    task = django_filters.NumberFilter(label=_("任务"), **ID)
    department = django_filters.NumberFilter(label=_("报送部门"), **ID)
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("状态"))
    period = django_filters.DateFilter(label=_("报告期"))
    period_after = django_filters.DateFilter(field_name="period", lookup_expr="gte", label=_("报告期起"))
    period_before = django_filters.DateFilter(field_name="period", lookup_expr="lte", label=_("报告期止"))

    class Meta:
        model = ProgressReport
        fields = ["task", "department", "status", "period"]


class RequestFilterSet(django_filters.FilterSet):
    """Extension, completion and participation requests alike (`Meta.model` set per kind)."""

    task = django_filters.NumberFilter(label=_("任务"), **ID)
    department = django_filters.NumberFilter(label=_("申请部门"), **ID)
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label=_("状态"))

    class Meta:
        model = ExtensionRequest
        fields = ["task", "department", "status"]

    @classmethod
    def for_model(cls, request_model):
        meta = type("Meta", (cls.Meta,), {"model": request_model})
        return type(f"{request_model.__name__}FilterSet", (cls,), {"Meta": meta})


class EventFilterSet(django_filters.FilterSet):
    task = django_filters.NumberFilter(label=_("任务"), **ID)
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("类别"))
    after = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte", label=_("起始时间"))
    before = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt", label=_("截止时间"))

    class Meta:
        model = TaskEvent
        fields = ["task", "kind"]
