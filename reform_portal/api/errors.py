"""Every API error as one JSON shape: {"detail": "…", "errors": {field: [messages]}}.

`detail` is one sentence in Chinese a person can act on; `errors` (400 only) names the
fields. A service's django ValidationError becomes a 400 here, so that no refusal of a
service reaches the client as a 500."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.defaults import page_not_found
from django.views.defaults import permission_denied as page_denied
from rest_framework.exceptions import NotFound, ValidationError
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


# What a refusal says when the text DRF or Django would give is English or names a model
# ("No ProgressReport matches the given query.", "CSRF Failed: …"): by status, in Chinese.
_BY_STATUS = {
    400: "请求内容格式错误。",
    401: "未登录或令牌无效。",
    403: "无权执行此操作。",
    404: "未找到。",
    405: "不支持此请求方法。",
    406: "无法按请求的格式返回。",
    413: "提交的内容过大。",
    415: "不支持的内容类型。",
    429: "请求过于频繁，请稍后再试。",
}
_CSRF = "CSRF 校验失败：请刷新页面后重试，或使用令牌（Authorization: Token …）调用接口。"


def _chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = _from_django(exc)
    if isinstance(exc, Http404):
        exc = NotFound(_BY_STATUS[404])  # Django's text names the model that was looked up
    response = drf_exception_handler(exc, context)
    if response is None:
        return response
    if not isinstance(exc, ValidationError):
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        if detail is not None and not _chinese(str(detail)):
            csrf = str(detail).startswith("CSRF Failed")
            response.data["detail"] = _CSRF if csrf else _BY_STATUS.get(response.status_code, "请求未能完成。")
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


def permission_denied(request, exception=None):
    """A page the role may not open: JSON under /api/, the portal's styled 403.html elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _BY_STATUS[403]}, status=403)
    return page_denied(request, exception)
