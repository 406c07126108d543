"""The scheme refuses nonsense with a message that says what is wrong, and saves nothing."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessment.forms import SchemeForm
from assessment.models import DepartmentClass, Scheme
from assessment.services import SCHEME_FIELDS, scheme_save

pytestmark = pytest.mark.django_db


def form_data(**changes) -> dict:
    scheme = Scheme(year=2026, title="2026年度考核")
    data = {name: getattr(scheme, name) for name in SCHEME_FIELDS if name != "plan"}
    return data | {"plan": "", "classes": ""} | changes


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("default_weight", "-5", "不能为负数"),
        ("late_report_points", "-0.5", "不能为负数"),
        ("criticise_deduction", "-3", "不能为负数"),
        ("cooperating_share_percent", "120", "不能超过100%"),
        ("late_cap_percent", "150", "不能超过100%"),
        ("default_weight", "十", "输入一个数字"),
    ],
)
def test_the_form_names_the_field_and_the_fault(field, value, message):
    form = SchemeForm(form_data(**{field: value}))
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors


def test_the_database_refuses_what_the_form_would_have(demo_users):
    office = get_user_model().objects.get(username="office")
    for field, value, message in (
        ("default_weight", Decimal("-1"), "分值、加分和扣分都不能为负数（扣分填正数）。"),
        ("cooperating_share_percent", Decimal("101"), "配合单位计分比例须在0%到100%之间。"),
    ):
        with pytest.raises(ValidationError) as error:
            scheme_save(scheme=None, data=form_data(**{field: value}) | {"plan": None}, classes="", by=office)
        assert error.value.messages == [message]
    assert not Scheme.objects.exists()


def test_classes_with_unknown_or_repeated_departments_are_refused_and_nothing_is_saved(client, login, dept):
    office = login("office")
    data = form_data(
        title="一个好名字", classes="政府线：区发改委、区财政局\n党群线：区发改委、区不存在局\n没有冒号的一行"
    )
    response = office.post(reverse("assessment:scheme_new"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "没有名为“区不存在局”的部门" in html
    assert "一个部门只能属于一个类别" in html
    assert "第3行应写作“类别名称：部门、部门”" in html
    assert not Scheme.objects.exists() and not DepartmentClass.objects.exists()


def test_a_bad_edit_leaves_the_scheme_as_it_was(client, login, dept):
    office = login("office")
    office.post(reverse("assessment:scheme_new"), form_data(classes="政府线：区发改委"))
    scheme = Scheme.objects.get()
    response = office.post(
        reverse("assessment:scheme_edit", args=[scheme.pk]),
        form_data(default_weight="12", classes="政府线：区发改委\n党群线：区乌有局"),
    )
    assert response.status_code == 200
    scheme.refresh_from_db()
    assert scheme.default_weight == Decimal("10.00")
    assert [c.name for c in scheme.classes.all()] == ["政府线"]


def test_two_schemes_for_one_year_are_refused(client, login):
    office = login("office")
    office.post(reverse("assessment:scheme_new"), form_data())
    response = office.post(reverse("assessment:scheme_new"), form_data(title="另一个"))
    assert "该年度已有考核方案" in response.content.decode()
    assert Scheme.objects.count() == 1


def test_staff_cannot_save_a_scheme_even_through_the_service(demo_users):
    staff = get_user_model().objects.get(username="staff")
    with pytest.raises(PermissionDenied):
        scheme_save(scheme=None, data=form_data() | {"plan": None}, classes="", by=staff)


def test_a_plan_of_another_year_is_refused(db):
    from tests.factories import PlanFactory

    plan = PlanFactory(year=2015)
    form = SchemeForm(form_data(plan=plan.pk))
    assert not form.is_valid()
    assert form.errors["plan"] == ["所选方案是2015年度的，与考核年度2026年不符。"]
