"""The parser on the layouts real plans use, each with an example written for this test."""

import contextlib
import time
from datetime import date

import pytest

from importer.names import Registry
from importer.parser import parse_plan
from importer.responsibility import read_clause
from importer.units import is_leader, looks_like_unit, split_units

REGISTRY = Registry([("县财政局", "县财政局"), ("县发改局", "县发展和改革局")])


def parse(text, **kwargs):
    return parse_plan(text, registry=REGISTRY, **kwargs)


def raws(departments):
    return [d.raw for d in departments]


def only_task(plan):
    tasks = [t for t in plan.tasks if t.kind == "task"]
    assert len(tasks) == 1, [t.title for t in tasks]
    return tasks[0]


@pytest.mark.parametrize(
    "clause",
    [
        "（牵头单位：县数据局；配合单位：县档案馆、县财政局。完成时限：2026年9月底前）",
        "(牵头单位:县数据局;配合单位:县档案馆、县财政局;完成时限:2026年9月底前)",
        "〔牵头单位：县数据局，配合单位：县档案馆、县财政局，2026年9月底前完成〕",
        "（县数据局牵头，县档案馆、县财政局配合，2026年9月底前完成）",
        "（由县数据局牵头，县档案馆和县财政局等部门配合。2026年9月底前完成）",
    ],
)
def test_a_clause_after_the_item_in_any_bracket_and_with_any_separator(clause):
    task = only_task(parse("一、推进档案数字化\n1.建成电子档案系统。" + clause + "\n", year=2026))
    assert raws(task.lead) == ["县数据局"]
    assert raws(task.cooperating) == ["县档案馆", "县财政局"]
    assert task.deadline.deadline == date(2026, 9, 30)


def test_a_clause_never_proposes_a_label_or_a_date_as_a_unit():
    task = only_task(parse("1.整合审批窗口。牵头单位：县审管办，配合单位：县财政局，2026年6月底前完成\n", year=2026))
    names = raws(task.lead) + raws(task.cooperating)
    assert names == ["县审管办", "县财政局"]
    assert task.deadline.deadline == date(2026, 6, 30)


def test_labelled_lines_under_the_item_with_a_leader_who_is_not_a_unit():
    plan = parse(
        "一、主要预期目标\n"
        "1.城镇新增就业1.2万人。\n"
        "分管县领导:周某某\n"
        "部门分工:县人社局牵头,各乡镇、县直各部门配合。\n"
        "2.粮食产量稳定在20万吨。\n"
        "牵头领导:副县长,责任单位:县农业农村局、县统计局。\n",
        year=2026,
    )
    first, second = [t for t in plan.tasks if t.kind == "task"]
    assert raws(first.lead) == ["县人社局"] and raws(first.cooperating) == ["各乡镇", "县直各部门"]
    assert first.as_json()["lead_leader"] == "周某某"
    # 责任单位 with no 牵头单位: all of them answer.
    assert raws(second.lead) == ["县农业农村局", "县统计局"] and not second.cooperating
    assert second.as_json()["lead_leader"] == "副县长"


def test_a_star_marks_the_lead_in_a_responsibility_cell():
    found = read_clause("责任单位:★区住建局、城管局")
    assert found.leads == ("区住建局",) and found.cooperating == ("区城管局",)


def test_the_documents_first_listed_rule():
    plan = parse(
        "一、重点任务\n"
        "1.完善口岸收费目录。（商务厅、财政厅、市场监管局负责，排在第一位的部门为牵头部门，下同）\n"
        "2.推广电子单证。（财政厅、商务厅负责）\n"
    )
    first, second = [t for t in plan.tasks if t.kind == "task"]
    assert raws(first.lead) == ["商务厅"] and raws(first.cooperating) == ["财政厅", "市场监管局"]
    assert raws(second.lead) == ["财政厅"] and raws(second.cooperating) == ["商务厅"]


def test_without_the_rule_units_that_answer_together_are_joint_leads():
    task = only_task(parse("一、重点任务\n1.清理收费项目。（县发改局、县财政局负责）\n"))
    assert raws(task.lead) == ["县发改局", "县财政局"] and task.lead_mode == "joint"


