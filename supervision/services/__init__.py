"""Every write of supervision goes through these functions: they check who asks, validate
first (Chinese messages), and write all or nothing."""

from .bulletins import (
    RENDER_BULLETIN,
    bulletin_correct,
    bulletin_draft,
    bulletin_issue,
    bulletin_rules_apply,
    bulletin_update,
    render_job_run,
    render_request,
)
from .demands import demand_close, demand_raise, demand_report, demand_return
from .inspections import finding_confirm, finding_evidence_add, findings_confirm_all, inspection_create
from .notices import notice_respond, notices_preview, notices_send
from .receipts import bulletin_read, bulletin_remind

__all__ = [
    "RENDER_BULLETIN",
    "bulletin_correct",
    "bulletin_draft",
    "bulletin_issue",
    "bulletin_read",
    "bulletin_remind",
    "bulletin_rules_apply",
    "bulletin_update",
    "demand_close",
    "demand_raise",
    "demand_report",
    "demand_return",
    "finding_confirm",
    "finding_evidence_add",
    "findings_confirm_all",
    "inspection_create",
    "notice_respond",
    "notices_preview",
    "notices_send",
    "render_job_run",
    "render_request",
]
