"""Hostile and oversized input through the supervision forms: never a 500, limits said in
Chinese, and what is kept shown as text (the PDF side is in test_pdf.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from supervision.models import RectificationDemand
from supervision.services import bulletin_draft, demand_raise
from tests.supervision.test_services import finding
from tests.test_hostile_input import HOSTILE, SCRIPT


@pytest.mark.parametrize("payload", HOSTILE, ids=["script", "sql", "control", "formula", "10M"])
def test_every_supervision_form_answers_without_a_server_error(world, login, payload):
    adverse = finding(world, "overdue")
    demand = demand_raise(
        finding=adverse,
        department=world.departments["fagaiwei"],
        requirement="一个月内整改",
        due_date=world.today + timedelta(days=30),
        by=world.user("supervisor"),
    )
    bulletin = bulletin_draft(inspection=world.inspection, by=world.user("supervisor"))
    due = (world.today + timedelta(days=20)).isoformat()
    posts = [
        ("supervisor", reverse("supervision:finding", args=[adverse.pk]), {"rating": "overdue", "comment": "{}"}),
        (
            "supervisor",
            reverse("supervision:demand_new", args=[adverse.pk]),
            {"department": world.departments["fagaiwei"].pk, "requirement": "{}", "due_date": due},
        ),
        ("staff2", reverse("supervision:demand_report", args=[demand.pk]), {"text": "{}"}),
        ("supervisor", bulletin.get_absolute_url(), {"title": "督查通报", "basic": "{}", "problems": "{}"}),
    ]
    for who, url, fields in posts:
        client = login(who)
        response = client.post(
            url, {k: (v.replace("{}", payload) if isinstance(v, str) else v) for k, v in fields.items()}
        )
        assert response.status_code < 500, (url, response.status_code)
        body = response.content.decode()
        assert SCRIPT not in body
        if response.status_code == 400:
            assert "error" in body, url
        client.logout()


def test_an_oversized_requirement_is_refused_with_its_limit(world, login):
    adverse = finding(world, "overdue")
    response = login("supervisor").post(
        reverse("supervision:demand_new", args=[adverse.pk]),
        {
            "department": world.departments["fagaiwei"].pk,
            "requirement": "整改" * 2000,
            "due_date": (world.today + timedelta(days=20)).isoformat(),
        },
    )
    assert response.status_code in (200, 400) and "最多2000字" in response.content.decode()
    assert not RectificationDemand.objects.exists()
