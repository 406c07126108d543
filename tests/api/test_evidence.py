"""Evidence files (佐证材料) through the API: uploaded to the department's own unsent report,
judged by content, downloaded only by those who may read the report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tasks.models import Evidence
from tests.test_permission_matrix import PDF, fingerprint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(api, bianwei_task) -> dict:
    body = {"task": bianwei_task.pk, "period": timezone.localdate().replace(day=1).isoformat(), "text": "进展"}
    return api("staff").post("/api/reports/", {**body, "percent": 20}, format="json").json()


def pdf(name="会议纪要.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_upload_then_download(api, draft):
    client = api("staff")
    response = client.post(f"/api/reports/{draft['id']}/evidence/", {"files": [pdf(), pdf("调研报告.pdf")]})
    assert response.status_code == 201, response.json()
    uploaded = response.json()
    assert [(e["name"], e["content_type"], e["size"]) for e in uploaded] == [
        ("会议纪要.pdf", "application/pdf", len(PDF)),
        ("调研报告.pdf", "application/pdf", len(PDF)),
    ]
    report = client.get(f"/api/reports/{draft['id']}/").json()
    assert [e["id"] for e in report["evidence"]] == [e["id"] for e in uploaded]
    download = client.get(uploaded[0]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


def test_a_file_judged_by_its_content(api, draft):
    disguised = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = api("staff").post(f"/api/reports/{draft['id']}/evidence/", {"files": [disguised]})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("文件“报告.pdf”的类型不允许")
    assert not Evidence.objects.exists()


def test_no_file_and_unknown_fields(api, draft):
    client = api("staff")
    response = client.post(f"/api/reports/{draft['id']}/evidence/", {})
    assert (response.status_code, response.json()["errors"]) == (400, {"files": ["请选择要上传的文件。"]})
    response = client.post(f"/api/reports/{draft['id']}/evidence/", {"files": [pdf()], "note": "x"})
    assert (response.status_code, response.json()["errors"]) == (400, {"note": ["未知字段。"]})
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("staff2", 404), ("office", 404), ("head", 201), (None, 401)])
def test_who_may_upload_to_a_draft(api, draft, role, status):
    before = fingerprint()
    response = api(role).post(f"/api/reports/{draft['id']}/evidence/", {"files": [pdf()]})
    assert response.status_code == status
    if status != 201:
        assert fingerprint() == before


def test_a_sent_report_takes_no_more_files(api, draft):
    client = api("staff")
    client.post(f"/api/reports/{draft['id']}/evidence/", {"files": [pdf()]})
    client.post(f"/api/reports/{draft['id']}/submit/")
    response = client.post(f"/api/reports/{draft['id']}/evidence/", {"files": [pdf()]})
    assert response.status_code == 403
    # ...and once sent, the office may read it and its files, another department may not
    evidence = client.get(f"/api/reports/{draft['id']}/").json()["evidence"][0]
    assert api("office").get(evidence["url"]).status_code == 200
    assert api("staff2").get(evidence["url"]).status_code == 404


def test_another_departments_draft_files_are_not_found(api, draft):
    evidence = api("staff").post(f"/api/reports/{draft['id']}/evidence/", {"files": [pdf()]}).json()[0]
    assert api("office").get(evidence["url"]).status_code == 404
    assert api("staff2").get(evidence["url"]).status_code == 404


def test_oversized_upload_is_413(api, draft, settings):
    settings.API_MAX_UPLOAD_BYTES = 1000
    big = SimpleUploadedFile("大文件.pdf", PDF + b"0" * 5000, content_type="application/pdf")
    response = api("staff").post(f"/api/reports/{draft['id']}/evidence/", {"files": [big]})
    assert response.status_code == 413
    assert "上限" in response.json()["detail"]
    assert not Evidence.objects.exists()
