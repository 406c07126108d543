"""LongSelect writes the options Django's Select would, escaping included."""

import re

import pytest
from django import forms

from reform_portal.forms import LongSelect

CHOICES = [
    ("", "---------"),
    (1, "a<b>\"&'<script>alert(1)</script>"),
    (2, "发展和改革委员会"),
    ('x"y', "值里有引号"),
    ("组", [(3, "市委办公室"), (4, "市政府办公室")]),
]


def normalised(html: str) -> str:
    """Django's output without the line breaks between tags, attributes in one order."""
    html = re.sub(r">\s+<", "><", html.strip())
    return re.sub(r"<select ([^>]*)>", lambda m: "<select " + " ".join(sorted(m.group(1).split(" "))) + ">", html)


@pytest.mark.parametrize("value", [None, "", "2", 2, 4, 'x"y', "不存在"])
def test_the_options_are_djangos(value):
    attrs = {"id": "id_department", "class": "wide"}
    expected = forms.Select(choices=CHOICES).render("department", value, attrs)
    written = LongSelect(choices=CHOICES).render("department", value, attrs)
    assert normalised(written) == normalised(expected)
    assert "<script>" not in written
    assert written.count(" selected") == (0 if value == "不存在" else 1)
