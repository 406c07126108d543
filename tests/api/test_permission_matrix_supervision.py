"""The API's permission matrix for supervision: every endpoint against every role, with
tokens, held to the supervision pages' own tables (tests/supervision/test_permission_matrix.py).

It lives beside test_permission_matrix.py rather than in it because the two build different
worlds under the same fixture name: this one is supervision's (a plan made for inspecting,
its inspection, demands on 区发改委's overdue task, notices and two bulletins). Anonymous is
401; what a role has no part in, 403, as on the pages; another department's demand or
notice, 404; a refusal leaves supervision's tables as they were."""

import pytest

from supervision.models import Finding, Notice, RectificationDemand
from tests.supervision.test_permission_matrix import (  # noqa: F401 - its world, not the task matrix's
    DECIDE,
    DEMAND_LIST,
    OWN_DEPARTMENT,
    READ_BULLETINS,
    REPORT,
    SUPERVISE,
    SUPERVISORS,
    fingerprint,
    objects,
    render_once,
    shared,
    world,
)
from tests.test_permission_matrix import FORBIDDEN, LOGIN, MISSING, OK, ROLES, cases

pytestmark = pytest.mark.django_db

STATUS = {LOGIN: 401, FORBIDDEN: 403, MISSING: 404}


@pytest.fixture
def as_role(api, objects):  # noqa: F811
    return lambda role: api(None if role == "anonymous" else role)


def check(response, expected: str, before: dict, ok_status: int = 200) -> None:
    if expected == OK:
        assert response.status_code == ok_status, (response.status_code, response.content[:300])
        return
    assert response.status_code == STATUS[expected], (response.status_code, response.content[:300])
    assert response.json()["detail"]
    assert fingerprint() == before


def call(as_role, role, expected, method, url, body=None, ok_status=200):
    before = fingerprint()
    client = as_role(role)
    response = client.get(url) if method == "get" else client.post(url, body or {}, format="json")
    check(response, expected, before, ok_status)
    return response


@pytest.mark.parametrize("url", ["/api/inspections/", "/api/findings/"])
@pytest.mark.parametrize(("target", "role", "expected"), cases(SUPERVISE))
def test_inspection_and_finding_lists(objects, as_role, url, target, role, expected):  # noqa: F811
    response = call(as_role, role, expected, "get", url)
    if expected == OK:
        listed = {row["id"] for row in response.json()["results"]}
        if url == "/api/inspections/":
            assert listed == {objects.inspection.pk}
        else:
            assert listed == set(Finding.objects.values_list("pk", flat=True))
    elif expected == FORBIDDEN:
        assert response.json()["detail"] == "督查工作仅向督查员和政府办开放。"


@pytest.mark.parametrize("attribute", ["inspection", "finding"])
@pytest.mark.parametrize(("target", "role", "expected"), cases(SUPERVISE))
def test_inspection_and_finding_details(objects, as_role, attribute, target, role, expected):  # noqa: F811
    item = getattr(objects, attribute)
    response = call(as_role, role, expected, "get", f"/api/{attribute}s/{item.pk}/")
    if expected == OK:
        assert response.json()["id"] == item.pk
        if attribute == "inspection":
            assert sum(response.json()["rating_counts"].values()) == response.json()["finding_count"]


@pytest.mark.parametrize(("target", "role", "expected"), cases(SUPERVISE))
def test_confirm_all(objects, as_role, target, role, expected):  # noqa: F811
    Finding.objects.filter(pk=objects.finding.pk).update(rating="", confirmed_by=None, confirmed_at=None)
    response = call(as_role, role, expected, "post", f"/api/inspections/{objects.inspection.pk}/confirm-all/")
    if expected == OK:
        assert response.json() == {"confirmed": 1}
        assert Finding.objects.get(pk=objects.finding.pk).rating == objects.finding.suggested_rating


@pytest.mark.parametrize(("target", "role", "expected"), cases(SUPERVISE))
def test_confirm_a_finding(objects, as_role, target, role, expected):  # noqa: F811
    url = f"/api/findings/{objects.finding.pk}/confirm/"
    response = call(as_role, role, expected, "post", url, {"rating": "behind", "comment": "改为滞后"})
    if expected == OK:
        assert (response.json()["rating"], response.json()["comment"]) == ("behind", "改为滞后")
        assert response.json()["confirmed_by"] == role