def test_a_run_of_unit_duty_lines_under_a_guidance_chapter_are_tasks():
    plan = parse(
        "一、工作任务\n"
        "（一）全面排查。各村居于2026年5月10日前完成排查。\n"
        "二、保障措施\n"
        "（一）加强组织领导\n"
        "成立工作专班，统筹推进各项工作。\n"
        "（二）明确职责分工\n"
        "各成员单位按照分工抓好落实：\n"
        "建管所负责自建房的排查整治；\n"
        "经发办负责厂房仓库的排查整治；\n"
        "社事办负责学校和幼儿园的排查；\n"
        "城运中心结合网格巡查，协同做好信息报送；\n"
        "（三）强化宣传引导\n"
        "各村居要广泛宣传。\n",
        year=2026,
    )
    duties = {t.title[:3]: raws(t.lead) for t in plan.tasks if t.kind == "task" and not t.number}
    assert duties == {"建管所": ["建管所"], "经发办": ["经发办"], "社事办": ["社事办"], "城运中": ["城运中心"]}
    first = next(t for t in plan.tasks if t.title.startswith("全面排查"))
    assert raws(first.lead) == ["各村居"] and first.deadline.deadline == date(2026, 5, 10)
    assert not any(t.title.startswith(("加强组织领导", "强化宣传引导")) for t in plan.tasks)


def test_a_guidance_chapter_item_with_its_own_clause_is_kept():
    plan = parse(
        "一、重点任务\n1.建设口袋公园。（责任单位：县林业局）\n"
        "二、保障措施\n（一）强化资金保障。落实专项资金。（责任单位：县财政局、各乡镇）\n"
    )
    kept = next(t for t in plan.tasks if t.title.startswith("强化资金保障"))
    assert raws(kept.lead) == ["县财政局", "各乡镇"]


def test_a_heading_paragraph_date_is_not_given_to_its_items():
    plan = parse(
        "一、集中整治\n（一）限期整改\n各村居于2026年11月30日前完成整改。\n"
        "1.委托鉴定。镇政府将委托专业机构开展鉴定。\n2.建立台账。建立整改台账。\n",
        year=2026,
    )
    items = [t for t in plan.tasks if t.title.startswith(("委托鉴定", "建立台账"))]
    assert [t.deadline for t in items] == [None, None]
    assert raws(items[0].lead) == ["镇政府"]


@pytest.mark.parametrize(
    ("written", "names"),
    [
        ("区发改委会同", None),
        ("区发改委、财政局、市场监管局", ["区发改委", "区财政局", "区市场监管局"]),
        ("市场监管总局、海关总署", ["市场监管总局", "海关总署"]),
        ("县交通局、公安局和县住建局等有关部门", ["县交通局", "县公安局", "县住建局"]),
        ("文化和旅游局、人力资源和社会保障局", ["文化和旅游局", "人力资源和社会保障局"]),
        ("区民政局、各街镇", ["区民政局", "各街镇"]),
        ("宣传部等区直各有关部门", ["宣传部"]),
        ("各乡（镇、街道）人民政府、县政府", ["各乡（镇、街道）人民政府", "县政府"]),
    ],
)
def test_unit_lists_split_by_form(written, names):
    if names is None:
        return
    assert split_units(written)[0] == names


def test_posts_and_people_are_leaders_not_units():
    for leader in ("分管副市长", "市长", "王 东", "常务副县长"):
        assert is_leader(leader) and not looks_like_unit(leader)
    # A bare name is a person only where one is expected (a leader column or label).
    assert is_leader("林某某", person=True) and not is_leader("林某某")
    assert not is_leader("区计生", person=True)  # a unit's name with its ending dropped
    for unit in ("县发改局", "各街镇", "区住房保障房屋管理局", "临港地区管委会", "区直各部门"):
        assert looks_like_unit(unit) and not is_leader(unit)
    for fragment in ("区配合单位：区财政局", "区2027年6月底前完成", "要推行首问首办"):
        assert not looks_like_unit(fragment)


def test_long_hostile_lines_parse_quickly():
    hostile = [
        "1." + "县财政局、" * 20000 + "负责\n",
        "1.（" * 5000 + "牵头单位：" * 3000 + "\n",
        "一、" + "由" * 30000 + "牵头，配合\n",
        "（一）" + "X负责；" * 20000 + "\n",
    ]
    for text in hostile:
        # CPU time, not the wall clock: on a loaded machine the wall clock counts the
        # neighbours too, while a backtracking regex would still cost seconds of CPU here.
        start = time.process_time()
        with contextlib.suppress(ValueError):
            parse(text)
        assert time.process_time() - start < 2.0


def test_a_post_in_prose_is_the_leader_not_a_unit():
    task = only_task(parse("一、重点任务\n1.推进老旧管网改造。由分管副县长牵头，县住建局、县水利局配合。\n"))
    assert not task.lead or all("县长" not in d.raw for d in task.lead)
    assert task.as_json()["lead_leader"] == "分管副县长"
    assert raws(task.cooperating) == ["县住建局", "县水利局"]


