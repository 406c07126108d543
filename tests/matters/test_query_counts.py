"""The registers' lists read a fixed number of queries, however many items they show."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def queries(fetch) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert fetch().status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [reverse("matters:index"), "/api/proposals/", "/api/meetings/", "/api/instructions/"])
def test_lists_do_not_grow_with_their_rows(login, url, demo_users):
    client = login("office")
    if url.startswith("/api/"):
        client = APIClient()
        client.force_authenticate(get_user_model().objects.get(username="office"))
    call_command("generate_demo_matters", count=5, seed=1, stdout=None)
    few = queries(lambda: client.get(url))
    call_command("generate_demo_matters", count=30, seed=2, stdout=None)
    assert queries(lambda: client.get(url)) <= few
