from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DeliverySettings


class DeliverySettingsForm(forms.ModelForm):
    """Where a person's messages go besides the inbox."""

    address = forms.EmailField(label=_("电子邮箱"), required=False)

    class Meta:
        model = DeliverySettings
        fields = ["email", "webhook", "webhook_url", "webhook_secret", "digest"]
        widgets = {"webhook_secret": forms.PasswordInput(render_value=True)}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["address"].initial = user.email
        self.order_fields(["email", "address", "webhook", "webhook_url", "webhook_secret", "digest"])

    def clean(self):
        data = super().clean()
        if data.get("email") and not data.get("address"):
            self.add_error("address", _("选择电子邮件须填写邮箱地址。"))
        if data.get("webhook") and not data.get("webhook_url"):
            self.add_error("webhook_url", _("选择群机器人须填写 Webhook 地址。"))
        return data