def test_a_flattened_table_with_a_split_header_and_a_leader_column():
    plan = parse(
        "某县人民政府关于印发2026年重点工作责任分工的通知\n"
        "某县人民政府\n2026年2月10日\n"
        "2026年重点工作责任分工\n"
        "序号\n重点工作\n县政府\n分管领导\n牵头单位\n配合单位\n备注\n"
        "推动产业升级。\n"
        "1\n建成数字经济产业园一期并投入运营。\n李 明\n县工信局\n县发改局、县财政局\n"
        "2\n新增规上工业企业20家以上。\n李 明\n县工信局\n各乡镇\n",
        year=2026,
    )
    first, second = [t for t in plan.tasks if t.kind == "task"]
    assert first.title.startswith("建成数字经济产业园") and raws(first.lead) == ["县工信局"]
    assert raws(first.cooperating) == ["县发改局", "县财政局"]
    assert first.as_json()["lead_leader"] == "李 明"
    assert raws(second.cooperating) == ["各乡镇"]
    assert not any(t.title.startswith("推动产业升级") for t in plan.tasks)  # a group row, not a task


def test_a_table_with_separator_lines_stars_and_cells_broken_over_lines():
    plan = parse(
        "序号\n|\n重点内容\n|\n责任单位\n|\n"
        "1\n|\n1.完成老旧小区改造12个，惠及居民3000户以上。\n|\n★区住建局、\n城管局\n|\n"
        "2.新建公共停车泊位800个以上。\n|\n|\n★区交通局、区公安分局\n|\n",
        year=2026,
    )
    first, second = [t for t in plan.tasks if t.kind == "task"]
    assert raws(first.lead) == ["区住建局"] and raws(first.cooperating) == ["区城管局"]
    assert raws(second.lead) == ["区交通局"] and raws(second.cooperating) == ["区公安分局"]


def test_recurring_and_relative_deadlines_count_from_the_documents_date():
    plan = parse(
        "关于做好2026年民生实事督办工作的通知\n"
        "一、按时报送进展。从2026年第三季度起，各牵头单位要在每个季度第1个月10日前报送进展情况。\n"
        "二、建立工作台账。各责任单位于本通知印发之日起10个工作日内报送工作台账。\n"
        "三、长期坚持问题整改。各责任单位要持续推进问题整改。\n"
        "某县人民政府办公室\n2026年3月6日\n"
    )
    assert plan.issued == date(2026, 3, 6) and plan.issuer == "某县人民政府办公室"
    first, second, third = [t for t in plan.tasks if t.kind == "task"]
    assert first.deadline.deadline == date(2026, 7, 10)
    assert first.as_json()["recurrence"] == "每个季度第1个月10日前"
    assert raws(first.lead) == ["各牵头单位"]
    assert second.deadline.deadline == date(2026, 3, 20)  # ten working days, Monday to Friday
    assert third.deadline is None and third.as_json()["ongoing"]
    # The signature date is the document's, never a task's.
    assert all(t.deadline is None or t.deadline.deadline != date(2026, 3, 6) for t in plan.tasks)


def test_the_date_at_the_foot_in_chinese_numerals_and_a_title_over_two_lines():
    plan = parse(
        "某市人民政府关于加快发展\n现代物流业的实施意见\n"
        "一、建设物流枢纽。（市发改委负责，6月底前完成）\n"
        "某市人民政府\n二○二六年一月九日\n"
    )
    assert plan.title == "某市人民政府关于加快发展现代物流业的实施意见"
    assert plan.issued == date(2026, 1, 9) and plan.year == 2026
    task = only_task(plan)
    assert task.deadline.deadline == date(2026, 6, 30)


def test_a_bulletin_sentence_listing_units_with_their_items():
    plan = parse(
        "一、总体情况\n常务会议确定事项共12件，截至5月10日已办结7件。\n"
        "二、工作要求\n其中，由县住建局负责的第2件、县水利局负责的第5件、县交通局负责的第9件进展滞后，"
        "请以上单位加快推进。\n",
        year=2026,
    )
    leads = [raws(t.lead) for t in plan.tasks if t.kind == "task"]
    assert leads == [["县住建局"], ["县水利局"], ["县交通局"]]


def test_review_marks_for_rows_to_check():
    plan = parse("一、重点任务\n1.完善应急预案。\n2.开展应急演练。（县应急局负责，9月底前完成）\n", year=2026)
    first, second = [t for t in plan.tasks if t.kind == "task"]
    assert "无牵头单位" in first.warnings and "无完成时限" in first.warnings
    assert "无牵头单位" not in second.warnings and "无完成时限" not in second.warnings


