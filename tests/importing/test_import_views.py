"""The office imports a plan in the browser: upload or paste, preview and correct, confirm."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from departments.models import Department, DepartmentAlias
from supervision.reports.document import deadline_text
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
    for name, value in re.findall(r'<input type="hidden" name="(unit-[^"]+)" value="([^"]*)"', page):
        data[name] = value
    for name in re.findall(r'<input type="checkbox" name="(t-[^"]+-include)" checked', page):
        data[name] = "on"
    for name, value in re.findall(r'<select name="([^"]+)">.*?<option value="(\w+)" selected', page):
        data[name] = value
    return data


def unit_field(data: dict, name: str) -> str:
    """The choice input of an unknown unit listed in the preview."""
    key = next(k for k, v in data.items() if k.startswith("unit-") and k.endswith("-name") and v == name)
    return key.removesuffix("name") + "choice"


def ref_of(page: str, title: str) -> str:
    return re.search(r'name="t-(t\d+)-title" value="' + re.escape(title), page).group(1)


def row_of(page: str, ref: str) -> str:
    """The preview's table row of one task."""
    start = page.rindex("<tr", 0, page.index(f'name="t-{ref}-include"'))
    return page[start : page.index("</tr>", start)]


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
    data[unit_field(data, "区大数据局")] = "new"
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


MIXED = """关于推进审批改革的工作方案
一、建设数据平台。(区大数据局会同区财政局负责。2027年6月底前完成)
二、开展专项清理。由分管副区长负责。
三、完善数据共享。(区财政局负责。2027年9月底前完成)
四、整合服务平台。(区财政局负责)
五、推进审批改革。牵头单位：区审管办，配合单位：区财政局，2027年6月底前完成
"""


def test_every_row_to_check_is_marked_and_counted(login):
    # Given a plan whose rows lack a lead or a deadline, or name a unit the registry does not know
    client = login("office")
    page = client.post(reverse("tasks:import"), {"text": MIXED}).content.decode()

    # Then each such row is yellow with its reasons, the clean one is not, and the page counts them
    assert "“区大数据局”不在部门库中" in row_of(page, ref_of(page, "建设数据平台"))
    assert "无牵头单位" in row_of(page, ref_of(page, "开展专项清理"))
    assert "无完成时限" in row_of(page, ref_of(page, "开展专项清理"))
    assert "无完成时限" in row_of(page, ref_of(page, "整合服务平台"))
    for title in ("建设数据平台", "开展专项清理", "整合服务平台"):
        assert row_of(page, ref_of(page, title)).startswith('<tr class="uncertain')
    clean = row_of(page, ref_of(page, "完善数据共享"))
    assert "uncertain" not in clean and "flags" not in clean
    flagged = page.count('<tr class="uncertain')
    assert flagged >= 3 and f"{flagged} 行需要核对" in page


def test_labels_dates_and_posts_are_never_offered_as_new_units(login):
    client = login("office")
    response = client.post(reverse("tasks:import"), {"text": MIXED})
    page = response.content.decode()
    offered = [v for k, v in preview_form(response).items() if k.startswith("unit-") and k.endswith("-name")]
    assert offered == ["区大数据局"]
    # the proposal shows the text it was read from and the task naming it
    units = page.split('class="units"')[1].split("</table>")[0]
    assert "区大数据局会同区财政局负责" in units and "一、建设数据平台" in units


def test_a_unit_matched_in_the_preview_is_remembered_for_the_next_import(login, dept):
    # Given a plan naming 区发改局, a short form the registry does not know
    client = login("office")
    text = "一、完善价格机制。(区发改局负责。2027年6月底前完成)\n"
    response = client.post(reverse("tasks:import"), {"text": text})
    data = preview_form(response)
    assert "“区发改局”不在部门库中" in response.content.decode()
    assert "即区发展和改革委员会（建议）" in response.content.decode()  # suggested, not chosen
    assert data.get(unit_field(data, "区发改局"), "") == ""

    # When the office says it is 区发展和改革委员会 and confirms
    target = dept("区发展和改革委员会")
    data[unit_field(data, "区发改局")] = f"d{target.pk}"
    assert client.post(reverse("tasks:import_confirm"), data).status_code == 302

    # Then the task is that department's, the alias is on record with who added it,
    task = Task.objects.filter(title__startswith="完善价格机制").latest("pk")
    assert [a.department for a in task.assignments.filter(role="lead")] == [target]
    alias = DepartmentAlias.objects.get(name="区发改局")
    assert (alias.department, alias.added_by.username) == (target, "office")
    assert "导入" in alias.source
    # and the next import reads the name without asking
    page = client.post(reverse("tasks:import"), {"text": text}).content.decode()
    assert 'value="区发展和改革委员会"' in page and "没有需要核对的行" in page


