"""Plans, and the import of a plan from the importer's JSON: preview, then confirm."""

import json
import secrets

from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from departments.models import Department
from reform_portal.api.pagination import NumberedPage
from reform_portal.api.serializers import parsed

from ... import rules
from ...filtersets import PlanFilterSet
from ...models import Plan
from ...services.importing import import_preview, plan_import
from ..inputs import ImportConfirmInput, ImportPreviewInput
from ..serializers import PlanSerializer

SALT = "tasks.api.import"
PREVIEW_HOURS = 12


class PreviewRowSerializer(serializers.Serializer):
    ref = serializers.CharField()
    action = serializers.ChoiceField(choices=["new", "update", "same"])
    task = serializers.IntegerField(source="task.pk", allow_null=True)
    changes = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    flags = serializers.ListField(
        child=serializers.CharField(), help_text="需要核对的原因；为空即无问题 · why to check it; empty when clean"
    )


class ProposedDepartmentSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="原文名称 · as written")
    can_create = serializers.BooleanField(help_text="名称形式像单位，可以新建 · its form is a unit's")
    source = serializers.CharField(help_text="出处原文 · the text it was read from")
    tasks = serializers.ListField(child=serializers.CharField())
    suggestion = serializers.CharField(
        allow_null=True, help_text="它最可能是的已登记部门（仅建议）· the registered department it likely abbreviates"
    )


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
    needs_review = serializers.IntegerField(help_text="需要核对的行数 · rows with flags")
    proposed_departments = ProposedDepartmentSerializer(
        many=True, help_text="部门库中没有、可新建或对应的单位 · unknown names that may be units"
    )


class ImportedPlanSerializer(PlanSerializer):
    tasks = serializers.IntegerField(
        source="tasks_count", help_text="方案中的节点数（含章节）· nodes saved, headings included"
    )

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "tasks"]


@extend_schema_view(
    list=extend_schema(
        summary="方案 · Plans",
        description=(
            "政府办、督查员和领导看到全部方案；部门只看到有本部门任务的方案（原文不在列表中）。"
            "· Every plan for the office, supervisors and leaders; a department sees the plans holding its tasks."
        ),
    ),
    retrieve=extend_schema(summary="方案详情 · One plan"),
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PlanFilterSet
    pagination_class = NumberedPage
    queryset = Plan.objects.defer("source_text").order_by("-year", "title", "pk")

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

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
        rules.require(rules.can_edit_plans(request.user), "只有政府办（督查室）可以导入方案。")
        data = parsed(ImportPreviewInput, request)
        plan = None
        if data["plan"] is not None:
            plan = get_object_or_404(Plan.objects.defer("source_text"), pk=data["plan"])
        # Back to the importer's own JSON form (dates as text), as the services read it.
        payload = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
        payload["nonce"] = secrets.token_urlsafe(24)  # the preview is confirmed once (plan_import)
        preview = import_preview(data=payload["data"], plan=plan)
        token = signing.dumps(payload, salt=SALT, compress=True)
        result = {
            "token": token,
            "plan": plan.pk if plan else None,
            "counts": preview.counts,
            "rows": [
                {"ref": row.ref, "action": row.action, "task": row.task, "changes": row.changes, "flags": row.flags}
                for row in preview.rows
            ],
            "removed": preview.removed,
            "unknown_departments": preview.unknown_departments,
            "warnings": payload["data"]["warnings"],
            "needs_review": preview.flagged,
            "proposed_departments": preview.proposals,
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
        data = parsed(ImportConfirmInput, request)
        try:
            payload = signing.loads(data["token"], salt=SALT, max_age=PREVIEW_HOURS * 3600)
        except signing.BadSignature as error:
            raise ValidationError({"token": ["预览已过期或被改动，请重新预览。"]}) from error
        if not payload.get("nonce"):
            raise ValidationError({"token": ["预览已过期或被改动，请重新预览。"]})
        target = None
        if payload["plan"] is not None:
            target = Plan.objects.filter(pk=payload["plan"]).first()
            if target is None:
                raise ValidationError({"token": ["要修订的方案已不存在。"]})
        wanted = {m["department"] for m in data["matched_departments"]}
        found = Department.objects.in_bulk(wanted)
        if wanted - set(found):
            raise ValidationError({"matched_departments": ["所选部门不存在。"]})
        plan = plan_import(
            data=payload["data"],
            by=request.user,
            plan=target,
            source_name=payload["source_name"],
            source_text=payload["source_text"],
            new_departments=data["new_departments"],
            matched={m["name"]: found[m["department"]] for m in data["matched_departments"]},
            year=payload["year"],
            preview_token=payload["nonce"],
            assign=data["assign"],
            acknowledge_days=data["acknowledge_days"],
        )
        plan.tasks_count = plan.tasks.count()
        return Response(ImportedPlanSerializer(plan).data, status=status.HTTP_201_CREATED)
