"""The user's inbox (Notification) in the API."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reform_portal.api.pagination import CursorPage
from reform_portal.api.serializers import parsed

from ..filtersets import NotificationFilterSet
from ..models import Notification
from ..selectors import notifications_for
from ..services import notifications_mark_read
from .inputs import MarkReadInput
from .serializers import NotificationSerializer

MarkedSerializer = inline_serializer("Marked", {"marked": serializers.IntegerField()})
UnreadSerializer = inline_serializer("Unread", {"unread": serializers.IntegerField()})


@extend_schema_view(
    list=extend_schema(
        summary="消息 · Notifications",
        description=(
            "当前账号的站内消息，新的在前；unread=true 只列未读。· This account's inbox; unread=true for unread only."
        ),
    ),
    retrieve=extend_schema(summary="一条消息 · One notification"),
)
class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NotificationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationFilterSet
    pagination_class = CursorPage

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's anonymous pass
            return Notification.objects.none()
        return notifications_for(user=self.request.user)

    @extend_schema(summary="标为已读 · Mark read", request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        notifications_mark_read(user=request.user, ids=[notification.pk])
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        summary="批量标为已读 · Mark several read",
        description="给出 ids 只标这些，否则全部标为已读。· Marks `ids`, or every notification when absent.",
        request=MarkReadInput,
        responses=MarkedSerializer,
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        ids = parsed(MarkReadInput, request)["ids"]
        return Response({"marked": notifications_mark_read(user=request.user, ids=ids)})

    @extend_schema(summary="未读数 · Unread count", responses=UnreadSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count", filter_backends=[], pagination_class=None)
    def unread_count(self, request):
        return Response({"unread": notifications_for(user=request.user).filter(read_at__isnull=True).count()})
