from decimal import Decimal

from django import forms

from tasks.models import Plan

from .models import Scheme
from .services import SCHEME_FIELDS

PERCENT_FIELDS = ("late_percent_per_week", "late_cap_percent", "cooperating_share_percent")
# Percentages that are shares of one thing cannot pass 100; a weekly rate can (the cap holds it).
SHARE_FIELDS = ("late_cap_percent", "cooperating_share_percent")


class SchemeForm(forms.ModelForm):
    classes = forms.CharField(
        label="分类排名",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一类，如“政府线：区发改委、区财政局”；未列入的部门按部门类型分类。",
    )

    class Meta:
        model = Scheme
        fields = SCHEME_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.order_by("-year", "title")
        self.fields["plan"].empty_label = "（该年度全部方案）"
        for name in SCHEME_FIELDS:
            field = self.fields[name]
            if isinstance(field, forms.DecimalField):
                field.widget.attrs.update({"step": "0.01", "min": "0"})
                if name in SHARE_FIELDS:
                    field.widget.attrs["max"] = "100"

    def clean(self):
        data = super().clean()
        for name in SCHEME_FIELDS:
            value = data.get(name)
            if not isinstance(value, Decimal):
                continue
            if value < 0:
                self.add_error(name, "不能为负数；扣分请填正数，规则决定加还是扣。")
            elif name in SHARE_FIELDS and value > 100:
                self.add_error(name, "不能超过100%。")
        plan, year = data.get("plan"), data.get("year")
        if plan and plan.year and year and plan.year != year:
            self.add_error("plan", f"所选方案是{plan.year}年度的，与考核年度{year}年不符。")
        return data

    def _post_clean(self):
        # The service validates the model (constraints included) inside its transaction.
        self.instance_data = {name: self.cleaned_data.get(name) for name in SCHEME_FIELDS}


class ReopenForm(forms.Form):
    reason = forms.CharField(label="重新开启原因", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
