"""The filters of supervision's lists, shared by the pages and the API."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import DemandStatus, Rating
from .models import Finding, RectificationDemand
from .selectors import findings_led_by, findings_rated

ID = {"min_value": 1, "max_value": 2**63 - 1}
OVERDUE = "overdue"


class FindingFilterSet(django_filters.FilterSet):
    inspection = django_filters.NumberFilter(field_name="inspection_id", label=_("督查"), **ID)
    rating = django_filters.ChoiceFilter(
        choices=[*Rating.choices, ("unconfirmed", _("待确认"))], method="filter_rating", label=_("督查评价")
    )
    department = django_filters.NumberFilter(method="filter_department", label=_("牵头单位"), **ID)

    class Meta:
        model = Finding
        fields = ["inspection", "rating", "department"]

    def filter_rating(self, queryset, name, value):
        return findings_rated(queryset, value)

    def filter_department(self, queryset, name, value):
        return findings_led_by(queryset, int(value))


class DemandFilterSet(django_filters.FilterSet):
    # 整改逾期: still open (not reported) after its due date.
    status = django_filters.ChoiceFilter(
        choices=[*DemandStatus.choices, (OVERDUE, _("整改逾期"))], method="filter_status", label=_("状态")
    )
    department = django_filters.NumberFilter(field_name="department_id", label=_("责任单位"), **ID)
    inspection = django_filters.NumberFilter(field_name="finding__inspection_id", label=_("督查"), **ID)
    finding = django_filters.NumberFilter(field_name="finding_id", label=_("督查发现"), **ID)
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("整改时限不早于"))
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("整改时限不晚于"))

    class Meta:
        model = RectificationDemand
        fields = ["status", "department", "inspection", "finding", "due_after", "due_before"]

    def filter_status(self, queryset, name, value):
        if value == OVERDUE:
            return queryset.filter(status=DemandStatus.OPEN, due_date__lt=timezone.localdate())
        return queryset.filter(status=value)
