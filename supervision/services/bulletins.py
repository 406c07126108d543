"""督查通报: drafted from an inspection, edited, issued with a number from the yearly
sequence and frozen as a PDF with its hash; corrected only by a new version."""

import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from departments.models import Department
from departments.permissions import person
from documents.pdf import render_pdf
from notifications.queueing import enqueue_on_commit
from tasks.services.history import changed, record_change

from .. import rules
from ..choices import BulletinStatus, JobStatus, SequenceKind, Verdict
from ..judging import propose_verdicts
from ..models import Bulletin, BulletinDepartment, Finding, Inspection, RenderJob
from ..reports.document import annex_rows, bulletin_context
from ..reports.drafting import department_records, draft_sections, figures, unconfirmed_count
from .numbering import next_number
from .receipts import receipts_send

logger = logging.getLogger(__name__)
# The Celery task (supervision/tasks.py) that renders a large bulletin in a worker.
RENDER_BULLETIN = "supervision.render_bulletin"
EDITABLE = ("title", "recipients", "basic", "achievements", "problems", "requirements")
# Rows an annex page holds, for the progress bar's estimate of the pages to come.
ROWS_PER_PAGE = 9


def _verdict_rows(bulletin: Bulletin, proposals) -> None:
    BulletinDepartment.objects.bulk_create(
        BulletinDepartment(
            bulletin=bulletin, department_id=p.department_id, verdict=p.verdict, reason=p.reason, proposed=True
        )
        for p in proposals
    )


@transaction.atomic
def bulletin_draft(*, inspection: Inspection, by, commend_min_tasks=None, criticise_overdue_days=None) -> Bulletin:
    """A draft with the words and the departments the rules propose, from the findings.
    The system (demo data, the command line) drafts in the name of the inspection's author."""
    rules.require(rules.can_supervise(by), "只有督查员和政府办可以起草督查通报。")
    config = settings.PORTAL["BULLETIN"]
    bulletin = Bulletin(
        inspection=inspection,
        title=f"关于{inspection.title}情况的通报",
        recipients=config["RECIPIENTS"],
        commend_min_tasks=config["COMMEND_MIN_TASKS"] if commend_min_tasks is None else commend_min_tasks,
        criticise_overdue_days=(
            config["CRITICISE_OVERDUE_DAYS"] if criticise_overdue_days is None else criticise_overdue_days
        ),
        created_by=person(by) or inspection.created_by,
        **draft_sections(inspection, figures(inspection)),
    )
    bulletin.full_clean()
    bulletin.save()
    _verdict_rows(bulletin, _proposals(bulletin))
    return bulletin


def _proposals(bulletin: Bulletin):
    return propose_verdicts(
        department_records(bulletin.inspection),
        commend_min_tasks=bulletin.commend_min_tasks,
        criticise_overdue_days=bulletin.criticise_overdue_days,
    )


def _draft_for_update(bulletin: Bulletin, by) -> Bulletin:
    rules.require(rules.can_supervise(by), "只有督查员和政府办可以修改督查通报。")
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status != BulletinStatus.DRAFT:
        raise ValidationError("通报已印发，不能再修改；如需更正，请生成更正版。")
    return bulletin


