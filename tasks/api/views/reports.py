from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from reform_portal.api.pagination import CursorPage
from reform_portal.api.parsers import LimitedMultiPartParser
from reform_portal.api.serializers import parsed

from ...filtersets import ReportFilterSet
from ...selectors.records import reports_for
from ...services import evidence_add, report_review, report_save, report_sign_off, report_submit
from ..inputs import CommentInput, EvidenceUpload, ReportInput
from ..serializers import EvidenceSerializer, ReportSerializer
from .common import visible_task


@extend_schema_view(
    list=extend_schema(
        summary="进展报告 · Progress reports",
        description=(
            "可见任务的已报送报告，以及本部门的草稿和待签发报告。"
            "· Sent reports of the tasks this account sees, and its own department's drafts."
        ),
    ),
    retrieve=extend_schema(summary="进展报告详情 · A progress report"),
    create=extend_schema(
        summary="填写报告（草稿）· Write a report (draft)",
        description=(
            "本部门为任务写本期报告，保存为草稿；再调用 submit 报送。配合单位报给牵头单位，牵头单位报给政府办。"
            "· Saves the department's report for the period as a draft; `submit` sends it on "
            "(co-operating departments to the lead, the lead to the office)."
        ),
        request=ReportInput,
        responses={201: ReportSerializer},
    ),
    update=extend_schema(
        summary="修改草稿 · Edit a draft",
        description="带上打开时的 version，他人已改过则拒绝。· Send the version read; a newer edit is not overwritten.",
        request=ReportInput,
        responses=ReportSerializer,
    ),
)
class ReportViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ReportSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReportFilterSet
    pagination_class = CursorPage
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return reports_for(user=self.request.user)

    def _out(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(ReportSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data, status=code)

    def _save(self, request, *, report=None):
        data = parsed(ReportInput, request)
        if report is None:
            if "task" not in data:
                raise ValidationError({"task": ["请指明任务。"]})
            task = visible_task(request, data["task"])
        else:
            if data.get("task", report.task_id) != report.task_id:
                raise ValidationError({"task": ["报告不属于这项任务。"]})
            task = visible_task(request, report.task_id)
        return report_save(
            task=task,
            by=request.user,
            report=report,
            version=data.get("version"),
            period=data["period"],
            text=data["text"],
            percent=data["percent"],
            lower_reason=data["lower_reason"],
            milestones_done=data["milestones_done"],
            indicator_values=data["indicator_values"],
        )

    def create(self, request, *args, **kwargs):
        return self._out(self._save(request).pk, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        report = self._save(request, report=self.get_object())
        return self._out(report.pk)

    @extend_schema(
        summary="报送 · Submit",
        description=(
            "草稿或退回的报告送出；部门要求负责人签发时先送负责人。"
            "· Send a draft on (to the head first where required)."
        ),
        request=None,
        responses=ReportSerializer,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report_submit(report=self.get_object(), by=request.user)
        return self._out(pk)

    def _decision(self, request, pk, call):
        report = self.get_object()
        comment = parsed(CommentInput, request)["comment"]
        call(report=report, by=request.user, comment=comment)
        return self._out(pk)

    @extend_schema(summary="负责人签发 · Sign off", request=CommentInput, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        return self._decision(request, pk, lambda **kw: report_sign_off(approve=True, **kw))

    @extend_schema(summary="负责人退回修改 · Send back to draft", request=CommentInput, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        return self._decision(request, pk, lambda **kw: report_sign_off(approve=False, **kw))

    @extend_schema(
        summary="采纳 · Accept",
        description="政府办采纳牵头单位的报告；牵头单位采纳配合单位的报告。· The reviewer accepts a submitted report.",
        request=CommentInput,
        responses=ReportSerializer,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decision(request, pk, lambda **kw: report_review(accept=True, **kw))

    @extend_schema(
        summary="退回 · Return",
        description="须写明意见（comment）。· A comment is required.",
        request=CommentInput,
        responses=ReportSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._decision(request, pk, lambda **kw: report_review(accept=False, **kw))

    @extend_schema(
        summary="上传佐证材料 · Upload evidence",
        description=(
            "multipart/form-data，字段名 files（可多个）；只能是PDF、图片或Office文档，每个20 MB以内；"
            "只能上传到本部门未报送的报告。"
            "· Multipart, field `files` (one or more): PDF, images or Office documents, 20 MB each; "
            "only to the department's own report before it is sent."
        ),
        request={"multipart/form-data": EvidenceUpload},
        responses={201: EvidenceSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], parser_classes=[LimitedMultiPartParser])
    def evidence(self, request, pk=None):
        report = self.get_object()
        unknown = sorted(set(request.data) - {"files"})
        if unknown:
            raise ValidationError({name: ["未知字段。"] for name in unknown})
        files = request.FILES.getlist("files")
        created = evidence_add(report=report, by=request.user, files=files)
        return Response(EvidenceSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="下载佐证材料 · Download evidence",
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"], url_path=r"evidence/(?P<evidence_id>[0-9]{1,18})")
    def evidence_file(self, request, pk=None, evidence_id=None):
        evidence = self.get_object().evidence.filter(pk=evidence_id).first()
        if evidence is None:
            raise Http404
        return FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )
