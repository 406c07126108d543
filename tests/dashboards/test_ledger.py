"""The ledger out to a spreadsheet and progress back in."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from departments.permissions import SYSTEM
from tasks.models import Plan, ProgressReport, Task
from tasks.services import task_acknowledge, task_update

pytestmark = pytest.mark.django_db


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_export_lays_out_the_ledger_with_section_rows_for_a4_landscape(login):
    plan = Plan.objects.get(slug="zhongzhan-2014")
    response = login("office").get(reverse("tasks:export"), {"plan": plan.pk, "format": "xlsx"})
    assert response.status_code == 200
    assert "filename*=utf-8''%E4%BB%BB%E5%8A%A1%E5%8F%B0%E8%B4%A6" in response["Content-Disposition"]
    sheet = workbook(response).active
    rows = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[1][:7] == ["序号", "任务内容", "牵头单位", "配合单位", "完成时限", "进展情况", "状态"]
    assert rows[2][1] == plan.title
    assert rows[3][:2] == ["一、", "2015年完成的任务(共3项)"]
    task_rows = [r for r in rows[2:] if r[6]]
    assert len(task_rows) == 17
    second = next(r for r in task_rows if "推动建立统一的信用信息平台" in r[1])
    assert second[2] == "区发展和改革委员会" and second[3].endswith("区商务局、有关部门")
    assert second[4].startswith("2016-12-31")
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"
    assert sheet.column_dimensions["H"].hidden and sheet.column_dimensions["B"].width == 48


def test_export_neutralises_text_a_spreadsheet_would_run(login):
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(二)")
    task_update(task=task, by=SYSTEM, text='=HYPERLINK("x")')
    response = login("office").get(reverse("tasks:export"), {"plan": task.plan_id, "format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and response.content.startswith(b"\xef\xbb\xbf")
    sheet = workbook(login("office").get(reverse("tasks:export"), {"plan": task.plan_id})).active
    assert any(str(c).startswith("'=HYPERLINK") for row in sheet.iter_rows(values_only=True) for c in row if c)


def test_the_export_follows_the_list_filters(login):
    client = login("office")
    listed = client.get(reverse("tasks:list"), {"light": "red"}).content.decode()
    count = int(listed.split('<strong id="task-count">')[1].split("<")[0])
    sheet = workbook(client.get(reverse("tasks:export"), {"light": "red"})).active
    assert sum(1 for row in sheet.iter_rows(min_row=3, values_only=True) if row[6]) == count


def filled(response, progress: dict[str, str]) -> bytes:
    """The exported workbook with 进展情况 written in for the tasks named by title fragment."""
    book = workbook(response)
    sheet = book.active
    for row in sheet.iter_rows(min_row=3):
        for fragment, text in progress.items():
            if row[6].value and fragment in str(row[1].value):
                row[5].value = text
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_progress_comes_back_from_the_ledger_all_or_nothing(login, demo_users):
    staff = get_user_model().objects.get(username="staff")
    for number in ("(一)", "(二)"):
        task_acknowledge(
            task=Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number=number), by=staff
        )
    client = login("staff")
    exported = client.get(reverse("tasks:export"), {"role": "lead"})
    data = filled(exported, {"做好市政府取消": "职权清单已报区政府审定", "修订区政府部门": "三定规定修订稿已形成"})
    preview = client.post(reverse("tasks:progress_upload"), {"ledger": SimpleUploadedFile("台账.xlsx", data)})
    page = preview.content.decode()
    assert page.count(">报送<") == 2
    payload = page.split('name="payload" value="')[1].split('"')[0]
    assert client.post(reverse("tasks:progress_confirm"), {"payload": payload}).status_code == 302
    reports = ProgressReport.objects.filter(department__name="区机构编制委员会办公室", status="submitted")
    assert sorted(r.text for r in reports) == ["三定规定修订稿已形成", "职权清单已报区政府审定"]

    # A row for a task of another department spoils the lot.
    other = client.get(reverse("tasks:export"), {"role": "lead"})
    book = workbook(other)
    sheet = book.active
    sheet.append(
        [
            "",
            "外部门任务",
            "",
            "",
            "",
            "随便写写",
            "",
            str(Task.objects.get(plan__slug="zhongzhan-2014", parent__number="二、", number="(五)").pk),
        ]
    )
    for row in sheet.iter_rows(min_row=3):
        if row[6].value and "整合一批" in str(row[1].value):
            row[5].value = "整合方案已报审"
    buffer = io.BytesIO()
    book.save(buffer)
    before = ProgressReport.objects.count()
    preview = client.post(
        reverse("tasks:progress_upload"), {"ledger": SimpleUploadedFile("台账.xlsx", buffer.getvalue())}
    )
    payload = preview.content.decode().split('name="payload" value="')[1].split('"')[0]
    response = client.post(reverse("tasks:progress_confirm"), {"payload": payload})
    assert response.status_code == 400 and "不存在或无权查看" in response.content.decode()
    assert ProgressReport.objects.count() == before


def test_a_sheet_that_is_not_our_ledger_is_refused_clearly(login, demo_users):
    book = openpyxl.Workbook()
    book.active.append(["姓名", "电话"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = login("staff").post(
        reverse("tasks:progress_upload"), {"ledger": SimpleUploadedFile("x.xlsx", buffer.getvalue())}
    )
    assert response.status_code == 400 and "进展情况" in response.content.decode()


@pytest.mark.parametrize("task_number", ["1" * 23, "²", "١٢", "-5", "9223372036854775808"])
def test_a_task_number_no_task_can_have_is_named_in_the_preview_not_a_500(login, demo_users, task_number):
    # Issue 17 item 8: 23 digits overflowed the database's integer, "²" passed isdigit() and broke int().
    client = login("staff")
    book = workbook(client.get(reverse("tasks:export"), {"role": "lead"}))
    book.active.append(["", "某任务", "", "", "", "已完成", "", task_number])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = client.post(
        reverse("tasks:progress_upload"), {"ledger": SimpleUploadedFile("台账.xlsx", buffer.getvalue())}
    )
    assert preview.status_code in (200, 400) and "不存在或无权查看" in preview.content.decode()
    assert not ProgressReport.objects.exists()
