"""Signing in to the API: tokens (one per user, made with the password or in the admin,
revoked in either place) and the browser's session; the schema and its docs."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_a_token_for_the_password_then_calls_with_it(demo_users):
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": "staff2", "password": DEMO_PASSWORD}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user__username="staff2").key == key
    # The same token again, not a new one each time
    again = client.post("/api/auth/token/", {"username": "staff2", "password": DEMO_PASSWORD}, format="json")
    assert again.json()["token"] == key
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listed = client.get("/api/tasks/", {"page_size": 500}).json()["results"]
    assert listed and all(
        any(d["short_name"] == "区发改委" for d in row["lead"] + row["cooperating"]) for row in listed
    )


def test_a_wrong_password_gets_no_token(demo_users):
    response = APIClient().post("/api/auth/token/", {"username": "staff2", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "无法使用提供的认证信息登录。"
    assert not Token.objects.filter(user__username="staff2").exists()


def test_revoking_the_token_locks_it_out(api):
    client = api("staff")
    assert client.delete("/api/auth/token/").status_code == 204
    response = client.get("/api/tasks/")
    assert response.status_code == 401
    assert response.json()["detail"] == "认证令牌无效。"


def test_the_admin_makes_and_revokes_tokens(login, demo_users):
    admin = login("admin")
    staff = get_user_model().objects.get(username="staff")
    response = admin.post(reverse("admin:authtoken_tokenproxy_add"), {"user": staff.pk})
    assert response.status_code == 302
    key = Token.objects.get(user=staff).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/tasks/").status_code == 200
    response = admin.post(reverse("admin:authtoken_tokenproxy_delete", args=[staff.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert client.get("/api/tasks/").status_code == 401


def test_the_browser_session_works_with_its_csrf_token(demo_users, bianwei_task):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="staff", password=DEMO_PASSWORD)
    assert client.get(f"/api/tasks/{bianwei_task.pk}/").status_code == 200
    # A write from the session needs the CSRF token, as a form would
    response = client.post(f"/api/tasks/{bianwei_task.pk}/acknowledge/")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    client.get("/accounts/login/")
    csrf = client.cookies["csrftoken"].value
    response = client.post(f"/api/tasks/{bianwei_task.pk}/acknowledge/", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200
    assert response.json()["status"] == "acknowledged"


def test_the_schema_is_openapi_3_with_both_languages(client, login):
    assert client.get("/api/schema/").status_code in (401, 403)  # not for anonymous visitors
    client = login("staff")
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "改革任务督查督办平台" in schema["info"]["title"] and "Reform" in schema["info"]["title"]
    operation = schema["paths"]["/api/tasks/"]["get"]
    assert operation["summary"] == "任务列表 · Task list"
    names = {parameter["name"] for parameter in operation["parameters"]}
    # The filters of the task list page, shared through TaskFilterSet
    assert {"q", "plan", "status", "light", "department", "role", "due_within", "cursor", "ordering"} <= names
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_swagger_ui_is_served_from_our_own_static_files(client, login):
    assert client.get("/api/docs/").status_code in (401, 403)
    client = login("staff")
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    # No inline script (the Content-Security-Policy forbids it): the start-up code is a file.
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all("src=" in attributes for attributes in scripts)
    start_up = re.search(r'src="([^"]*\?script[^"]*)"', page).group(1)
    assert "/api/schema/" in client.get(start_up.replace("&amp;", "&")).content.decode()
