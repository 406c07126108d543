"""Hostile and oversized input through the assessment scheme form: never a 500, and
nothing echoed as markup."""

import pytest
from django.urls import reverse

from assessment.models import Scheme
from assessment.services import SCHEME_FIELDS
from tests.test_hostile_input import HOSTILE, SCRIPT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("payload", HOSTILE, ids=["script", "sql", "control", "formula", "10M"])
def test_the_scheme_form_answers_hostile_input_without_a_server_error(login, payload):
    client = login("office")
    fields = {name: payload for name in SCHEME_FIELDS if name not in ("plan",)}
    fields["classes"] = payload
    response = client.post(reverse("assessment:scheme_new"), fields)
    assert response.status_code < 500
    body = response.content.decode()
    assert SCRIPT not in body
    assert response.status_code in (200, 400) and "error" in body
    assert not Scheme.objects.exists()


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-1", "1e309", "9" * 40])
def test_numbers_that_are_not_numbers_are_refused(login, number):
    client = login("office")
    fields = {name: number for name in SCHEME_FIELDS if name not in ("plan", "title", "year")}
    fields.update({"title": "2026年度考核", "year": "2026"})
    response = client.post(reverse("assessment:scheme_new"), fields)
    assert response.status_code < 500 and not Scheme.objects.exists()