def test_a_table_whose_unit_columns_come_first_and_whose_tasks_are_short():
    plan = parse(
        "序号\n牵头单位\n配合单位\n工作任务\n完成时限\n"
        "1\n县商务局\n县财政局\n建设县级物流配送中心，完善农村寄递网络。\n2026年9月\n"
        "2\n县文旅局\n各乡镇\n打造全域旅游示范区\n年底前\n",
        year=2026,
    )
    first, second = [t for t in plan.tasks if t.kind == "task"]
    assert raws(first.lead) == ["县商务局"] and raws(first.cooperating) == ["县财政局"]
    assert first.deadline.deadline == date(2026, 9, 30)
    assert second.deadline.deadline == date(2026, 12, 31)


def test_a_table_with_a_category_column_and_a_short_task():
    plan = parse(
        "序号\n类别\n重点任务\n责任单位\n"
        "1\n民生\n新建幼儿园3所\n县教育局\n"
        "2\n生态\n完成河道清淤50公里\n县水利局、各乡镇\n",
        year=2026,
    )
    tasks = [t for t in plan.tasks if t.kind == "task"]
    assert [t.title for t in tasks] == ["新建幼儿园3所", "完成河道清淤50公里"]
    assert [raws(t.lead) for t in tasks] == [["县教育局"], ["县水利局", "各乡镇"]]


def test_a_table_with_a_project_name_beside_its_content_takes_the_name_as_title():
    plan = parse(
        "序号\n项目名称\n建设内容\n责任单位\n完成时间\n"
        "1\n城区老旧小区改造\n完成12个老旧小区雨污分流和外立面改造\n县住房城乡建设局\n2026年10月\n"
        "2\n农村饮水安全巩固提升\n新建改造供水管网80公里，惠及群众3万人。\n县水利局\n2026年11月底\n",
        year=2026,
    )
    tasks = [t for t in plan.tasks if t.kind == "task"]
    assert [t.title for t in tasks] == ["城区老旧小区改造", "农村饮水安全巩固提升"]
    assert "新建改造供水管网80公里" in tasks[1].text
    assert [raws(t.lead) for t in tasks] == [["县住房城乡建设局"], ["县水利局"]]
    assert [t.deadline.deadline for t in tasks] == [date(2026, 10, 31), date(2026, 11, 30)]


def test_the_text_after_a_table_is_read_as_an_outline_again():
    plan = parse(
        "一、重点任务\n"
        "序号\n工作任务\n牵头单位\n"
        "1\n建成区域医疗中心，提升县级医院服务能力。\n县卫健局\n"
        "二、保障措施\n"
        "三、督促落实\n"
        "（一）加强调度。县政府督查室每月通报进展。（责任单位：县政府督查室）\n",
        year=2026,
    )
    titles = {t.title: raws(t.lead) for t in plan.tasks if t.kind == "task"}
    assert titles["建成区域医疗中心，提升县级医院服务能力"] == ["县卫健局"]
    assert titles["加强调度"] == ["县政府督查室"]


def test_validity_periods_status_and_meeting_dates_are_not_deadlines():
    plan = parse(
        "一、重点任务\n"
        "1.落实惠企政策。本办法有效期至2027年12月31日。截至5月10日已兑现资金2000万元。（县财政局负责）\n"
        "2.召开推进会议。2026年3月15日召开全县推进会。（县发改局负责）\n"
        "3.完成项目验收。各乡镇自行组织验收，于6月底前完成。（县农业农村局负责）\n",
        year=2026,
    )
    first, second, third = [t for t in plan.tasks if t.kind == "task"]
    assert first.deadline is None and second.deadline is None
    assert third.deadline.deadline == date(2026, 6, 30)


def test_a_unit_as_the_heading_answers_for_its_items():
    plan = parse(
        "一、各部门重点工作\n（一）县住建局\n1.完成棚户区改造300户。\n2.新建保障性住房200套。\n"
        "（二）县交通局\n1.建成农村公路50公里。（县交通局、县财政局负责）\n",
        year=2026,
    )
    items = {t.title: (raws(t.lead), raws(t.cooperating)) for t in plan.tasks if t.kind == "task" and t.level == 3}
    assert items["完成棚户区改造300户"] == (["县住建局"], [])
    assert items["新建保障性住房200套"] == (["县住建局"], [])
    assert items["建成农村公路50公里"] == (["县交通局", "县财政局"], [])


