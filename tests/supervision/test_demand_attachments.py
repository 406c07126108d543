"""整改佐证: the responsible department attaches files to its 整改情况, on the page and through
the API; each file belongs to the round it was sent with, so a returned round keeps its own;
the office and supervisors open them (PDFs and images inline), the department reads its own,
and nobody else learns they exist. A refused upload saves neither the report nor any file."""

import io
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from supervision.choices import DEMAND_REPORTED, DemandStatus
from supervision.models import DemandAttachment, RectificationDemand
from supervision.services import demand_raise, demand_report, demand_return, findings_confirm_all
from tasks.models import ChangeRecord
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db

PDF_NAME, PNG_NAME, XLSX_NAME = "整改会议纪要.pdf", "现场照片.png", "整改台账.xlsx"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buffer, book = io.BytesIO(), Workbook()
    book.active["A1"] = "整改事项"
    book.save(buffer)
    return buffer.getvalue()


CONTENT = {PDF_NAME: pdf_bytes(), PNG_NAME: png_bytes(), XLSX_NAME: xlsx_bytes()}
TYPES = {
    PDF_NAME: "application/pdf",
    PNG_NAME: "image/png",
    XLSX_NAME: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, CONTENT[name] if content is None else content)


def read_back(attachment: DemandAttachment) -> bytes:
    with attachment.file.open("rb") as handle:
        return handle.read()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def demand(world) -> RectificationDemand:
    """A demand on 区发改委 (staff2's department), open."""
    supervisor = world.user("supervisor")
    findings_confirm_all(inspection=world.inspection, by=supervisor)
    finding = world.inspection.findings.get(task=world.tasks["overdue"])
    return demand_raise(
        finding=finding,
        department=world.departments["fagaiwei"],
        requirement="补齐整改台账",
        due_date=world.today + timedelta(days=30),
        by=supervisor,
    )


@pytest.fixture
def api(demo_users):
    def as_user(username: str) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=get_user_model().objects.get(username=username))
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return as_user


def nothing_saved(demand: RectificationDemand, records_before: int) -> None:
    demand.refresh_from_db()
    assert demand.status == DemandStatus.OPEN and demand.report_text == ""
    assert not DemandAttachment.objects.exists()
    assert ChangeRecord.objects.count() == records_before


