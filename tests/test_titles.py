"""Titles broken between phrases, in balanced lines (documents/titles.py)."""

import pytest

from documents.titles import title_lines, width


@pytest.mark.parametrize(
    "title,expected",
    [
        ("关于2026年改革任务专项督查情况的通报", ["关于2026年改革任务专项督查情况的通报"]),
        ("关于2026年度第一批深化改革任务专项督查情况的通报", ["关于2026年度第一批", "深化改革任务专项督查情况的通报"]),
        ("督办单", ["督办单"]),
    ],
)
def test_titles_break_between_phrases(title, expected):
    assert title_lines(title) == expected


def test_a_long_title_never_breaks_inside_a_word_and_every_line_fits():
    title = "关于湛江市2015年推进简政放权放管结合转变政府职能工作方案落实情况专项督查的通报"
    lines = title_lines(title)
    assert "".join(lines) == title and len(lines) >= 2
    assert all(width(line) <= 20 for line in lines)
    assert not any(a.endswith("专") and b.startswith("项") for a, b in zip(lines, lines[1:], strict=False))
