"""The OpenAPI schema documents the API's errors too, so that clients (and schemathesis)
can hold every answer to the schema, not only the successful ones."""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="给人看的一句话（中文）· one sentence for a person")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="仅400：字段 → 错误信息列表 · 400 only: field → messages",
    )

    class Meta:
        ref_name = "Error"


ERRORS = {
    "400": "输入有误 · bad input",
    "401": "未认证 · not authenticated",
    "403": "无权操作 · not allowed",
    "404": "不存在或不可见 · not found, or not visible to this account",
    "413": "请求内容过大 · body too large",
    "415": "请求内容不是JSON · the body is not JSON",
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["401", "403", "404"] if self.get_auth() else []
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["400", "413", "415"]
        elif self.method == "GET" and self._get_filter_parameters():
            codes.append("400")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code]["description"] = ERRORS[code]
        return responses
