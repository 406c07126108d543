"""The command line: inspection_report writes the bulletin; generate_demo_data supervises."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from supervision.models import Bulletin, Finding, Inspection, RectificationDemand
from supervision.services import bulletin_draft, bulletin_issue, findings_confirm_all

pytestmark = pytest.mark.django_db


def test_inspection_report_drafts_and_writes_a_pdf(world, tmp_path):
    target = tmp_path / "通报.pdf"
    out = io.StringIO()
    call_command("inspection_report", str(world.inspection.pk), "-o", str(target), stdout=out)
    assert "通报草稿" in out.getvalue() and "页" in out.getvalue()
    text = "".join(page.extract_text() for page in PdfReader(target).pages).replace("\n", "")
    assert "关于2026年改革任务专项督查情况的通报" in text and "推进政务服务事项标准化" in text
    assert Bulletin.objects.filter(inspection=world.inspection).count() == 1  # the draft it made is kept


def test_inspection_report_copies_an_issued_bulletin_as_issued(world, tmp_path, django_capture_on_commit_callbacks):
    supervisor = world.user("supervisor")
    findings_confirm_all(inspection=world.inspection, by=supervisor)
    bulletin = bulletin_draft(inspection=world.inspection, by=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_issue(bulletin=bulletin, by=supervisor)
    bulletin.refresh_from_db()
    target = tmp_path / "issued.pdf"
    out = io.StringIO()
    call_command("inspection_report", str(world.inspection.pk), "-o", str(target), stdout=out)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == bulletin.pdf_sha256
    assert bulletin.number in out.getvalue()


def test_inspection_report_refuses_an_unknown_inspection(db, tmp_path):
    with pytest.raises(CommandError, match="没有编号为 999999 的督查"):
        call_command("inspection_report", "999999", "-o", str(tmp_path / "x.pdf"))


def test_generate_demo_data_makes_inspections_with_findings(tmp_path):
    out = io.StringIO()
    call_command("generate_demo_data", tasks=1200, departments=30, seed=11, inspections=2, stdout=out)
    assert "2 次督查" in out.getvalue()
    inspections = Inspection.objects.filter(scope__startswith="plan=")
    assert inspections.count() == 2
    for inspection in inspections:
        findings = Finding.objects.filter(inspection=inspection)
        plan_id = int(inspection.scope.removeprefix("plan="))
        assert findings.count() > 100
        assert not findings.exclude(task__plan_id=plan_id).exists()
        assert findings.exclude(rating="").count() > findings.count() // 2  # most confirmed
        assert inspection.bulletins.get().verdicts.exists()
    assert RectificationDemand.objects.filter(finding__inspection__in=inspections).exists()
    pdf = tmp_path / "demo.pdf"
    call_command("inspection_report", str(inspections.first().pk), "-o", str(pdf), stdout=io.StringIO())
    assert len(PdfReader(pdf).pages) > 5
