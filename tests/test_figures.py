"""One rounding rule for every figure the portal prints (tasks.figures)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from dashboard.selectors import Rollup
from tasks.figures import percent_text, rounded, share_percent
from tasks.models import Plan


def test_half_up_on_the_decimal_value():
    assert rounded(11.25) == Decimal("11.3")  # Python's f"{11.25:.1f}" gives 11.2
    assert rounded(Decimal("0.05")) == Decimal("0.1")
    assert rounded(Decimal("66.665"), 2) == Decimal("66.67")
    assert share_percent(1, 8) == Decimal("12.5") and share_percent(1, 0) is None
    assert percent_text(None) == "—" and percent_text(Decimal("45") / 4) == "11.3%"


@pytest.mark.parametrize(("weighted", "weights"), [("45", "4"), ("1", "8"), ("100", "3"), ("22.5", "2"), ("0", "1")])
def test_a_rollup_equals_its_own_formula(weighted, weights):
    rollup = Rollup(label="", weighted=Decimal(weighted), weights=Decimal(weights), tasks=1, completed=0, query="")
    assert rollup.formula.endswith(f"= {rollup.progress}%")
    assert rollup.formula.endswith(percent_text(Decimal(weighted) / Decimal(weights)))


@pytest.mark.django_db
def test_the_plans_page_and_the_public_page_print_the_same_rounding(login):
    plan = Plan.objects.get(slug="zhongzhan-2014")
    Plan.objects.filter(pk=plan.pk).update(is_public=True)
    page = login("office").get(reverse("dashboard:plans")).content.decode()
    public = Client().get(reverse("dashboard:public_plan", args=[plan.slug])).content.decode()
    # the public page says in words what it counts, not the internal formula
    assert "Σ" not in public and "审核" in public and "进度只计" in public
    # every formula on the office's page ends with the figure shown beside it
    import re

    for shown, result in re.findall(r"<td>([\d.]+%)</td><td class=\"formula\">[^<]*= ([\d.]+%)</td>", page):
        assert shown == result


@pytest.mark.django_db
def test_the_department_ranking_says_what_its_order_means(login):
    page = login("office").get(reverse("dashboard:departments")).content.decode()
    assert "按“逾期”从多到少排列" in page and "不是考核名次" in page
    page = login("office").get(reverse("dashboard:departments") + "?sort=led&dir=asc").content.decode()
    assert "按“牵头任务”从少到多排列" in page
