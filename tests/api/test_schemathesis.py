"""Schemathesis against the live OpenAPI schema: generated requests, valid and not, to every
operation as the office and as department staff. No answer may be a 500, and every answer
the schema documents must match it.

Each operation runs as a Hypothesis test of its own (a few examples of each mode, so the
whole run stays within a minute or two on either database). Schemathesis' pytest plugin is
not used: its lazy loader does not run under pytest 9."""

import hypothesis
import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from departments.models import Department
from reform_portal.wsgi import application

pytestmark = pytest.mark.django_db

BOUNDED = hypothesis.settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
CHECKS = [not_a_server_error, response_schema_conformance]


def operations(key: str):
    """The live schema, read as a signed-in client reads it (it is not public)."""
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", application, headers={"Authorization": f"Token {key}"}
    )
    return [result.ok() for result in schema.get_all_operations()]


def existing_ids(user) -> dict[str, int]:
    """One object of each kind, on a task that both the office and 区编委办's staff see, so
    that the generated requests also reach real objects and not only 404s."""
    from django.utils import timezone

    from notifications.models import Notification
    from notifications.services import notify
    from tasks.models import Task, TaskEvent
    from tasks.services import (
        completion_request,
        extension_request,
        participation_request,
        report_save,
        report_submit,
        task_acknowledge,
    )
    from tests.test_permission_matrix import NEW_DEADLINE

    staff = get_user_model().objects.get(username="staff")
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")
    task = task_acknowledge(task=task, by=staff)
    period = timezone.localdate().replace(day=1)
    report = report_submit(report=report_save(task=task, by=staff, period=period, text="进展", percent=30), by=staff)
    extension = extension_request(task=task, by=staff, reason="协调", proposed_deadline=NEW_DEADLINE)
    other = Department.objects.resolve("区民政局")
    participation = participation_request(task=task, by=staff, department=other, reason="职能")
    completion = completion_request(task=task, by=staff, summary="完成")
    notify(users=[user], kind="report", title="测试消息", task=task)
    supervision = supervision_ids(task, staff)
    return {
        **supervision,
        "/api/tasks/": task.pk,
        "/api/reports/": report.pk,
        "/api/extension-requests/": extension.pk,
        "/api/participation-requests/": participation.pk,
        "/api/completion-requests/": completion.pk,
        "/api/plans/": task.plan_id,
        "/api/departments/": other.pk,
        "/api/events/": TaskEvent.objects.filter(task=task).first().pk,
        "/api/notifications/": Notification.objects.filter(recipient=user).first().pk,
    }


def supervision_ids(task, staff) -> dict[str, int]:
    """An inspection of the task's plan, its finding on the task, a demand on 区编委办 (the
    staff's own), the notices and a draft bulletin."""
    from datetime import timedelta

    from django.utils import timezone

    from supervision.services import bulletin_draft, demand_raise, inspection_create, notices_send

    supervisor = get_user_model().objects.get(username="supervisor")
    today = timezone.localdate()
    inspection = inspection_create(
        title="专项督查",
        kind="special",
        period_start=today,
        period_end=today,
        scope=f"plan={task.plan_id}",
        by=supervisor,
        today=today,
    )
    finding = inspection.findings.get(task=task)
    department = staff.membership.department
    demand = demand_raise(
        finding=finding, department=department, requirement="整改", due_date=today + timedelta(days=30), by=supervisor
    )
    notices_send(inspection=inspection, by=supervisor)
    return {
        "/api/inspections/": inspection.pk,
        "/api/findings/": finding.pk,
        "/api/demands/": demand.pk,
        "/api/notices/": inspection.notices.get(department=department).pk,
        "/api/bulletins/": bulletin_draft(inspection=inspection, by=supervisor).pk,
    }


def run(operation, user, key: str, ids: dict[str, int]) -> None:
    headers = {"Authorization": f"Token {key}"}
    strategies = [
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    ]
    known = next((pk for prefix, pk in ids.items() if operation.path.startswith(prefix + "{id}")), None)
    if known is not None:
        strategies.append(operation.as_strategy(path_parameters={"id": known}))

    @hypothesis.given(case=st.one_of(strategies))
    @BOUNDED
    def call(case):
        # DELETE /api/auth/token/ revokes the token: put it back for the next request.
        Token.objects.get_or_create(user=user, defaults={"key": key})
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()


@pytest.fixture
def connection_kept():
    """The WSGI handler closes the database connection after each request, which would end the
    test's transaction; Django's own test client turns that off the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.parametrize("username", ["office", "staff"])
def test_no_server_error_and_no_answer_outside_the_schema(demo_users, connection_kept, username):
    user = get_user_model().objects.get(username=username)
    key = Token.objects.get_or_create(user=user)[0].key
    ids = existing_ids(user)
    found = operations(key)
    assert len(found) >= 40  # the whole API, not an empty schema
    failures = []
    for operation in found:
        try:
            run(operation, user, key, ids)
        except Exception as error:  # noqa: BLE001 - collected, so that one run names every failing operation
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
