"""Faults with the real services: a Celery worker process killed in the middle of a
batch, and Redis restarted between the sweep and the sending."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from notifications.models import Delivery, DeliverySettings, Notification
from reminders.models import Reminder
from reminders.schedule import Kind
from tasks.models import Task
from tests.webhook_server import Robot

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`celery worker` in its own process (and process group), on the test database."""

    def __init__(self, broker: str, log: Path):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "reform_portal.settings.test",
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker,
            "CELERY_VISIBILITY_TIMEOUT": "3",
            "CELERY_RESTORE_INTERVAL": "1",
        }
        self.log = log
        self.process = None

    def start(self):
        command = [sys.executable, "-m", "celery", "-A", "reform_portal", "worker", "--pool", "solo", "-l", "info"]
        command += ["--without-gossip", "--without-mingle", "-n", f"faults-{os.getpid()}@%h"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log.open("a"), stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def bianweiban_tasks_due(days: int) -> list[int]:
    """Make the tasks 区编委办 leads (staff and head are its people) fall due in `days`."""
    staff = get_user_model().objects.get(username="staff")
    ids = list(
        Task.objects.filter(
            assignments__department_id=staff.membership.department_id,
            assignments__role="lead",
            status__in=["assigned", "acknowledged", "in_progress"],
        ).values_list("pk", flat=True)
    )
    Task.objects.filter(pk__in=ids).update(deadline=timezone.localdate() + timedelta(days=days))
    return ids


def publish(task_name: str, args: list, broker: str) -> None:
    from reform_portal.celery import app

    with app.connection_for_write(broker) as conn:
        app.send_task(task_name, args=args, connection=conn)


def test_a_worker_killed_mid_batch_finishes_it_after_restart_without_duplicates(tmp_path):
    from reform_portal.celery import app

    tasks = bianweiban_tasks_due(3)
    assert len(tasks) >= 5
    with Robot() as robot:
        robot.delay = 0.25  # a slow robot: the batch of webhook posts takes seconds
        for name in ("staff", "head"):
            user = get_user_model().objects.get(username=name)
            DeliverySettings.objects.create(user=user, webhook=True, webhook_url=robot.url)
        with app.connection_for_write(settings.REDIS_URL) as conn:
            conn.default_channel.queue_purge("celery")
        worker = Worker(settings.REDIS_URL, tmp_path / "worker.log").start()
        try:
            publish("tasks.sweep_reminders", [timezone.localdate().isoformat()], settings.REDIS_URL)
            assert wait_for(lambda: len(robot.received) >= 4), (tmp_path / "worker.log").read_text()
            worker.kill()  # mid-batch: some posts made, the rest not
            expected = Reminder.objects.count()
            assert expected == 2 * len(tasks)
            sent_before = Delivery.objects.filter(status="sent").count()
            assert 0 < sent_before < expected
            worker = Worker(settings.REDIS_URL, tmp_path / "worker.log").start()
            assert wait_for(lambda: Delivery.objects.filter(status="sent").count() == expected, 90), (
                tmp_path / "worker.log"
            ).read_text()
        finally:
            worker.stop()
    # In the inbox exactly once each; every webhook post made, at most one (the one in
    # flight when the worker died) made twice.
    assert Notification.objects.filter(kind="reminder").count() == expected
    keys = [post["json"]["portal"]["key"] for post in robot.received]
    assert set(keys) == {f"delivery-{pk}" for pk in Delivery.objects.values_list("pk", flat=True)}
    assert len(keys) - len(set(keys)) <= 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own, without persistence, to restart at will."""

    def __init__(self, directory: Path):
        self.port, self.directory, self.process = free_port(), directory, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
        )
        import redis

        assert wait_for(lambda: _answers(redis.Redis.from_url(self.url)), 10)
        return self

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def _answers(client) -> bool:
    try:
        return client.ping()
    except Exception:
        return False


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_redis_restarted_between_sweep_and_send_loses_nothing(tmp_path):
    import redis

    tasks = bianweiban_tasks_due(1)
    broker = PrivateRedis(tmp_path).start()
    try:
        # The sweep records the reminders and queues their sending ...
        from reminders.services import reminders_sweep

        new, unsent = reminders_sweep(queue=False)
        publish("tasks.send_reminders", [unsent], broker.url)
        assert redis.Redis.from_url(broker.url).llen("celery") == 1
        # ... and Redis restarts before any worker takes the message: it is gone.
        broker.stop()
        broker.start()
        assert redis.Redis.from_url(broker.url).llen("celery") == 0
        worker = Worker(broker.url, tmp_path / "worker.log").start()
        try:
            publish("tasks.sweep_reminders", [timezone.localdate().isoformat()], broker.url)
            assert wait_for(lambda: not Reminder.objects.filter(sent_at__isnull=True).exists()), (
                tmp_path / "worker.log"
            ).read_text()
        finally:
            worker.stop()
    finally:
        broker.stop()
    assert len(new) == Reminder.objects.count() == 2 * len(tasks)
    assert Notification.objects.filter(kind="reminder").count() == len(new)


class Portal:
    """`manage.py runserver` in its own process, with the broker the test chooses."""

    def __init__(self, broker: str, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**Worker(broker, log).env, "PORTAL_BASE_URL": self.url}
        command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT, start_new_session=True
        )
        assert wait_for(lambda: listening(self.port), 60), log.read_text()

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(15)


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_with_redis_down_pages_work_and_messages_wait_until_it_is_back(tmp_path):
    from benchmarks.http_session import Session

    bianweiban_tasks_due(30)
    staff = get_user_model().objects.get(username="staff")
    get_user_model().objects.filter(pk=staff.pk).update(email="staff@gov.example.cn")
    DeliverySettings.objects.create(user=staff, email=True)
    task = Task.objects.filter(assignments__department_id=staff.membership.department_id, status="assigned").first()
    nothing_listens = f"redis://127.0.0.1:{free_port()}/0"
    portal = Portal(nothing_listens, tmp_path / "portal.log")
    try:
        office = Session(portal.url)
        assert office.sign_in("office", "demo-pass-2026")
        for path in ("/dashboard/", "/tasks/", f"/tasks/{task.pk}/", "/tasks/review/"):
            status, _, _ = office.get(path)
            assert status == 200, path
        status, _, seconds = office.post(
            f"/tasks/{task.pk}/urge/", {"urge-message": "请本周内报送进展。"}, form_page=f"/tasks/{task.pk}/"
        )
        assert status == 302 and seconds < 10  # no hang waiting for the broker
    finally:
        portal.stop()
    # The 催办 is on record and waits in the database, not yet in anyone's inbox.
    waiting = Reminder.objects.filter(task=task, kind=Kind.MANUAL, sent_at__isnull=True)
    assert {r.recipient.username for r in waiting} == {"staff", "head"}
    assert not Notification.objects.filter(kind="urge").exists()
    # Redis is back: the next sweep sends what waited, and the e-mail goes out.
    # The portal process recorded the 催办 on its own clock, the real one: the worker's sweep
    # takes its day from the same clock, as both would in production.
    worker = Worker(settings.REDIS_URL, tmp_path / "worker.log").start()
    try:
        publish("tasks.sweep_reminders", [], settings.REDIS_URL)
        assert wait_for(lambda: Delivery.objects.filter(recipient=staff, status="sent").exists()), (
            tmp_path / "worker.log"
        ).read_text()
    finally:
        worker.stop()
    assert Notification.objects.filter(kind="urge", recipient=staff).count() == 1
