"""The office imports a plan: upload or paste, preview and correct, confirm."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from departments.models import Department
from departments.selectors import registry
from importer.documents import DocumentError, parse_read_document
from importer.edits import PLAN_FIELDS, apply_edits, apply_plan_edits, names_of
from importer.readers import read_document
from importer.simplify import looks_traditional

from .. import rules
from ..choices import TaskKind, TaskStatus
from ..forms import ImportForm
from ..models import Plan
from ..services.importing import import_preview, plan_import

SALT = "tasks.import.preview"
TRADITIONAL_HINT = "文中多为繁体字：可返回勾选“将繁体字转换为简体字”后重新识别，任务将以简体保存。"
PREVIEW_HOURS = 12


def _office_only(request) -> None:
    """Upload and preview write nothing; plan_import refuses for itself."""
    rules.require(rules.can_edit_plans(request.user), gettext("只有政府办（督查室）可以导入方案。"))


def _department_choices() -> list[tuple[str, str]]:
    return [(f"d{pk}", name) for pk, name in Department.objects.filter(is_active=True).values_list("pk", "name")]


def _preview(request, payload: dict, error: str = "", decisions: dict[str, str] | None = None, after: str = ""):
    plan = Plan.objects.filter(pk=payload.get("plan_id")).first() if payload.get("plan_id") else None
    data = payload["data"]
    preview = import_preview(data=data, plan=plan)
    changes = {row.ref: row for row in preview.rows}
    rows = []
    for item in data["tasks"]:
        row = changes[item["ref"]]
        rows.append(
            {
                "item": item,
                "indent": (item["level"] - 1) * 1.2,
                "lead": names_of(item["lead"]),
                "cooperating": names_of(item["cooperating"], item["open_set"]),
                "action": row.action,
                "changes": row.changes,
                "flags": row.flags,
            }
        )
    decisions = decisions or {}
    choices = _department_choices() if preview.proposals else []
    by_name = {name: value for value, name in choices}
    units = [
        {"proposal": p, "choice": decisions.get(p.name, ""), "suggested": by_name.get(p.suggestion)}
        for p in preview.proposals
    ]
    return render(
        request,
        "tasks/import_preview.html",
        {
            "payload": signing.dumps(payload, salt=SALT, compress=True),
            "meta": data["plan"],
            "warnings": data["warnings"],
            "rows": rows,
            "preview": preview,
            "units": units,
            "departments": choices,
            "target": plan,
            "error": error,
            "after": after,
            "acknowledge_days": request.POST.get("acknowledge_days") or settings.PORTAL["ACKNOWLEDGE_WORKING_DAYS"],
        },
    )


def _as_revision_of(plan: Plan, data: dict) -> dict:
    """A new version keeps its plan's title unless the office changes it in the preview, and
    the plan's 文号, 发文机关 and 成文日期 where the document gives none."""
    meta = dict(data["plan"])
    meta["title"] = plan.title
    meta["doc_number"] = meta.get("doc_number") or plan.document_number
    meta["issuer"] = meta.get("issuer") or plan.issuing_body
    meta["issued"] = meta.get("issued") or (plan.issue_date.isoformat() if plan.issue_date else None)
    return {**data, "plan": meta}


