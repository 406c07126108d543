from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation


class ChosenLanguageMiddleware:
    """Chinese unless the user chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and a
    government portal should not change language because a workstation's
    browser was installed in English."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class ContentSecurityPolicyMiddleware:
    """Pages may load scripts, styles, images and data only from the portal itself, and
    no script written into the HTML runs: what a user typed can never become code.
    Inline style attributes stay allowed (they cannot run anything)."""

    POLICY = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = self.POLICY
        if response.get("X-Frame-Options") == "SAMEORIGIN":  # a view meant to be framed by our own pages
            policy = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        return response


class DatabaseUnavailableMiddleware:
    """While the database is away (restarting, unreachable) a request fails at once with
    503 and a plain Chinese page, rather than a 500; the transaction it was in is rolled
    back, and the next request after the database returns reconnects by itself
    (CONN_HEALTH_CHECKS), with no restart of the portal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        # SQLite still busy after its timeout is a queue of writers, not an outage.
        busy = "database is locked" in str(exception)
        detail = "系统繁忙，您的操作没有保存，请稍后重试。" if busy else "数据库暂时不可用，请稍后重试。"
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": detail}, status=503, json_dumps_params={"ensure_ascii": False})
        else:
            # Rendered without the request: the page's usual context would ask the database.
            response = HttpResponse(render_to_string("503.html", {"busy": busy}), status=503)
        response["Retry-After"] = "30"
        return response
