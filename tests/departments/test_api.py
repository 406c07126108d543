import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_users_get_nothing(client):
    """401 with the scheme to use: token authentication comes first in the API's settings."""
    response = client.get("/api/departments/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_registry_lists_every_name_of_a_department(login, django_assert_max_num_queries):
    client = login("staff")
    with django_assert_max_num_queries(6):
        response = client.get("/api/departments/", {"name": "區發改委"})
    assert response.status_code == 200
    (department,) = response.json()["results"]
    assert department["name"] == "区发展和改革委员会"
    assert department["short_name"] == "区发改委"
    assert set(department["names"]) == {"区发展和改革委员会", "区发改委", "区发改"}


def test_list_query_count_does_not_grow_with_rows(login, django_assert_max_num_queries):
    client = login("office")
    with django_assert_max_num_queries(6):
        response = client.get("/api/departments/")
    assert response.json()["count"] == 44
    assert len(response.json()["results"]) == 44


def test_filter_by_kind(login):
    response = login("office").get("/api/departments/", {"kind": "vertical"})
    assert {d["short_name"] for d in response.json()["results"]} == {
        "公安分局",
        "工商分局",
        "区质监局",
        "区国税局",
        "区地税局",
    }