def test_a_typed_unknown_unit_is_refused_until_decided_then_kept(login):
    client = login("office")
    response = client.post(reverse("tasks:import"), {"text": "一、建设数据平台。(区财政局负责。2027年6月底前完成)\n"})
    data = preview_form(response)
    ref = ref_of(response.content.decode(), "建设数据平台")
    data[f"t-{ref}-cooperating"] = "区数据资源局"
    before = Plan.objects.count()

    # Typed, unknown and not decided: refused with a message, nothing saved, the name now listed
    response = client.post(reverse("tasks:import_confirm"), data)
    page = response.content.decode()
    assert response.status_code == 200 and Plan.objects.count() == before
    assert "未保存" in page and "区数据资源局" in page and "不在部门库中" in page
    again = preview_form(response)
    assert unit_field(again, "区数据资源局")

    # Created when the office says so: the typed unit is kept
    again[unit_field(again, "区数据资源局")] = "new"
    assert client.post(reverse("tasks:import_confirm"), again).status_code == 302
    task = Task.objects.filter(title__startswith="建设数据平台").latest("pk")
    assert [a.department.name for a in task.assignments.filter(role="cooperating")] == ["区数据资源局"]


def test_a_typed_post_is_refused_with_the_reason(login):
    client = login("office")
    response = client.post(reverse("tasks:import"), {"text": "一、建设数据平台。(区财政局负责。2027年6月底前完成)\n"})
    data = preview_form(response)
    data[f"t-{ref_of(response.content.decode(), '建设数据平台')}-lead"] = "分管副区长"
    page = client.post(reverse("tasks:import_confirm"), data).content.decode()
    assert "“分管副区长”不是单位名称" in page and "职务" in page


YEAR_END = "一、建设数据平台。(区财政局负责。年底前完成)\n"


def test_a_date_corrected_by_hand_replaces_the_phrase(login):
    client = login("office")
    response = client.post(reverse("tasks:import"), {"text": YEAR_END, "year": 2027})
    data = preview_form(response)
    ref = ref_of(response.content.decode(), "建设数据平台")
    assert data[f"t-{ref}-deadline"] == "2027-12-31"
    data[f"t-{ref}-deadline"] = "2027-09-30"
    assert client.post(reverse("tasks:import_confirm"), data).status_code == 302
    task = Task.objects.filter(title__startswith="建设数据平台").latest("pk")
    assert str(task.deadline) == "2027-09-30"
    assert task.deadline_phrase == "" and deadline_text(task) == "2027年9月30日"
    assert task.events.filter(summary__contains="人工更正：“年底前” → 2027-09-30").exists()
    detail = client.get(task.get_absolute_url()).content.decode()
    assert "年底前" not in detail.split('id="task-deadline"', 1)[1].split("</dd>", 1)[0]


def test_a_corrected_date_shown_again_says_it_was_corrected(login):
    client = login("office")
    response = client.post(reverse("tasks:import"), {"text": YEAR_END, "year": 2027})
    data = preview_form(response)
    ref = ref_of(response.content.decode(), "建设数据平台")
    data[f"t-{ref}-deadline"] = "2027-09-30"
    data["plan-issued"] = "2027-02-30"  # an impossible date keeps the preview open
    page = client.post(reverse("tasks:import_confirm"), data).content.decode()
    assert "未保存" in page
    assert "人工更正，原文“年底前”不再使用" in row_of(page, ref)


def test_plan_metadata_is_shown_editable_and_saved(login):
    client = login("office")
    text = "关于推进审批改革的工作方案\n一、建设数据平台。(区财政局负责。2027年6月底前完成)\n"
    response = client.post(reverse("tasks:import"), {"text": text})
    page = response.content.decode()
    for name in ("plan-title", "plan-doc_number", "plan-issuer", "plan-issued"):
        assert f'name="{name}"' in page
    data = preview_form(response)
    data.update(
        {
            "plan-title": "关于推进审批改革的工作方案",
            "plan-doc_number": "中区府办〔2027〕3号",
            "plan-issuer": "中站区人民政府办公室",
            "plan-issued": "2027-01-15",
        }
    )
    assert client.post(reverse("tasks:import_confirm"), data).status_code == 302
    plan = Plan.objects.get(document_number="中区府办〔2027〕3号")
    assert (plan.title, plan.issuing_body, str(plan.issue_date)) == (
        "关于推进审批改革的工作方案",
        "中站区人民政府办公室",
        "2027-01-15",
    )