def test_the_department_reports_with_files_on_the_page_and_the_office_opens_them(demand, login):
    # given the department's staff on the demand page, which asks for files
    client = login("staff2")
    page = client.get(demand.get_absolute_url()).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="files"' in page and "整改佐证" in page
    # when it reports with a PDF, a photograph and a spreadsheet
    files = [upload(PDF_NAME), upload(PNG_NAME), upload(XLSX_NAME)]
    response = client.post(reverse("supervision:demand_report", args=[demand.pk]), {"text": "已整改", "files": files})
    # then the report and its three files are kept, the files as sent, on the round's record
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == DemandStatus.REPORTED
    record = ChangeRecord.objects.get(action=DEMAND_REPORTED, object_id=demand.pk)
    kept = list(demand.attachments.order_by("id"))
    assert [a.original_name for a in kept] == [PDF_NAME, PNG_NAME, XLSX_NAME]
    assert all(a.record_id == record.pk for a in kept)
    assert {a.original_name: read_back(a) for a in kept} == CONTENT
    assert {a.original_name: a.content_type for a in kept} == TYPES
    assert record.changes["整改佐证"] == ["—", f"{PDF_NAME}、{PNG_NAME}、{XLSX_NAME}"]
    client.logout()

    # and the office sees them on the demand page, the PDF and the photograph previewed in place
    office = login("office")
    html = office.get(demand.get_absolute_url()).content.decode()
    pdf, png, xlsx = kept
    assert f'{pdf.get_absolute_url()}?inline=1" title="{PDF_NAME}"' in html and "<iframe" in html
    assert f'<img src="{png.get_absolute_url()}?inline=1"' in html
    assert f'href="{xlsx.get_absolute_url()}"' in html
    # opens the PDF inline, in a sandbox, and downloads it under its Chinese name
    opened = office.get(f"{pdf.get_absolute_url()}?inline=1")
    assert opened.status_code == 200 and opened["Content-Type"] == "application/pdf"
    assert opened["Content-Disposition"].startswith("inline") and opened["X-Frame-Options"] == "SAMEORIGIN"
    assert "sandbox" in opened["Content-Security-Policy"]
    assert body(opened) == CONTENT[PDF_NAME]
    downloaded = office.get(xlsx.get_absolute_url())
    assert downloaded["Content-Disposition"].startswith("attachment")
    assert f"filename*=utf-8''{quote(XLSX_NAME)}" in downloaded["Content-Disposition"]
    assert body(downloaded) == CONTENT[XLSX_NAME]
    # a spreadsheet is never opened in the page, even when asked
    assert office.get(f"{xlsx.get_absolute_url()}?inline=1")["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("role", "status"),
    [("office", 200), ("admin", 200), ("supervisor", 200), ("staff2", 200), ("staff", 404), ("head", 404)]
    + [("leader", 404)],
)
def test_only_supervisors_the_office_and_the_department_open_a_file(demand, world, login, role, status):
    demand_report(demand=demand, text="已整改", files=[upload(PDF_NAME)], by=world.user("staff2"))
    attachment = DemandAttachment.objects.get()
    response = login(role).get(attachment.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert body(response) == CONTENT[PDF_NAME]


def test_an_anonymous_visitor_is_sent_to_sign_in(demand, client, world):
    demand_report(demand=demand, text="已整改", files=[upload(PNG_NAME)], by=world.user("staff2"))
    response = client.get(DemandAttachment.objects.get().get_absolute_url())
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


REFUSALS = {
    "too large": ([PDF_NAME], "超过"),
    "refused type": (["说明.txt"], "类型不允许"),
    "too many": ([PNG_NAME] * 11, "最多附10个文件"),
    "empty": (["空文件.pdf"], "空"),
    "broken": (["假文件.pdf"], "已损坏"),
}
BAD_CONTENT = {"说明.txt": "已整改".encode(), "空文件.pdf": b"", "假文件.pdf": b"%PDF-1.4\n<html>"}


def refused_files(case: str, monkeypatch) -> list[SimpleUploadedFile]:
    if case == "too large":
        monkeypatch.setattr("tasks.uploads.MAX_UPLOAD_BYTES", 100)
    names, _ = REFUSALS[case]
    return [upload(name, BAD_CONTENT.get(name)) for name in names]


@pytest.mark.parametrize("case", REFUSALS)
def test_a_refused_file_on_the_page_is_explained_and_saves_nothing(demand, login, monkeypatch, case):
    before = ChangeRecord.objects.count()
    files = refused_files(case, monkeypatch)
    response = login("staff2").post(
        reverse("supervision:demand_report", args=[demand.pk]), {"text": "已整改", "files": files}
    )
    assert response.status_code == 400
    form = response.context["report_form"]
    assert REFUSALS[case][1] in " ".join(form.errors["files"])
    assert REFUSALS[case][1] in response.content.decode()
    nothing_saved(demand, before)


def test_files_without_a_report_text_are_not_kept(demand, login):
    before = ChangeRecord.objects.count()
    response = login("staff2").post(
        reverse("supervision:demand_report", args=[demand.pk]), {"text": " ", "files": [upload(PDF_NAME)]}
    )
    assert response.status_code == 400
    nothing_saved(demand, before)


def test_the_api_reports_with_files_and_serves_them(demand, api):
    # when the department reports through the API, multipart, with two files
    client = api("staff2")
    response = client.post(
        f"/api/demands/{demand.pk}/report/",
        {"text": "已整改", "files": [upload(PDF_NAME), upload(PNG_NAME)]},
        format="multipart",
    )
    # then the demand answers with its files, and each reads back as sent
    assert response.status_code == 200, response.content
    sent = response.json()["attachments"]
    assert [(f["name"], f["content_type"]) for f in sent] == [(PDF_NAME, TYPES[PDF_NAME]), (PNG_NAME, TYPES[PNG_NAME])]
    assert len({f["round"] for f in sent}) == 1
    for item in sent:
        got = api("office").get(item["url"])
        assert got.status_code == 200 and body(got) == CONTENT[item["name"]]
        assert f"filename*=utf-8''{quote(item['name'])}" in got["Content-Disposition"]
    assert api("office").get(f"{sent[0]['url']}?inline=1")["Content-Disposition"].startswith("inline")
    # and another department is told neither the demand nor its files exist
    assert api("staff").get(sent[0]["url"]).status_code == 404
    assert api("staff").get(f"/api/demands/{demand.pk}/").status_code == 404


def test_the_api_still_takes_a_report_as_json(demand, api):
    response = api("staff2").post(f"/api/demands/{demand.pk}/report/", {"text": "已整改"}, format="json")
    assert response.status_code == 200 and response.json()["attachments"] == []


@pytest.mark.parametrize("case", REFUSALS)
def test_a_refused_file_through_the_api_is_a_400_in_chinese_and_saves_nothing(demand, api, monkeypatch, case):
    before = ChangeRecord.objects.count()
    files = refused_files(case, monkeypatch)
    response = api("staff2").post(
        f"/api/demands/{demand.pk}/report/", {"text": "已整改", "files": files}, format="multipart"
    )
    assert response.status_code == 400
    answer = response.json()
    assert REFUSALS[case][1] in answer["detail"] and "files" in answer["errors"]
    nothing_saved(demand, before)


def test_an_unknown_file_field_is_refused(demand, api):
    before = ChangeRecord.objects.count()
    response = api("staff2").post(
        f"/api/demands/{demand.pk}/report/", {"text": "已整改", "file": upload(PDF_NAME)}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["errors"] == {"file": ["未知字段。"]}
    nothing_saved(demand, before)


def test_a_returned_round_keeps_its_files_and_the_next_round_brings_its_own(demand, world, login, api):
    staff2, office = world.user("staff2"), world.user("office")
    # given a first round with the minutes, returned by the office
    demand_report(demand=demand, text="第一轮整改情况", files=[upload(PDF_NAME)], by=staff2)
    demand_return(demand=demand, comment="缺少现场照片", by=office)
    # when the department reports again with a photograph
    demand_report(demand=demand, text="第二轮整改情况", files=[upload(PNG_NAME)], by=staff2)
    # then each round's record holds its own file, and both still read back
    first, second = ChangeRecord.objects.filter(action=DEMAND_REPORTED, object_id=demand.pk).order_by("id")
    assert [a.original_name for a in first.demand_attachments.all()] == [PDF_NAME]
    assert [a.original_name for a in second.demand_attachments.all()] == [PNG_NAME]
    assert {a.original_name: read_back(a) for a in DemandAttachment.objects.all()} == {
        PDF_NAME: CONTENT[PDF_NAME],
        PNG_NAME: CONTENT[PNG_NAME],
    }
    # the page shows the standing round's photograph beside its text, and the history both rounds
    client = login("office")
    response = client.get(demand.get_absolute_url())
    facts = response.content.decode().split('id="demand-history"')[0]
    assert PNG_NAME in facts and PDF_NAME not in facts
    rows = response.content.decode().split('id="demand-history"')[1].split("</table>")[0].split("<tr>")
    first_row, returned_row, second_row = (
        next(row for row in rows if text in row) for text in ("第一轮整改情况", "缺少现场照片", "第二轮整改情况")
    )
    assert PDF_NAME in first_row and PNG_NAME not in first_row
    assert PNG_NAME in second_row and PDF_NAME not in second_row
    assert rows.index(first_row) < rows.index(returned_row) < rows.index(second_row)
    returned = first.demand_attachments.get()
    assert body(client.get(returned.get_absolute_url())) == CONTENT[PDF_NAME]
    # the API lists both, by round
    listed = api("office").get(f"/api/demands/{demand.pk}/").json()["attachments"]
    assert [(f["name"], f["round"]) for f in listed] == [(PDF_NAME, first.pk), (PNG_NAME, second.pk)]


def test_the_demand_page_query_count_is_pinned_and_does_not_grow_with_rounds(
    demand, world, login, django_assert_max_num_queries
):
    staff2, office = world.user("staff2"), world.user("office")
    demand_report(demand=demand, text="第一轮", files=[upload(PDF_NAME)], by=staff2)
    client = login("office")
    with django_assert_max_num_queries(10):
        assert client.get(demand.get_absolute_url()).status_code == 200
    for round_ in range(2, 5):
        demand_return(demand=demand, comment=f"第{round_ - 1}轮未到位", by=office)
        demand_report(demand=demand, text=f"第{round_}轮", files=[upload(PNG_NAME), upload(XLSX_NAME)], by=staff2)
    with django_assert_max_num_queries(10):
        assert client.get(demand.get_absolute_url()).status_code == 200
