"""E-mail and webhook delivery: what arrives, signed how, retried when, and digests."""

import base64
import hashlib
import hmac
from datetime import date, timedelta
from email import message_from_string

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.choices import DeliveryStatus
from notifications.models import Delivery, DeliverySettings, Notification
from notifications.services.delivery import deliveries_due, deliveries_send, digests_create
from reminders.services import reminders_send, reminders_sweep
from tasks.models import Task
from tasks.services import extension_decide, extension_request, task_acknowledge
from tests.webhook_server import Robot

SECRET = "SECabc123-robot-secret"


def user(name):
    return get_user_model().objects.get(username=name)


def own_task(deadline=None) -> Task:
    """Seed 000's 2015 task (一): led by 区编委办 (staff, head)."""
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")
    if deadline:
        Task.objects.filter(pk=task.pk).update(deadline=deadline)
        task.refresh_from_db()
    return task


def choose(name, **channels):
    person = user(name)
    address = channels.pop("address", f"{name}@gov.example.cn")
    get_user_model().objects.filter(pk=person.pk).update(email=address)
    DeliverySettings.objects.update_or_create(user=person, defaults=channels)


def refused_extension():
    """The office refuses 区编委办's extension: a decision, to staff and head at once."""
    task = own_task()
    if task.status == "assigned":
        task = task_acknowledge(task=task, by=user("staff"))
    request = extension_request(
        task=task, by=user("staff"), reason="等待上级批复", proposed_deadline=timezone.localdate() + timedelta(days=30)
    )
    extension_decide(request=request, by=user("office"), approve=False, reason="时限不能再延")
    return task


def queued(callbacks) -> list[int]:
    """The delivery ids the transaction queued for sending on commit."""
    assert len(callbacks) >= 1
    return list(Delivery.objects.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True))


@pytest.mark.django_db
def test_an_email_has_chinese_text_and_html_parts(demo_users, django_capture_on_commit_callbacks):
    choose("staff", email=True)
    with django_capture_on_commit_callbacks() as callbacks:
        task = refused_extension()
    ids = queued(callbacks)
    assert Delivery.objects.filter(recipient__username="staff", channel="email").count() == 1
    assert deliveries_send(ids) == 1
    (email,) = mail.outbox
    assert email.to == ["staff@gov.example.cn"]
    assert email.subject.startswith("【改革任务督查督办平台】") and "延期" in email.subject
    assert "时限不能再延" in email.body and f"http://127.0.0.1:8000/tasks/{task.pk}/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and f'href="http://127.0.0.1:8000/tasks/{task.pk}/"' in html
    parsed = message_from_string(email.message().as_string())
    assert parsed["Message-ID"] == f"<delivery-{ids[0]}@127.0.0.1>"
    # Sent once: another run finds nothing pending.
    assert deliveries_send(ids) == 0 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_webhook_posts_the_robots_json_signed_with_the_shared_secret(demo_users, django_capture_on_commit_callbacks):
    with Robot() as robot:
        choose("staff", webhook=True, webhook_url=robot.url, webhook_secret=SECRET)
        with django_capture_on_commit_callbacks() as callbacks:
            refused_extension()
        assert deliveries_send(queued(callbacks)) == 1
        (post,) = robot.received
    assert post["json"]["msgtype"] == "text" and "时限不能再延" in post["json"]["text"]["content"]
    assert post["query"]["access_token"] == "t0k"
    timestamp = post["query"]["timestamp"]
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), "sha256").digest())
    assert post["query"]["sign"] == expected.decode()
    assert post["headers"]["X-Portal-Signature"] == hmac.new(SECRET.encode(), post["body"], hashlib.sha256).hexdigest()
    assert post["headers"]["X-Portal-Delivery"] == post["json"]["portal"]["key"]


@pytest.mark.django_db
def test_failures_are_retried_with_backoff_recorded_and_given_up(demo_users, settings):
    settings.PORTAL = {**settings.PORTAL, "DELIVERY_ATTEMPTS": 3}
    with Robot() as robot:
        robot.statuses = [500, 502, 503]
        choose("staff", webhook=True, webhook_url=robot.url)
        refused_extension()
        (delivery,) = Delivery.objects.all()
        started = timezone.now()
        assert deliveries_send([delivery.pk]) == 0
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "Webhook 返回 HTTP 500")
        assert timedelta(seconds=55) < delivery.next_attempt_at - started < timedelta(seconds=65)
        # Not due yet: nothing is tried, and the minute check does not pick it up.
        assert deliveries_send([delivery.pk]) == 0 and len(robot.received) == 1
        assert delivery.pk not in deliveries_due()
        assert delivery.pk in deliveries_due(now=started + timedelta(minutes=1, seconds=5))
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        deliveries_send(deliveries_due())
        delivery.refresh_from_db()
        assert delivery.attempts == 2 and "502" in delivery.last_error
        assert timedelta(seconds=115) < delivery.next_attempt_at - timezone.now() < timedelta(seconds=125)
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        deliveries_send(deliveries_due())
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("failed", 3) and "503" in delivery.last_error
        assert delivery.pk not in deliveries_due(now=timezone.now() + timedelta(days=1))
        assert len(robot.received) == 3


