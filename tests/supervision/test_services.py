"""Inspections, findings, demands and bulletins through their services, on the real database."""

import hashlib
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from notifications.models import Notification
from supervision.choices import BulletinStatus, DemandStatus, SequenceKind
from supervision.models import Bulletin, Finding, Inspection, NumberSequence, RectificationDemand
from supervision.selectors import demands_due, open_demands, scope_tasks
from supervision.services import (
    bulletin_correct,
    bulletin_draft,
    bulletin_issue,
    bulletin_update,
    demand_close,
    demand_raise,
    demand_report,
    demand_return,
    finding_confirm,
    findings_confirm_all,
    inspection_create,
    notices_send,
)
from supervision.services.bulletins import next_number
from tasks.models import Task

pytestmark = pytest.mark.django_db


def finding(world, key) -> Finding:
    return world.inspection.findings.get(task=world.tasks[key])


def test_a_finding_for_every_task_in_scope_with_facts_and_a_suggested_rating(world):
    findings = {f.task_id: f for f in world.inspection.findings.all()}
    expected = {
        "done": "on_time",
        "on_track": "on_track",
        "overdue": "overdue",
        "behind": "behind",
        "hostile": "not_started",
    }
    assert {world.tasks[k].pk: r for k, r in expected.items()} == {pk: f.suggested_rating for pk, f in findings.items()}
    assert all(f.rating == "" for f in findings.values())  # nothing confirmed until the inspector says so
    behind = findings[world.tasks["behind"].pk]
    assert (behind.milestones_missed, behind.indicators_behind, behind.progress) == (1, 1, 45)
    assert findings[world.tasks["overdue"].pk].overdue_days == 45


def test_the_scope_is_exactly_what_the_task_list_shows_for_the_same_filters(world, login):
    query = f"plan={world.plan.pk}&light=red"
    tasks = set(scope_tasks(query, today=world.today).values_list("pk", flat=True))
    assert tasks == {world.tasks["overdue"].pk}
    page = login("office").get(f"/tasks/?{query}")
    assert [t.pk for t in page.context["page"].object_list] == [world.tasks["overdue"].pk]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"kind": "secret"}, "kind"),
        ({"scope": "year=abc"}, "scope"),
        ({"scope": "plan=999999"}, "scope"),
        ({"scope": "q=没有这样的任务"}, "scope"),  # valid filters, but nothing to inspect
    ],
)
def test_bad_inspections_are_refused_in_chinese_and_nothing_is_saved(world, changes, field):
    before = (Inspection.objects.count(), Finding.objects.count())
    arguments = dict(
        title="抽查",
        kind="spot",
        period_start=world.today,
        period_end=world.today,
        scope=f"plan={world.plan.pk}",
        by=world.user("supervisor"),
    )
    arguments.update(changes)
    with pytest.raises(ValidationError) as refused:
        inspection_create(**arguments)
    assert field in refused.value.message_dict
    assert all("\u4e00" <= ch <= "\u9fff" for ch in refused.value.message_dict[field][0][:2])
    assert (Inspection.objects.count(), Finding.objects.count()) == before


def test_only_supervisors_and_the_office_inspect(world):
    for username in ("staff", "leader", "head"):
        with pytest.raises(PermissionDenied):
            inspection_create(
                title="抽查",
                kind="spot",
                period_start=world.today,
                period_end=world.today,
                scope="",
                by=world.user(username),
            )


def test_confirming_records_who_and_may_change_the_suggestion(world):
    office = world.user("office")
    confirmed = finding_confirm(finding=finding(world, "behind"), rating="overdue", comment="节点严重滞后", by=office)
    assert (confirmed.rating, confirmed.suggested_rating, confirmed.confirmed_by) == ("overdue", "behind", office)
    with pytest.raises(ValidationError):
        finding_confirm(finding=finding(world, "done"), rating="excellent", by=office)
    assert findings_confirm_all(inspection=world.inspection, by=office) == 4
    ratings = dict(world.inspection.findings.values_list("task_id", "rating"))
    assert ratings[world.tasks["behind"].pk] == "overdue" and ratings[world.tasks["done"].pk] == "on_time"


