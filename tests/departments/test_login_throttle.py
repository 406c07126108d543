"""Guessing passwords: an account, or an address, that fails too often is locked for a while."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from departments.models import LoginFailure

pytestmark = pytest.mark.django_db
LOCKED = "登录失败次数过多，已暂停登录，请15分钟后再试。"


def attempt(client, username, password, address="10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, demo_users):
    for _ in range(5):
        response = attempt(client, "staff", "guess")
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username="staff").count() == 5
    response = attempt(client, "staff", "demo-pass-2026", address="10.0.0.8")  # from elsewhere, too
    assert LOCKED in response.content.decode() and "_auth_user_id" not in client.session
    # While locked, a guess is not even checked (nor counted).
    assert LoginFailure.objects.filter(username="staff").count() == 5
    # Another account is not affected.
    assert attempt(client, "staff2", "demo-pass-2026").status_code == 302


def test_the_lock_lifts_after_the_window_and_a_success_forgets_the_failures(client, demo_users):
    for _ in range(5):
        attempt(client, "staff", "guess")
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert attempt(client, "staff", "demo-pass-2026").status_code == 302
    assert not LoginFailure.objects.filter(username="staff").exists()


def test_one_address_trying_many_accounts_is_locked(client, demo_users, settings):
    settings.PORTAL = {**settings.PORTAL, "LOGIN_FAILURES_PER_ADDRESS": 6}
    for name in ["staff", "staff2", "head", "office", "leader", "supervisor"]:
        attempt(client, name, "123456", address="203.0.113.9")
    assert LOCKED in attempt(client, "admin", "demo-pass-2026", address="203.0.113.9").content.decode()
    assert attempt(client, "admin", "demo-pass-2026", address="203.0.113.10").status_code == 302


def test_a_forged_proxy_header_is_ignored_unless_configured(client, demo_users, settings):
    settings.PORTAL = {**settings.PORTAL, "LOGIN_FAILURES_PER_ADDRESS": 3, "LOGIN_FAILURES_PER_ACCOUNT": 99}
    for n in range(3):
        client.post(
            reverse("login"),
            {"username": f"nobody{n}", "password": "x"},
            REMOTE_ADDR="198.51.100.1",
            HTTP_X_REAL_IP=f"192.0.2.{n}",
        )
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {"198.51.100.1"}
    settings.PORTAL = {**settings.PORTAL, "CLIENT_IP_HEADER": "HTTP_X_REAL_IP"}
    client.post(
        reverse("login"), {"username": "x", "password": "x"}, REMOTE_ADDR="10.1.1.1", HTTP_X_REAL_IP="192.0.2.50"
    )
    assert LoginFailure.objects.filter(ip_address="192.0.2.50").exists()


def test_the_admin_sign_in_is_throttled_too(client, demo_users):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "admin", "password": "guess"}, REMOTE_ADDR="10.0.0.7")
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": "demo-pass-2026"}, REMOTE_ADDR="10.0.0.7"
    )
    assert LOCKED in response.content.decode() and "_auth_user_id" not in client.session


def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


def test_the_api_token_endpoint_is_throttled_like_sign_in(client, demo_users):
    url = "/api/auth/token/"
    for _ in range(5):
        response = client.post(url, {"username": "staff", "password": "guess"}, content_type="application/json")
        assert response.status_code == 400
    response = client.post(url, {"username": "staff", "password": "demo-pass-2026"}, content_type="application/json")
    assert response.status_code == 400 and LOCKED in response.content.decode()
    assert attempt(client, "staff2", "demo-pass-2026").status_code == 302
