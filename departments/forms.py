from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from .throttle import client_address, is_locked, lock_minutes


class ThrottledLoginMixin:
    """Refuse before checking the password when the account or the address is locked,
    so a locked account cannot be probed further either."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and is_locked(username, client_address(self.request)):
            raise forms.ValidationError(f"登录失败次数过多，已暂停登录，请{lock_minutes()}分钟后再试。", code="locked")
        return super().clean()


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": "用户名或密码不正确，请重新输入。"}


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