@pytest.mark.parametrize(("target", "role", "expected"), cases(SUPERVISE))
def test_raise_a_demand(objects, world, as_role, target, role, expected):  # noqa: F811
    body = {
        "department": world.departments["fagaiwei"].pk,
        "requirement": "限期完成平台建设",
        "due_date": (world.today.replace(year=world.today.year + 1)).isoformat(),
    }
    url = f"/api/findings/{objects.finding.pk}/demands/"
    response = call(as_role, role, expected, "post", url, body, ok_status=201)
    if expected == OK:
        demand = RectificationDemand.objects.get(pk=response.json()["id"])
        assert (demand.finding, demand.department, demand.status) == (
            objects.finding,
            world.departments["fagaiwei"],
            "open",
        )


@pytest.mark.parametrize("url", ["/api/demands/", "/api/notices/"])
@pytest.mark.parametrize(("target", "role", "expected"), cases(DEMAND_LIST))
def test_demand_and_notice_lists_hold_only_ones_own(objects, world, as_role, url, target, role, expected):  # noqa: F811
    response = call(as_role, role, expected, "get", url)
    if expected != OK:
        return
    listed = {row["id"] for row in response.json()["results"]}
    user = world.user(role)
    if url == "/api/demands/":
        mine = role in SUPERVISORS or role == "staff2"
        assert listed == ({objects.demand.pk, objects.reported.pk} if mine else set())
    elif role in SUPERVISORS:
        assert listed == set(Notice.objects.values_list("pk", flat=True))
    else:
        assert listed == set(Notice.objects.filter(department=user.membership.department).values_list("pk", flat=True))
        assert (objects.notice.pk in listed) == (role == "staff2")


@pytest.mark.parametrize("kind", ["demands", "notices"])
@pytest.mark.parametrize(("target", "role", "expected"), cases(OWN_DEPARTMENT))
def test_demand_and_notice_details(objects, as_role, kind, target, role, expected):  # noqa: F811
    item = objects.demand if kind == "demands" else objects.notice
    response = call(as_role, role, expected, "get", f"/api/{kind}/{item.pk}/")
    if expected == OK:
        assert response.json()["department"]["id"] == item.department_id


@pytest.mark.parametrize("role", ROLES)
def test_bulletin_list(objects, as_role, role):  # noqa: F811
    response = call(as_role, role, LOGIN if role == "anonymous" else OK, "get", "/api/bulletins/")
    if role != "anonymous":
        listed = {row["id"] for row in response.json()["results"]}
        assert listed == ({objects.issued.pk, objects.draft.pk} if role in SUPERVISORS else {objects.issued.pk})


@pytest.mark.parametrize(("target", "role", "expected"), cases(READ_BULLETINS))
def test_bulletin_detail(objects, as_role, target, role, expected):  # noqa: F811
    bulletin = getattr(objects, target)
    response = call(as_role, role, expected, "get", f"/api/bulletins/{bulletin.pk}/")
    if expected == OK:
        body = response.json()
        assert (body["status"], body["number"]) == (bulletin.status, bulletin.number)
        assert (body["pdf_url"] is not None) == (target == "issued")


@pytest.mark.parametrize(("target", "role", "expected"), cases(REPORT))
def test_report_on_a_demand(objects, as_role, target, role, expected):  # noqa: F811
    url = f"/api/demands/{objects.demand.pk}/report/"
    response = call(as_role, role, expected, "post", url, {"text": "平台已上线"})
    if expected == OK:
        assert (response.json()["status"], response.json()["report_text"]) == ("reported", "平台已上线")


@pytest.mark.parametrize("decision", ["close", "return"])
@pytest.mark.parametrize(("target", "role", "expected"), cases(DECIDE))
def test_close_or_return_a_demand(objects, as_role, target, role, expected, decision):  # noqa: F811
    url = f"/api/demands/{objects.reported.pk}/{decision}/"
    response = call(as_role, role, expected, "post", url, {"comment": "意见"})
    if expected == OK:
        assert response.json()["status"] == ("closed" if decision == "close" else "open")
        assert response.json()["office_comment"] == "意见"
