"""督查通报: the draft's editor and preview, the render jobs, issuing and correcting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from documents.downloads import DOCX, download
from reform_portal.forms import errors_into

from .. import rules, selectors
from ..choices import Verdict
from ..forms import BulletinForm, CorrectionForm, RulesForm
from ..models import Bulletin, RenderJob
from ..reports.document import bulletin_context
from ..reports.word import bulletin_docx
from ..services import (
    bulletin_correct,
    bulletin_issue,
    bulletin_read,
    bulletin_remind,
    bulletin_rules_apply,
    bulletin_update,
    render_request,
)
from ..services.receipts import receipt_for
from .common import file_answer, require_supervisor


def _bulletin(request, pk: int) -> Bulletin:
    return get_object_or_404(selectors.bulletins(user=request.user), pk=pk)


def _initial(bulletin: Bulletin) -> dict:
    verdicts = list(bulletin.verdicts.all())
    return {
        "title": bulletin.title,
        "recipients": bulletin.recipients,
        "basic": bulletin.basic,
        "achievements": bulletin.achievements,
        "problems": bulletin.problems,
        "requirements": bulletin.requirements,
        "commended": [v.department_id for v in verdicts if v.verdict == Verdict.COMMEND],
        "criticised": [v.department_id for v in verdicts if v.verdict == Verdict.CRITICISE],
    }


@login_required
def bulletin_list(request):
    if not rules.can_read_bulletins(request.user):
        raise Http404
    page = Paginator(selectors.bulletins(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "supervision/bulletin_list.html", {"page": page})


@login_required
def bulletin_detail(request, pk: int):
    """A draft: its editor beside the preview. Issued: the file, its hash and versions."""
    bulletin = _bulletin(request, pk)
    supervising = rules.can_supervise(request.user)
    form = None
    if bulletin.is_draft and supervising:
        form = BulletinForm(request.POST if request.method == "POST" else None, initial=_initial(bulletin))
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            try:
                bulletin_update(
                    bulletin=bulletin,
                    by=request.user,
                    commended=list(data.pop("commended")),
                    criticised=list(data.pop("criticised")),
                    **data,
                )
            except ValidationError as error:
                errors_into(form, error)
            else:
                messages.success(request, gettext("通报草稿已保存。"))
                return redirect(bulletin)
    elif request.method == "POST":
        require_supervisor(request)
        messages.error(request, gettext("通报已印发，不能再修改；如需更正，请生成更正版。"))
        return redirect(bulletin)
    return _page(request, bulletin, form=form, status=400 if form and form.errors else 200)


def _page(request, bulletin: Bulletin, *, form=None, correction_form=None, rules_form=None, status=200):
    supervising = rules.can_supervise(request.user)
    initial = {
        "commend_min_tasks": bulletin.commend_min_tasks,
        "criticise_overdue_days": bulletin.criticise_overdue_days,
    }
    context = {
        "bulletin": bulletin,
        "form": form,
        "rules_form": rules_form or RulesForm(initial=initial),
        "supervising": supervising,
        "correction_form": correction_form or CorrectionForm(),
        "job": bulletin.jobs.order_by("-id").first() if supervising else None,
        "versions": _versions(bulletin),
        "verdicts": bulletin.verdicts.select_related("department"),
        "receipts": bulletin.receipts.select_related("department", "read_by__membership") if supervising else None,
        "my_receipt": None if supervising else receipt_for(bulletin, request.user),
    }
    return render(request, "supervision/bulletin_detail.html", context, status=status)


def _versions(bulletin: Bulletin) -> list[Bulletin]:
    if bulletin.sequence is None:
        return [bulletin]
    return list(
        Bulletin.objects.filter(year=bulletin.year, sequence=bulletin.sequence)
        .order_by("version")
        .only("pk", "version", "status", "correction_reason", "issued_at", "year", "sequence", "title")
    )


@login_required
@xframe_options_sameorigin
def bulletin_document(request, pk: int):
    """The document itself, as the PDF prints it: the same template and context."""
    bulletin = _bulletin(request, pk)
    return render(request, "supervision/document/bulletin.html", bulletin_context(bulletin))


@login_required
def bulletin_docx_view(request, pk: int):
    """The bulletin as Word, for the office's OA system: the issued text with its number, or the
    draft as it stands ("通报草稿-…")."""
    bulletin = _bulletin(request, pk)
    edition = f"（第{bulletin.version}版）" if bulletin.version > 1 else ""
    name = f"{bulletin.number}{edition}" if bulletin.sequence else f"通报草稿-{bulletin.title}"
    return download(bulletin_docx(bulletin), f"{name}.docx", DOCX)


@login_required
def bulletin_pdf(request, pk: int):
    """The issued file, served only while it still matches the hash taken at issue."""
    bulletin = _bulletin(request, pk)
    if not bulletin.pdf_sha256:
        raise Http404
    edition = f"（第{bulletin.version}版）" if bulletin.version > 1 else ""
    filename = f"{bulletin.number}{edition}.pdf"
    return file_answer(bulletin.pdf, filename, sha256=bulletin.pdf_sha256)


@login_required
@require_POST
def bulletin_render(request, pk: int):
    require_supervisor(request)
    bulletin = _bulletin(request, pk)
    try:
        job = render_request(bulletin=bulletin, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(bulletin)
    return redirect("supervision:job", pk=job.pk)


@login_required
@require_POST
def bulletin_issue_view(request, pk: int):
    require_supervisor(request)
    bulletin = _bulletin(request, pk)
    try:
        job = bulletin_issue(bulletin=bulletin, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(bulletin)
    return redirect("supervision:job", pk=job.pk)


@login_required
@require_POST
def bulletin_read_view(request, pk: int):
    """阅知: a member of a unit the bulletin was sent to signs for it."""
    bulletin = _bulletin(request, pk)
    if receipt_for(bulletin, request.user) is None:
        raise Http404
    bulletin_read(bulletin=bulletin, by=request.user)
    messages.success(request, gettext("已阅知，已记录本单位的签收。"))
    return redirect(bulletin)


@login_required
@require_POST
def bulletin_remind_view(request, pk: int):
    """催阅: remind the units that have not read the bulletin yet."""
    require_supervisor(request)
    bulletin = _bulletin(request, pk)
    try:
        count = bulletin_remind(bulletin=bulletin, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, gettext("已向%(count)s个未阅知的单位发送催阅提醒。") % {"count": count})
    return redirect(bulletin)


@login_required
@require_POST
def bulletin_rules(request, pk: int):
    """New rules for whom the draft names; the proposals are made again from the findings."""
    require_supervisor(request)
    bulletin = _bulletin(request, pk)
    form = RulesForm(request.POST)
    if form.is_valid():
        try:
            bulletin_rules_apply(bulletin=bulletin, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, gettext("已按新规则重新提出表扬和批评的单位。"))
            return redirect(bulletin)
    editor = BulletinForm(initial=_initial(bulletin)) if bulletin.is_draft else None
    return _page(request, bulletin, form=editor, rules_form=form, status=400)


@login_required
@require_POST
def bulletin_correct_view(request, pk: int):
    require_supervisor(request)
    bulletin = _bulletin(request, pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            correction = bulletin_correct(bulletin=bulletin, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            errors_into(form, error)
        else:
            done = gettext("已生成第%(version)s版草稿，修改后重新印发。") % {"version": correction.version}
            messages.success(request, done)
            return redirect(correction)
    return _page(request, bulletin, correction_form=form, status=400)


@login_required
def job_detail(request, pk: int):
    """A render job's progress; htmx polls the partial until the file is there."""
    require_supervisor(request)
    job = get_object_or_404(RenderJob.objects.select_related("bulletin"), pk=pk)
    template = "supervision/_job.html" if request.htmx else "supervision/job.html"
    return render(request, template, {"job": job, "bulletin": job.bulletin})


@login_required
def job_file(request, pk: int):
    require_supervisor(request)
    job = get_object_or_404(RenderJob, pk=pk)
    return file_answer(job.file, f"通报草稿-{job.bulletin_id}-{job.pk}.pdf")
