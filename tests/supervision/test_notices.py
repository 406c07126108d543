"""督办单 as offices use them: a 督办编号 per year, a 反馈时限 in working days, the sender as
contact, sent only after the office has seen the list and confirmed; the unit's 回执 with its
files, seen by the office and by nobody else; the sweep chasing a missing 回执 like a
deadline; the PDF and the Word file read back."""

import io
import re
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from departments.choices import Role
from departments.models import Department, Membership
from departments.services import member_set
from notifications.models import Notification
from reminders.models import Reminder
from reminders.schedule import Kind, Rule
from reminders.services import reminders_send, reminders_sweep
from supervision.choices import SequenceKind
from supervision.models import Notice, NoticeAttachment, NumberSequence
from supervision.services import inspection_create, notice_respond, notices_send
from supervision.services.numbering import next_number
from tests.conftest import DEMO_PASSWORD
from tests.factories import pdf_bytes

from .conftest import make_task

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo(settings.TIME_ZONE)
# Monday 30 November 2026; ten working days later is Monday 14 December.
MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)
DUE = date(2026, 12, 14)
CONTACT = "陈立新，13800001111"


@pytest.fixture
def sender(world):
    Membership.objects.filter(user__username="supervisor").update(mobile="13800001111")
    return world.user("supervisor")


def _send_page(world):
    return reverse("supervision:notices_new", args=[world.inspection.pk])


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


# 督办编号 ---------------------------------------------------------------------------------


@pytest.mark.time_machine(MONDAY)
def test_notices_are_numbered_consecutively_within_the_year_and_anew_the_next(world, sender):
    first = notices_send(inspection=world.inspection, by=sender)
    assert [(n.year, n.sequence) for n in first] == [(2026, n) for n in range(1, 5)]
    assert {n.number for n in first} == {f"督办〔2026〕{n}号" for n in range(1, 5)}
    again = inspection_create(
        title="再次督查", kind="routine", period_start=world.today, period_end=world.today, scope="", by=sender
    )
    taken = [n.sequence for n in notices_send(inspection=again, by=sender)]
    assert len(taken) > 1 and taken == list(range(5, 5 + len(taken)))
    with time_machine.travel(datetime(2027, 1, 5, 10, 0, tzinfo=SHANGHAI)):
        third = inspection_create(
            title="新年督查",
            kind="routine",
            period_start=date(2027, 1, 5),
            period_end=date(2027, 1, 5),
            scope="",
            by=sender,
        )
        assert [(n.year, n.sequence) for n in notices_send(inspection=third, by=sender)][:2] == [(2027, 1), (2027, 2)]
    # The bulletins' sequence is its own: sending notices took none of its numbers.
    assert not NumberSequence.objects.filter(kind=SequenceKind.BULLETIN).exists()
    assert NumberSequence.objects.get(kind=SequenceKind.NOTICE, year=2026).last == 4 + len(taken)


@pytest.mark.time_machine(MONDAY)
def test_a_number_is_given_once_per_year_by_the_database_itself(world, sender):
    notice = notices_send(inspection=world.inspection, by=sender)[0]
    other = Notice.objects.exclude(pk=notice.pk).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.filter(pk=other.pk).update(year=notice.year, sequence=notice.sequence)


def test_the_number_format_is_a_setting(world, settings):
    settings.PORTAL = settings.PORTAL | {"NOTICE": settings.PORTAL["NOTICE"] | {"NUMBER_PREFIX": "区督办"}}
    assert Notice(year=2026, sequence=3).number == "区督办〔2026〕3号"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer: there is no race to lose")
def test_notice_numbers_taken_at_once_by_many_are_all_different():
    taken, errors = [], []
    start = threading.Barrier(8)

    def take():
        try:
            start.wait()
            with transaction.atomic():
                taken.append(next_number(2031, SequenceKind.NOTICE))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(taken) == list(range(1, 9))


# Preview and confirmation -------------------------------------------------------------------


@pytest.mark.time_machine(MONDAY)
def test_the_preview_lists_exactly_the_supervised_units_and_sends_nothing(world, sender, login):
    higher = Department.objects.exclude(pk__in=Department.objects.supervised()).first()
    assert higher is not None
    make_task(world.plan, 8, "上级机关牵头的任务", higher, status="in_progress", deadline=world.today)
    inspection = inspection_create(
        title="名单督查",
        kind="special",
        period_start=world.today,
        period_end=world.today,
        scope=f"plan={world.plan.pk}",
        by=sender,
    )
    page = login("supervisor").get(reverse("supervision:notices_new", args=[inspection.pk]))
    assert page.status_code == 200
    listed = {r.department.pk: (r.tasks, r.demands) for r in page.context["preview"].recipients}
    bianwei, fagaiwei = world.departments["bianwei"], world.departments["fagaiwei"]
    assert set(listed) == {d.pk for d in world.departments.values()}
    assert listed[bianwei.pk] == (2, 0) and listed[fagaiwei.pk] == (1, 0)
    html = page.content.decode()
    assert f"<td>{higher.name}</td>" not in html and f"<td>{bianwei.name}</td>" in html
    assert "2026-12-14" in html and CONTACT in html  # the 反馈时限 offered, and the contact
    assert not Notice.objects.exists()
    assert not Notification.objects.filter(title__startswith="督办单").exists()


