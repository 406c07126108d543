"""`{{ value|percent }}`: a percentage rounded by the portal's one rule (tasks.figures)."""

from django import template
from django.template.defaultfilters import date as dateformat
from django.utils.html import format_html
from django.utils.translation import get_language

from tasks.figures import percent_text, rounded

register = template.Library()


@register.filter
def percent(value) -> str:
    return percent_text(value)


@register.filter
def percent_number(value) -> str:
    """The bare number, for a CSS width."""
    return "0" if value in (None, "") else str(rounded(value))


@register.filter
def day(value) -> str:
    """A date in a list: 2026年11月16日 (Nov 16, 2026 in English) that never wraps mid-date."""
    if not value:
        return ""
    pattern = "N j, Y" if (get_language() or "").startswith("en") else "Y年n月j日"
    return format_html('<time class="date" datetime="{}">{}</time>', value.isoformat()[:10], dateformat(value, pattern))