def test_a_demand_goes_from_the_department_to_the_office_and_is_closed(world):
    supervisor, office = world.user("supervisor"), world.user("office")
    demand = demand_raise(
        finding=finding(world, "overdue"),
        department=world.departments["fagaiwei"],
        requirement="一个月内建成平台并报告",
        due_date=world.today + timedelta(days=30),
        by=supervisor,
    )
    assert Notification.objects.filter(recipient__username="staff2", url=demand.get_absolute_url()).exists()
    with pytest.raises(PermissionDenied):
        demand_report(demand=demand, text="已整改", by=world.user("staff"))  # another department
    with pytest.raises(ValidationError):
        demand_report(demand=demand, text=" ", by=world.user("staff2"))
    demand = demand_report(demand=demand, text="平台已上线试运行", by=world.user("staff2"))
    assert demand.status == DemandStatus.REPORTED
    with pytest.raises(PermissionDenied):
        demand_close(demand=demand, by=supervisor)  # the office closes
    with pytest.raises(ValidationError):
        demand_return(demand=demand, comment="", by=office)
    demand = demand_return(demand=demand, comment="请补充上线文件", by=office)
    assert demand.status == DemandStatus.OPEN
    demand = demand_report(demand=demand, text="已补充上线文件", by=world.user("staff2"))
    demand = demand_close(demand=demand, comment="同意销号", by=office)
    assert demand.status == DemandStatus.CLOSED and demand.closed_by == office


def test_a_demand_needs_a_department_a_requirement_and_a_future_date(world):
    with pytest.raises(ValidationError) as refused:
        demand_raise(
            finding=finding(world, "overdue"),
            department=None,
            requirement="",
            due_date=world.today - timedelta(days=1),
            by=world.user("supervisor"),
        )
    assert set(refused.value.message_dict) == {"department", "requirement", "due_date"}
    assert not RectificationDemand.objects.exists()


def test_open_demands_by_due_date_for_the_reminder_sweep(world):
    supervisor = world.user("supervisor")
    raised = [
        demand_raise(
            finding=finding(world, key),
            department=world.tasks[key].departments.first(),
            requirement="整改",
            due_date=world.today + timedelta(days=days),
            by=supervisor,
        )
        for key, days in (("overdue", 20), ("behind", 3), ("hostile", 10))
    ]
    demand_report(demand=raised[0], text="已整改", by=world.user("staff2"))
    RectificationDemand.objects.filter(pk=raised[2].pk).update(due_date=world.today - timedelta(days=2))
    assert [d.pk for d in open_demands()] == [raised[2].pk, raised[1].pk, raised[0].pk]
    assert [d.pk for d in demands_due(on=world.today + timedelta(days=3))] == [raised[2].pk, raised[1].pk]


def test_notices_go_once_to_each_lead_and_demanded_department(world):
    supervisor = world.user("supervisor")
    sent = notices_send(inspection=world.inspection, by=supervisor)
    assert {n.department_id for n in sent} == {d.pk for d in world.departments.values()}
    assert notices_send(inspection=world.inspection, by=supervisor) == []
    assert Notification.objects.filter(recipient__username="staff", title__startswith="督办单").count() == 1


def test_the_draft_says_what_the_data_says_and_names_whom_the_rules_propose(world):
    bulletin = bulletin_draft(inspection=world.inspection, by=world.user("supervisor"))
    assert "5项改革任务" in bulletin.basic and "已逾期1项" in bulletin.basic and "4个牵头单位" in bulletin.basic
    assert "最长逾期45天" in bulletin.problems
    verdicts = {v.department_id: (v.verdict, v.reason) for v in bulletin.verdicts.all()}
    assert verdicts == {
        world.departments["bianwei"].pk: ("commend", "牵头的2项任务全部按期推进，其中1项按期完成"),
        world.departments["fagaiwei"].pk: ("criticise", "牵头的“建立社会信用信息共享平台”逾期45天"),
    }


def test_editing_whom_to_name_keeps_reasons_and_refuses_both_at_once(world):
    bulletin = bulletin_draft(inspection=world.inspection, by=world.user("supervisor"))
    d = world.departments
    with pytest.raises(ValidationError):
        bulletin_update(
            bulletin=bulletin, by=world.user("supervisor"), commended=[d["minzheng"]], criticised=[d["minzheng"]]
        )
    bulletin_update(
        bulletin=bulletin,
        by=world.user("supervisor"),
        commended=[d["bianwei"], d["caizheng"]],
        criticised=[d["fagaiwei"]],
        title="关于专项督查情况的通报",
    )
    rows = {v.department_id: v for v in bulletin.verdicts.all()}
    assert set(rows) == {d["bianwei"].pk, d["caizheng"].pk, d["fagaiwei"].pk}
    assert rows[d["bianwei"].pk].reason.startswith("牵头的2项") and rows[d["caizheng"].pk].reason == ""
    assert Bulletin.objects.get(pk=bulletin.pk).title == "关于专项督查情况的通报"


def issue(world, bulletin, django_capture_on_commit_callbacks, username="supervisor"):
    with django_capture_on_commit_callbacks(execute=True):
        job = bulletin_issue(bulletin=bulletin, by=world.user(username))
    job.refresh_from_db()
    assert job.status == "done", job.error
    return Bulletin.objects.get(pk=bulletin.pk)