@pytest.mark.time_machine(MONDAY)
def test_a_post_without_confirmation_sends_nothing_and_a_confirmation_sends_once(world, sender, login):
    client = login("supervisor")
    fields = {"feedback_due": "2026-12-14", "requirements": "逐项落实，按期回执。"}
    refused = client.post(_send_page(world), fields)
    assert refused.status_code == 400 and "确认发送" in refused.content.decode()
    assert not Notice.objects.exists()
    sent = client.post(_send_page(world), fields | {"confirm": "on"})
    assert sent.status_code == 302
    notices = list(Notice.objects.order_by("sequence"))
    assert len(notices) == 4
    assert {(n.feedback_due, n.requirements, n.contact) for n in notices} == {(DUE, "逐项落实，按期回执。", CONTACT)}
    again = client.post(_send_page(world), fields | {"confirm": "on"}, follow=True)
    assert Notice.objects.count() == 4 and "各单位均已收到督办单" in again.content.decode()
    assert Notification.objects.filter(recipient__username="staff2", title__startswith="督办单").count() == 1


@pytest.mark.time_machine(MONDAY)
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"feedback_due": "2026-11-30"}, "反馈时限须晚于今天"),
        ({"feedback_due": "2028-01-01"}, "反馈时限不能超过180天"),
        ({"feedback_due": "明天"}, "有效的日期"),
        ({"requirements": "要" * 2001}, "最多2000字"),
        ({"requirements": "   "}, "该字段是必填项"),
    ],
)
def test_hostile_choices_on_the_preview_are_refused_in_chinese_and_send_nothing(world, sender, login, fields, message):
    data = {"feedback_due": "2026-12-14", "requirements": "按期回执", "confirm": "on"} | fields
    refused = login("supervisor").post(_send_page(world), data)
    assert refused.status_code == 400 and message in refused.content.decode()
    assert not Notice.objects.exists() and not NumberSequence.objects.filter(last__gt=0).exists()


def test_only_supervisors_see_the_preview(world, login):
    assert login("staff2").get(_send_page(world)).status_code == 403
    assert not Notice.objects.exists()


# 反馈时限 ---------------------------------------------------------------------------------


@pytest.mark.time_machine(datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI))
def test_the_default_feedback_due_counts_working_days_over_the_national_day_holiday(world, sender, login):
    # Monday 28 September: 1-8 October are holidays, Saturday 10 October is worked (调休).
    preview = login("supervisor").get(_send_page(world))
    assert preview.context["form"]["feedback_due"].value() == date(2026, 10, 16)
    assert {n.feedback_due for n in notices_send(inspection=world.inspection, by=sender)} == {date(2026, 10, 16)}


@pytest.mark.time_machine(MONDAY)
def test_the_default_is_a_setting(world, sender, settings):
    settings.PORTAL = settings.PORTAL | {"NOTICE": settings.PORTAL["NOTICE"] | {"FEEDBACK_WORKING_DAYS": 5}}
    assert {n.feedback_due for n in notices_send(inspection=world.inspection, by=sender)} == {date(2026, 12, 7)}


# 回执 --------------------------------------------------------------------------------------


def _fagaiwei_notice(world) -> Notice:
    return Notice.objects.get(inspection=world.inspection, department=world.departments["fagaiwei"])