@transaction.atomic
def bulletin_update(
    *, bulletin: Bulletin, by, commended: list[Department], criticised: list[Department], **fields
) -> Bulletin:
    """Edit a draft's words and whom it names. A department kept keeps its reason; one
    added gets the reason the data gives, or none."""
    bulletin = _draft_for_update(bulletin, by)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {unknown}")
    errors = {}
    if not (fields.get("title", bulletin.title) or "").strip():
        errors["title"] = "请填写通报标题。"
    both = {d.pk for d in commended} & {d.pk for d in criticised}
    if both:
        names = "、".join(sorted(d.name for d in commended if d.pk in both))
        errors["criticised"] = f"同一单位不能既被表扬又被批评：{names}。"
    if errors:
        raise ValidationError(errors)
    before = {name: getattr(bulletin, name) for name in fields}
    for name, value in fields.items():
        setattr(bulletin, name, (value or "").strip())
    bulletin.full_clean()
    bulletin.save()
    existing = {row.department_id: row for row in bulletin.verdicts.select_related("department")}
    names_before = _verdict_names(existing.values())
    reasons = {p.department_id: p for p in _proposals(bulletin)}
    wanted = {d.pk: Verdict.COMMEND for d in commended} | {d.pk: Verdict.CRITICISE for d in criticised}
    bulletin.verdicts.exclude(department_id__in=list(wanted)).delete()
    for department_id, verdict in wanted.items():
        row = existing.get(department_id)
        if row and row.verdict == verdict:
            continue
        proposal = reasons.get(department_id)
        reason = proposal.reason if proposal and proposal.verdict == verdict else ""
        BulletinDepartment.objects.update_or_create(
            bulletin=bulletin,
            department_id=department_id,
            defaults={"verdict": verdict, "reason": reason, "proposed": bool(reason)},
        )
    labels = {name: str(Bulletin._meta.get_field(name).verbose_name) for name in fields}
    changes = changed(before, {name: getattr(bulletin, name) for name in fields}, labels)
    names_after = _verdict_names(bulletin.verdicts.select_related("department"))
    for verdict, label in ((Verdict.COMMEND, "表扬单位"), (Verdict.CRITICISE, "通报批评单位")):
        if names_before[verdict] != names_after[verdict]:
            changes[label] = [names_before[verdict] or "—", names_after[verdict] or "—"]
    if changes:
        record_change(
            obj=bulletin, actor=by, action="修改通报草稿", summary="修改了" + "、".join(changes), changes=changes
        )
    return bulletin


def _verdict_names(rows) -> dict[str, str]:
    names = {Verdict.COMMEND: [], Verdict.CRITICISE: []}
    for row in rows:
        names[row.verdict].append(row.department.short_name)
    return {verdict: "、".join(sorted(found)) for verdict, found in names.items()}


@transaction.atomic
def bulletin_rules_apply(*, bulletin: Bulletin, by, commend_min_tasks: int, criticise_overdue_days: int) -> Bulletin:
    """Change a draft's rules and name again whom they propose; hand-made choices go."""
    bulletin = _draft_for_update(bulletin, by)
    errors = {}
    if not isinstance(commend_min_tasks, int) or commend_min_tasks < 1:
        errors["commend_min_tasks"] = "表扬所需的牵头任务数须是正整数。"
    if not isinstance(criticise_overdue_days, int) or criticise_overdue_days < 0:
        errors["criticise_overdue_days"] = "通报批评的逾期天数须是非负整数。"
    if errors:
        raise ValidationError(errors)
    bulletin.commend_min_tasks, bulletin.criticise_overdue_days = commend_min_tasks, criticise_overdue_days
    bulletin.full_clean()
    bulletin.save()
    bulletin.verdicts.all().delete()
    _verdict_rows(bulletin, _proposals(bulletin))
    return bulletin


@transaction.atomic
def bulletin_issue(*, bulletin: Bulletin, by, today: date | None = None) -> RenderJob:
    """Number the bulletin, date it and queue the PDF that freezes it. Refused while any
    finding is unconfirmed: an issued bulletin prints only the inspectors' own ratings."""
    bulletin = _draft_for_update(bulletin, by)
    left = unconfirmed_count(bulletin.inspection)
    if left:
        raise ValidationError(f"尚有{left}条督查发现未确认评价，请逐条确认或“全部按建议确认”后再印发。")
    today = today or timezone.localdate()
    if bulletin.supersedes_id:  # a correction keeps the number it corrects
        original = bulletin.supersedes
        bulletin.year, bulletin.sequence = original.year, original.sequence
    else:
        bulletin.year, bulletin.sequence = today.year, next_number(today.year, SequenceKind.BULLETIN)
    bulletin.status, bulletin.issue_date = BulletinStatus.ISSUING, today
    bulletin.issued_by = by
    bulletin.full_clean(validate_constraints=False)
    bulletin.save()
    return _queue(bulletin, by, issue=True)


def render_request(*, bulletin: Bulletin, by) -> RenderJob:
    """A PDF of the draft as it stands, for review; also a way to retry a failed issue."""
    rules.require(rules.can_supervise(by), "只有督查员和政府办可以生成通报文件。")
    if bulletin.status not in (BulletinStatus.DRAFT, BulletinStatus.ISSUING):
        raise ValidationError("通报已印发，文件不再重新生成。")
    with transaction.atomic():
        return _queue(bulletin, by, issue=bulletin.status == BulletinStatus.ISSUING)


