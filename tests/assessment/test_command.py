"""`manage.py score_departments`: the ranking as text, and as JSON whose sums check."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tasks.choices import TaskStatus

from . import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    plan = b.plan(2026)
    lead, partner = b.department("甲局"), b.department("乙局")
    b.task(
        plan, lead=lead, cooperating=[partner], weight="15", status=TaskStatus.COMPLETED, completed_on=date(2026, 5, 1)
    )
    b.task(plan, lead=partner, weight="10", deadline=date(2026, 1, 31))  # 48 weeks late: −5, capped
    return lead, partner


def run(*args) -> str:
    out = io.StringIO()
    call_command("score_departments", *args, stdout=out)
    return out.getvalue()


def test_the_ranking_as_text_by_the_default_rules(year):
    text = run("--year", "2026", "--as-of", "2026-12-31")
    assert "2026年度考核（默认规则）" in text
    first, second = [line for line in text.splitlines() if "局（" in line]
    # 甲局 15 of 15 → 100; 乙局 3 − 5 = −2 of 13 → −15.38.
    assert first.split()[:5] == ["1", "1", "100.00", "15.00", "15.00"] and "甲局" in first
    assert second.split()[:5] == ["2", "2", "-15.38", "-2.00", "13.00"] and "乙局" in second


def test_json_totals_are_the_sums_of_their_lines(year):
    data = json.loads(run("--year", "2026", "--as-of", "2026-12-31", "--json"))
    assert [d["department"] for d in data] == ["甲局", "乙局"]
    for department in data:
        assert Decimal(department["total"]) == sum(Decimal(line["points"]) for line in department["lines"])
    assert [(line["rule"], line["points"]) for line in data[1]["lines"]] == [
        ("on_time", "3.00"),
        ("overdue", "0.00"),
        ("late", "-5.00"),
    ]


def test_a_saved_scheme_and_its_snapshot_are_used(year):
    from django.contrib.auth import get_user_model

    from assessment.services import period_close

    scheme = b.scheme(title="2026年度改革任务考核", cooperating_share_percent=Decimal("50"))
    office = get_user_model().objects.create(username="office-cmd", is_superuser=True)
    period_close(scheme=scheme, by=office, as_of=date(2026, 12, 31))
    b.task(b.plan(2026), lead=year[0], weight="20", deadline=date(2026, 2, 1))  # after closing: ignored
    data = json.loads(run("--year", "2026", "--json"))
    assert {d["department"]: d["total"] for d in data} == {"甲局": "15.00", "乙局": "2.50"}  # 7.5 − 5
    assert "（已关账）" in run("--year", "2026")


def test_a_plan_without_a_scheme_is_an_error(year):
    with pytest.raises(CommandError, match="没有2026年度的考核方案"):
        run("--year", "2026", "--plan", "999")
