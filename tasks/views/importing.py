"""The office imports a plan: upload or paste, preview and correct, confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from departments.permissions import is_office
from departments.selectors import registry

from ..forms import ImportForm
from ..importing.documents import DocumentError, parse_document
from ..importing.edits import apply_edits, names_of
from ..importing.readers import read_document
from ..models import Plan
from ..services.importing import import_preview, plan_import

SALT = "tasks.import.preview"
PREVIEW_HOURS = 12


def _office_only(request) -> None:
    if not is_office(request.user):
        raise PermissionDenied("只有政府办（督查室）可以导入方案。")


def _preview(request, payload: dict, error: str = ""):
    plan = Plan.objects.filter(pk=payload.get("plan_id")).first() if payload.get("plan_id") else None
    data = payload["data"]
    preview = import_preview(data=data, plan=plan)
    changes = {row.ref: row for row in preview.rows}
    rows = []
    for item in data["tasks"]:
        row = changes[item["ref"]]
        uncertain = bool(item["warnings"]) or any(not d["known"] for d in item["lead"] + item["cooperating"])
        uncertain |= bool(item["deadline_text"]) and not item["deadline"]
        rows.append(
            {
                "item": item,
                "indent": (item["level"] - 1) * 1.2,
                "lead": names_of(item["lead"]),
                "cooperating": names_of(item["cooperating"], item["open_set"]),
                "action": row.action,
                "changes": row.changes,
                "uncertain": uncertain,
            }
        )
    return render(
        request,
        "tasks/import_preview.html",
        {
            "payload": signing.dumps(payload, salt=SALT, compress=True),
            "meta": data["plan"],
            "warnings": data["warnings"],
            "rows": rows,
            "preview": preview,
            "target": plan,
            "error": error,
        },
    )


@login_required
def import_start(request):
    _office_only(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        data, name = form.source()
        try:
            parsed = parse_document(data, name, year=form.cleaned_data["year"], registry=registry())
        except DocumentError as error:
            form.add_error(None, str(error))
        else:
            payload = {
                "data": parsed.as_json(),
                "source_name": name,
                "source_text": read_document(data, name).text,
                "plan_id": form.cleaned_data["plan"].pk if form.cleaned_data["plan"] else None,
                "year": form.cleaned_data["year"],
            }
            return _preview(request, payload)
    return render(request, "tasks/import_form.html", {"form": form})


def _edits(post) -> dict[str, dict]:
    """The preview's inputs, per task ref."""
    edits: dict[str, dict] = {}
    for key, value in post.items():
        if not key.startswith("t-"):
            continue
        _, ref, field = key.split("-", 2)
        edits.setdefault(ref, {"include": False})[field] = value
    for edit in edits.values():
        edit["include"] = edit.get("include") == "on"
    return edits


@login_required
def import_confirm(request):
    _office_only(request)
    if request.method != "POST":
        return redirect("tasks:import")
    try:
        payload = signing.loads(request.POST.get("payload", ""), salt=SALT, max_age=PREVIEW_HOURS * 3600)
    except signing.BadSignature:
        messages.error(request, "预览已过期或被改动，请重新上传。")
        return redirect("tasks:import")
    names = registry()
    data = apply_edits(payload["data"], _edits(request.POST), names)
    meta = data["plan"]
    meta["title"] = request.POST.get("plan-title", meta["title"]).strip()
    meta["doc_number"] = request.POST.get("plan-doc_number", meta["doc_number"]).strip()
    meta["issuer"] = request.POST.get("plan-issuer", meta["issuer"]).strip()
    payload["data"] = data
    target = Plan.objects.filter(pk=payload["plan_id"]).first() if payload.get("plan_id") else None
    try:
        plan = plan_import(
            data=data,
            by=request.user,
            plan=target,
            source_name=payload["source_name"],
            source_text=payload["source_text"],
            new_departments=request.POST.getlist("new_department"),
            year=payload.get("year"),
        )
    except ValidationError as error:
        return _preview(request, payload, error="；".join(error.messages))
    count = plan.tasks.count()
    messages.success(request, f"已导入方案“{plan.title}”，共 {count} 项（含章节）。")
    return redirect(reverse("tasks:list") + f"?plan={plan.pk}")
