"""Request bodies the API accepts: JSON up to settings.API_MAX_BODY_BYTES, and multipart
file uploads (evidence) up to settings.API_MAX_UPLOAD_BYTES."""

import codecs
import json

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser, MultiPartParser


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"

    def __init__(self, limit: int):
        super().__init__(f"请求内容超过{limit / 1024 / 1024:g} MB的上限，请拆分后再提交。")


def _refuse_declared(parser_context, limit: int) -> None:
    request = (parser_context or {}).get("request")
    declared = request.META.get("CONTENT_LENGTH") if request is not None else None
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)


def _refuse_nan(name: str):
    raise ParseError(f"JSON中不能使用{name}。")


class LimitedJSONParser(JSONParser):
    """DRF's JSON parser, but refusing an oversized body (413) before reading it, and
    reading at most the limit when no length is given, so a huge body costs no memory."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        _refuse_declared(parser_context, limit)
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise BodyTooLarge(limit)
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(body, encoding)
            return json.loads(text, parse_constant=_refuse_nan)
        except (ValueError, LookupError) as error:
            raise ParseError(f"请求内容不是有效的JSON：{error}") from error
        except RecursionError as error:
            raise ParseError("请求内容的JSON嵌套过深。") from error


class LimitedMultiPartParser(MultiPartParser):
    """Uploads: Django's multipart parser streams files to disk; the whole body is refused
    (413) when its declared length is over the limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        _refuse_declared(parser_context, settings.API_MAX_UPLOAD_BYTES)
        return super().parse(stream, media_type, parser_context)
