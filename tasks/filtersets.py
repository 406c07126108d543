import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from departments.permissions import department_id_of
from departments.selectors import departments_with_names

from .choices import AssignmentRole, Light, TaskStatus
from .models import Plan, Task


class TaskFilterSet(django_filters.FilterSet):
    """The task filters, shared by the HTML list and (later) the API."""

    q = django_filters.CharFilter(method="filter_q", label=_("搜索"))
    plan = django_filters.ModelChoiceFilter(queryset=Plan.objects.all(), label=_("方案"))
    year = django_filters.NumberFilter(field_name="deadline__year", label=_("完成年度"))
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("状态"))
    light = django_filters.ChoiceFilter(choices=Light.choices, label=_("灯色"))
    department = django_filters.ModelChoiceFilter(
        queryset=departments_with_names(), method="filter_department", label=_("责任单位")
    )
    role = django_filters.ChoiceFilter(choices=AssignmentRole.choices, method="filter_role", label=_("本部门职责"))

    class Meta:
        model = Task
        fields = ["q", "plan", "year", "status", "light", "department", "role"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(text__icontains=value) | Q(number=value))

    def filter_department(self, queryset, name, value):
        return queryset.filter(assignments__department=value).distinct()

    def filter_role(self, queryset, name, value):
        department_id = department_id_of(self.request.user) if self.request else None
        if department_id is None:
            return queryset.none()
        return queryset.filter(assignments__department_id=department_id, assignments__role=value).distinct()