def test_a_revision_keeps_its_title_and_saves_edited_metadata(login):
    client = login("office")
    plan = Plan.objects.get(slug="zhongzhan-2014")
    response = upload(client, SEED_000, "修订版.txt", plan=plan.pk)
    data = preview_form(response)
    assert data["plan-title"] == plan.title
    data["plan-doc_number"] = "中区府办〔2015〕8号"
    data["plan-issued"] = "2015-03-01"
    assert client.post(reverse("tasks:import_confirm"), data).status_code == 302
    plan.refresh_from_db()
    assert (plan.document_number, str(plan.issue_date)) == ("中区府办〔2015〕8号", "2015-03-01")


@pytest.mark.parametrize("seed", sorted(p.name for p in (Path(settings.BASE_DIR) / "fixtures" / "seeds").glob("*.txt")))
def test_no_row_is_shown_clean_when_it_is_not(login, seed):
    # Given every seed plan as an office would upload it
    client = login("office")
    content = (Path(settings.BASE_DIR) / "fixtures" / "seeds" / seed).read_bytes()
    response = upload(client, content, seed)
    page = response.content.decode()
    data = preview_form(response)
    refs = re.findall(r'name="t-(t\d+)-include"', page)
    assert refs
    for ref in refs:
        row = row_of(page, ref)
        is_task = data[f"t-{ref}-kind"] == "task"
        missing = is_task and (not data[f"t-{ref}-lead"] or not data[f"t-{ref}-deadline"])
        # Then a row that lacks a lead or a date, as a task, is never without its yellow mark
        if missing:
            assert row.startswith('<tr class="uncertain'), (seed, ref)
    flagged = page.count('<tr class="uncertain')
    assert f"{flagged} 行需要核对" in page if flagged else "没有需要核对的行" in page


TRADITIONAL = """關於推進政務服務改革的實施方案
一、主要任務
（一）全面推行行政審批事項清單管理。（牽頭單位：區編委辦；配合單位：區發改委，2027年6月底前完成）
（二）建立健全政務服務評價制度，按月通報評價結果。（區民政局牽頭，2027年3月底前完成）
"""


def test_a_traditional_plan_is_read_in_simplified_when_ticked_and_its_original_kept(login):
    client = login("office")
    page = client.post(reverse("tasks:import"), {"text": TRADITIONAL}).content.decode()
    assert "文中多为繁体字" in page  # not ticked: the office is told it can be
    response = client.post(reverse("tasks:import"), {"text": TRADITIONAL, "simplify": "on"})
    page = response.content.decode()
    assert "全面推行行政审批事项清单管理" in page and "已将繁体字转换为简体字" in page
    assert "文中多为繁体字" not in page
    client.post(reverse("tasks:import_confirm"), preview_form(response))
    plan = Plan.objects.get(title__contains="政务服务改革")
    assert plan.title == "关于推进政务服务改革的实施方案"
    titles = set(plan.tasks.filter(kind="task").values_list("title", flat=True))
    assert any(t.startswith("全面推行行政审批事项清单管理") for t in titles)
    assert "行政審批事項" in plan.source_text  # the text as uploaded, on record


def test_a_preview_is_confirmed_once_only(login):
    # Issue 17 item 11: the same preview posted twice made two plans with the same tasks.
    client = login("office")
    data = preview_form(upload(client, SEED_000, "a.txt"))
    data["plan-title"] = "只导入一次的方案"
    assert client.post(reverse("tasks:import_confirm"), data).status_code == 302
    before = (Plan.objects.count(), Task.objects.count())
    again = client.post(reverse("tasks:import_confirm"), data, follow=True)
    assert "已经确认导入过" in again.content.decode()
    assert (Plan.objects.count(), Task.objects.count()) == before
    assert Plan.objects.filter(title="只导入一次的方案").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql", reason="SQLite's one writer has no race to lose"
)
def test_a_preview_confirmed_twice_at_once_makes_one_plan(client):
    import threading

    from django.db import connection
    from django.test import Client

    from tests.conftest import DEMO_PASSWORD

    client.login(username="office", password=DEMO_PASSWORD)
    data = preview_form(upload(client, SEED_000, "a.txt"))
    data["plan-title"] = "并发确认的方案"
    start, codes = threading.Barrier(2), []

    def confirm():
        browser = Client()
        browser.login(username="office", password=DEMO_PASSWORD)
        start.wait()
        codes.append(browser.post(reverse("tasks:import_confirm"), data).status_code)
        connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [302, 302]
    assert Plan.objects.filter(title="并发确认的方案").count() == 1


def test_a_stray_preview_field_is_ignored_not_a_server_error(login):
    # Issue 17 item 8 (the confirm's part): a field named "t-x" answered 500.
    client = login("office")
    data = preview_form(upload(client, SEED_000, "a.txt"))
    data.update({"t-x": "1", "t-": "", "t--": ""})
    assert client.post(reverse("tasks:import_confirm"), data).status_code == 302
