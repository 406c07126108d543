from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .models import Department
from .throttle import attempt_begin, attempt_succeeded, lock_minutes


class ThrottledLoginMixin:
    """Count the attempt before checking the password, and refuse when the account or the
    address is locked, so a locked account cannot be probed further either."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and self.cleaned_data.get("password") and not attempt_begin(username, self.request):
            raise forms.ValidationError(
                gettext("登录失败次数过多，已暂停登录，请%(minutes)s分钟后再试。") % {"minutes": lock_minutes()},
                code="locked",
            )
        cleaned = super().clean()
        attempt_succeeded(self.request)
        return cleaned


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": _("用户名或密码不正确，请重新输入。")}


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class PersonForm(forms.Form):
    """A person's account as the office enters it; the service validates and saves."""

    full_name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.CharField(label=_("职务"), max_length=50, required=False)
    mobile = forms.CharField(label=_("手机"), max_length=11, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("用于接收消息和找回密码。"))
    department = forms.ModelChoiceField(label=_("部门"), queryset=None)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True).order_by("name")


class NewPersonForm(PersonForm):
    username = forms.CharField(label=_("登录名"), max_length=150, help_text=_("登录时使用，创建后不能修改。"))
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput(render_value=False))

    field_order = ["full_name", "username", "password", "title", "mobile", "email", "department", "role"]


class PasswordSetForm(forms.Form):
    password = forms.CharField(
        label=_("新密码"), widget=forms.PasswordInput, help_text=_("请当面或电话告知本人，登录后自行修改。")
    )


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("并入"), queryset=None, help_text=_("两个名称是同一个单位时使用，合并后不能撤销。")
    )

    def __init__(self, *args, source=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Department.objects.filter(is_active=True).exclude(pk=source.pk).order_by("name")
        )
