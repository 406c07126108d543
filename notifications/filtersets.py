import django_filters
from django.utils.translation import gettext_lazy as _

from reform_portal.api.serializers import ID

from .choices import NotificationKind
from .models import Notification


class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("未读"))
    kind = django_filters.ChoiceFilter(choices=NotificationKind.choices, label=_("类别"))
    task = django_filters.NumberFilter(label=_("任务"), **ID)

    class Meta:
        model = Notification
        fields = ["unread", "kind", "task"]
