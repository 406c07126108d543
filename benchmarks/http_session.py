"""A browser-like HTTP session against a portal process on the loopback: cookies, the
CSRF token, and answers read whole. For tests and the load test, standard library only."""

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Session:
    """`base` is one address, or several that take the requests in turn (instances of the
    portal behind a balancer without sticky sessions: each must honour the others' sign-in
    and CSRF token)."""

    def __init__(self, base: str | list[str], timeout: float = 30):
        self.bases = [base] if isinstance(base, str) else list(base)
        self.timeout, self.turn = timeout, 0
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, float]:
        """(status, body, seconds); redirects are answers, not followed."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        base = self.bases[self.turn % len(self.bases)]
        self.turn += 1
        request = urllib.request.Request(base + path, data=body)
        if data is not None:
            request.add_header("Referer", base + path)
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read().decode("utf-8", "replace"), time.perf_counter() - start
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), time.perf_counter() - start

    def get(self, path: str):
        return self.request(path)

    def post(self, path: str, data: dict, form_page: str | None = None):
        """POST with the CSRF token of `form_page` (default: the same path)."""
        _, page, _ = self.get(form_page or path)
        match = TOKEN.search(page)
        token = match.group(1) if match else ""
        return self.request(path, {**data, "csrfmiddlewaretoken": token})

    def sign_in(self, username: str, password: str) -> bool:
        status, _, _ = self.post("/accounts/login/", {"username": username, "password": password})
        return status == 302
