"""A scheme's changes, its closing (关账) and reopening are on record with who, when,
before and after."""

import pytest
from django.contrib.auth import get_user_model

from assessment.services import period_close, period_reopen, scheme_save
from tasks.services.history import changes_of

pytestmark = pytest.mark.django_db


def test_a_schemes_edits_closing_and_reopening_are_on_record(demo_users, dept):
    office = get_user_model().objects.get(username="office")
    scheme = scheme_save(scheme=None, data={"year": 2026, "title": "2026年度考核"}, classes="", by=office)
    scheme_save(
        scheme=scheme,
        data={"title": "2026年度改革任务考核", "late_report_points": 2},
        classes="政府线：区发改委",
        by=office,
    )
    scheme_save(scheme=scheme, data={"title": "2026年度改革任务考核"}, classes="政府线：区发改委", by=office)
    period_close(scheme=scheme, by=office)
    period_reopen(scheme=scheme, by=office, reason="区发改委申请复核")

    records = list(changes_of(scheme))
    assert [r.action for r in records] == ["新建考核方案", "修改考核方案", "关账", "重新开启"]
    assert all(r.actor == office for r in records)
    edit = records[1].changes
    assert edit["名称"] == ["2026年度考核", "2026年度改革任务考核"]
    assert edit["单位分类"] == ["—", f"政府线：{dept('区发改委').short_name}"]
    assert records[3].summary == "区发改委申请复核"
    assert records[3].changes == {"考核期": ["已关账", "重新开启"]}
