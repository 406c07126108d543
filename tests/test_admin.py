from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_admin_list_and_form_opens_in_chinese(login, model):
    client = login("admin")
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    assert "改革任务督查督办平台" in changelist.content.decode()
    obj = model.objects.first()
    if obj is not None:
        change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        assert change.status_code == 200


def test_the_office_account_may_use_the_admin(login):
    assert login("office").get(reverse("admin:index")).status_code == 200


def form_data(response) -> dict:
    """What the browser would post back for an admin change form, unchanged."""

    def fields(form, prefix=None):
        data = {}
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                value = [getattr(v, "pk", v) for v in value]
            data[bound.html_name] = getattr(value, "pk", value)
        return data

    data = fields(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(fields(formset.management_form))
        for form in formset.forms:
            data.update(fields(form))
    return data


def test_admin_edit_lands_in_the_task_history(login):
    client = login("admin")
    task = Task.objects.get(plan__slug="wenzhou-2016", number="5")
    url = reverse("admin:tasks_task_change", args=[task.pk])
    data = form_data(client.get(url))
    data["deliverable"] = "公布权责清单"
    response = client.post(url, data)
    assert response.status_code == 302, [
        (f.prefix, f.errors, f.non_form_errors())
        for f in (i.formset for i in response.context["inline_admin_formsets"])
    ] + [response.context["adminform"].form.errors]
    task.refresh_from_db()
    assert task.deliverable == "公布权责清单"
    event = task.events.latest("id")
    assert event.actor.username == "admin"
    assert event.changes == {"成果形式": ["—", "公布权责清单"]}
    # The inline assignments were posted back unchanged: no assignment event.
    assert not task.events.filter(kind="assigned", actor__username="admin").exists()


def test_admin_refuses_removing_the_last_lead_with_a_message(login):
    client = login("admin")
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="二、", number="(五)")
    url = reverse("admin:tasks_task_change", args=[task.pk])
    data = form_data(client.get(url))
    lead_form = next(k for k, v in data.items() if k.startswith("assignments-") and k.endswith("-role") and v == "lead")
    data[lead_form.replace("-role", "-DELETE")] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "已交办的任务必须有牵头单位" in response.content.decode()
    assert task.assignments.filter(role="lead").count() == 1


def test_admin_refuses_a_start_after_the_deadline_in_chinese_and_saves_nothing(login):
    client = login("admin")
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(二)")
    url = reverse("admin:tasks_task_change", args=[task.pk])
    data = form_data(client.get(url))
    data["start_date"] = "2016-01-01"
    data["deliverable"] = "改了也不该保存"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "开始日期不能晚于完成时限" in response.content.decode()
    task.refresh_from_db()
    assert task.start_date is None and task.deliverable == "完成“三定”规定修订"
    assert not task.events.filter(kind="updated").exists()


def test_english_is_available(client, demo_users):
    client.post(reverse("set_language"), {"language": "en", "next": "/admin/"})
    client.login(username="admin", password="demo-pass-2026")
    page = client.get(reverse("admin:index")).content.decode()
    assert "Log out" in page
    assert "Reform tasks" in page  # the app's own name, from locale/en
    assert "改革任务</a>" not in page


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client, demo_users):
    client.login(username="admin", password="demo-pass-2026")
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "改革任务</a>" in page


KEPT = ["tasks.Plan", "tasks.Task", "tasks.ProgressReport", "tasks.ExtensionRequest", "tasks.TaskEvent"]


@pytest.mark.parametrize("label", KEPT)
def test_what_people_rely_on_cannot_be_deleted_even_by_a_superuser(login, label):
    from django.apps import apps

    from tasks.services import extension_request, report_save, task_acknowledge

    staff = get_user_model().objects.get(username="staff")
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")
    task = task_acknowledge(task=task, by=staff)
    report_save(task=task, by=staff, period=timezone.localdate().replace(day=1), text="进展", percent=10)
    extension_request(task=task, by=staff, reason="等待", proposed_deadline=timezone.localdate() + timedelta(days=90))
    model = apps.get_model(label)
    obj = model.objects.first()
    opts = model._meta
    client = login("admin")
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(
    "label",
    [
        "supervision.Inspection",
        "supervision.Finding",
        "supervision.RectificationDemand",
        "supervision.DemandAttachment",
        "supervision.Bulletin",
        "supervision.Notice",
        "assessment.Scheme",
        "assessment.Snapshot",
    ],
)
def test_findings_bulletins_and_scores_cannot_be_deleted_in_the_admin(rf, label):
    from django.apps import apps

    request = rf.get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    model_admin = admin.site._registry[apps.get_model(label)]
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)
