"""The ledger: export the filtered list as a spreadsheet; import a department's progress back."""

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from importer.readers import DocumentError, read_document

from .. import rules, selectors
from ..filtersets import TaskFilterSet
from ..ledger.export import ledger_rows, to_csv, to_xlsx
from ..services.progress_import import ProgressRow, progress_import, read_progress

SALT = "tasks.ledger.progress"


@login_required
def export(request):
    """The list as filtered, in the ledger layout, as .xlsx (default) or .csv."""
    today = timezone.localdate()
    params = request.GET.copy()
    fmt = params.pop("format", ["xlsx"])[0]
    filterset = TaskFilterSet(params, queryset=selectors.task_list(user=request.user, today=today), request=request)
    rows = ledger_rows(filterset.qs)
    stamp = today.strftime("%Y%m%d")
    if fmt == "csv":
        response = HttpResponse(to_csv(rows), content_type="text/csv; charset=utf-8")
        name = f"任务台账-{stamp}.csv"
    else:
        title = f"任务分工和进度安排表（{today:%Y年%m月%d日}）"
        response = HttpResponse(
            to_xlsx(rows, title), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        name = f"任务台账-{stamp}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=utf-8''{quote(name)}"
    return response


def _period() -> date:
    return timezone.localdate().replace(day=1)


@login_required
def progress_upload(request):
    """A department sends back the ledger with 进展情况 filled in: preview first."""
    rules.require(rules.can_upload_progress(request.user), gettext("只有部门经办人或负责人可以批量报送进展。"))
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("ledger")
        try:
            if upload is None:
                raise ValidationError(gettext("请选择填好的任务台账文件。"))
            document = read_document(upload.read(), upload.name, convert=False)
            table = next((t for t in document.tables), None)
            if table is None:
                raise ValidationError(gettext("文件中没有表格：请上传从平台导出的任务台账（.xlsx 或 .csv）。"))
            rows = read_progress(table, user=request.user, period=_period())
            if not rows:
                raise ValidationError(gettext("表格中没有填写进展情况的任务行。"))
        except (DocumentError, ValidationError) as problem:
            error = "；".join(getattr(problem, "messages", [str(problem)]))
        else:
            payload = signing.dumps([(r.line, r.task_id, r.text) for r in rows], salt=SALT, compress=True)
            return render(
                request, "tasks/progress_preview.html", {"rows": rows, "payload": payload, "period": _period()}
            )
    return render(request, "tasks/progress_upload.html", {"error": error}, status=400 if error else 200)


@login_required
@require_POST
def progress_confirm(request):
    try:
        entries = signing.loads(request.POST.get("payload", ""), salt=SALT, max_age=6 * 3600)
    except signing.BadSignature:
        messages.error(request, gettext("预览已过期或被改动，请重新上传。"))
        return redirect("tasks:progress_upload")
    period = _period()
    # Checked again now: something may have changed since the preview.
    table = [["任务编号", "任务内容", "进展情况"]] + [[str(task_id), "", text] for _, task_id, text in entries]
    rows: list[ProgressRow] = read_progress(table, user=request.user, period=period)
    for row, (line, _, _) in zip(rows, entries, strict=True):
        row.line = line
    try:
        sent = progress_import(rows=rows, user=request.user, period=period)
    except ValidationError as problem:
        return render(
            request,
            "tasks/progress_preview.html",
            {"rows": rows, "payload": request.POST["payload"], "period": period, "error": "；".join(problem.messages)},
            status=400,
        )
    month = date_format(period, gettext("Y年m月"))
    messages.success(request, gettext("已报送 %(count)s 项任务的%(month)s进展。") % {"count": sent, "month": month})
    return redirect("tasks:list")
