"""The office's registers: register and give out (交办), list by source, answer proposals,
keep the holiday table and the source rules."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

import workdays
from departments.permissions import is_office, require_office
from documents.downloads import DOCX, PDF, download
from documents.pdf import render_pdf
from documents.word import write_docx
from reform_portal.forms import errors_into
from supervision.views.common import file_answer
from tasks import rules as task_rules
from tasks import selectors as task_selectors
from tasks.filtersets import TaskFilterSet
from tasks.models import CalendarDay
from tasks.selectors.calendar import calendar_missing_note, holiday_note
from tasks.services import plan_source_set
from tasks.services.calendar import calendar_day_remove, calendar_day_set, calendar_seed
from tasks.uploads import content_type_of

from . import selectors
from .choices import ProposalStage
from .document import sheet_context, sheet_document
from .forms import (
    AnswerForm,
    CalendarDayForm,
    CountersignForm,
    InstructionForm,
    ItemForm,
    ItemFormSet,
    MeetingForm,
    PlanSourceForm,
    ProposalForm,
    SatisfactionForm,
    SourceRuleForm,
)
from .models import SourceRule
from .services import (
    answer_countersign,
    answer_draft,
    answer_send,
    instruction_register,
    meeting_register,
    proposal_register,
    satisfaction_record,
    source_rule_save,
)
from .services.proposals import co_handler_ids, current_answer


@login_required
def index(request):
    today = timezone.localdate()
    # With their lights, as the task list has them: the register takes the list's filters
    # (a light, a late report), and those read the annotations.
    tasks = task_selectors.lights(selectors.matter_tasks(request.user), today)
    filterset = TaskFilterSet(request.GET, queryset=tasks, request=request)
    page = Paginator(filterset.qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filterset": filterset,
        "page": page,
        "query": query.urlencode(),
        "counts": selectors.source_counts(request.user, today=today),
        "today": today,
        "calendar_note": calendar_missing_note(today) if is_office(request.user) else "",
    }
    return render(request, "matters/index.html", context)


def _deadline_warnings(request, tasks) -> None:
    """A deadline typed by hand on a holiday is kept, and the office is told so."""
    for task in tasks:
        if task.deadline:
            note = holiday_note(task.deadline)
            if note:
                kept = gettext("%(code)s：%(note)s已按所填日期保存。") % {"code": task.code, "note": note}
                messages.warning(request, kept)


@login_required
def instruction_new(request):
    require_office(request.user)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = InstructionForm(data, files, initial={"instructed_on": timezone.localdate(), "kind": "handle"})
    item = ItemForm(data, prefix="item")
    if data is not None and form.is_valid():
        handled = form.cleaned_data["kind"] == "handle"
        if not handled or item.is_valid():
            try:
                instruction = instruction_register(
                    by=request.user, item=item.item() if handled else None, **form.cleaned_data
                )
            except ValidationError as error:
                errors_into(item if _item_error(error) else form, error)
            else:
                if instruction.task:
                    done = gettext("已登记并交办，督办编号%(code)s。") % {"code": instruction.task.code}
                    messages.success(request, done)
                    _deadline_warnings(request, [instruction.task])
                else:
                    messages.success(request, gettext("已登记存档（阅示、参阅件不交办）。"))
                return redirect(instruction)
    status = 400 if data is not None else 200
    return render(request, "matters/instruction_form.html", {"form": form, "item": item}, status=status)


def _item_error(error: ValidationError) -> bool:
    """Whether the service refused a field of the item (shown there) or of the source."""
    return hasattr(error, "error_dict") and bool(set(error.error_dict) & set(ItemForm.base_fields))


@login_required
def meeting_new(request):
    require_office(request.user)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = MeetingForm(data, files, initial={"held_on": timezone.localdate()})
    items = ItemFormSet(data, prefix="items")
    if data is not None and form.is_valid() and items.is_valid():
        try:
            meeting = meeting_register(
                by=request.user, items=[row.item() for row in items if row.has_changed()], **form.cleaned_data
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            tasks = [row.task for row in meeting.items.select_related("task")]
            messages.success(request, gettext("已登记会议并交办议定事项%(count)s项。") % {"count": len(tasks)})
            _deadline_warnings(request, tasks)
            return redirect(meeting)
    status = 400 if data is not None else 200
    return render(request, "matters/meeting_form.html", {"form": form, "items": items}, status=status)


@login_required
def proposal_new(request):
    require_office(request.user)
    data = request.POST if request.method == "POST" else None
    form = ProposalForm(data, initial={"year": timezone.localdate().year})
    item = ItemForm(data, prefix="item")
    item.fields["leads"].label, item.fields["cooperating"].label = _("主办单位"), _("会办单位")
    item.fields["title"].label = _("建议提案标题")
    if data is not None and form.is_valid() and item.is_valid():
        try:
            proposal = proposal_register(by=request.user, item=item.item(), **form.cleaned_data)
        except ValidationError as error:
            errors_into(item if _item_error(error) else form, error)
        else:
            messages.success(request, gettext("已登记并交办，督办编号%(code)s。") % {"code": proposal.task.code})
            _deadline_warnings(request, [proposal.task])
            return redirect(proposal)
    status = 400 if data is not None else 200
    return render(request, "matters/proposal_form.html", {"form": form, "item": item}, status=status)


@login_required
def instruction_detail(request, pk: int):
    instruction = get_object_or_404(selectors.instructions(request.user), pk=pk)
    return render(request, "matters/instruction_detail.html", {"instruction": instruction})


@login_required
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(selectors.meetings(request.user), pk=pk)
    visible = selectors.matter_tasks(request.user).filter(meeting_item__meeting=meeting)
    return render(request, "matters/meeting_detail.html", {"meeting": meeting, "tasks": visible})


def _proposal(request, pk: int):
    return get_object_or_404(selectors.proposals(request.user).prefetch_related("task__assignments"), pk=pk)


@login_required
def proposal_detail(request, pk: int, forms: dict | None = None, status: int = 200):
    proposal = _proposal(request, pk)
    user, task = request.user, proposal.task
    answer = current_answer(proposal)
    signed = set(answer.countersigns.values_list("department_id", flat=True)) if answer else set()
    co_handler = next((d for d in co_handler_ids(proposal) if task_rules.is_member_for(user, d)), None)
    lead = task_rules.is_lead_member(user, task)
    open_round = proposal.stage in (ProposalStage.HANDLING, ProposalStage.DRAFTED)
    forms = forms or {}
    context = {
        "proposal": proposal,
        "task": task,
        "answers": proposal.answers.prefetch_related("countersigns__department").select_related("drafted_by"),
        "answer_form": forms.get("answer") or (AnswerForm() if lead and open_round else None),
        "can_send": lead and proposal.stage == ProposalStage.DRAFTED,
        "countersign_form": forms.get("countersign")
        or (
            CountersignForm()
            if co_handler and proposal.stage == ProposalStage.DRAFTED and co_handler not in signed
            else None
        ),
        "satisfaction_form": forms.get("satisfaction")
        or (SatisfactionForm() if is_office(user) and proposal.stage == ProposalStage.ANSWERED else None),
    }
    return render(request, "matters/proposal_detail.html", context, status=status)


def _act(request, pk: int, form_class, name: str, action) -> HttpResponse:
    """Run one of the proposal's actions from its form: back to the page, or the page again
    with the form and its errors (400)."""
    proposal = _proposal(request, pk)
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is None or form.is_valid():
        try:
            message = action(proposal, form.cleaned_data if form else {})
        except ValidationError as error:
            if form is None:
                messages.error(request, "；".join(error.messages))
                return redirect(proposal)
            errors_into(form, error)
        else:
            messages.success(request, message)
            return redirect(proposal)
    return proposal_detail(request, pk, forms={name: form}, status=400)


@login_required
@require_POST
def proposal_answer(request, pk: int):
    def draft(proposal, data):
        answer_draft(
            proposal=proposal, by=request.user, text=data["text"], category=data["category"], document=data["document"]
        )
        if co_handler_ids(proposal):
            return gettext("答复已起草，待会办单位会签。")
        return gettext("答复已起草，可以发出。")

    return _act(request, pk, AnswerForm, "answer", draft)


@login_required
@require_POST
def proposal_countersign(request, pk: int):
    def sign(proposal, data):
        answer_countersign(proposal=proposal, by=request.user, opinion=data["opinion"])
        return gettext("已会签。")

    return _act(request, pk, CountersignForm, "countersign", sign)


@login_required
@require_POST
def proposal_send(request, pk: int):
    def send(proposal, data):
        answer_send(proposal=proposal, by=request.user)
        return gettext("答复已发出，待登记代表委员满意度。")

    return _act(request, pk, None, "send", send)


@login_required
@require_POST
def proposal_rate(request, pk: int):
    def rate(proposal, data):
        proposal = satisfaction_record(
            proposal=proposal, by=request.user, satisfaction=data["satisfaction"], note=data["note"]
        )
        if proposal.stage == ProposalStage.HANDLING:
            return gettext("已登记“不满意”，退回主办单位第%(round)s次办理答复。") % {"round": proposal.round}
        return gettext("已登记满意度，建议提案办结。")

    return _act(request, pk, SatisfactionForm, "satisfaction", rate)


@login_required
def assignment_sheet(request, pk: int):
    """交办单: the item, its number, units and deadlines, as an official-format PDF, or
    Word with ?format=docx (for the OA system)."""
    task = get_object_or_404(selectors.matter_tasks(request.user), pk=pk)
    context = sheet_context(task)
    if request.GET.get("format") == "docx":
        return download(write_docx(sheet_document(context)), f"交办单-{task.code or task.pk}.docx", DOCX)
    html = render_to_string("matters/document/sheet.html", context, request=request)
    if request.GET.get("format") == "html":
        return HttpResponse(html)
    return download(render_pdf(html).data, f"交办单-{task.code or task.pk}.pdf", PDF, inline=True)


@login_required
def calendar_view(request):
    """The office's table of holidays and 调休 days, a year at a time."""
    require_office(request.user)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    form = CalendarDayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "seed":
                added = calendar_seed(year=year, by=request.user)
                done = gettext("已从内置日历导入%(year)s年的%(added)s天。") % {"year": year, "added": added}
                messages.success(request, done)
                return redirect(f"{request.path}?year={year}")
            if action == "remove":
                calendar_day_remove(by=request.user, day=date.fromisoformat(request.POST.get("day", "")))
                messages.success(request, gettext("已删除。"))
                return redirect(f"{request.path}?year={year}")
        except (ValidationError, ValueError) as error:
            messages.error(request, "；".join(getattr(error, "messages", [gettext("日期无效。")])))
            return redirect(f"{request.path}?year={year}")
        if form.is_valid():
            try:
                row = calendar_day_set(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                errors_into(form, error)
            else:
                messages.success(request, gettext("已保存：%(row)s。") % {"row": row})
                return redirect(f"{request.path}?year={row.day.year}")
    days = CalendarDay.objects.filter(day__year=year)
    context = {
        "form": form,
        "year": year,
        "days": days,
        "years": [year - 1, year, year + 1],
        "note": calendar_missing_note(today),
        "known": not days and workdays.known_year(year),
    }
    return render(request, "matters/calendar.html", context, status=400 if form.errors else 200)


@login_required
def rules_view(request):
    """The office's default deadlines and reporting cycle per source and type."""
    require_office(request.user)
    rows = list(SourceRule.objects.all())
    forms = {rule.pk: SourceRuleForm(instance=rule, prefix=f"r{rule.pk}") for rule in rows}
    if request.method == "POST":
        rule = get_object_or_404(SourceRule, pk=request.POST.get("rule"))
        form = SourceRuleForm(request.POST, instance=rule, prefix=f"r{rule.pk}")
        forms[rule.pk] = form
        if form.is_valid():
            try:
                source_rule_save(by=request.user, rule=form.instance)
            except ValidationError as error:
                errors_into(form, error)
            else:
                messages.success(request, gettext("已保存“%(rule)s”的规则。") % {"rule": rule})
                return redirect("matters:rules")
    context = {"rows": [(rule, forms[rule.pk]) for rule in rows], "plan_form": PlanSourceForm()}
    return render(request, "matters/rules.html", context, status=400 if request.method == "POST" else 200)


@login_required
def instruction_document(request, pk: int):
    instruction = get_object_or_404(selectors.instructions(request.user), pk=pk)
    return _file(instruction.document)


@login_required
def meeting_minutes(request, pk: int):
    meeting = get_object_or_404(selectors.meetings(request.user), pk=pk)
    return _file(meeting.minutes)


def _file(field):
    """An uploaded source document, served as the type its content was judged to be."""
    if not field:
        raise Http404
    with field.open("rb") as handle:
        kind = content_type_of(handle)
    return file_answer(field, field.name.rsplit("/", 1)[-1], content_type=kind)


@login_required
@require_POST
def plan_source(request):
    """The office flags a plan as the 政府工作报告's tasks, or back to an ordinary plan."""
    require_office(request.user)
    form = PlanSourceForm(request.POST)
    if form.is_valid():
        try:
            plan = plan_source_set(plan=form.cleaned_data["plan"], source=form.cleaned_data["source"], by=request.user)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(
                request,
                gettext("《%(title)s》已标记为“%(source)s”。")
                % {"title": plan.title, "source": plan.get_source_display()},
            )
    else:
        messages.error(request, gettext("请选择方案和来源。"))
    return redirect("matters:rules")