def _queue(bulletin: Bulletin, by, *, issue: bool) -> RenderJob:
    job = RenderJob.objects.create(bulletin=bulletin, issue=issue, requested_by=by, stage="排队等待")
    rows = Finding.objects.filter(inspection_id=bulletin.inspection_id).count()
    if rows <= settings.PORTAL["BULLETIN"]["INLINE_MAX_ROWS"]:
        transaction.on_commit(lambda: render_job_run(job.pk))
        return job

    def broker_down(error: Exception) -> None:  # say so on the job, not as a 500
        RenderJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=f"无法提交后台任务：{error}", finished_at=timezone.now()
        )

    enqueue_on_commit(RENDER_BULLETIN, job.pk, on_broker_error=broker_down)
    return job


def render_job_run(job_id: int) -> RenderJob:
    """Render the job's PDF. Safe to run twice: a finished job, or a bulletin already
    issued, is left as it is."""
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().select_related("bulletin").get(pk=job_id)
        if job.finished:
            return job
        job.status, job.progress, job.stage = JobStatus.RUNNING, 5, "收集数据"
        job.save(update_fields=["status", "progress", "stage"])
    bulletin = job.bulletin

    def progress(percent: int, stage: str) -> None:
        RenderJob.objects.filter(pk=job_id).update(progress=percent, stage=stage[:100])

    try:
        rows = annex_rows(bulletin.inspection)
        html = render_to_string("supervision/document/bulletin.html", bulletin_context(bulletin, rows=rows))
        rendered = render_pdf(html, progress=progress, expected_pages=3 + len(rows) // ROWS_PER_PAGE)
    except Exception as error:
        logger.exception("render job %s failed", job_id)
        RenderJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        return RenderJob.objects.get(pk=job_id)
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().get(pk=job_id)
        if job.issue:
            _freeze(Bulletin.objects.select_for_update().get(pk=bulletin.pk), rendered)
        else:
            job.file.save(f"draft-{bulletin.pk}-{job.pk}.pdf", ContentFile(rendered.data), save=False)
        job.status, job.progress, job.stage, job.finished_at = JobStatus.DONE, 100, "完成", timezone.now()
        job.save()
    return job


def _freeze(bulletin: Bulletin, rendered) -> None:
    if bulletin.status != BulletinStatus.ISSUING:
        return  # issued by an earlier run of the same job
    name = f"bulletin-{bulletin.year}-{bulletin.sequence:03d}-v{bulletin.version}.pdf"
    bulletin.pdf.save(name, ContentFile(rendered.data), save=False)
    bulletin.pdf_sha256, bulletin.pdf_pages = rendered.sha256, rendered.pages
    bulletin.status, bulletin.issued_at = BulletinStatus.ISSUED, timezone.now()
    bulletin.save()
    if bulletin.supersedes_id:
        Bulletin.objects.filter(pk=bulletin.supersedes_id).update(status=BulletinStatus.SUPERSEDED)
    receipts_send(bulletin)


@transaction.atomic
def bulletin_correct(*, bulletin: Bulletin, reason: str, by) -> Bulletin:
    """A new draft version of an issued bulletin, recording why; the issued one stays."""
    rules.require(rules.can_supervise(by), "只有督查员和政府办可以更正督查通报。")
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status != BulletinStatus.ISSUED:
        raise ValidationError("只有已印发且未被更正的通报可以更正。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请说明更正原因。"})
    correction = Bulletin(
        inspection_id=bulletin.inspection_id,
        version=bulletin.version + 1,
        supersedes=bulletin,
        correction_reason=reason.strip(),
        year=bulletin.year,
        sequence=bulletin.sequence,
        commend_min_tasks=bulletin.commend_min_tasks,
        criticise_overdue_days=bulletin.criticise_overdue_days,
        created_by=by,
        **{name: getattr(bulletin, name) for name in EDITABLE},
    )
    correction.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            correction.save()
    except IntegrityError as error:
        raise ValidationError("这份通报已有更正版，请在更正版上修改。") from error
    BulletinDepartment.objects.bulk_create(
        BulletinDepartment(
            bulletin=correction, department_id=v.department_id, verdict=v.verdict, reason=v.reason, proposed=v.proposed
        )
        for v in bulletin.verdicts.all()
    )
    return correction
