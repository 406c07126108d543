"""整改要求 and 督办单 as their departments and the office see them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from documents.downloads import DOCX, PDF, download, stored_file
from documents.pdf import render_pdf
from reform_portal.forms import errors_into

from .. import rules, selectors
from ..choices import DEMAND_REPORTED, DemandStatus
from ..filtersets import DemandFilterSet
from ..forms import DemandDecisionForm, DemandReportForm, NoticeResponseForm
from ..reports.document import notice_context
from ..reports.word import notice_docx
from ..services import demand_close, demand_report, demand_return, notice_respond


def _require_demand_reader(request) -> None:
    if not (rules.can_see_demands(request.user)):
        raise PermissionDenied(gettext("整改要求仅向督查员、政府办和责任单位开放。"))


@login_required
def demand_list(request):
    _require_demand_reader(request)
    today = timezone.localdate()
    # A value the filters refuse is left out, as the task list does.
    demands = DemandFilterSet(request.GET, queryset=selectors.demands(user=request.user)).qs
    status = request.GET.get("status", "")
    page = Paginator(demands, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "status": status,
        "statuses": DemandStatus.choices,
        "today": today,
        "query": query.urlencode(),
        "counts": selectors.demand_counts(user=request.user, today=today),
    }
    return render(request, "supervision/demand_list.html", context)


def _demand_page(request, demand, *, status=200, **forms):
    history = selectors.demand_history(demand)
    # The files of the round now standing (reported, or closed on it): an earlier round's
    # stay with it in the history below.
    last_report = next((record for record in reversed(history) if record.action == DEMAND_REPORTED), None)
    context = {
        "demand": demand,
        "today": timezone.localdate(),
        "can_report": rules.can_report_demand(request.user, demand),
        "can_close": rules.can_close_demand(request.user, demand),
        "report_form": forms.get("report_form") or DemandReportForm(initial={"text": demand.report_text}),
        "decision_form": forms.get("decision_form") or DemandDecisionForm(),
        "history": history,
        "files": list(last_report.demand_attachments.all()) if last_report and demand.report_text else [],
    }
    return render(request, "supervision/demand_detail.html", context, status=status)


def _demand(request, pk: int):
    _require_demand_reader(request)
    return get_object_or_404(selectors.demands(user=request.user), pk=pk)


@login_required
def demand_detail(request, pk: int):
    return _demand_page(request, _demand(request, pk))


@login_required
@require_POST
def demand_report_view(request, pk: int):
    demand = _demand(request, pk)
    form = DemandReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            demand_report(
                demand=demand, text=form.cleaned_data["text"], files=form.cleaned_data["files"], by=request.user
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, gettext("整改情况已报告，等待政府办销号。"))
            return redirect(demand)
    return _demand_page(request, demand, status=400, report_form=form)


@login_required
@require_POST
def demand_decide(request, pk: int):
    """销号 (close) or 退回 (send back with the reason)."""
    demand = _demand(request, pk)
    form = DemandDecisionForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        if request.POST.get("decision") == "close":
            demand_close(demand=demand, comment=comment, by=request.user)
            messages.success(request, gettext("已销号。"))
        elif request.POST.get("decision") == "return":
            demand_return(demand=demand, comment=comment, by=request.user)
            messages.success(request, gettext("已退回责任单位。"))
        else:
            raise ValidationError(gettext("请选择销号或退回。"))
    except ValidationError as error:
        errors_into(form, error)
        return _demand_page(request, demand, status=400, decision_form=form)
    return redirect(demand)


@login_required
def demand_file(request, pk: int):
    """A file sent with a round of 整改情况, under its own name; PDFs and images open in the
    page with ?inline=1. Anyone who may not see its demand is told it does not exist."""
    attachment = get_object_or_404(selectors.demand_attachments(user=request.user), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return stored_file(request, handle, name=attachment.original_name, content_type=attachment.content_type)


@login_required
def notice_list(request):
    _require_demand_reader(request)
    page = Paginator(selectors.notices(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "supervision/notice_list.html", {"page": page})


def _notice_page(request, notice, *, status=200, form=None):
    context = {
        "notice": notice,
        "state": notice.state(timezone.localdate()),
        "files": list(notice.attachments.all()),
        "can_respond": rules.can_respond_notice(request.user, notice),
        "form": form or NoticeResponseForm(),
    }
    return render(request, "supervision/notice_detail.html", context, status=status)


def _notice(request, pk: int):
    _require_demand_reader(request)
    return get_object_or_404(selectors.notices(user=request.user), pk=pk)


@login_required
def notice_detail(request, pk: int):
    """The 督办单 and its 回执; the official document as HTML with ?format=html, the PDF
    with ?format=pdf, Word with ?format=docx."""
    notice = _notice(request, pk)
    wanted = request.GET.get("format")
    name = f"督办单-{notice.inspection.title}-{notice.department.short_name}"
    if wanted == "docx":
        return download(notice_docx(notice), f"{name}.docx", DOCX)
    if wanted not in ("html", "pdf"):
        return _notice_page(request, notice)
    html = render_to_string("supervision/document/notice.html", notice_context(notice), request=request)
    if wanted == "html":
        return HttpResponse(html)
    return download(render_pdf(html).data, f"{name}.pdf", PDF, inline=True)


@login_required
@require_POST
def notice_respond_view(request, pk: int):
    """回执: the receiving unit says what it has done, with its files."""
    notice = _notice(request, pk)
    form = NoticeResponseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            notice_respond(
                notice=notice, text=form.cleaned_data["text"], files=form.cleaned_data["files"], by=request.user
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, "回执已提交，督查室可以查看。")
            return redirect(notice)
    return _notice_page(request, notice, status=400, form=form)


@login_required
def notice_file(request, pk: int):
    """A file sent with a 回执, under its own name; anyone who may not see the notice is
    told it does not exist."""
    attachment = get_object_or_404(selectors.notice_attachments(user=request.user), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return stored_file(request, handle, name=attachment.original_name, content_type=attachment.content_type)