@login_required
def import_start(request):
    _office_only(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        data, name = form.source()
        try:
            # Read once: the text read is also the plan's source, and a .doc costs a LibreOffice run.
            document = read_document(data, name)
            simplify = form.cleaned_data["simplify"]
            parsed = parse_read_document(
                document, year=form.cleaned_data["year"], registry=registry(), simplify=simplify
            )
            if not simplify and looks_traditional(document):
                parsed.warnings.insert(0, TRADITIONAL_HINT)
        except DocumentError as error:
            form.add_error(None, str(error))
        else:
            target = form.cleaned_data["plan"]
            payload = {
                "data": _as_revision_of(target, parsed.as_json()) if target else parsed.as_json(),
                "source_name": name,
                "source_text": document.text,
                "plan_id": target.pk if target else None,
                "year": form.cleaned_data["year"],
                "token": secrets.token_urlsafe(24),
            }
            return _preview(request, payload)
    return render(request, "tasks/import_form.html", {"form": form})


def _edits(post) -> dict[str, dict]:
    """The preview's inputs, per task ref."""
    edits: dict[str, dict] = {}
    for key, value in post.items():
        parts = key.split("-", 2)
        if len(parts) != 3 or parts[0] != "t":  # only t-<ref>-<field>; a stray "t-x" is not an edit
            continue
        _, ref, field = parts
        edits.setdefault(ref, {"include": False})[field] = value
    for edit in edits.values():
        edit["include"] = edit.get("include") == "on"
    return edits


def _decisions(post) -> dict[str, str]:
    """What the office chose for each unit the registry does not know, by name as written:
    "new" (create it), "d<id>" (it is that registered department) or "" (leave it unassigned)."""
    decisions = {}
    for key, name in post.items():
        if key.startswith("unit-") and key.endswith("-name") and name.strip():
            decisions[name.strip()] = post.get(key[: -len("name")] + "choice", "")
    return decisions


def _units(decisions: dict[str, str]) -> tuple[list[str], dict[str, Department], list[str]]:
    """The decisions as plan_import takes them: new, matched to a department, left unassigned."""
    chosen = {int(choice[1:]) for choice in decisions.values() if choice.startswith("d") and choice[1:].isdigit()}
    by_pk = Department.objects.in_bulk(chosen)
    new, matched, unassigned = [], {}, []
    for name, choice in decisions.items():
        if choice == "new":
            new.append(name)
        elif choice.startswith("d") and choice[1:].isdigit() and int(choice[1:]) in by_pk:
            matched[name] = by_pk[int(choice[1:])]
        else:
            unassigned.append(name)
    return new, matched, unassigned


@login_required
def import_confirm(request):
    _office_only(request)
    if request.method != "POST":
        return redirect("tasks:import")
    try:
        payload = signing.loads(request.POST.get("payload", ""), salt=SALT, max_age=PREVIEW_HOURS * 3600)
    except signing.BadSignature:
        payload = {}
    if not payload.get("token"):
        messages.error(request, gettext("预览已过期或被改动，请重新上传。"))
        return redirect("tasks:import")
    data = apply_edits(payload["data"], _edits(request.POST), registry())
    plan_edits = {name: request.POST[f"plan-{name}"] for name in PLAN_FIELDS if f"plan-{name}" in request.POST}
    data = apply_plan_edits(data, plan_edits)
    payload["data"] = data
    decisions = _decisions(request.POST)
    new, matched, unassigned = _units(decisions)
    target = Plan.objects.filter(pk=payload["plan_id"]).first() if payload.get("plan_id") else None
    after = request.POST.get("after", "draft")
    days = request.POST.get("acknowledge_days", "").strip()
    try:
        if days and not days.isdigit():
            raise ValidationError(gettext("签收时限须为1到30个工作日。"))
        plan = plan_import(
            data=data,
            by=request.user,
            plan=target,
            source_name=payload["source_name"],
            source_text=payload["source_text"],
            new_departments=new,
            matched=matched,
            unassigned=unassigned,
            year=payload.get("year"),
            preview_token=payload["token"],
            assign=after == "assign",
            acknowledge_days=int(days) if days else None,
        )
    except ValidationError as error:
        if getattr(error, "code", None) == "preview_used":
            messages.error(request, error.messages[0])
            return redirect("tasks:list")
        return _preview(request, payload, error="；".join(error.messages), decisions=decisions, after=after)
    count = plan.tasks.count()
    drafts = plan.tasks.filter(kind=TaskKind.TASK, status=TaskStatus.DRAFT).count()
    given = plan.tasks.filter(status=TaskStatus.ASSIGNED).count()
    done = gettext("已导入方案“%(title)s”，共 %(count)s 项（含章节）") % {"title": plan.title, "count": count}
    if after == "assign":
        told = gettext("%(done)s，已交办 %(given)s 项并通知各单位；%(drafts)s 项草稿待交办。")
        messages.success(request, told % {"done": done, "given": given, "drafts": drafts})
    else:
        told = gettext("%(done)s，%(drafts)s 项保存为草稿，可在此批量交办。")
        messages.success(request, told % {"done": done, "drafts": drafts})
        if drafts:
            return redirect(reverse("tasks:give_out") + f"?plan={plan.pk}")
    return redirect(reverse("tasks:list") + f"?plan={plan.pk}")
