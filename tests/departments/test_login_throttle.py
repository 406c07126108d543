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


# Issue 17 item 4: guesses sent at the same moment, and a lock that does not stop the owner.
def sign_in_from_browser(username: str, password: str, address: str = "10.0.0.7"):
    from django.test import Client

    browser = Client()
    response = browser.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)
    return browser, response


def test_the_owners_browser_still_signs_in_while_strangers_have_locked_the_account(demo_users):
    owner, response = sign_in_from_browser("staff", "demo-pass-2026")
    assert response.status_code == 302 and "portal_device" in response.cookies
    owner.post(reverse("logout"))
    for _ in range(5):
        sign_in_from_browser("staff", "guess", address="203.0.113.5")
    assert LOCKED in sign_in_from_browser("staff", "demo-pass-2026", address="203.0.113.5")[1].content.decode()
    # The owner's browser proves itself with the right password, and that lifts the lock.
    assert attempt(owner, "staff", "demo-pass-2026").status_code == 302
    assert not LoginFailure.objects.filter(username="staff").exists()


def test_the_owners_browser_has_its_own_limit_and_a_forged_cookie_counts_for_nothing(demo_users):
    owner, _ = sign_in_from_browser("staff", "demo-pass-2026")
    owner.post(reverse("logout"))
    for _ in range(5):
        attempt(owner, "staff", "guess")
    assert LOCKED in attempt(owner, "staff", "demo-pass-2026").content.decode()
    stranger, _ = sign_in_from_browser("staff2", "demo-pass-2026")
    stranger.post(reverse("logout"))
    stranger.cookies["portal_device"] = stranger.cookies["portal_device"].value[:-2] + "xx"
    assert LOCKED in attempt(stranger, "staff", "demo-pass-2026").content.decode()


def test_a_busy_address_does_not_lock_out_a_known_browser_behind_it(demo_users, settings):
    settings.PORTAL = {**settings.PORTAL, "LOGIN_FAILURES_PER_ADDRESS": 3}
    owner, _ = sign_in_from_browser("head", "demo-pass-2026", address="198.51.100.7")
    owner.post(reverse("logout"))
    for name in ("staff", "staff2", "office"):
        sign_in_from_browser(name, "guess", address="198.51.100.7")  # others behind the same NAT
    assert LOCKED in sign_in_from_browser("leader", "demo-pass-2026", address="198.51.100.7")[1].content.decode()
    assert attempt(owner, "head", "demo-pass-2026", address="198.51.100.7").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_twelve_guesses_sent_at_once_are_not_all_checked(live_server):
    import json
    import re
    import threading
    import urllib.error
    import urllib.parse
    import urllib.request
    from http.cookiejar import CookieJar

    def page_guess():
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        form = opener.open(f"{live_server.url}/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode({"username": "staff", "password": "guess", "csrfmiddlewaretoken": token})
        start.wait()
        answers.append(opener.open(f"{live_server.url}/accounts/login/", data=body.encode()).read().decode())

    def token_guess():
        request = urllib.request.Request(
            f"{live_server.url}/api/auth/token/",
            data=json.dumps({"username": "staff2", "password": "guess"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        start.wait()
        try:
            urllib.request.urlopen(request, timeout=60)
        except urllib.error.HTTPError as error:
            answers.append(error.read().decode())

    for guess in (page_guess, token_guess):
        answers, start = [], threading.Barrier(12)
        threads = [threading.Thread(target=guess) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(answers) == 12
        checked = [answer for answer in answers if "登录失败次数过多" not in answer]
        assert len(checked) == 5, guess.__name__
    assert LoginFailure.objects.filter(username="staff").count() == 5
    assert LoginFailure.objects.filter(username="staff2").count() == 5


def test_a_proxy_header_that_is_not_one_address_falls_back_to_the_peer(client, demo_users, settings):
    settings.PORTAL = {**settings.PORTAL, "CLIENT_IP_HEADER": "HTTP_X_REAL_IP"}
    for forged in ("1.2.3.4, 5.6.7.8", "<script>", "x" * 300):
        response = client.post(
            reverse("login"), {"username": "staff", "password": "x"}, REMOTE_ADDR="10.1.1.1", HTTP_X_REAL_IP=forged
        )
        assert response.status_code == 200
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {"10.1.1.1"}


def test_failed_sign_ins_older_than_thirty_days_are_pruned_nightly_on_beat(client, demo_users):
    from django_celery_beat.models import PeriodicTask

    from departments.tasks import prune_sign_in_failures

    client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    old = LoginFailure.objects.create(username="staff", ip_address="10.0.0.9")
    LoginFailure.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    assert prune_sign_in_failures.apply().get() == 1  # the task as the worker runs it
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["staff"]  # today's stays
    entry = PeriodicTask.objects.get(task="departments.prune_sign_in_failures")
    assert entry.enabled and (entry.crontab.hour, entry.crontab.minute, str(entry.crontab.timezone)) == (
        "3",
        "15",
        "Asia/Shanghai",
    )
