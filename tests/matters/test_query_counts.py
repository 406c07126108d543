"""The registers' lists read a fixed number of queries, however many items they show."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import TODAY, kept_for_module

pytestmark = pytest.mark.django_db
LISTS = [reverse("matters:index"), "/api/proposals/", "/api/meetings/", "/api/instructions/"]


def queries(fetch) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert fetch().status_code == 200
    return len(captured)


def office_client(url: str):
    office = get_user_model().objects.get(username="office")
    client = APIClient() if url.startswith("/api/") else Client()
    if url.startswith("/api/"):
        client.force_authenticate(office)
    else:
        client.force_login(office)
    return client


@pytest.fixture(scope="module")
def few_then_many(django_db_setup, django_db_blocker):
    """Five matters of each source, each list's queries counted, then thirty more (made once
    for the module: about 5 s). Returns the counts with five."""

    def build():
        call_command("generate_demo_matters", count=5, seed=1, stdout=None)
        few = {url: queries(lambda url=url: office_client(url).get(url)) for url in LISTS}
        call_command("generate_demo_matters", count=30, seed=2, stdout=None)
        return few

    with kept_for_module(django_db_blocker, build, TODAY) as few:
        yield few


@pytest.mark.parametrize("url", LISTS)
def test_lists_do_not_grow_with_their_rows(few_then_many, url):
    client = office_client(url)
    assert queries(lambda: client.get(url)) <= few_then_many[url]