def cpu_seconds(text: str) -> float:
    """The parser's own CPU time, the best of three: on a loaded machine the wall clock
    measures the neighbours as well."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        with contextlib.suppress(ValueError):
            parse(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize(
    "layout",
    [
        lambda n: "一、任务\n" + "县财政局负责资金保障；\n" * n,
        lambda n: "一、任务\n1." + "每月2日前、" * n + "\n",
        lambda n: "序号\n重点工作\n牵头单位\n" + "1\n" * (2 * n) + "县财政局、\n" * n,
        lambda n: "一、任务\n1." + "各居村、" * (2 * n) + "于6月底前完成。\n",
    ],
    ids=["duty-lines", "recurring-dates", "table-noise", "long-subject"],
)
def test_many_repeated_layout_pieces_parse_in_linear_time(layout):
    # Four times the pieces cost about four times the time (a quadratic step would cost
    # sixteen); the threshold leaves room for the noise of small measurements.
    small, large = cpu_seconds(layout(1250)), cpu_seconds(layout(5000))
    assert large < 8 * max(small, 0.01), (small, large)


def test_a_lead_marked_after_its_name_in_a_list():
    found = read_clause("责任单位：市交通局（牵头）、市公安局、各区政府")
    assert found.leads == ("市交通局",) and found.cooperating == ("市公安局", "各区政府")


def test_the_first_listed_rule_written_another_way():
    plan = parse("一、重点任务（列在首位的部门为牵头部门）\n1.推进口岸通关便利。（海关、商务局、交通局负责）\n")
    task = next(t for t in plan.tasks if t.title.startswith("推进口岸"))
    assert raws(task.lead) == ["海关"] and raws(task.cooperating) == ["商务局", "交通局"]


def test_cue_words_in_running_text_and_the_unit_a_sentence_opens_with():
    plan = parse(
        "一、深化一网通办。县政务服务局牵头，县大数据局、县公安局配合，2026年9月30日前实现高频事项全程网办。\n"
        "二、开展隐患排查。各乡镇要在3月31日前完成隐患排查，县应急管理局负责督导检查。\n"
        "三、强化宣传教育。请县委宣传部牵头，县教育局、各乡镇配合，组织开展安全生产月活动。\n",
        year=2026,
    )
    first, second, third = [t for t in plan.tasks if t.kind == "task"]
    assert raws(first.lead) == ["县政务服务局"] and raws(first.cooperating) == ["县大数据局", "县公安局"]
    assert first.deadline.deadline == date(2026, 9, 30)
    assert raws(second.lead) == ["各乡镇"] and raws(second.cooperating) == ["县应急管理局"]
    assert raws(third.lead) == ["县委宣传部"] and raws(third.cooperating) == ["县教育局", "各乡镇"]


def test_a_star_after_the_name_and_units_that_carry_it_out():
    found = read_clause("责任单位：区住建局★、区规划分局")
    assert found.leads == ("区住建局",) and found.cooperating == ("区规划分局",)
    found = read_clause("区民政局牵头，各街道落实，年底前完成")
    assert found.leads == ("区民政局",) and found.cooperating == ("各街道",)


def test_a_notice_whose_opening_paragraph_gives_the_work_and_whose_schedule_dates_it():
    plan = parse(
        "各乡镇人民政府，县直各部门：\n"
        "根据县政府工作安排，由县政府督查室牵头，会同县财政局、县审计局组成督查组，"
        "对2026年民生实事推进情况开展专项督查，现将有关事项通知如下：\n"
        "一、督查时间\n2026年4月8日全天\n"
        "二、督查安排\n（一）2026年4月8日上午9:00—11:30，召开座谈会听取汇报；\n（二）2026年4月8日下午14:30—17:30，实地察看项目现场。\n"
        "三、有关要求\n（一）各责任单位要认真开展自查。\n",
        year=2026,
    )
    work = plan.tasks[0]
    assert raws(work.lead) == ["县政府督查室"] and raws(work.cooperating) == ["县财政局", "县审计局"]
    assert work.deadline.deadline == date(2026, 4, 8)
    assert any(m.text.startswith("2026年4月8日上午9:00") for m in work.milestones)
    assert not any(t.title.startswith(("督查时间", "督查安排")) for t in plan.tasks)


def test_a_heading_naming_the_leader_answers_for_its_items():
    plan = parse(
        "一、主要目标\n（一）粮食产量稳定在20万吨。\n牵头单位:县农业农村局。\n"
        "二、周某某副县长负责主抓工作\n（一）推进乡村振兴示范村建设。\n牵头单位:县农业农村局,配合单位:各乡镇。\n",
        year=2026,
    )
    task = next(t for t in plan.tasks if t.title.startswith("推进乡村振兴"))
    assert task.as_json()["lead_leader"] == "周某某副县长" and raws(task.lead) == ["县农业农村局"]
