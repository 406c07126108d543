"""API tokens: one per user, made here with the account's password or by the office in
the admin (认证令牌), and revoked in either place."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from departments.throttle import attempt_begin, attempt_succeeded, lock_minutes

from .parsers import LimitedJSONParser
from .serializers import StrictSerializer


class TokenRequestSerializer(StrictSerializer, AuthTokenSerializer):
    def validate(self, attrs):
        # The same lock as the sign-in pages: guessing passwords here is no easier.
        username, request = attrs.get("username") or "", self.context.get("request")
        if username and not attempt_begin(username, request):
            raise serializers.ValidationError(
                f"登录失败次数过多，已暂停登录，请{lock_minutes()}分钟后再试。", code="locked"
            )
        attrs = super().validate(attrs)
        attempt_succeeded(request)
        return attrs


TokenSerializer = inline_serializer("Token", {"token": serializers.CharField()})


class TokenView(ObtainAuthToken, APIView):
    parser_classes = [LimitedJSONParser]
    serializer_class = TokenRequestSerializer

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else []

    @extend_schema(
        summary="取得令牌 · Get a token",
        description=(
            "以账号和密码换取该账号的令牌（已有则返回原令牌），之后以 Authorization: Token <令牌> 调用。"
            "· Exchange a username and password for the account's token; then send Authorization: Token <token>."
        ),
        request=TokenRequestSerializer,
        responses=TokenSerializer,
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    @extend_schema(
        summary="作废令牌 · Revoke the token",
        description="作废当前账号的令牌；此后须重新取得。· Revokes this account's token.",
        request=None,
        responses={204: None},
    )
    def delete(self, request, *args, **kwargs):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