@pytest.mark.django_db
def test_a_failing_channel_does_not_hold_back_the_other(demo_users):
    with Robot() as robot:
        robot.errcode = 310000  # the robot refuses: wrong signature, say
        choose("staff", email=True, webhook=True, webhook_url=robot.url, webhook_secret="wrong")
        refused_extension()
        assert deliveries_send(list(Delivery.objects.values_list("pk", flat=True))) == 1
    by_channel = {d.channel: d for d in Delivery.objects.all()}
    assert by_channel["email"].status == "sent" and len(mail.outbox) == 1
    assert (
        by_channel["webhook"].status == "pending" and by_channel["webhook"].last_error == "Webhook 拒收：errcode 310000"
    )


@pytest.mark.django_db
def test_an_unreachable_robot_is_a_recorded_failure_not_a_crash(demo_users):
    choose("staff", webhook=True, webhook_url="http://127.0.0.1:9/nothing-listens")
    refused_extension()
    assert deliveries_send(list(Delivery.objects.values_list("pk", flat=True))) == 0
    assert Delivery.objects.get().last_error.startswith("Webhook 无法连接")


@pytest.mark.django_db
def test_a_channel_turned_off_before_sending_is_not_used(demo_users):
    choose("staff", email=True)
    refused_extension()
    DeliverySettings.objects.filter(user__username="staff").update(email=False)
    assert deliveries_send(list(Delivery.objects.values_list("pk", flat=True))) == 0
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == ("failed", "接收人已关闭此渠道。") and not mail.outbox


TODAY = date(2026, 11, 23)


@pytest.mark.django_db
def test_a_digest_gathers_the_days_reminders_and_decisions_still_go_at_once(demo_users):
    choose("staff", email=True, digest=True)
    choose("head", email=True)
    Task.objects.filter(pk=own_task(TODAY + timedelta(days=3)).pk).update(status="acknowledged")
    second = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(二)")
    Task.objects.filter(pk=second.pk).update(deadline=TODAY + timedelta(days=1))
    new, unsent = reminders_sweep(today=TODAY, queue=False)
    reminders_send(unsent)
    staff_reminders = Notification.objects.filter(recipient__username="staff", kind="reminder").count()
    assert staff_reminders >= 2
    # The head, without a digest, gets each reminder on its own; staff gets none yet. (The head
    # also hears of the seed tasks given out on the 16th and still not acknowledged: 签收时限
    # the 19th, escalated two working days later, today.)
    to_head = Delivery.objects.filter(recipient__username="head")
    assert to_head.exclude(notification__title__startswith="超时未签收").count() == staff_reminders
    assert to_head.filter(notification__title__startswith="超时未签收").exists()
    assert not Delivery.objects.filter(recipient__username="staff").exists()
    refused_extension()  # a decision: at once, digest or not
    assert Delivery.objects.filter(recipient__username="staff", notification__kind="decision").count() == 1
    day = timezone.localdate()
    Notification.objects.filter(recipient__username="staff").update(created_at=timezone.now())
    ids = digests_create(day)
    assert digests_create(day) == ids  # a second run adds nothing
    (digest,) = Delivery.objects.filter(recipient__username="staff", digest_on=day)
    assert deliveries_send([digest.pk]) == 1
    (email,) = [m for m in mail.outbox if m.to == ["staff@gov.example.cn"]]
    assert f"消息汇总（{staff_reminders}条）" in email.subject
    for title in Notification.objects.filter(recipient__username="staff", kind="reminder").values_list(
        "title", flat=True
    ):
        assert title in email.body
    assert "时限不能再延" not in email.body  # the decision went on its own
    # Tomorrow's digest starts after today's: nothing new, no digest.
    assert digests_create(day + timedelta(days=1)) == []


