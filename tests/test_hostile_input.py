"""Hostile and oversized input through every form of the task pages: never a 500, a clear
Chinese message where it is refused, and hostile text shown as text where it is kept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reminders.models import Reminder
from tasks.models import ExtensionRequest, ProgressReport, Task

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script><img src=x onerror=alert(1)>"
SQLISH = "'; DROP TABLE tasks_task; -- \" OR 1=1"
CONTROL = "进展\x00\x07\x1b[31m"
FORMULA = '=HYPERLINK("http://evil.example","点我")'
HUGE = "很" * 10_000_000  # 30 MB of UTF-8

HOSTILE = [SCRIPT, SQLISH, CONTROL, FORMULA, HUGE]


def own_task() -> Task:
    return Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")


def forms(task, period):
    """(who, url, fields with one hostile slot '{}', how to find what it saved)."""
    return [
        ("staff", reverse("tasks:report_new", args=[task.pk]), {"period": period, "text": "{}", "percent": "20"}),
        (
            "staff",
            reverse("tasks:extension_new", args=[task.pk]),
            {
                "extension-proposed_deadline": (timezone.localdate() + timedelta(days=60)).isoformat(),
                "extension-reason": "{}",
            },
        ),
        ("staff", reverse("tasks:completion_new", args=[task.pk]), {"completion-summary": "{}"}),
        (
            "staff",
            reverse("tasks:step_new", args=[task.pk]),
            {"step-text": "{}", "step-deadline": task.deadline.isoformat(), "step-responsible_person": "张三"},
        ),
        ("office", reverse("reminders:urge", args=[task.pk]), {"urge-message": "{}"}),
        ("staff", reverse("notifications:delivery_settings"), {"email": "on", "address": "{}"}),
        ("office", reverse("tasks:list") + "?q={}", None),
    ]


@pytest.mark.parametrize("payload", HOSTILE, ids=["script", "sql", "control", "formula", "10M"])
def test_every_form_answers_hostile_input_without_a_server_error(login, payload):
    task = own_task()
    Task.objects.filter(pk=task.pk).update(status="in_progress")
    period = timezone.localdate().replace(day=1).isoformat()
    for who, url, fields in forms(task, period):
        client = login(who)
        if fields is None:
            response = client.get(url.replace("{}", payload[:2000]))
        else:
            response = client.post(url, {k: v.replace("{}", payload) for k, v in fields.items()})
        assert response.status_code < 500, (url, response.status_code)
        body = response.content.decode()
        assert SCRIPT not in body  # never echoed as markup
        if response.status_code == 400:
            assert 'class="error' in body or "error-box" in body, url
        client.logout()


def test_oversized_text_is_refused_with_a_message_and_saves_nothing(login):
    task = own_task()
    Task.objects.filter(pk=task.pk).update(status="in_progress")
    client = login("staff")
    period = timezone.localdate().replace(day=1).isoformat()
    response = client.post(
        reverse("tasks:report_new", args=[task.pk]), {"period": period, "text": HUGE[:100_000], "percent": "20"}
    )
    assert response.status_code == 400 and "最多" in response.content.decode()
    assert not ProgressReport.objects.filter(task=task).exists()
    response = client.post(
        reverse("tasks:extension_new", args=[task.pk]),
        {
            "extension-proposed_deadline": (timezone.localdate() + timedelta(days=60)).isoformat(),
            "extension-reason": "理由" * 5000,
        },
    )
    assert response.status_code == 400 and "最多" in response.content.decode()
    assert not ExtensionRequest.objects.exists()


def test_hostile_text_that_is_kept_is_shown_as_text(login):
    task = own_task()
    Task.objects.filter(pk=task.pk).update(status="in_progress")
    response = login("office").post(reverse("reminders:urge", args=[task.pk]), {"urge-message": SCRIPT})
    assert response.status_code == 302 and Reminder.objects.filter(message=SCRIPT).exists()
    page = login("staff").get(task.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page and SCRIPT not in page
