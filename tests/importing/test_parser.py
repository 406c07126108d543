"""The parser on documents written for these tests, in forms the seeds do not use."""

from datetime import date

import pytest

from importer.names import Registry
from importer.parser import NoTasksFound, parse_plan

REGISTRY = Registry(
    [
        ("县财政局", "县财政局"),
        ("县审计局", "县审计局"),
        ("县税务局", "县税务局"),
        ("县发展和改革局", "县发展和改革局"),
        ("县发改局", "县发展和改革局"),
        ("县教育局", "县教育局"),
        ("县卫生健康局", "县卫生健康局"),
        ("县卫健局", "县卫生健康局"),
        ("县政务服务中心", "县政务服务中心"),
    ]
)


def parse(text, **kwargs):
    return parse_plan(text, registry=REGISTRY, **kwargs)


def by_number(plan, number):
    (task,) = [t for t in plan.tasks if t.number == number]
    return task


def test_labelled_responsibility_and_circled_numbers():
    plan = parse(
        "某县2024年优化营商环境工作要点\n"
        "一、深化审批改革\n"
        "①推行告知承诺制。牵头单位：县政务服务中心；配合单位：县财政局、税务局\n"
        "②压缩审批时限。牵头单位：县发改局；责任单位：县审计局、有关部门\n"
    )
    first, second = by_number(plan, "①"), by_number(plan, "②")
    assert [d.name for d in first.lead] == ["县政务服务中心"]
    assert [d.raw for d in first.cooperating] == ["县财政局", "县税务局"]  # 县 carried over
    assert [d.name for d in first.cooperating] == ["县财政局", "县税务局"]
    assert [d.name for d in second.cooperating] == ["县审计局"] and second.open_set
    assert plan.year == 2024 and plan.title == "某县2024年优化营商环境工作要点"


def test_joint_leads_and_led_by_forms_with_full_width_punctuation():
    plan = parse(
        "（一）建设教育信息平台。由县教育局、县卫健局共同牵头，县财政局等部门密切配合，2024年6月底前完成。\n"
        "（二）完善绩效评价。县财政局、县审计局共同牵头。\n"
    )
    first, second = by_number(plan, "（一）"), by_number(plan, "（二）")
    assert [d.name for d in first.lead] == ["县教育局", "县卫生健康局"] and first.lead_mode == "joint"
    assert [d.name for d in first.cooperating] == ["县财政局"] and first.open_set
    assert first.deadline.deadline == date(2024, 6, 30)
    assert [d.name for d in second.lead] == ["县财政局", "县审计局"]


def test_unknown_departments_are_proposed_not_invented():
    plan = parse("一、推进数据共享。(县大数据中心会同县财政局负责。年底前完成)\n", year=2025)
    task = by_number(plan, "一、")
    assert task.lead[0].as_json() == {"raw": "县大数据中心", "name": None, "known": False}
    assert task.cooperating[0].known
    assert any("未在部门库中登记" in w for w in task.warnings)
    assert task.deadline.deadline == date(2025, 12, 31)


def test_heading_year_count_and_inherited_deadline():
    plan = parse(
        "一、2016年完成的任务（共3项）\n"
        "（一）出台实施办法。（县财政局负责。6月底前完成）\n"
        "（二）开展专项检查。（县审计局负责）\n"
        "二、绩效考评体系建设（4月底前完成）\n"
        "1.完善考核制度。\n"
        "2.强化结果运用。\n",
        year=2015,
    )
    heading = by_number(plan, "一、")
    assert heading.kind == "section"
    assert any("共3项" in w and "2项" in w for w in heading.warnings)
    assert by_number(plan, "（一）").deadline.deadline == date(2016, 6, 30)  # the heading's year, not the plan's
    children = [t for t in plan.tasks if t.parent and t.parent.number == "二、"]
    assert [t.deadline.deadline for t in children] == [date(2015, 4, 30)] * 2
    assert all(t.deadline_inherited for t in children)


def test_redacted_year_keeps_the_phrase_without_a_date():
    plan = parse("一、完成方案修订。(201*年6月底前基本完成)\n")
    task = by_number(plan, "一、")
    assert (task.deadline.text, task.deadline.deadline, task.deadline.precision) == ("201*年6月底前", None, "month")
    assert any("年份不明" in w for w in task.warnings)