@pytest.mark.time_machine(MONDAY)
def test_the_unit_returns_its_receipt_with_a_file_the_office_opens_and_others_never_see(
    world, sender, login, client, dept
):
    notices_send(inspection=world.inspection, by=sender)
    notice = _fagaiwei_notice(world)
    unit = login("staff2")
    page = unit.get(notice.get_absolute_url()).content.decode()
    assert "填报回执" in page and "未回执" in page
    minutes = pdf_bytes()
    answer = unit.post(
        reverse("supervision:notice_respond", args=[notice.pk]),
        {"text": "已召开专题会议，平台完成联调。", "files": [SimpleUploadedFile("会议纪要.pdf", minutes)]},
    )
    assert answer.status_code == 302
    notice.refresh_from_db()
    assert notice.response_text == "已召开专题会议，平台完成联调。" and notice.responded_by.username == "staff2"
    assert notice.responded_at is not None
    attachment = notice.attachments.get()
    assert attachment.original_name == "会议纪要.pdf" and attachment.content_type == "application/pdf"
    assert Notification.objects.filter(recipient__username="office", title__startswith="督办单回执").exists()
    client.logout()

    office = login("office")
    seen = office.get(notice.get_absolute_url()).content.decode()
    assert "已召开专题会议，平台完成联调。" in seen and "会议纪要.pdf" in seen and "已回执" in seen
    opened = office.get(attachment.get_absolute_url())
    assert b"".join(opened.streaming_content) == minutes
    assert "已回执" in office.get(reverse("supervision:notices")).content.decode()
    assert "已回执" in office.get(world.inspection.get_absolute_url()).content.decode()
    client.logout()

    member_set(username="minzheng", department=dept("区民政局"), role=Role.STAFF, password=DEMO_PASSWORD)
    for other in ("staff", "minzheng"):  # 区编委办 and 区民政局: not theirs
        stranger = login(other)
        assert stranger.get(notice.get_absolute_url()).status_code == 404
        assert stranger.get(attachment.get_absolute_url()).status_code == 404
        assert stranger.post(reverse("supervision:notice_respond", args=[notice.pk]), {"text": "x"}).status_code == 404
        client.logout()


@pytest.mark.time_machine(MONDAY)
def test_a_second_receipt_is_refused_and_the_first_stands(world, sender, login):
    notices_send(inspection=world.inspection, by=sender)
    notice = _fagaiwei_notice(world)
    unit = login("staff2")
    url = reverse("supervision:notice_respond", args=[notice.pk])
    assert unit.post(url, {"text": "第一次回执"}).status_code == 302
    again = unit.post(url, {"text": "第二次回执"})
    assert again.status_code == 400 and "不能重复填报" in again.content.decode()
    notice.refresh_from_db()
    assert notice.response_text == "第一次回执"


@pytest.mark.time_machine(MONDAY)
@pytest.mark.parametrize(
    ("text", "name", "content", "message"),
    [
        ("   ", None, None, "该字段是必填项"),
        ("字" * 5001, None, None, "最多5000字"),
        ("已办理", "病毒.pdf", b"MZ\x90\x00 not a pdf at all", "类型不允许"),
        ("已办理", "残缺.pdf", b"%PDF-1.4\n<html>not really</html>", "已损坏"),
        ("已办理", "空.pdf", b"", "提交的是空文件"),
    ],
)
def test_hostile_receipts_are_refused_in_chinese_and_nothing_is_kept(
    world, sender, login, text, name, content, message
):
    notices_send(inspection=world.inspection, by=sender)
    notice = _fagaiwei_notice(world)
    data = {"text": text}
    if name:
        data["files"] = [SimpleUploadedFile(name, content)]
    refused = login("staff2").post(reverse("supervision:notice_respond", args=[notice.pk]), data)
    assert refused.status_code == 400 and message in refused.content.decode()
    notice.refresh_from_db()
    assert notice.responded_at is None and notice.response_text == ""
    assert not NoticeAttachment.objects.exists()


def test_the_office_cannot_answer_for_the_unit(world, sender):
    notice = notices_send(inspection=world.inspection, by=sender)[0]
    with pytest.raises(Exception, match="只有承办单位可以填报回执"):
        notice_respond(notice=notice, text="代填", by=world.user("office"))


@pytest.mark.time_machine(MONDAY)
def test_lists_say_waiting_then_late_past_the_feedback_due(world, sender, login):
    notices_send(inspection=world.inspection, by=sender)
    office = login("office")
    listed = office.get(reverse("supervision:notices")).content.decode()
    assert listed.count("未回执") == 4 and "逾期" not in listed
    with time_machine.travel(datetime(2026, 12, 15, 10, 0, tzinfo=SHANGHAI)):
        office.force_login(world.user("office"))  # the session of two weeks ago has expired
        listed = office.get(reverse("supervision:notices")).content.decode()
        assert listed.count("逾期未回执") == 4
        assert office.get(world.inspection.get_absolute_url()).content.decode().count("逾期未回执") == 4


# The reminder sweep -------------------------------------------------------------------------


def _chased(notice: Notice) -> set[tuple[Rule, str]]:
    rows = Reminder.objects.filter(subject_type=ContentType.objects.get_for_model(Notice), subject_id=notice.pk)
    return {(r.rule, r.recipient.username) for r in rows.select_related("recipient")}


