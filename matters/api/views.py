"""The registers' API: the pages' selectors (404 for what the user may not see) and the
services the pages call (403 and Chinese 400s from them)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from reform_portal.api.pagination import NumberedPage
from reform_portal.api.serializers import parsed

from .. import selectors
from ..models import MeetingItem, ProposalAnswer
from ..services import (
    answer_countersign,
    answer_draft,
    answer_send,
    instruction_register,
    meeting_register,
    proposal_register,
    satisfaction_record,
)
from .inputs import AnswerInput, CountersignInput, InstructionInput, MeetingInput, ProposalInput, SatisfactionInput
from .serializers import InstructionSerializer, MeetingSerializer, ProposalSerializer


class Register(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    pagination_class = NumberedPage
    input_class = None

    def create(self, request, *args, **kwargs):
        record = self.register(parsed(self.input_class, request))
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data, status=status.HTTP_201_CREATED)


@extend_schema(request=InstructionInput)
class InstructionViewSet(Register):
    """领导批示件 · Leaders' written instructions (批办 ones are given out as tasks)."""

    serializer_class = InstructionSerializer
    input_class = InstructionInput

    def get_queryset(self):
        return selectors.instructions(self.request.user).order_by("-instructed_on", "-id")

    def register(self, data):
        return instruction_register(by=self.request.user, **data)


@extend_schema(request=MeetingInput)
class MeetingViewSet(Register):
    """会议 and their 议定事项 · Meetings and the decisions they gave out."""

    serializer_class = MeetingSerializer
    input_class = MeetingInput

    def get_queryset(self):
        return (
            selectors.meetings(self.request.user)
            .prefetch_related(Prefetch("items", queryset=MeetingItem.objects.select_related("task")))
            .order_by("-held_on", "-id")
        )

    def register(self, data):
        return meeting_register(by=self.request.user, **data)


@extend_schema(request=ProposalInput)
class ProposalViewSet(Register):
    """建议提案 · Deputies' suggestions and members' proposals, with their answers."""

    serializer_class = ProposalSerializer
    input_class = ProposalInput

    def get_queryset(self):
        answers = ProposalAnswer.objects.prefetch_related("countersigns")
        return (
            selectors.proposals(self.request.user)
            .prefetch_related(Prefetch("answers", queryset=answers), "task__assignments")
            .order_by("-year", "kind", "number")
        )

    def register(self, data):
        return proposal_register(by=self.request.user, **data)

    def _out(self, pk) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(summary="起草答复（主办单位）· Draft the answer", request=AnswerInput, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        answer_draft(proposal=self.get_object(), by=request.user, **parsed(AnswerInput, request))
        return self._out(pk)

    @extend_schema(summary="会签（会办单位）· Countersign", request=CountersignInput, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def countersign(self, request, pk=None):
        answer_countersign(proposal=self.get_object(), by=request.user, **parsed(CountersignInput, request))
        return self._out(pk)

    @extend_schema(summary="发出答复（主办单位）· Send the answer", request=None, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        answer_send(proposal=self.get_object(), by=request.user)
        return self._out(pk)

    @extend_schema(
        summary="登记满意度（政府办）· Record the rating", request=SatisfactionInput, responses=ProposalSerializer
    )
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        satisfaction_record(proposal=self.get_object(), by=request.user, **parsed(SatisfactionInput, request))
        return self._out(pk)
