from django.db import transaction
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from departments.models import Department
from departments.permissions import require_office
from reform_portal.api.pagination import CursorPage
from reform_portal.api.serializers import parsed

from ... import selectors
from ...filtersets import TaskFilterSet
from ...models import Task
from ...selectors.records import task_api_rows
from ...services import step_add, task_acknowledge, task_assign, tasks_give_out
from ..inputs import AssignInput, GiveOutInput, StepInput
from ..serializers import (
    GiveOutSerializer,
    MilestoneSerializer,
    TaskDetailSerializer,
    TaskRowSerializer,
    TaskSerializer,
)
from .common import visible_task


class TaskPage(CursorPage):
    ordering = "id"


def _detail(request, pk: int) -> Response:
    task = selectors.task_detail(user=request.user, pk=pk, today=timezone.localdate())
    return Response(TaskDetailSerializer(task).data)


@extend_schema_view(
    list=extend_schema(
        summary="任务列表 · Task list",
        description=(
            "当前账号可见的任务（不含章节标题），每行带灯色、牵头和配合单位、最新报送的报告；"
            "筛选条件与“我的任务”页面相同（q为搜索）。按游标分页，每页100条。\n\n"
            "The tracked tasks this account may see, each with its light, lead and co-operating departments "
            "and latest sent report; the same filters as the task list page (q searches). Cursor-paged, 100 a page."
        ),
    ),
    retrieve=extend_schema(
        summary="任务详情 · Task detail",
        description="含进度节点和指标。· With milestones and indicators.",
    ),
)
class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TaskSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = TaskFilterSet
    ordering_fields = ["id"]
    ordering = ["id"]
    pagination_class = TaskPage

    def get_queryset(self):
        return selectors.task_list(user=self.request.user, today=timezone.localdate()).order_by()

    def list(self, request, *args, **kwargs):
        # The filters and the cursor pick the page's ids; task_api_rows dresses only those.
        queryset = self.filter_queryset(self.get_queryset()).only("pk")
        page = self.paginate_queryset(queryset)
        rows = task_api_rows([task.pk for task in page], today=timezone.localdate())
        return self.get_paginated_response(TaskRowSerializer(rows, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return _detail(request, visible_task(request, kwargs["pk"]).pk)

    @extend_schema(
        summary="签收 · Acknowledge",
        description="牵头单位签收已交办的任务。· The lead department signs for an assigned task.",
        request=None,
        responses=TaskDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        task_acknowledge(task=visible_task(request, pk), by=request.user)
        return _detail(request, pk)

    @extend_schema(
        summary="调整分工 · Assign departments",
        description=(
            "政府办设置牵头和配合单位（部门ID），理由记入任务历史。"
            "· The office sets the lead and co-operating departments; the reason goes on record."
        ),
        request=AssignInput,
        responses=TaskDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        task = visible_task(request, pk)
        data = parsed(AssignInput, request)
        wanted = [*data["leads"], *data["cooperating"]]
        departments = Department.objects.in_bulk(wanted)
        missing = sorted({pk for pk in wanted if pk not in departments})
        if missing:
            raise ValidationError({"leads": [f"部门ID不存在：{'、'.join(map(str, missing))}。"]})
        with transaction.atomic():
            task_assign(
                task=task,
                leads=[departments[pk] for pk in data["leads"]],
                cooperating=[departments[pk] for pk in data["cooperating"]],
                by=request.user,
                reason=data["reason"],
            )
            if data["give_out"]:
                tasks_give_out(
                    tasks=[task], by=request.user, acknowledge_days=data["acknowledge_days"], reason="调整分工后交办"
                )
        return _detail(request, pk)

    @extend_schema(
        summary="批量交办 · Give out drafts",
        description=(
            "政府办把所选草稿任务交办给其牵头和配合单位，给出签收时限（工作日，默认按平台设置），"
            "各单位收到站内消息和所选渠道的通知。任何一项不能交办则全部不交办，detail说明原因。"
            "· The office gives out the chosen drafts with a 签收时限 in working days; the departments are "
            "notified. If any task cannot be given out, none is, and `detail` says why."
        ),
        request=GiveOutInput,
        responses={200: GiveOutSerializer},
    )
    @action(detail=False, methods=["post"], url_path="give-out")
    def give_out(self, request):
        require_office(request.user)
        data = parsed(GiveOutInput, request)
        wanted = set(data["tasks"])
        found = list(Task.objects.visible_to(request.user).filter(pk__in=wanted))
        missing = sorted(wanted - {t.pk for t in found})
        if missing:
            raise ValidationError({"tasks": [f"任务ID不存在：{'、'.join(map(str, missing))}。"]})
        given = tasks_give_out(tasks=found, by=request.user, acknowledge_days=data["acknowledge_days"])
        return Response(
            GiveOutSerializer(
                {
                    "tasks": [t.pk for t in given],
                    "assigned_on": given[0].assigned_on,
                    "acknowledge_by": given[0].acknowledge_by,
                }
            ).data
        )

    @extend_schema(
        summary="分解任务 · Add a step",
        description=(
            "牵头单位把任务分解为本部门的步骤，写明完成日期和责任人（倒排时间表）。"
            "· The lead department adds one of its own dated steps with the person responsible."
        ),
        request=StepInput,
        responses={201: MilestoneSerializer},
    )
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        task = visible_task(request, pk)
        data = parsed(StepInput, request)
        step = step_add(task=task, by=request.user, **data)
        return Response(MilestoneSerializer(step).data, status=status.HTTP_201_CREATED)
