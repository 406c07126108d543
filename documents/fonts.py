"""The font families of official documents as CSS, from settings.OFFICIAL_FONTS."""

import re

from django.conf import settings
from django.utils.safestring import mark_safe

# Where each role's list applies. GB/T 9704-2012 §5.2 and §7.3: body 仿宋, title 小标宋,
# first-level headings 黑体, second-level 楷体; page numbers in Arabic digits.
_SELECTORS = {
    "body": ".official",
    "title": ".official .mark, .official h1, .official .annex-title",
    "heading": ".official h2, .official .annex-label, .official th",
    "kai": ".official .level-2",
}
_UNSAFE = re.compile(r"[\"'\\<>{};]")


def family_list(role: str) -> str:
    names = [_UNSAFE.sub("", name).strip() for name in settings.OFFICIAL_FONTS[role]]
    return ", ".join(f'"{name}"' for name in names if name) + ", serif"


def font_css() -> str:
    rules = [f"{selector} {{ font-family: {family_list(role)}; }}" for role, selector in _SELECTORS.items()]
    number = family_list("number")
    rules.append(f"@page {{ @bottom-right {{ font-family: {number}; }} @bottom-left {{ font-family: {number}; }} }}")
    return mark_safe("\n".join(rules))  # built from settings with quotes and braces stripped
