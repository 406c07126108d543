"""Dates as official documents print them."""

from datetime import date


def chinese_date(day: date) -> str:
    """2026年11月21日: GB/T 9704-2012 §7.3.5.3, Arabic numerals, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def deadline_words(deadline: date | None, phrase: str, original: date | None) -> str:
    """The deadline as a document prints it: the phrase the office last confirmed while the
    plan's date holds; once an approved extension has moved it, the new date with the old
    words beside it, "2027年6月30日（原定2027年3月底前，经批准延期至2027年6月30日）"."""
    if deadline is None:
        return phrase or "未定"
    if original is not None and original != deadline:
        now = chinese_date(deadline)
        return f"{now}（原定{phrase or chinese_date(original)}，经批准延期至{now}）"
    return phrase or chinese_date(deadline)
