"""Supervision's viewsets: objects found through the pages' selectors (404 for what the user
may not see, 403 for a list or action the role has no part in, as on the pages) and every
step taken by the service the page calls."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from departments.models import Department
from documents.downloads import stored_file
from reform_portal.api.pagination import NumberedPage
from reform_portal.api.parsers import LimitedJSONParser, LimitedMultiPartParser
from reform_portal.api.serializers import parsed

from .. import rules, selectors
from ..filtersets import DemandFilterSet, FindingFilterSet
from ..models import BulletinDepartment, DemandAttachment, Finding, RectificationDemand
from ..services import (
    demand_close,
    demand_raise,
    demand_report,
    demand_return,
    finding_confirm,
    findings_confirm_all,
)
from .inputs import ConfirmInput, DemandCommentInput, DemandInput, DemandReportInput, DemandReportUpload
from .serializers import (
    BulletinSerializer,
    DemandSerializer,
    FindingSerializer,
    InspectionDetailSerializer,
    InspectionSerializer,
    NoticeSerializer,
)


class Supervises(BasePermission):
    message = "督查工作仅向督查员和政府办开放。"

    def has_permission(self, request, view):
        return rules.can_supervise(request.user)


class ReadsDemands(BasePermission):
    message = "整改要求仅向督查员、政府办和责任单位开放。"

    def has_permission(self, request, view):
        return rules.can_see_demands(request.user)


ConfirmedSerializer = inline_serializer("Confirmed", {"confirmed": serializers.IntegerField()})


@extend_schema_view(
    list=extend_schema(
        summary="督查 · Inspections",
        description=(
            "督查员和政府办开展的督查，最新的在前，带发现数和待确认数。· Inspections, newest first, "
            "with how many findings each has and how many are unconfirmed (supervisors and the office)."
        ),
    ),
    retrieve=extend_schema(
        summary="督查详情 · An inspection",
        description="含各督查评价的发现数。· With the number of findings at each rating.",
        responses=InspectionDetailSerializer,
    ),
)
class InspectionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InspectionSerializer
    permission_classes = [IsAuthenticated, Supervises]
    pagination_class = NumberedPage

    def get_queryset(self):
        return selectors.inspections(user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        inspection = self.get_object()
        context = {"rating_counts": selectors.rating_counts(inspection)}
        return Response(InspectionDetailSerializer(inspection, context=context).data)

    @extend_schema(
        summary="按建议确认其余发现 · Confirm the rest as suggested",
        description=(
            "尚未确认的督查发现一律按建议评价确认。· Every unconfirmed finding is confirmed with its suggested rating."
        ),
        request=None,
        responses=ConfirmedSerializer,
    )
    @action(detail=True, methods=["post"], url_path="confirm-all")
    def confirm_all(self, request, pk=None):
        return Response({"confirmed": findings_confirm_all(inspection=self.get_object(), by=request.user)})


@extend_schema_view(
    list=extend_schema(
        summary="督查发现 · Findings",
        description=(
            "督查发现，按督查（inspection）、督查评价（rating，unconfirmed为待确认）和牵头单位（department）筛选，"
            "与督查页面相同；按督查、任务顺序排列。· Findings, filtered as on the inspection page: by inspection, "
            "rating (confirmed, else suggested; `unconfirmed` for those not confirmed) and lead department."
        ),
    ),
    retrieve=extend_schema(summary="督查发现详情 · A finding"),
)
class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FindingSerializer
    permission_classes = [IsAuthenticated, Supervises]
    filter_backends = [DjangoFilterBackend]
    filterset_class = FindingFilterSet
    pagination_class = NumberedPage

    def get_queryset(self):
        return selectors.findings(user=self.request.user)

    def _out(self, pk) -> Response:
        return Response(FindingSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    @extend_schema(
        summary="确认督查评价 · Confirm the rating",
        description="督查员确认（或改定）评价并写明意见。· The inspector keeps or changes the rating, with a comment.",
        request=ConfirmInput,
        responses=FindingSerializer,
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        finding = self.get_object()
        data = parsed(ConfirmInput, request)
        finding_confirm(finding=finding, rating=data["rating"], comment=data["comment"], by=request.user)
        return self._out(pk)

    @extend_schema(
        summary="提出整改要求 · Raise a rectification demand",
        description=(
            "对督查发现提出整改要求，指定责任单位和整改时限；责任单位收到消息。"
            "· Raises a demand on the finding for a department, due by a date; the department is told."
        ),
        request=DemandInput,
        responses={201: DemandSerializer},
    )
    @action(detail=True, methods=["post"])
    def demands(self, request, pk=None):
        finding: Finding = self.get_object()
        data = parsed(DemandInput, request)
        department = Department.objects.filter(pk=data["department"]).first()
        if department is None:
            raise ValidationError({"department": ["部门不存在。"]})
        demand = demand_raise(
            finding=finding,
            department=department,
            requirement=data["requirement"],
            due_date=data["due_date"],
            by=request.user,
        )
        body = DemandSerializer(get_object_or_404(_demands(request), pk=demand.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)


def _demands(request):
    return (
        selectors.demands(user=request.user)
        .select_related("created_by", "reported_by", "closed_by")
        .prefetch_related(Prefetch("attachments", queryset=DemandAttachment.objects.select_related("record")))
    )


@extend_schema_view(
    list=extend_schema(
        summary="整改要求 · Rectification demands",
        description=(
            "督查员和政府办看全部，部门只看本部门的；按状态（status，overdue为整改逾期）、责任单位、督查、"
            "整改时限（due_after/due_before）筛选，时限近的在前。· Every demand for supervisors and the office, "
            "a department's own for its staff; by status (`overdue`: open past its due date), department, "
            "inspection and due date; soonest due first."
        ),
    ),
    retrieve=extend_schema(summary="整改要求详情 · A rectification demand"),
)
class DemandViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DemandSerializer
    permission_classes = [IsAuthenticated, ReadsDemands]
    filter_backends = [DjangoFilterBackend]
    filterset_class = DemandFilterSet
    pagination_class = NumberedPage

    def get_queryset(self):
        return _demands(self.request).order_by("due_date", "id")

    def _out(self, pk) -> Response:
        return Response(DemandSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    @extend_schema(
        summary="报告整改情况 · Report what was put right",
        description=(
            "责任单位报告整改情况，等待政府办销号。JSON只含text；要附文件用multipart/form-data，"
            "字段text和files（可多个，最多10个）：照片、PDF或Office文档，每个20 MB以内。文件属于这一轮报告，"
            "被退回后仍可查阅。· The department reports; the office closes or returns. JSON carries `text` "
            "only; to attach files send multipart with `text` and `files` (up to 10): photographs, PDFs or "
            "Office documents, 20 MB each. The files belong to this round and stay readable once returned."
        ),
        request={"application/json": DemandReportInput, "multipart/form-data": DemandReportUpload},
        responses=DemandSerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=[LimitedJSONParser, LimitedMultiPartParser])
    def report(self, request, pk=None):
        demand = self.get_object()
        unknown = sorted(set(request.FILES) - {"files"})
        if unknown:
            raise ValidationError({name: ["未知字段。"] for name in unknown})
        # The text through the strict input (unknown fields refused); the files to the service,
        # which judges each by its content.
        body = {key: request.data[key] for key in request.data if key not in request.FILES}
        text = DemandReportInput(data=body)
        text.is_valid(raise_exception=True)
        files = request.FILES.getlist("files")
        demand_report(demand=demand, text=text.validated_data["text"], files=files, by=request.user)
        return self._out(pk)

    @extend_schema(
        summary="整改佐证文件 · A file sent with a round",
        description=(
            "下载，文件名为原文件名；?inline=1 时PDF和图片在浏览器中打开。只有督查员、政府办和责任单位可以取得。"
            "· The file under its own name; ?inline=1 opens PDFs and images in the browser."
        ),
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>[0-9]{1,18})", url_name="attachment")
    def attachment(self, request, pk=None, attachment_id=None):
        attachment = get_object_or_404(self.get_object().attachments.all(), pk=attachment_id)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        return stored_file(request, handle, name=attachment.original_name, content_type=attachment.content_type)

    @extend_schema(
        summary="销号 · Close",
        description="政府办为已报告整改的要求销号，意见可选。· The office closes a reported demand; comment optional.",
        request=DemandCommentInput,
        responses=DemandSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        demand = self.get_object()
        demand_close(demand=demand, comment=parsed(DemandCommentInput, request)["comment"], by=request.user)
        return self._out(pk)

    @extend_schema(
        summary="退回 · Return",
        description="政府办退回责任单位继续整改，须写明理由（comment）。· Back to the department; comment required.",
        request=DemandCommentInput,
        responses=DemandSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        demand: RectificationDemand = self.get_object()
        demand_return(demand=demand, comment=parsed(DemandCommentInput, request)["comment"], by=request.user)
        return self._out(pk)


@extend_schema_view(
    list=extend_schema(
        summary="督查通报 · Bulletins",
        description=(
            "已印发（及已更正）的通报，人人可读；督查员和政府办另见草稿。起草、印发和更正在页面上进行。"
            "· Issued (and corrected) bulletins for everyone signed in; drafts too for supervisors and the office. "
            "Drafting, issuing and correcting are done in the pages."
        ),
    ),
    retrieve=extend_schema(summary="督查通报详情 · A bulletin"),
)
class BulletinViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BulletinSerializer
    pagination_class = NumberedPage

    def get_queryset(self):
        verdicts = BulletinDepartment.objects.select_related("department")
        return selectors.bulletins(user=self.request.user).prefetch_related(Prefetch("verdicts", queryset=verdicts))


@extend_schema_view(
    list=extend_schema(
        summary="督办单 · Notices",
        description=(
            "督查员和政府办看全部，部门只看本部门的；url 为督办单文件（?format=pdf 为PDF）。"
            "· Every notice for supervisors and the office, a department's own for its staff; `url` is the document."
        ),
    ),
    retrieve=extend_schema(summary="督办单详情 · A notice"),
)
class NoticeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NoticeSerializer
    permission_classes = [IsAuthenticated, ReadsDemands]
    pagination_class = NumberedPage

    def get_queryset(self):
        return selectors.notices(user=self.request.user)
