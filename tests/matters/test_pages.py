"""The office registers and gives out items from its pages; departments answer proposals."""

import io
import re
from datetime import date
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from matters.models import Instruction, Meeting, Proposal
from tasks.choices import TaskStatus
from tasks.models import CalendarDay, Task
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db


def item(prefix, dept, **extra):
    return {f"{prefix}-title": "研究落实编制调整方案", f"{prefix}-leads": [dept("区编委办").pk]} | {
        f"{prefix}-{key}": value for key, value in extra.items()
    }


def test_the_office_registers_an_instruction_with_its_scan(login, dept):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login("office")
    scan = SimpleUploadedFile("批示.pdf", pdf_bytes(), content_type="application/pdf")
    answer = client.post(
        reverse("matters:instruction_new"),
        {
            "leader_name": "王区长",
            "leader_post": "区长",
            "instructed_on": "2026-11-13",
            "kind": "handle",
            "content": "请区编委办牵头研究。",
            "document": scan,
        }
        | item("item", dept, deadline="2026-10-05"),
        follow=True,
    )
    # A deadline before today is refused, nothing saved.
    assert answer.status_code == 400 and "早于今天" in answer.content.decode()
    assert not Instruction.objects.exists() and not Task.objects.filter(code__startswith="批").exists()
    scan.seek(0)
    CalendarDay.objects.create(day=date(2027, 1, 1), working=False, name="元旦")  # the office's 2027 table
    answer = client.post(
        reverse("matters:instruction_new"),
        {
            "leader_name": "王区长",
            "instructed_on": "2026-11-13",
            "kind": "handle",
            "content": "请区编委办牵头研究。",
            "document": scan,
        }
        | item("item", dept, deadline="2027-01-01"),
        follow=True,
    )
    page = answer.content.decode()
    assert "批〔2026〕1号" in page
    assert "元旦假期，不是工作日" in page  # accepted, and the office is told
    instruction = Instruction.objects.get()
    assert client.get(reverse("matters:instruction_document", args=[instruction.pk]))["Content-Type"] == (
        "application/pdf"
    )


def test_an_instruction_without_a_leader_shows_the_error_and_saves_nothing(login, dept):
    answer = login("office").post(
        reverse("matters:instruction_new"),
        {"leader_name": "", "instructed_on": "2026-11-13", "kind": "handle", "content": "x"} | item("item", dept),
    )
    assert answer.status_code == 400 and "批示领导" in answer.content.decode()
    assert not Instruction.objects.exists()


def test_a_meeting_with_three_items_and_its_list(login, dept):
    client = login("office")
    data = {
        "name": "区政府常务会议",
        "kind": "executive",
        "session": "第12次",
        "held_on": "2026-11-10",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
    }
    for i, name in enumerate(["区编委办", "区发改委", "区财政局"]):
        data |= {f"items-{i}-title": f"议定事项{i + 1}", f"items-{i}-leads": [dept(name).pk]}
    answer = client.post(reverse("matters:meeting_new"), data, follow=True)
    assert answer.status_code == 200
    meeting = Meeting.objects.get()
    assert meeting.items.count() == 3
    page = client.get(reverse("matters:index") + "?source=meeting").content.decode()
    assert page.count("会〔2026〕") == 3
    tasks = client.get(reverse("tasks:list") + "?source=meeting").content.decode()
    assert re.search(r'id="task-count">3<', tasks)


def test_the_proposal_cycle_through_the_pages(login, dept, client):
    office = login("office")
    office.post(
        reverse("matters:proposal_new"),
        {"kind": "deputy", "year": "2026", "number": "第102号", "proposer": "张代表"}
        | item("item", dept, cooperating=[dept("区发改委").pk]),
    )
    proposal = Proposal.objects.get()
    url = proposal.get_absolute_url()
    staff = login("staff")
    from django.contrib.auth import get_user_model

    from tasks.services import task_acknowledge

    task_acknowledge(task=proposal.task, by=get_user_model().objects.get(username="staff"))
    staff.post(reverse("matters:proposal_answer", args=[proposal.pk]), {"text": "纳入计划。", "category": "B"})
    co = login("staff2")
    assert "会签（会办单位）" in co.get(url).content.decode()
    co.post(reverse("matters:proposal_countersign", args=[proposal.pk]), {"opinion": "同意"})
    staff = login("staff")
    staff.post(reverse("matters:proposal_send", args=[proposal.pk]))
    office = login("office")
    refused = office.post(reverse("matters:proposal_rate", args=[proposal.pk]), {"satisfaction": "bad"})
    assert refused.status_code == 400
    office.post(reverse("matters:proposal_rate", args=[proposal.pk]), {"satisfaction": "unsatisfied"})
    proposal.refresh_from_db()
    assert proposal.round == 2 and proposal.task.status == TaskStatus.IN_PROGRESS


def test_rating_before_an_answer_is_refused_on_the_page(login, dept):
    office = login("office")
    office.post(
        reverse("matters:proposal_new"),
        {"kind": "member", "year": "2026", "number": "第7号", "proposer": "李委员"} | item("item", dept),
    )
    proposal = Proposal.objects.get()
    answer = office.post(reverse("matters:proposal_rate", args=[proposal.pk]), {"satisfaction": "satisfied"})
    assert answer.status_code == 400 and "尚未答复" in answer.content.decode()