def test_issuing_needs_every_finding_confirmed(world):
    bulletin = bulletin_draft(inspection=world.inspection, by=world.user("supervisor"))
    with pytest.raises(ValidationError, match="尚有5条督查发现未确认评价"):
        bulletin_issue(bulletin=bulletin, by=world.user("supervisor"))
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT and bulletin.sequence is None
    assert not NumberSequence.objects.filter(kind=SequenceKind.BULLETIN, last__gt=0).exists()


def test_issued_bulletins_take_the_years_numbers_in_turn_and_freeze(world, django_capture_on_commit_callbacks):
    supervisor = world.user("supervisor")
    findings_confirm_all(inspection=world.inspection, by=supervisor)
    first = issue(world, bulletin_draft(inspection=world.inspection, by=supervisor), django_capture_on_commit_callbacks)
    second = issue(
        world, bulletin_draft(inspection=world.inspection, by=supervisor), django_capture_on_commit_callbacks
    )
    year = world.today.year
    assert (first.number, second.number) == (f"督查通报〔{year}〕1号", f"督查通报〔{year}〕2号")
    assert first.status == BulletinStatus.ISSUED and first.issue_date == world.today
    with first.pdf.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == first.pdf_sha256
    with pytest.raises(ValidationError, match="已印发"):
        bulletin_update(bulletin=first, by=supervisor, commended=[], criticised=[], title="改")
    with pytest.raises(ValidationError):
        bulletin_issue(bulletin=first, by=supervisor)
    assert Bulletin.objects.get(pk=first.pk).title == first.title


def test_a_correction_is_a_new_version_with_the_same_number_and_its_reason(world, django_capture_on_commit_callbacks):
    supervisor = world.user("supervisor")
    findings_confirm_all(inspection=world.inspection, by=supervisor)
    original = issue(
        world, bulletin_draft(inspection=world.inspection, by=supervisor), django_capture_on_commit_callbacks
    )
    with pytest.raises(ValidationError):
        bulletin_correct(bulletin=original, reason="", by=supervisor)
    correction = bulletin_correct(bulletin=original, reason="区发改委的逾期天数有误", by=supervisor)
    with pytest.raises(ValidationError):
        bulletin_correct(bulletin=original, reason="再次更正", by=supervisor)
    assert (correction.version, correction.status, correction.supersedes_id) == (2, "draft", original.pk)
    bulletin_update(bulletin=correction, by=supervisor, commended=[world.departments["bianwei"]], criticised=[])
    correction = issue(world, correction, django_capture_on_commit_callbacks)
    original.refresh_from_db()
    assert correction.number == original.number and correction.version == 2
    assert original.status == BulletinStatus.SUPERSEDED
    assert correction.pdf_sha256 != original.pdf_sha256
    with original.pdf.open("rb") as stored:  # the first version's file is as it was issued
        assert hashlib.sha256(stored.read()).hexdigest() == original.pdf_sha256
    bulletins = NumberSequence.objects.get(kind=SequenceKind.BULLETIN, year=world.today.year)
    assert bulletins.last == 1  # the correction took no new number


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer: there is no race to lose")
def test_numbers_taken_at_once_by_many_are_all_different():
    taken, errors = [], []
    start = threading.Barrier(8)

    def take():
        try:
            start.wait()
            with transaction.atomic():
                taken.append(next_number(2031))
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


def test_drafts_and_cancelled_tasks_are_not_inspected(world):
    tasks = set(world.inspection.findings.values_list("task_id", flat=True))
    assert world.tasks["draft"].pk not in tasks and world.tasks["cancelled"].pk not in tasks
    assert Task.objects.filter(pk__in=tasks).count() == 5


def test_new_rules_name_again_whom_they_propose(world):
    from supervision.services import bulletin_rules_apply

    supervisor = world.user("supervisor")
    bulletin = bulletin_draft(inspection=world.inspection, by=supervisor)
    bulletin_update(bulletin=bulletin, by=supervisor, commended=[world.departments["caizheng"]], criticised=[])

    def named(**rule):
        bulletin_rules_apply(bulletin=bulletin, by=supervisor, **rule)
        return {(v.department_id, v.verdict) for v in bulletin.verdicts.all()}

    d = world.departments
    assert named(commend_min_tasks=2, criticise_overdue_days=60) == {(d["bianwei"].pk, "commend")}
    assert named(commend_min_tasks=3, criticise_overdue_days=44) == {(d["fagaiwei"].pk, "criticise")}
    with pytest.raises(ValidationError):
        bulletin_rules_apply(bulletin=bulletin, by=supervisor, commend_min_tasks=0, criticise_overdue_days=-1)
    bulletin.refresh_from_db()
    assert (bulletin.commend_min_tasks, bulletin.criticise_overdue_days) == (3, 44)
