"""Every API error as one JSON shape: {"detail": "…", "errors": {field: [messages]}}.

`detail` is one sentence in Chinese a person can act on; `errors` (400 only) names the
fields. A service's django ValidationError becomes a 400 here, so that no refusal of a
service reaches the client as a 500."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views.defaults import page_not_found
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def _from_django(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return ValidationError(detail)


def _first(errors) -> str:
    """The first message, whatever the nesting ({"tasks": [{"deadline": ["…"]}]})."""
    if isinstance(errors, dict):
        for value in errors.values():
            found = _first(value)
            if found:
                return found
        return ""
    if isinstance(errors, list):
        for value in errors:
            found = _first(value)
            if found:
                return found
        return ""
    return str(errors)


def _field_of(errors) -> str:
    if isinstance(errors, dict) and errors:
        field = next(iter(errors))
        return "" if field == api_settings.NON_FIELD_ERRORS_KEY else field
    return ""


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = _from_django(exc)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, ValidationError):
        return response
    errors = response.data if isinstance(response.data, dict) else {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    message, field = _first(errors) or "提交的内容有误。", _field_of(errors)
    response.data = {"detail": f"{field}：{message}" if field else message, "errors": errors}
    return response


def not_found(request, exception=None):
    """A URL that matches nothing: JSON under /api/, the site's own page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "未找到。"}, status=404)
    return page_not_found(request, exception)
