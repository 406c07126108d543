"""How numbers and dates read in a line's sentence (the sentences are each rule's own,
in registry.py): plain Python."""

from datetime import date
from decimal import Decimal


def cn_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "未定"


def num(value) -> str:
    """15.00 → 15, 0.50 → 0.5: points as people write them."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def share_text(is_lead: bool, share) -> str:
    return "牵头单位计全部" if is_lead else f"配合单位计{num(Decimal(share) * 100)}%"
