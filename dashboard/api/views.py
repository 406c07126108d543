"""The dashboards' figures as JSON, cut by the same DashboardFilterSet as the pages. Every
figure carries `query`: the /api/tasks/ filters that list exactly the tasks it counts."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from tasks import rules, selectors
from tasks.filtersets import DashboardFilterSet
from tasks.models import Task

from .. import selectors as dashboards


class PortalWide(BasePermission):
    message = "数据看板仅向政府办、督查员和领导开放。"

    def has_permission(self, request, view):
        return rules.can_see_dashboards(request.user)


class TileSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.IntegerField()
    query = serializers.CharField()
    note = serializers.CharField()
    tone = serializers.CharField()


class WeekSerializer(serializers.Serializer):
    week = serializers.DateField()
    completed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    completed_query = serializers.CharField()
    overdue_query = serializers.CharField()


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    count = serializers.IntegerField()
    query = serializers.CharField()


class OverviewSerializer(serializers.Serializer):
    tiles = TileSerializer(many=True)
    statuses = TileSerializer(many=True)
    lights = TileSerializer(many=True)
    warning_days = serializers.IntegerField()
    trend = WeekSerializer(many=True)
    calendar = MonthSerializer(many=True)


class RankingRowSerializer(serializers.Serializer):
    department = serializers.IntegerField(source="department.pk")
    department_name = serializers.CharField(source="department.name")
    led = serializers.IntegerField()
    cooperating = serializers.IntegerField()
    on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    reports_late = serializers.IntegerField()
    average_delay = serializers.FloatField(allow_null=True, help_text="逾期办结的平均延误天数 · days")


class RollupSerializer(serializers.Serializer):
    label = serializers.CharField()
    weighted = serializers.DecimalField(max_digits=20, decimal_places=2)
    weights = serializers.DecimalField(max_digits=20, decimal_places=2)
    progress = serializers.FloatField()
    formula = serializers.CharField()
    tasks = serializers.IntegerField()
    completed = serializers.IntegerField()
    query = serializers.CharField()


class PlanRollupSerializer(RollupSerializer):
    plan = serializers.IntegerField(source="plan.pk")
    chapters = RollupSerializer(many=True)


FILTERS = [
    OpenApiParameter("plan", int, description="方案ID · plan id"),
    OpenApiParameter("year", int, description="完成年度 · deadline year"),
    OpenApiParameter("category", str, description="类别 · category"),
    OpenApiParameter("department", int, description="责任单位ID · department id"),
]


class DashboardViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated, PortalWide]

    def _filtered(self, request):
        today = timezone.localdate()
        visible = selectors.lights(Task.objects.visible_to(request.user).tracked(), today)
        filterset = DashboardFilterSet(request.query_params, queryset=visible, request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset, today

    def _tasks(self, request):
        filterset, today = self._filtered(request)
        return filterset.qs, today

    @extend_schema(
        summary="总览 · Overview",
        description=(
            "任务数、完成率、按期率、逾期、临期、迟报、待审，状态和灯色分布，12周趋势和6个月到期日历。"
            "· Counts and rates, statuses and lights, 12 weeks of trend and 6 months of deadlines."
        ),
        parameters=FILTERS,
        responses=OverviewSerializer,
    )
    @action(detail=False, methods=["get"])
    def overview(self, request):
        filterset, today = self._filtered(request)
        tasks = filterset.qs
        tally = selectors.tally(today) if dashboards.of_every_task(request.user, filterset) else None
        counts = dashboards.counted(tasks, today=today, tally=tally)
        data = dashboards.overview(tasks, today=today, counts=counts)
        data["trend"] = dashboards.trend(tasks, today=today, counts=counts)
        data["calendar"] = dashboards.deadline_calendar(tasks, today=today, counts=counts)
        return Response(OverviewSerializer(data).data)

    @extend_schema(
        summary="部门排名 · Department ranking",
        description="牵头、配合、按期办结、逾期、迟报、平均延误。· Per department, sortable by any column.",
        parameters=[
            *FILTERS,
            OpenApiParameter("sort", str, enum=list(dashboards.RANKING_COLUMNS), description="排序列 · column"),
            OpenApiParameter("dir", str, enum=["asc", "desc"]),
        ],
        responses=RankingRowSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def departments(self, request):
        filterset, _ = self._filtered(request)
        sort = request.query_params.get("sort", "overdue")
        descending = request.query_params.get("dir", "desc") != "asc"
        every_task = dashboards.of_every_task(request.user, filterset)
        rows = dashboards.department_ranking(filterset.qs, sort=sort, descending=descending, every_task=every_task)
        return Response(RankingRowSerializer(rows, many=True).data)

    @extend_schema(
        summary="方案进度 · Plan progress",
        description="每个方案和每章的加权进度：Σ(分值×进度) ÷ Σ分值。· Weighted progress of each plan and chapter.",
        parameters=FILTERS,
        responses=PlanRollupSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def plans(self, request):
        tasks, _ = self._tasks(request)
        rollups = []
        for plan, chapters in dashboards.plan_progress(tasks):
            plan.chapters = chapters
            rollups.append(plan)
        return Response(PlanRollupSerializer(rollups, many=True).data)
