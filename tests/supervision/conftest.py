"""A small plan made for supervision, whose every task has one verdict to give:

* 区编委办 leads two tasks, one completed on time and one on track: commended (表扬);
* 区发改委 leads one 45 days overdue: criticised (通报批评, the rule's limit is 30 days);
* 区民政局 leads one with a missed milestone and an indicator short of target: behind;
* 区财政局 leads one not yet acknowledged whose title is hostile HTML with a URL;
* a draft and a cancelled task, which no inspection covers.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from departments.models import Department
from supervision.models import Inspection
from supervision.services import inspection_create
from tasks.models import Assignment, Plan, Task

HOSTILE = (
    '<b>加粗</b><img src="http://evil.example/x.png"> 见 https://evil.example/steal?q=1 & <script>alert(1)</script>'
)


@dataclass
class World:
    today: date
    plan: Plan
    tasks: dict[str, Task]
    departments: dict[str, Department]
    inspection: Inspection

    def user(self, username: str):
        return get_user_model().objects.get(username=username)


def make_task(plan, order, title, lead, *, status, deadline, start=None, progress=0, completed_on=None) -> Task:
    task = Task.objects.create(
        plan=plan, order=order, sort_key=f"{order:04d}", title=title, deadline=deadline, start_date=start
    )
    Assignment.objects.create(task=task, department=lead, role="lead")
    Task.objects.filter(pk=task.pk).update(status=status, progress=progress, completed_on=completed_on)
    task.refresh_from_db()
    return task


@pytest.fixture
def world(demo_users, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def build_world() -> World:
    """The plan above, built today: the `world` fixture for one test, or once for a module."""
    today = timezone.localdate()
    d = {
        key: Department.objects.resolve(name)
        for key, name in (
            ("bianwei", "区编委办"),
            ("fagaiwei", "区发改委"),
            ("minzheng", "区民政局"),
            ("caizheng", "区财政局"),
        )
    }
    assert all(d.values()), d
    plan = Plan.objects.create(slug="supervision-test", title="督查测试方案", year=today.year)
    t = {
        "done": make_task(
            plan,
            1,
            "完善权责清单动态调整机制",
            d["bianwei"],
            status="completed",
            deadline=today - timedelta(days=30),
            progress=100,
            completed_on=today - timedelta(days=40),
        ),
        "on_track": make_task(
            plan,
            2,
            "推进政务服务事项标准化",
            d["bianwei"],
            status="in_progress",
            deadline=today + timedelta(days=100),
            start=today - timedelta(days=100),
            progress=60,
        ),
        "overdue": make_task(
            plan,
            3,
            "建立社会信用信息共享平台",
            d["fagaiwei"],
            status="in_progress",
            deadline=today - timedelta(days=45),
            progress=40,
        ),
        "behind": make_task(
            plan,
            4,
            "推进行业协会商会与行政机关脱钩",
            d["minzheng"],
            status="in_progress",
            deadline=today + timedelta(days=50),
            start=today - timedelta(days=50),
            progress=45,
        ),
        "hostile": make_task(plan, 5, HOSTILE, d["caizheng"], status="assigned", deadline=today + timedelta(days=200)),
        "cancelled": make_task(plan, 7, "已撤销的任务", d["caizheng"], status="cancelled", deadline=today),
    }
    t["draft"] = Task.objects.create(plan=plan, order=6, sort_key="0006", title="尚未交办的任务")
    behind = t["behind"]
    behind.milestones.create(order=1, text="形成脱钩方案", deadline=today - timedelta(days=5))
    indicator = behind.indicators.create(name="脱钩率", target=85, unit="%", comparison="gte")
    indicator.values.create(value=60, recorded_on=today - timedelta(days=3))
    inspection = inspection_create(
        title="2026年改革任务专项督查",
        kind="special",
        period_start=today - timedelta(days=14),
        period_end=today,
        scope=f"plan={plan.pk}",
        by=get_user_model().objects.get(username="supervisor"),
        today=today,
    )
    return World(today=today, plan=plan, tasks=t, departments=d, inspection=inspection)
