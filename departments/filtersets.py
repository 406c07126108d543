import django_filters
from django.utils.translation import gettext_lazy as _

from importer.text import normalize_name

from .choices import DepartmentKind
from .models import Department


class DepartmentFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DepartmentKind.choices, label=_("类型"))
    name = django_filters.CharFilter(method="filter_name", label=_("名称"))
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = Department
        fields = ["kind", "name", "is_active"]

    def filter_name(self, queryset, name, value):
        """Any name the department is written under, in either script (区发改委, 區發改委)."""
        return queryset.filter(aliases__key__contains=normalize_name(value)).distinct()