@pytest.mark.time_machine(MONDAY)
def test_a_missing_receipt_is_chased_before_on_and_after_its_date_once_and_escalated(world, sender):
    notices = notices_send(inspection=world.inspection, by=sender)
    fagaiwei = _fagaiwei_notice(world)
    bianwei = next(n for n in notices if n.department_id == world.departments["bianwei"].pk)
    first, unsent = reminders_sweep(today=date(2026, 12, 11), queue=False)  # Friday: 3 days before (and 1)
    assert {(r.rule, r.recipient.username) for r in first if r.target == fagaiwei} == {(Rule(Kind.BEFORE, 3), "staff2")}
    reminders_send(unsent)
    note = Notification.objects.get(recipient__username="staff2", title__startswith="回执催办")
    assert fagaiwei.number in note.title and "还有3天到期" in note.title
    assert note.url == fagaiwei.get_absolute_url()
    again, _ = reminders_sweep(today=date(2026, 12, 11), queue=False)
    assert not [r for r in again if isinstance(r.target, Notice)]  # never twice

    # 区编委办 answers on the due date; 区发改委 does not.
    notice_respond(notice=bianwei, text="已办理完毕", by=world.user("staff"))
    day = date(2026, 12, 12)
    while day <= date(2027, 1, 15):
        reminders_sweep(today=day, queue=False)
        day += timedelta(days=1)
    chased = _chased(fagaiwei)
    assert (Rule(Kind.BEFORE, 0), "staff2") in chased  # on the day
    assert (Rule(Kind.OVERDUE, 1), "staff2") in chased  # the day after
    # 7 working days late the head (区发改委 has none: its staff), 14 the office.
    assert (Rule(Kind.ESCALATE_HEAD), "staff2") in chased
    assert (Rule(Kind.ESCALATE_OFFICE), "office") in chased
    escalations = [rule for rule, _ in chased if rule.kind in (Kind.ESCALATE_HEAD, Kind.ESCALATE_OFFICE)]
    assert len(escalations) == 2  # each once
    # The 回执 ended the chase: only the reminders before it were sent.
    assert _chased(bianwei) == {(Rule(Kind.BEFORE, 3), "staff"), (Rule(Kind.BEFORE, 3), "head")}


# The document -------------------------------------------------------------------------------


@pytest.mark.time_machine(MONDAY)
def test_the_pdf_prints_the_number_feedback_due_contact_and_the_receipt(world, sender, login):
    notices_send(inspection=world.inspection, by=sender)
    notice = _fagaiwei_notice(world)
    answer = login("supervisor").get(notice.get_absolute_url(), {"format": "pdf"})
    assert answer["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.content))
    first = _flat(reader.pages[0].extract_text())
    whole = _flat("".join(page.extract_text() for page in reader.pages))
    for expected in (notice.number, "承办单位", world.departments["fagaiwei"].name):
        assert expected in first, expected
    assert "督办事项" in whole and "办理要求" in whole
    assert "反馈时限" in first and "2026年12月14日" in first
    assert "联系人与电话" in first and _flat(CONTACT) in first
    assert "建立社会信用信息共享平台" in whole  # the unit's task in the 督办事项 table
    with pdfplumber.open(io.BytesIO(answer.content)) as laid_out:  # page 1 filled to its foot
        page = laid_out.pages[0]
        lowest = max(word["bottom"] for word in page.extract_words() if "—" not in word["text"])
        assert lowest > page.height * 0.7
    # The 回执 after the signature: the cut line's name, then its blanks.
    receipt = whole[whole.rindex("回执") :]
    for blank in ("督办编号", "承办单位", "办理情况", "经办人", "联系电话", "日期"):
        assert blank in receipt, blank


@pytest.mark.time_machine(MONDAY)
def test_the_word_file_prints_the_same(world, sender, login):
    notices_send(inspection=world.inspection, by=sender)
    notice = _fagaiwei_notice(world)
    answer = login("supervisor").get(notice.get_absolute_url(), {"format": "docx"})
    document = Document(io.BytesIO(answer.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert notice.number in text and "反馈时限：2026年12月14日" in text
    assert f"联系人与电话：{CONTACT}" in text and f"承办单位：{notice.department.name}" in text
    assert "办理要求" in text
    assert "建立社会信用信息共享平台" in document.tables[0].rows[1].cells[1].text
    receipt = document.tables[-1]
    labels = [row.cells[0].text for row in receipt.rows]
    assert labels == ["督办编号", "承办单位", "办理情况", "经办人", "联系电话", "日期"]
    assert receipt.rows[0].cells[1].text == notice.number
    assert text.rstrip().endswith("回执")  # the cut line's name, after the signature
