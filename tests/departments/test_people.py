"""The office manages its people and departments in the portal: services, pages, refusals."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from departments.choices import Role
from departments.models import Department, DepartmentAlias, Membership, RegistryEvent
from departments.services import (
    account_change,
    account_create,
    account_password_reset,
    account_set_active,
    department_merge,
    department_set_active,
    department_upsert,
)
from tasks.choices import AssignmentRole
from tasks.models import Assignment, Task

from ..conftest import DEMO_PASSWORD
from ..factories import DepartmentFactory, MembershipFactory, TaskFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def office():
    return User.objects.get(username="office")


def test_the_office_adds_a_person_who_signs_in_and_is_named(demo_users, client, dept):
    # given the office adds 孙丽 to 区编委办
    account_create(
        by=office(),
        username="sunli",
        full_name="孙丽",
        title="副主任",
        mobile="13800000001",
        department=dept("区编委办"),
        role=Role.HEAD,
        password="Tongzhi-2026!",
    )
    # then she signs in and the header names her, never the login
    assert client.login(username="sunli", password="Tongzhi-2026!")
    page = client.get(reverse("tasks:list")).content.decode()
    assert "孙丽" in page and ">sunli" not in page
    assert RegistryEvent.objects.filter(kind=RegistryEvent.Kind.ACCOUNT_CREATED, summary__contains="孙丽").exists()


def test_refusals_are_chinese_and_save_nothing(demo_users, dept):
    before = User.objects.count()
    with pytest.raises(ValidationError, match="已被使用"):
        account_create(
            by=office(),
            username="STAFF",
            full_name="重名",
            department=dept("区编委办"),
            role=Role.STAFF,
            password="x-Long-2026!",
        )
    with pytest.raises(ValidationError, match="手机号码"):
        account_create(
            by=office(),
            username="new1",
            full_name="新人",
            mobile="12345",
            department=dept("区编委办"),
            role=Role.STAFF,
            password="x-Long-2026!",
        )
    with pytest.raises(PermissionDenied):
        account_create(
            by=User.objects.get(username="head"),
            username="new2",
            full_name="新人",
            department=dept("区编委办"),
            role=Role.STAFF,
            password="x-Long-2026!",
        )
    with pytest.raises(ValidationError, match="不能停用自己"):
        account_set_active(by=office(), user=office(), active=False)
    assert User.objects.count() == before


def test_moving_a_person_records_before_and_after(demo_users, dept):
    staff = User.objects.get(username="staff")
    account_change(
        by=office(), user=staff, department=dept("区发改委"), role=Role.HEAD, full_name="王小梅", title="科长"
    )
    staff.membership.refresh_from_db()
    assert staff.membership.department == dept("区发改委") and staff.membership.role == Role.HEAD
    event = RegistryEvent.objects.get(kind=RegistryEvent.Kind.ACCOUNT_CHANGED)
    assert (
        event.changes["部门"] == ["区机构编制委员会办公室", "区发展和改革委员会"]
        or event.changes["部门"][1] == dept("区发改委").name
    )
    assert event.changes["角色"] == ["经办人", "部门负责人"]


def test_a_stopped_account_cannot_sign_in_and_a_reset_password_works(demo_users, client):
    staff = User.objects.get(username="staff")
    account_set_active(by=office(), user=staff, active=False)
    assert not client.login(username="staff", password=DEMO_PASSWORD)
    account_set_active(by=office(), user=staff, active=True)
    account_password_reset(by=office(), user=staff, password="Xin-mima-2026")
    assert client.login(username="staff", password="Xin-mima-2026")
    with pytest.raises(ValidationError):
        account_password_reset(by=office(), user=staff, password="123")  # Django's validators, in Chinese
    kinds = set(RegistryEvent.objects.values_list("kind", flat=True))
    assert {"account_deactivated", "account_activated", "password_reset"} <= kinds


def test_merging_two_registrations_of_one_unit_moves_everything_in_one_go(demo_users, dept):
    # given 区编委办 registered twice: the twin leads one task and co-operates on one the original leads
    original = dept("区编委办")
    twin, _ = department_upsert(name="区委机构编制委员会办公室（重复）", short_names=["编办重复"])
    shared = Task.objects.filter(assignments__department=original, assignments__role=AssignmentRole.LEAD).first()
    Assignment.objects.create(task=shared, department=twin, role=AssignmentRole.COOPERATING)
    own = TaskFactory()
    Assignment.objects.create(task=own, department=twin, role=AssignmentRole.LEAD)
    person = MembershipFactory(department=twin, full_name="钱进")
    original_assignments = Assignment.objects.filter(department=original).count()
    # when the office merges the twin into the original
    moved = department_merge(by=office(), source=twin, target=original)
    # then everything points at the original, the shared task has one row, the twin is a record
    twin.refresh_from_db()
    assert not Assignment.objects.filter(department=twin).exists()
    assert Assignment.objects.filter(department=original).count() == original_assignments + 1
    assert Assignment.objects.get(task=shared, department=original).role == AssignmentRole.LEAD
    assert Membership.objects.get(pk=person.pk).department == original
    assert Department.objects.resolve("编办重复") == original
    assert DepartmentAlias.objects.filter(
        name="区委机构编制委员会办公室（重复）", department=original, kind="alias"
    ).exists()
    assert not twin.is_active and twin.merged_into == original
    event = RegistryEvent.objects.get(kind=RegistryEvent.Kind.DEPARTMENT_MERGED)
    assert event.changes["迁移"] == moved and moved["任务分工"] == 1


def test_a_department_with_people_or_open_work_cannot_be_stopped(demo_users, dept):
    with pytest.raises(ValidationError, match="启用的账户"):
        department_set_active(by=office(), department=dept("区编委办"), active=False)
    empty = DepartmentFactory()
    department_set_active(by=office(), department=empty, active=False)
    empty.refresh_from_db()
    assert not empty.is_active
    with pytest.raises(ValidationError, match="已停用"):
        account_create(
            by=office(), username="x9", full_name="某人", department=empty, role=Role.STAFF, password="x-Long-2026!"
        )


def test_people_pages_are_the_offices_alone(login):
    client = login("office")
    page = client.get(reverse("people:list"))
    assert page.status_code == 200 and "周文静" in page.content.decode()
    assert client.get(reverse("people:departments")).status_code == 200
    response = client.post(
        reverse("people:new"),
        {"full_name": "", "username": "a1", "password": "x-Long-2026!", "department": "", "role": "staff"},
    )
    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
    client.logout()
    staff = login("head")
    refused = staff.get(reverse("people:list"))
    assert refused.status_code == 403
    assert 'class="topbar"' in refused.content.decode() and "只有政府办" in refused.content.decode()


def test_the_office_page_adds_and_merges(login, dept):
    client = login("office")
    response = client.post(
        reverse("people:new"),
        {
            "full_name": "孙丽",
            "username": "sunli",
            "password": "Tongzhi-2026!",
            "title": "",
            "mobile": "",
            "email": "",
            "department": dept("区编委办").pk,
            "role": "staff",
        },
        follow=True,
    )
    assert "已新增账户：孙丽" in response.content.decode()
    twin = DepartmentFactory()
    response = client.post(
        reverse("people:department_merge", args=[twin.pk]), {"target": dept("区编委办").pk}, follow=True
    )
    assert "并入" in response.content.decode()
    twin.refresh_from_db()
    assert twin.merged_into == dept("区编委办")


def test_everyone_changes_their_own_password(login):
    client = login("staff")
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "修改密码" in page.content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": DEMO_PASSWORD, "new_password1": "Xin-mima-2026", "new_password2": "Xin-mima-2026"},
    )
    assert response.status_code == 302
    assert User.objects.get(username="staff").check_password("Xin-mima-2026")


def test_forgotten_password_by_email_only_where_mail_is_set_up(client, demo_users, settings):
    settings.PASSWORD_RESET_BY_EMAIL = False
    assert client.get(reverse("password_reset")).status_code == 404
    assert "联系政府办" in client.get(reverse("login")).content.decode()
    settings.PASSWORD_RESET_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    User.objects.filter(username="staff").update(email="staff@example.org")
    assert "忘记密码" in client.get(reverse("login")).content.decode()
    client.post(reverse("password_reset"), {"email": "staff@example.org"})
    assert len(mail.outbox) == 1 and "设置新密码" in mail.outbox[0].subject
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    page = client.get(link.split("testserver")[-1], follow=True)
    assert "设置新密码" in page.content.decode()


def test_the_list_buttons_stop_a_person_and_refuse_a_busy_department(login, dept):
    client = login("office")
    staff = User.objects.get(username="staff")
    page = client.post(reverse("people:active", args=[staff.pk]), {"active": "0"}, follow=True).content.decode()
    assert "已停用账户：王小梅" in page
    assert not User.objects.get(pk=staff.pk).is_active
    page = client.post(
        reverse("people:department_active", args=[dept("区发改委").pk]), {"active": "0"}, follow=True
    ).content.decode()
    assert "启用的账户" in page and dept("区发改委").is_active
