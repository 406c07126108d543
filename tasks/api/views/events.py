"""A task's history (TaskEvent)."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from reform_portal.api.pagination import CursorPage

from ...filtersets import EventFilterSet
from ...selectors.records import events_for
from ..serializers import EventSerializer


@extend_schema_view(
    list=extend_schema(
        summary="任务历史 · Task history",
        description=(
            "可见任务的全部变更记录，新的在前，按游标分页。· Every change to the tasks this account sees, newest first."
        ),
    ),
    retrieve=extend_schema(summary="一条历史记录 · One history entry"),
)
class EventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = EventFilterSet
    pagination_class = CursorPage

    def get_queryset(self):
        return events_for(user=self.request.user)
