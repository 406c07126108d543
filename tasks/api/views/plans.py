"""Plans, and the import of a plan from the importer's JSON: preview, then confirm."""

import json

from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from departments.permissions import require_office
from reform_portal.api.pagination import NumberedPage

from ...filtersets import PlanFilterSet
from ...models import Plan
from ...services.importing import import_preview, plan_import
from ..inputs import ImportConfirmInput, ImportPreviewInput
from ..serializers import PlanSerializer
from .common import parsed

SALT = "tasks.api.import"
PREVIEW_HOURS = 12


class PreviewRowSerializer(serializers.Serializer):
    ref = serializers.CharField()
    action = serializers.ChoiceField(choices=["new", "update", "same"])
    task = serializers.IntegerField(source="task.pk", allow_null=True)
    changes = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class RemovedTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    title = serializers.CharField()


class ImportPreviewSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="确认导入时原样交回 · hand back to confirm")
    plan = serializers.IntegerField(allow_null=True, help_text="被修订的方案 · the plan revised, if any")
    counts = serializers.DictField(child=serializers.IntegerField())
    rows = PreviewRowSerializer(many=True)
    removed = RemovedTaskSerializer(many=True, help_text="新版本中删去、将撤销的任务 · tasks to be cancelled")
    unknown_departments = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())


class ImportedPlanSerializer(PlanSerializer):
    tasks = serializers.IntegerField(
        source="tasks_count", help_text="方案中的节点数（含章节）· nodes saved, headings included"
    )

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "tasks"]


@extend_schema_view(
    list=extend_schema(
        summary="方案 · Plans", description="全部方案（原文不在列表中）。· Every plan, without its text."
    ),
    retrieve=extend_schema(summary="方案详情 · One plan"),
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PlanFilterSet
    pagination_class = NumberedPage
    queryset = Plan.objects.defer("source_text").order_by("-year", "title", "pk")

    @extend_schema(
        summary="导入预览 · Import preview",
        description=(
            "政府办提交导入器的JSON（import_plan --json 的格式），得到每项任务是新增、修改还是不变，"
            "新版本删去的任务和未登记的部门；不保存任何内容。返回的 token 交给 import/confirm 保存。"
            "· The office posts the importer's JSON; nothing is saved. Hand the token to import/confirm."
        ),
        request=ImportPreviewInput,
        responses=ImportPreviewSerializer,
    )
    @action(detail=False, methods=["post"], url_path="import/preview")
    def import_preview(self, request):
        require_office(request.user)
        data = parsed(ImportPreviewInput, request)
        plan = None
        if data["plan"] is not None:
            plan = get_object_or_404(Plan.objects.defer("source_text"), pk=data["plan"])
        # Back to the importer's own JSON form (dates as text), as the services read it.
        payload = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
        preview = import_preview(data=payload["data"], plan=plan)
        token = signing.dumps(payload, salt=SALT, compress=True)
        result = {
            "token": token,
            "plan": plan.pk if plan else None,
            "counts": preview.counts,
            "rows": [
                {"ref": row.ref, "action": row.action, "task": row.task, "changes": row.changes} for row in preview.rows
            ],
            "removed": preview.removed,
            "unknown_departments": preview.unknown_departments,
            "warnings": payload["data"]["warnings"],
        }
        return Response(ImportPreviewSerializer(result).data)

    @extend_schema(
        summary="确认导入 · Confirm the import",
        description=(
            "保存预览过的内容：全部保存或全部不保存。未登记的部门只有列在 new_departments 中才新建。"
            "· Saves what was previewed, all or nothing; unknown departments are created only when listed."
        ),
        request=ImportConfirmInput,
        responses={201: ImportedPlanSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import/confirm")
    def import_confirm(self, request):
        require_office(request.user)
        data = parsed(ImportConfirmInput, request)
        try:
            payload = signing.loads(data["token"], salt=SALT, max_age=PREVIEW_HOURS * 3600)
        except signing.BadSignature as error:
            raise ValidationError({"token": ["预览已过期或被改动，请重新预览。"]}) from error
        target = None
        if payload["plan"] is not None:
            target = Plan.objects.filter(pk=payload["plan"]).first()
            if target is None:
                raise ValidationError({"token": ["要修订的方案已不存在。"]})
        plan = plan_import(
            data=payload["data"],
            by=request.user,
            plan=target,
            source_name=payload["source_name"],
            source_text=payload["source_text"],
            new_departments=data["new_departments"],
            year=payload["year"],
        )
        plan.tasks_count = plan.tasks.count()
        return Response(ImportedPlanSerializer(plan).data, status=status.HTTP_201_CREATED)
