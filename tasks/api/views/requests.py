"""Extension (延期), completion (办结) and participation (增加参与部门) requests: a lead
department asks, the office approves or refuses with a reason."""

from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from departments.models import Department
from reform_portal.api.pagination import NumberedPage
from reform_portal.api.serializers import parsed

from ...filtersets import RequestFilterSet
from ...models import CompletionRequest, ExtensionRequest, ParticipationRequest
from ...selectors.records import requests_for
from ...services import (
    completion_decide,
    completion_request,
    extension_decide,
    extension_request,
    participation_decide,
    participation_request,
)
from ..inputs import CompletionInput, ExtensionInput, ParticipationInput, ReasonInput
from ..serializers import CompletionRequestSerializer, ExtensionRequestSerializer, ParticipationRequestSerializer
from .common import visible_task


class RequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = None
    input_class = None
    decide = None
    filter_backends = [DjangoFilterBackend]
    pagination_class = NumberedPage

    def get_queryset(self):
        return requests_for(user=self.request.user, model=self.model).order_by("-requested_at", "-id")

    def _out(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        item = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(self.get_serializer(item).data, status=code)

    def ask(self, request, task, data):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        data = parsed(self.input_class, request)
        task = visible_task(request, data["task"])
        item = self.ask(request, task, data)
        return self._out(item.pk, status.HTTP_201_CREATED)

    def _decide(self, request, pk, approve: bool):
        item = self.get_object()
        reason = parsed(ReasonInput, request)["reason"]
        type(self).decide(request=item, by=request.user, approve=approve, reason=reason)
        return self._out(pk)

    @extend_schema(
        summary="批准 · Approve",
        description="政府办批准，理由可选。· The office approves; a reason is optional.",
        request=ReasonInput,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, pk, True)

    @extend_schema(
        summary="不予批准 · Refuse",
        description="须写明理由（reason）。· A reason is required.",
        request=ReasonInput,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, pk, False)


def _documented(kind_zh: str, kind_en: str, input_class):
    return extend_schema_view(
        list=extend_schema(summary=f"{kind_zh} · {kind_en}"),
        retrieve=extend_schema(summary=f"{kind_zh}详情 · One {kind_en.lower()}"),
        create=extend_schema(
            summary=f"提出{kind_zh} · New {kind_en.lower()}",
            description="牵头单位提出，等待政府办审批。· The lead department asks; the office decides.",
            request=input_class,
        ),
    )


@_documented("延期申请", "Extension requests", ExtensionInput)
class ExtensionRequestViewSet(RequestViewSet):
    model = ExtensionRequest
    serializer_class = ExtensionRequestSerializer
    filterset_class = RequestFilterSet.for_model(ExtensionRequest)
    input_class = ExtensionInput
    decide = extension_decide

    def ask(self, request, task, data):
        return extension_request(
            task=task, by=request.user, reason=data["reason"], proposed_deadline=data["proposed_deadline"]
        )


@_documented("办结申请", "Completion requests", CompletionInput)
class CompletionRequestViewSet(RequestViewSet):
    model = CompletionRequest
    serializer_class = CompletionRequestSerializer
    filterset_class = RequestFilterSet.for_model(CompletionRequest)
    input_class = CompletionInput
    decide = completion_decide

    def ask(self, request, task, data):
        return completion_request(task=task, by=request.user, summary=data["summary"])


@_documented("增加参与部门申请", "Participation requests", ParticipationInput)
class ParticipationRequestViewSet(RequestViewSet):
    model = ParticipationRequest
    serializer_class = ParticipationRequestSerializer
    filterset_class = RequestFilterSet.for_model(ParticipationRequest)
    input_class = ParticipationInput
    decide = participation_decide

    def ask(self, request, task, data):
        department = Department.objects.filter(pk=data["department"]).first()
        if department is None:
            raise ValidationError({"department": ["部门不存在。"]})
        return participation_request(task=task, by=request.user, department=department, reason=data["reason"])
