"""Every change a person makes in supervision is on record, with who, when, before and
after: a demand's report and the office's reply are overwritten on the demand each round,
but every round stays in its record and on the demand's page."""

from datetime import timedelta

import pytest

from departments.models import display_name
from supervision.selectors import history
from supervision.services import (
    bulletin_draft,
    bulletin_update,
    demand_close,
    demand_raise,
    demand_report,
    demand_return,
    finding_confirm,
)
from tasks.models import ChangeRecord
from tasks.services.plans import plan_publish

pytestmark = pytest.mark.django_db


def raised(world):
    return demand_raise(
        finding=world.inspection.findings.get(task=world.tasks["overdue"]),
        department=world.departments["fagaiwei"],
        requirement="制定整改方案",
        due_date=world.today + timedelta(days=10),
        by=world.user("supervisor"),
    )


def test_every_round_of_a_demand_stays_on_record_and_on_its_page(world, login):
    office, staff2 = world.user("office"), world.user("staff2")
    demand = raised(world)
    demand_report(demand=demand, text="第一轮：已召开专题会", by=staff2)
    demand_return(demand=demand, comment="缺少整改时间表", by=office)
    demand_report(demand=demand, text="第二轮：补充了时间表", by=staff2)
    demand_close(demand=demand, comment="同意销号", by=office)

    rounds = history(demand)
    assert [r.action for r in rounds] == ["提出整改要求", "报告整改情况", "退回整改", "报告整改情况", "销号"]
    assert [r.actor.username for r in rounds] == ["supervisor", "staff2", "office", "staff2", "office"]
    assert rounds[1].changes["整改情况"] == ["—", "第一轮：已召开专题会"]
    assert rounds[3].changes["整改情况"] == ["第一轮：已召开专题会", "第二轮：补充了时间表"]
    assert rounds[2].changes["审核意见"] == ["—", "缺少整改时间表"]
    assert rounds[2].changes["状态"] == ["已报告整改", "整改中"]
    assert rounds[4].changes["状态"] == ["已报告整改", "已销号"]
    assert rounds[4].changes["审核意见"] == ["缺少整改时间表", "同意销号"]

    page = login("staff2").get(f"/supervision/demands/{demand.pk}/").content.decode()
    for text in ("第一轮：已召开专题会", "缺少整改时间表", "第二轮：补充了时间表", "同意销号"):
        assert text in page
    rows = page[page.index('id="demand-history"') :]
    assert rows.index("第一轮") < rows.index("缺少整改时间表") < rows.index("第二轮") < rows.index("同意销号")
    # Who did each round, by 姓名: never a login name.
    reporter = world.user("staff2")
    assert f"<td>{display_name(reporter)}</td>" in rows and "<td>staff2</td>" not in rows


def test_a_refused_round_leaves_no_record(world):
    demand = raised(world)
    with pytest.raises(Exception, match="只有责任单位"):
        demand_report(demand=demand, text="不是本单位", by=world.user("staff"))
    assert [r.action for r in history(demand)] == ["提出整改要求"]


def test_a_findings_rating_and_a_bulletins_edits_are_on_record(world):
    supervisor = world.user("supervisor")
    finding = world.inspection.findings.get(task=world.tasks["behind"])
    finding_confirm(finding=finding, rating="behind", comment="节点滞后", by=supervisor)
    finding_confirm(finding=finding, rating="behind", comment="节点滞后", by=supervisor)  # no change, no record
    (record,) = history(finding)
    assert record.changes == {"督查评价": ["—", "进度滞后"], "督查意见": ["—", "节点滞后"]}

    bulletin = bulletin_draft(inspection=world.inspection, by=supervisor)
    old_title = bulletin.title
    bulletin_update(
        bulletin=bulletin, by=supervisor, commended=[world.departments["bianwei"]], criticised=[], title="新标题"
    )
    (edit,) = history(bulletin)
    assert edit.changes["标题"] == [old_title, "新标题"]
    assert edit.actor == supervisor


def test_switching_a_plans_public_page_is_on_record(world):
    plan_publish(plan=world.plan, public=True, by=world.user("office"))
    plan_publish(plan=world.plan, public=True, by=world.user("office"))  # already public: nothing
    plan_publish(plan=world.plan, public=False, by=world.user("office"))
    records = list(ChangeRecord.objects.filter(object_id=world.plan.pk, object_type__model="plan"))
    assert [(r.action, list(r.changes.values())[0]) for r in records] == [
        ("公开进展", ["不公开", "公开"]),
        ("停止公开", ["公开", "不公开"]),
    ]
