"""What may be offered as a new unit: judged by the form of the name alone, no database."""

import pytest

from importer.names import likely_department, unit_name_problem


@pytest.mark.parametrize(
    "name",
    [
        "区审管办",
        "区大数据局",
        "区发展和改革委员会",
        "区行政服务中心",
        "区人民政府办公室（区外事办）",
        "市城市化推进办公室",
        "区纪委监委",
        "区妇联",
        "梅溪街道办事处",
        "區發改委",
        "区12345政务服务热线中心",  # digits alone do not make a date
        "中国(上海)自由贸易试验区管理委员会",  # 自由, not 由
        "区委组织部",
    ],
)
def test_names_of_bodies_pass(name):
    assert unit_name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("区配合单位：区财政局", "分工用语"),
        ("牵头单位", "分工用语"),
        ("区住建局负责", "分工用语"),
        ("市银保监会等国务院相关部门及各地区按职责分工", "分工用语"),
        ("专项发展资金管理办法由市财政局", "叙述用语"),
        ("奉贤区和临港地区管委会制定", "叙述用语"),
        ("由相应的管养单位", "叙述用语"),
        ("区2027年6月底前完成", "日期"),
        ("2027年3月31日", "日期"),
        ("年底前", "日期"),
        ("3个月内", "日期"),
        ("10个工作日", "日期"),
        ("分管副市长", "职务"),
        ("市长", "职务"),
        ("区委书记", "职务"),
        ("市委办公室主任", "职务"),
        ("胡某某", "人名"),
        ("各街镇", "泛指"),
        ("区直各部门", "泛指"),
        ("区财政局、区审计局", "标点"),
        ("区财政", "结尾"),
        ("县级市", "结尾"),
        ("区", "过短"),
        ("区" + "很长" * 30 + "局", "过长"),
    ],
)
def test_labels_dates_posts_and_fragments_are_refused_with_a_reason(name, reason):
    assert reason in unit_name_problem(name)


def test_a_short_form_may_name_a_registered_unit_but_not_a_new_one():
    assert unit_name_problem("区发改") is not None
    assert unit_name_problem("区发改", short_form_ok=True) is None
    assert unit_name_problem("分管副市长", short_form_ok=True) is not None


FULL_NAMES = ["区发展和改革委员会", "区财政局", "区人力资源和社会保障局", "区行政审批管理办公室", "市财政局"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("区发改局", "区发展和改革委员会"),
        ("区人社局", "区人力资源和社会保障局"),
        ("区审管办", "区行政审批管理办公室"),
        ("县财政局", None),  # no 县 department: never another level's
        ("区大数据局", None),
        ("财政局", None),  # no level: 区 or 市, it cannot say
    ],
)
def test_a_short_form_suggests_the_one_department_it_abbreviates(name, expected):
    assert likely_department(name, FULL_NAMES) == expected
