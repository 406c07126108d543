"""The registers through the API: the same services, rules and Chinese refusals as the pages."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from matters.models import Proposal
from tasks.services import task_acknowledge

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(demo_users):
    def as_user(username):
        client = APIClient()
        client.force_authenticate(get_user_model().objects.get(username=username))
        return client

    return as_user


def item(dept, **extra):
    return {"title": "研究落实", "leads": [dept("区编委办").pk]} | extra


def test_an_instruction_given_out_shows_its_source_and_code_on_the_task(api, dept):
    office = api("office")
    answer = office.post(
        "/api/instructions/",
        {
            "leader_name": "王区长",
            "instructed_on": "2026-11-13",
            "content": "请研究。",
            "kind": "handle",
            "item": item(dept),
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["code"] == "批〔2026〕1号"
    task_id = answer.json()["task"]
    rows = office.get("/api/tasks/?source=instruction").json()["results"]
    assert [(row["id"], row["source"], row["code"]) for row in rows] == [(task_id, "instruction", "批〔2026〕1号")]
    detail = office.get(f"/api/tasks/{task_id}/").json()
    assert detail["source"] == "instruction" and detail["source_facts"]["leader_name"] == "王区长"
    # The department sees its own item; another department does not.
    assert api("staff").get(f"/api/tasks/{task_id}/").status_code == 200
    assert api("staff2").get(f"/api/instructions/{answer.json()['id']}/").status_code == 404


def test_bad_input_is_a_chinese_400_and_nothing_is_saved(api, dept):
    office = api("office")
    no_leader = office.post(
        "/api/instructions/",
        {"leader_name": "", "instructed_on": "2026-11-13", "content": "x", "kind": "handle", "item": item(dept)},
        format="json",
    )
    assert no_leader.status_code == 400
    meeting = office.post(
        "/api/meetings/",
        {"name": "常务会议", "kind": "executive", "held_on": "2026-11-10", "items": []},
        format="json",
    )
    assert meeting.status_code == 400 and "议定事项" in str(meeting.json())
    twice = [
        office.post(
            "/api/proposals/",
            {
                "kind": "deputy",
                "year": 2026,
                "number": number,
                "proposer": "张代表",
                "item": item(dept, code="建〔2026〕9号"),
            },
            format="json",
        )
        for number in ("第1号", "第2号")
    ]
    assert twice[0].status_code == 201 and twice[1].status_code == 400
    assert "已被使用" in str(twice[1].json())
    assert Proposal.objects.count() == 1
    refused = api("staff").post(
        "/api/meetings/",
        {"name": "常务会议", "kind": "executive", "held_on": "2026-11-10", "items": [item(dept)]},
        format="json",
    )
    assert refused.status_code == 403 and "政府办" in refused.json()["detail"]


def test_the_answer_cycle_through_the_api(api, dept):
    office = api("office")
    created = office.post(
        "/api/proposals/",
        {
            "kind": "member",
            "year": 2026,
            "number": "第5号",
            "proposer": "李委员",
            "item": item(dept, cooperating=[dept("区发改委").pk]),
        },
        format="json",
    ).json()
    pk = created["id"]
    task_acknowledge(task=Proposal.objects.get(pk=pk).task, by=get_user_model().objects.get(username="staff"))
    early = api("staff2").post(f"/api/proposals/{pk}/countersign/", {}, format="json")
    assert early.status_code == 400 and "尚未起草" in early.json()["detail"]
    assert office.post(f"/api/proposals/{pk}/rate/", {"satisfaction": "satisfied"}, format="json").status_code == 400
    api("staff").post(f"/api/proposals/{pk}/answer/", {"text": "已解决。", "category": "A"}, format="json")
    api("staff2").post(f"/api/proposals/{pk}/countersign/", {"opinion": "同意"}, format="json")
    api("staff").post(f"/api/proposals/{pk}/send/", format="json")
    rated = office.post(f"/api/proposals/{pk}/rate/", {"satisfaction": "basic"}, format="json")
    assert rated.status_code == 200 and rated.json()["stage"] == "closed"
    assert rated.json()["answers"][0]["countersigns"][0]["opinion"] == "同意"
