"""Issue 17 item 6: a small office writes at the same moment. On the embedded SQLite
database, six reports submitted at once all go through; a lock is waited for, never
answered as an outage (503 数据库暂时不可用)."""

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from departments.permissions import department_id_of
from tasks.choices import ReportStatus
from tasks.models import ProgressReport, Task
from tests.conftest import TODAY


@pytest.fixture
def seeded_server(live_server):
    # The seed world is there: every transactional test ends by putting it back (tests/conftest.py).
    return live_server


def post(url: str, token: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_six_reports_submitted_at_once_on_one_database_all_go_through(seeded_server):
    head = get_user_model().objects.get(username="head")  # signs and sends in one step
    token = Token.objects.create(user=head).key
    tasks = [
        task
        for task in Task.objects.visible_to(head).order_by("pk")
        if task.assignments.filter(department_id=department_id_of(head)).exists()
    ]
    tasks = [task for task in tasks if task.status in ("assigned", "acknowledged", "in_progress")][:6]
    assert len(tasks) == 6
    answers: list[tuple[int, dict]] = []
    start = threading.Barrier(len(tasks))

    def submit(task: Task):
        start.wait()
        status, report = post(
            f"{seeded_server.url}/api/reports/",
            token,
            {"task": task.pk, "period": TODAY.date().replace(day=1).isoformat(), "text": "按期推进", "percent": 40},
        )
        answers.append((status, report))
        if status == 201:
            answers.append(post(f"{seeded_server.url}/api/reports/{report['id']}/submit/", token, {}))

    threads = [threading.Thread(target=submit, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(status for status, _ in answers) == [200] * 6 + [201] * 6, answers
    assert ProgressReport.objects.exclude(status=ReportStatus.DRAFT).count() == 6
