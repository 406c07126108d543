"""督查通报 delivered and signed for: issuing sends it once to each unit it names or covers,
a member of the unit records its 阅知, and 催阅 reminds the unread units once a day."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from departments.models import display_name
from departments.services import member_set
from notifications.models import Delivery, DeliverySettings, Notification
from supervision.models import BulletinReceipt
from supervision.services import bulletin_draft, bulletin_issue, bulletin_remind, findings_confirm_all
from tests.conftest import DEMO_PASSWORD, SHANGHAI


@pytest.fixture
def issued(world, django_capture_on_commit_callbacks):
    """The world's bulletin issued (its PDF rendered inline), with a member in 区民政局 whose
    channels include e-mail, and one in 区统计局, a unit the bulletin neither names nor covers."""
    supervisor = world.user("supervisor")
    member_set(username="minzheng", department=world.departments["minzheng"], role="staff", password=DEMO_PASSWORD)
    outsider = (
        world.departments["minzheng"]
        .__class__.objects.supervised()
        .exclude(pk__in=[d.pk for d in world.departments.values()])[0]
    )
    member_set(username="outsider", department=outsider, role="staff", password=DEMO_PASSWORD)
    DeliverySettings.objects.create(user=world.user("minzheng"), email=True)
    get_user_model().objects.filter(username="minzheng").update(email="minzheng@example.cn")
    findings_confirm_all(inspection=world.inspection, by=supervisor)
    bulletin = bulletin_draft(inspection=world.inspection, by=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_issue(bulletin=bulletin, by=supervisor)
    bulletin.refresh_from_db()
    assert bulletin.status == "issued"
    return bulletin


def _told(bulletin, username: str, kind: str = "request") -> int:
    return Notification.objects.filter(recipient__username=username, url=bulletin.get_absolute_url(), kind=kind).count()


def test_issuing_sends_the_bulletin_once_to_each_unit_named_or_covered(world, issued):
    named = {v.department_id for v in issued.verdicts.all()}
    assert named == {world.departments["bianwei"].pk, world.departments["fagaiwei"].pk}
    units = set(issued.receipts.values_list("department_id", flat=True))
    assert units == {d.pk for d in world.departments.values()}  # the four leads, the two named among them
    # One message for each member of each unit (staff and head of 编委办, staff2 of 发改委, 民政局's member).
    assert {u: _told(issued, u) for u in ("staff", "head", "staff2", "minzheng", "outsider", "office")} == {
        "staff": 1,
        "head": 1,
        "staff2": 1,
        "minzheng": 1,
        "outsider": 0,
        "office": 0,
    }
    assert Notification.objects.filter(url=issued.get_absolute_url()).count() == 4
    # The member who asked for e-mail gets it there too, through the notification service.
    assert Delivery.objects.filter(recipient__username="minzheng", channel="email").count() == 1
    # Issuing again (a rerun of the freeze) sends nothing more.
    from supervision.services.receipts import receipts_send

    assert receipts_send(issued) == 0
    assert Notification.objects.filter(url=issued.get_absolute_url()).count() == 4


def test_a_members_read_is_recorded_and_shown_to_the_office(world, issued, login):
    client = login("staff2")
    page = client.get(issued.get_absolute_url()).content.decode()
    assert reverse("supervision:bulletin_read", args=[issued.pk]) in page and "阅知" in page
    response = client.post(reverse("supervision:bulletin_read", args=[issued.pk]), follow=True)
    receipt = BulletinReceipt.objects.get(bulletin=issued, department=world.departments["fagaiwei"])
    assert f"本单位已于2026年11月16日 10:00阅知（{display_name(receipt.read_by)}）" in response.content.decode()
    assert receipt.read_by.username == "staff2"
    assert timedelta(0) <= receipt.read_at - datetime(2026, 11, 16, 10, tzinfo=SHANGHAI) < timedelta(minutes=1)
    client.post(reverse("supervision:bulletin_read", args=[issued.pk]))  # a second press keeps the first
    assert BulletinReceipt.objects.get(pk=receipt.pk).read_at == receipt.read_at
    page = login("supervisor").get(issued.get_absolute_url()).content.decode()
    table = page[page.index('id="receipts"') :]
    assert (
        f"{world.departments['fagaiwei'].name}</td>" in table
        and f"<td>{display_name(receipt.read_by)}</td>" in table  # the reader's 姓名, not the login
        and display_name(receipt.read_by) != "staff2"
        and "2026-11-16 10:00" in table
    )
    assert table.count('<td class="error">未阅知</td>') == 3


def test_a_unit_outside_the_bulletins_scope_cannot_sign_for_it(issued, login):
    client = login("outsider")
    assert "bulletin_read" not in client.get(issued.get_absolute_url()).content.decode()
    assert client.post(reverse("supervision:bulletin_read", args=[issued.pk])).status_code == 404
    assert login("leader").post(reverse("supervision:bulletin_read", args=[issued.pk])).status_code == 404
    assert not BulletinReceipt.objects.filter(bulletin=issued, read_at__isnull=False).exists()


def test_a_draft_cannot_be_signed_for(world, login):
    bulletin = bulletin_draft(inspection=world.inspection, by=world.user("supervisor"))
    assert login("staff").post(reverse("supervision:bulletin_read", args=[bulletin.pk])).status_code == 404


def test_reminding_reaches_only_the_unread_and_once_a_day(world, issued, login, time_machine):
    login("staff").post(reverse("supervision:bulletin_read", args=[issued.pk]))
    client = login("supervisor")
    response = client.post(reverse("supervision:bulletin_remind", args=[issued.pk]), follow=True)
    assert "已向3个未阅知的单位发送催阅提醒" in response.content.decode()
    urged = {u: _told(issued, u, "urge") for u in ("staff", "head", "staff2", "minzheng", "outsider")}
    assert urged == {"staff": 0, "head": 0, "staff2": 1, "minzheng": 1, "outsider": 0}
    response = client.post(reverse("supervision:bulletin_remind", args=[issued.pk]), follow=True)
    assert "今天已催阅过" in response.content.decode()
    assert Notification.objects.filter(kind="urge").count() == 2
    # The next day the unread units may be reminded again.
    time_machine.move_to(datetime(2026, 11, 17, 9, tzinfo=SHANGHAI))
    assert bulletin_remind(bulletin=issued, by=world.user("office")) == 3
    assert _told(issued, "staff2", "urge") == 2
    receipt = BulletinReceipt.objects.get(bulletin=issued, department=world.departments["fagaiwei"])
    assert receipt.reminders == 2 and receipt.reminded_on == world.today + timedelta(days=1)


def test_a_department_cannot_remind(issued, login):
    assert login("staff2").post(reverse("supervision:bulletin_remind", args=[issued.pk])).status_code == 403


def test_the_issued_bulletin_page_query_count_is_pinned(issued, login, django_assert_max_num_queries):
    client = login("supervisor")
    with django_assert_max_num_queries(10):
        assert client.get(issued.get_absolute_url()).status_code == 200
    client = login("staff2")
    with django_assert_max_num_queries(10):
        assert client.get(issued.get_absolute_url()).status_code == 200