@pytest.mark.django_db
def test_the_settings_page_saves_channels_and_refuses_what_cannot_be_sent(login):
    client = login("staff")
    url = reverse("notifications:delivery_settings")
    assert "消息接收设置" in client.get(url).content.decode()
    response = client.post(url, {"webhook": "on", "webhook_url": "", "digest": "on"})
    assert response.status_code == 400 and "选择群机器人须填写 Webhook 地址。" in response.content.decode()
    response = client.post(url, {"email": "on", "address": ""})
    assert response.status_code == 400 and "选择电子邮件须填写邮箱地址。" in response.content.decode()
    assert not DeliverySettings.objects.exists() and user("staff").email == ""
    response = client.post(
        url,
        {"email": "on", "address": "bianweiban@gov.example.cn", "webhook": "on", "webhook_url": "oapi.example.cn/x"},
    )
    assert response.status_code == 302
    saved = DeliverySettings.objects.get(user__username="staff")
    assert (saved.channels(), saved.webhook_url) == (["email", "webhook"], "https://oapi.example.cn/x")
    assert user("staff").email == "bianweiban@gov.example.cn"


# Issue 17 item 3: the webhook setting as a way into the office network (SSRF).
HOSTILE_WEBHOOKS = [
    "http://127.0.0.1:5432/",
    "https://127.0.0.1:5432/",
    "http://localhost/",
    "https://localhost:6379/",
    "https://[::1]/",
    "https://[::ffff:127.0.0.1]/",
    "http://169.254.169.254/latest/meta-data/",
    "https://169.254.169.254/",
    "https://10.1.2.3/robot",
    "https://192.168.1.1/",
    "https://0.0.0.0/",
    "ftp://robot.example.cn/",
    "https://user:pass@robot.example.cn/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", HOSTILE_WEBHOOKS)
def test_a_webhook_into_the_machine_or_the_network_is_refused_on_the_settings_page(login, settings, url):
    settings.PORTAL = {**settings.PORTAL, "WEBHOOK_ALLOWED_HOSTS": []}
    response = login("staff").post(reverse("notifications:delivery_settings"), {"webhook": "on", "webhook_url": url})
    assert response.status_code == 400 and "Webhook 地址" in response.content.decode()
    assert not DeliverySettings.objects.exists()


@pytest.mark.django_db
def test_an_intranet_robot_the_office_lists_is_allowed(login, settings):
    settings.PORTAL = {**settings.PORTAL, "WEBHOOK_ALLOWED_HOSTS": ["robot.intranet", "10.20.0.0/16"]}
    client = login("staff")
    for url in ("http://robot.intranet/send", "https://10.20.3.4/send"):
        assert (
            client.post(reverse("notifications:delivery_settings"), {"webhook": "on", "webhook_url": url}).status_code
            == 302
        )
    response = client.post(
        reverse("notifications:delivery_settings"), {"webhook": "on", "webhook_url": "https://10.21.0.1/"}
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_name_that_resolves_into_the_machine_at_send_time_gets_nothing(demo_users, settings, monkeypatch):
    # A public-looking name saved while it pointed outside, then pointed at the loopback
    # (DNS rebinding): the address is checked when the worker connects.
    import socket

    settings.PORTAL = {**settings.PORTAL, "WEBHOOK_ALLOWED_HOSTS": []}
    real = socket.getaddrinfo
    with Robot() as robot:
        port = robot.server.server_port

        def resolve(host, *args, **kwargs):
            if host == "robot.example.cn":
                return real("127.0.0.1", port, *args[1:], **kwargs)
            return real(host, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", resolve)  # DNS is what leaves the machine
        choose("staff", webhook=True, webhook_url=f"https://robot.example.cn:{port}/robot/send")
        refused_extension()
        assert deliveries_send(list(Delivery.objects.values_list("pk", flat=True))) == 0
        assert robot.received == []
    assert "本机或内部网络" in Delivery.objects.get().last_error


@pytest.mark.django_db
def test_a_robot_that_redirects_is_not_followed_and_its_answer_not_shown(login, settings):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    asked = []

    class Redirecting(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            asked.append(self.path)
            self.send_response(302)
            self.send_header("Location", "/internal/secret")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):
            asked.append(self.path)
            body = b'{"errcode": 4242, "errmsg": "internal service answer"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        choose("staff", webhook=True, webhook_url=f"http://127.0.0.1:{server.server_port}/robot")
        refused_extension()
        assert deliveries_send(list(Delivery.objects.values_list("pk", flat=True))) == 0
    finally:
        server.shutdown()
        server.server_close()
    assert asked == ["/robot"]
    assert "重定向" in Delivery.objects.get().last_error
    page = login("staff").get(reverse("notifications:delivery_settings")).content.decode()
    assert "未能送达" in page and "HTTP" not in page and "errcode" not in page and "重定向" not in page