def test_the_assignment_sheet_prints(login, dept):
    client = login("office")
    client.post(
        reverse("matters:proposal_new"),
        {"kind": "member", "year": "2026", "number": "第8号", "proposer": "李委员"} | item("item", dept),
    )
    task = Proposal.objects.get().task
    answer = client.get(reverse("matters:sheet", args=[task.pk]))
    text = PdfReader(io.BytesIO(answer.content)).pages[0].extract_text()
    assert "交办单" in text and "建〔2026〕1号" in text
    # Opened in the browser, saved under the name an office files it by.
    disposition = answer["Content-Disposition"]
    assert disposition.startswith("inline") and unquote(disposition.split("''")[1]) == f"交办单-{task.code}.pdf"


def test_the_assignment_sheet_in_word_reads_back_on_an_a4_page(login, dept):
    client = login("office")
    client.post(
        reverse("matters:proposal_new"),
        {"kind": "member", "year": "2026", "number": "第8号", "proposer": "李委员", "deadline": "2026-12-31"}
        | item("item", dept),
    )
    task = Proposal.objects.get().task
    proposal_page = client.get(reverse("matters:proposal", args=[task.proposal.pk])).content.decode()
    assert f'href="{reverse("matters:sheet", args=[task.pk])}?format=docx"' in proposal_page  # beside the PDF
    answer = client.get(reverse("matters:sheet", args=[task.pk]) + "?format=docx")
    assert answer.status_code == 200 and answer["Content-Type"].endswith("wordprocessingml.document")
    assert unquote(answer["Content-Disposition"].split("''")[1]) == f"交办单-{task.code}.docx"
    document = Document(io.BytesIO(answer.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    paragraphs = [p.text for p in document.paragraphs]
    assert "督办事项交办单" in "".join(paragraphs) and task.code in paragraphs
    rows = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert rows["督办事项"] == "研究落实编制调整方案"
    assert rows["主办单位"] == dept("区编委办").name and rows["会办单位"] == "—"
    assert rows["来源"].startswith("建议提案（") and "李委员" in rows["来源"]
    deadline = task.deadline
    assert rows["办结时限"] == (f"{deadline.year}年{deadline.month}月{deadline.day}日前" if deadline else "另行通知")
    assert list(rows)[0] == "项目"  # the header row, then the sheet's rows in the PDF's order
    assert any("及时签收" in text for text in paragraphs)


def test_the_office_keeps_the_holiday_table(login):
    client = login("office")
    answer = client.post(
        reverse("matters:calendar") + "?year=2027", {"day": "2027-10-04", "working": "0", "name": "国庆节"}
    )
    assert answer.status_code == 302
    assert CalendarDay.objects.get(day=date(2027, 10, 4)).working is False
    refused = client.post(reverse("matters:calendar"), {"day": "2027-10-09", "working": "0", "name": ""})
    assert refused.status_code == 400 and "周末" in refused.content.decode()


@pytest.mark.time_machine(date(2026, 12, 10))
def test_the_office_is_told_when_next_year_has_no_calendar(login):
    page = login("office").get(reverse("matters:index")).content.decode()
    assert "2027年的节假日和调休安排尚未录入" in page


def test_departments_cannot_register(login):
    assert login("staff").get(reverse("matters:instruction_new")).status_code == 403


def test_the_overview_counts_each_source_and_each_number_opens_its_list(login, dept):
    client = login("office")
    client.post(
        reverse("matters:proposal_new"),
        {"kind": "member", "year": "2026", "number": "第9号", "proposer": "李委员"} | item("item", dept),
    )
    page = client.get(reverse("dashboard:overview")).content.decode()
    row = re.search(r'<tr data-source="proposal">(.*?)</tr>', page).group(1)
    href, count = re.search(r'<a href="([^"]+)">(\d+)</a>', row).groups()
    assert count == "1"
    listed = client.get(href.replace("&amp;", "&")).content.decode()
    assert re.search(r'id="task-count">1<', listed) and "研究落实编制调整方案" in listed
    filtered = client.get(reverse("dashboard:overview") + "?source=proposal").content.decode()
    assert re.search(r'<tr data-source="plan"><td>方案任务</td><td><a href="[^"]+">0</a>', filtered)


def test_the_office_flags_an_imported_plan_as_the_work_report(login):
    from tasks.models import Plan

    plan = Plan.objects.get(slug="zhongzhan-2014")
    client = login("office")
    client.post(reverse("matters:plan_source"), {"plan": plan.pk, "source": "work_report"})
    plan.refresh_from_db()
    assert plan.source == "work_report"
    listed = client.get(reverse("tasks:list") + "?source=work_report").content.decode()
    assert int(re.search(r'id="task-count">(\d+)<', listed).group(1)) == plan.tasks.filter(kind="task").count()
    assert plan.tasks.filter(kind="task").first().events.filter(summary__contains="政府工作报告").exists()
    assert login("staff").post(reverse("matters:plan_source"), {"plan": plan.pk, "source": "plan"}).status_code == 403
