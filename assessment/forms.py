from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tasks.choices import TaskSource
from tasks.models import Plan

from .models import Scheme
from .scoring.explain import num
from .services import SCHEME_FIELDS

PERCENT_FIELDS = ("late_percent_per_week", "late_cap_percent", "cooperating_share_percent")
# Percentages that are shares of one thing cannot pass 100; a weekly rate can (the cap holds it).
SHARE_FIELDS = ("late_cap_percent", "cooperating_share_percent")


class SchemeForm(forms.ModelForm):
    classes = forms.CharField(
        label=_("分类排名"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一类，如“政府线：区发改委、区财政局”；未列入的部门按部门类型分类。"),
    )

    class Meta:
        model = Scheme
        fields = [name for name in SCHEME_FIELDS if name != "source_weights"]  # one field per source below

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.order_by("-year", "title")
        self.fields["plan"].empty_label = _("（该年度全部方案）")
        # 来源权重: one number per source, 1 unless the scheme weights it.
        for source, label in TaskSource.choices:
            self.fields[f"weight_{source}"] = forms.DecimalField(
                label=gettext("%(source)s权重") % {"source": label},
                required=False,
                min_value=0,
                max_value=10,
                max_digits=6,
                decimal_places=2,
                initial=self.instance.source_weight(source),
                help_text=_("该来源任务的分值乘以此数；1为不加权。") if source == TaskSource.PLAN else "",
                error_messages={"min_value": _("权重不能为负数。"), "max_value": _("权重不能超过10。")},
                widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "10"}),
            )
        for name in self.Meta.fields:
            field = self.fields[name]
            if isinstance(field, forms.DecimalField):
                field.widget.attrs.update({"step": "0.01", "min": "0"})
                if name in SHARE_FIELDS:
                    field.widget.attrs["max"] = "100"

    def clean(self):
        data = super().clean()
        for name in self.Meta.fields:
            value = data.get(name)
            if not isinstance(value, Decimal):
                continue
            if value < 0:
                self.add_error(name, gettext("不能为负数；扣分请填正数，规则决定加还是扣。"))
            elif name in SHARE_FIELDS and value > 100:
                self.add_error(name, gettext("不能超过100%。"))
        plan, year = data.get("plan"), data.get("year")
        if plan and plan.year and year and plan.year != year:
            self.add_error(
                "plan",
                gettext("所选方案是%(plan_year)s年度的，与考核年度%(year)s年不符。")
                % {"plan_year": plan.year, "year": year},
            )
        return data

    def _post_clean(self):
        # The service validates the model (constraints included) inside its transaction.
        self.instance_data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        weights = {source: self.cleaned_data.get(f"weight_{source}") for source in TaskSource.values}
        self.instance_data["source_weights"] = {
            source: num(weight) for source, weight in weights.items() if weight is not None and weight != 1
        }


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("重新开启原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
