"""The office imports a plan in the browser: upload or paste, preview and correct, confirm."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from departments.models import Department
from tasks.models import Plan, Task

pytestmark = pytest.mark.django_db
SEED_000 = (Path(settings.BASE_DIR) / "fixtures" / "seeds" / "000_zhongzhan_2014.txt").read_bytes()


def preview_form(response) -> dict:
    """What the browser posts back from the preview page, unchanged."""
    page = response.content.decode()
    data: dict = {"payload": re.search(r'name="payload" value="([^"]+)"', page).group(1)}
    for name, value in re.findall(r'<input name="([^"]+)" value="([^"]*)"', page):
        data[name] = value.replace("&amp;", "&").replace("&quot;", '"')
    for name, value in re.findall(r'<input type="date" name="([^"]+)" value="([^"]*)"', page):
        data[name] = value
    for name in re.findall(r'<input type="checkbox" name="(t-[^"]+-include)" checked', page):
        data[name] = "on"
    for name, value in re.findall(r'<select name="([^"]+)">.*?<option value="(\w+)" selected', page):
        data[name] = value
    return data


def upload(client, content: bytes, name: str, **extra):
    return client.post(reverse("tasks:import"), {"document": SimpleUploadedFile(name, content), **extra})


def test_only_the_office_imports(login):
    assert login("staff").get(reverse("tasks:import")).status_code == 403
    assert login("office").get(reverse("tasks:import")).status_code == 200


def test_upload_preview_confirm(login):
    client = login("office")
    plans_before = Plan.objects.count()
    response = upload(client, SEED_000, "中站区任务分工.txt")
    page = response.content.decode()
    assert "共识别 <strong>20</strong> 项" in page
    assert "区发展和改革委员会" in page and "2016年12月底前" in page
    assert Plan.objects.count() == plans_before  # a preview saves nothing

    data = preview_form(response)
    first = next(k for k in data if k.endswith("-include"))
    del data[first]  # leave out 一、 and, with it, its three tasks
    ref = re.search(r't-(t\d+)-lead" value="区发展和改革委员会"', page).group(1)
    data[f"t-{ref}-lead"] = "区财政局"
    data["plan-title"] = "中站区职能转变任务分工（导入）"
    response = client.post(reverse("tasks:import_confirm"), data)
    assert response.status_code == 302
    plan = Plan.objects.get(title="中站区职能转变任务分工（导入）")
    assert plan.tasks.count() == 16
    edited = Task.objects.get(plan=plan, parent__number="二、", number="(二)")
    assert [a.department.name for a in edited.assignments.filter(role="lead")] == ["区财政局"]
    assert plan.source_text == SEED_000.decode()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.txt", "请上传文件或粘贴方案文字"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "scan.png", "这是图片文件"),
        ("请各单位认真贯彻落实。".encode(), "通知.txt", "没有识别出任何任务"),
        (b"\xff\xfe\x00\x00garbage\x00\x01\x02", "x.txt", "二进制"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(login, content, name, message):
    client = login("office")
    before = Plan.objects.count(), Task.objects.count()
    response = upload(client, content, name) if content else client.post(reverse("tasks:import"), {})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Plan.objects.count(), Task.objects.count()) == before


def test_pasted_text_with_an_unknown_department(login):
    client = login("office")
    text = "一、建设数据平台。(区大数据局会同区财政局负责。2024年6月底前完成)"
    response = client.post(reverse("tasks:import"), {"text": text})
    assert "区大数据局" in response.content.decode()
    data = preview_form(response)
    data["new_department"] = "区大数据局"
    client.post(reverse("tasks:import_confirm"), data)
    assert Department.objects.filter(name="区大数据局").exists()


def test_a_tampered_preview_is_refused(login):
    client = login("office")
    data = preview_form(upload(client, SEED_000, "a.txt"))
    data["payload"] = data["payload"][:-3] + "xyz"
    response = client.post(reverse("tasks:import_confirm"), data, follow=True)
    assert "预览已过期或被改动" in response.content.decode()


def test_an_invalid_correction_is_shown_and_nothing_saved(login):
    client = login("office")
    data = preview_form(upload(client, SEED_000, "a.txt"))
    data["plan-title"] = "X"
    key = next(k for k in data if k.endswith("-deadline") and data[k])
    data[key] = "2016-02-30"
    before = Plan.objects.count()
    response = client.post(reverse("tasks:import_confirm"), data)
    assert response.status_code == 200 and "未保存" in response.content.decode()
    assert Plan.objects.count() == before


def test_a_revised_version_shows_what_changes(login):
    client = login("office")
    plan = Plan.objects.get(slug="zhongzhan-2014")
    revised = SEED_000.decode().replace("2015年9月底前完成", "2015年10月底前完成").encode()
    response = upload(client, revised, "修订版.txt", plan=plan.pk)
    page = response.content.decode()
    assert "修改 1，不变 19" in page
    assert "2015-09-30 → 2015-10-31" in page
    client.post(reverse("tasks:import_confirm"), preview_form(response))
    task = Task.objects.get(plan=plan, parent__number="一、", number="(二)")
    assert str(task.deadline) == "2015-10-31"
    assert task.events.filter(summary__contains="导入新版本").exists()