@pytest.mark.parametrize(
    ("phrase", "deadline", "precision"),
    [
        ("今明两年", date(2025, 12, 31), "year"),
        ("长期坚持", None, "span"),
        ("三季度末前", date(2024, 9, 30), "month"),
        ("上半年", date(2024, 6, 30), "approximate"),
        ("2024年11月15日前", date(2024, 11, 15), "day"),
        ("10月中旬", date(2024, 10, 20), "approximate"),
    ],
)
def test_relatives_of_the_seed_phrases(phrase, deadline, precision):
    plan = parse(f"一、推进改革。(县财政局负责。{phrase})\n", year=2024)
    task = by_number(plan, "一、")
    assert (task.deadline.deadline, task.deadline.precision) == (deadline, precision)


def test_start_phrase_sets_a_start_not_a_deadline():
    plan = parse("1.实行一照一码。从2015年9月1日起,在全县全面实施。\n")
    task = by_number(plan, "1.")
    assert task.start == date(2015, 9, 1) and task.deadline is None


def test_several_dated_clauses_become_milestones():
    plan = parse("(1)加强指导。3月底前制定管理制度,6月底前完成试点工作,年底前出台指导意见。\n", year=2024)
    task = by_number(plan, "(1)")
    assert [(m.text, m.deadline.deadline) for m in task.milestones] == [
        ("3月底前制定管理制度", date(2024, 3, 31)),
        ("6月底前完成试点工作", date(2024, 6, 30)),
        ("年底前出台指导意见", date(2024, 12, 31)),
    ]
    assert task.deadline.deadline == date(2024, 12, 31)


def test_numbers_out_of_sequence_stay_text():
    plan = parse("一、提高审批效率\n承诺件平均办理时限压缩至5天以内。\n3.5天以下的事项即办。\n二、优化服务\n")
    assert [t.number for t in plan.tasks] == ["一、", "二、"]
    assert "3.5天以下" in plan.tasks[0].text


def test_guidance_chapters_are_skipped_with_a_warning():
    plan = parse("一、总体要求\n坚持问题导向。\n二、主要任务\n(一)推进改革。\n三、保障措施\n(一)加强组织领导。\n")
    assert [t.number for t in plan.tasks] == ["二、", "(一)"]
    assert len([w for w in plan.warnings if "已跳过" in w]) == 2


def test_traditional_text_with_injected_pinyin_is_read():
    plan = parse("一、推進審批改革。(區財(cái)政局負(fù)責。2024年12月底前完成)\n")
    task = by_number(plan, "一、")
    assert task.title == "推進審批改革"
    # raw is the name as printed, in the document's script; matching the registry is on simplified forms
    assert [d.raw for d in task.lead] == ["區財政局"]
    assert Registry([("区财政局", "区财政局")]).match(task.lead[0].raw) == "区财政局"
    assert task.deadline.deadline == date(2024, 12, 31)


def test_text_without_tasks_is_refused_clearly():
    with pytest.raises(NoTasksFound, match="没有识别出任何任务"):
        parse("这是一段没有任何编号的说明文字。\n请各单位认真落实。")
    with pytest.raises(NoTasksFound, match="没有文字内容"):
        parse("  \n\n ")


def test_json_shape():
    data = parse("一、推进改革\n(一)出台办法。(县财政局会同有关部门负责。2024年6月底前出台办法)\n").as_json()
    assert set(data) == {"plan", "tasks", "warnings"}
    assert set(data["plan"]) == {"title", "doc_number", "issuer", "year", "issued"}
    task = data["tasks"][1]
    keys = "ref parent level number title text lead cooperating open_set deadline start deadline_text precision"
    assert set(keys.split()) | {"category", "weight", "milestones", "warnings"} <= set(task)
    assert task["parent"] == data["tasks"][0]["ref"]
    assert task["deadline"] == "2024-06-30" and task["deadline_text"] == "2024年6月底前"
    assert task["lead"] == [{"raw": "县财政局", "name": "县财政局", "known": True}] and task["open_set"]


def test_a_redacted_year_takes_the_plan_year_it_fits_with_a_warning():
    plan = parse("一、完成方案修订。(201*年6月底前基本完成)\n", year=2012)
    task = by_number(plan, "一、")
    assert task.deadline.deadline == date(2012, 6, 30)
    assert any("按方案年度推定为2012年" in w for w in task.warnings)
    assert by_number(parse("一、完成方案修订。(201*年6月底前基本完成)\n", year=2008), "一、").deadline.deadline is None
