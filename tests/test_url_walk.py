"""Every URL the portal serves, walked: an anonymous visitor is sent to sign in (pages)
or refused (the API), except on the pages meant for everyone."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Open to anyone, on purpose.
PUBLIC = {
    "/accounts/login/",
    "/accounts/logout/",  # signing out (POST) when not signed in just lands on the login page
    "/public/plans/x/",  # plans the office has published (政务公开)
    "/i18n/setlang/",
    "/api/auth/token/",  # exchanging a password for a token (throttled like sign-in)
    # A forgotten password, reset by a mailed link (404 where no mail server is set up).
    "/accounts/password/reset/",
    "/accounts/password/reset/sent/",
    "/accounts/password/reset/x/x/",
    "/accounts/password/reset/complete/",
}
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/")  # the admin has its own login; files are served elsewhere


def walk(resolvers, prefix=""):
    for entry in resolvers:
        pattern = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + pattern)
        elif isinstance(entry, URLPattern):
            yield prefix + pattern


def concrete(pattern: str) -> str | None:
    """A real path for a pattern, ids 1 and words x; None for the API's format-suffix
    variants (`.json`), which lead to the same views as the plain routes."""
    if "format" in pattern:
        return None
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", pattern)  # the API router's regex routes
    path = re.sub(r"<int:\w+>", "1", path)
    path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + path.lstrip("/")


def paths():
    found = sorted({concrete(p) for p in walk(get_resolver().url_patterns)} - {None})
    return [p for p in found if not p.startswith(SKIPPED_PREFIXES) and p not in PUBLIC and p != "/"]


def test_the_walk_finds_the_portal_and_the_api():
    walked = paths()
    assert "/tasks/1/" in walked and "/dashboard/" in walked
    assert any(p.startswith("/api/") for p in walked)


@pytest.mark.parametrize("path", paths())
def test_an_anonymous_visitor_is_sent_to_sign_in(client, path):
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        if path.startswith("/api/"):
            assert response.status_code in (401, 403), (method, path, response.status_code)
        else:
            assert response.status_code == 302, (method, path, response.status_code)
            assert response.url.startswith("/accounts/login/?next="), (method, path, response.url)


def test_the_root_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("path", paths())
def test_a_post_without_the_csrf_token_is_refused(demo_users, path):
    """Signed in, a form posted from another site (no CSRF token) is refused everywhere."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="office"))
    response = client.post(path, {"anything": "1"})
    assert response.status_code == 403, (path, response.status_code)
