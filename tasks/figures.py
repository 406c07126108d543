"""How the portal rounds the figures it prints: one rule, so a figure never disagrees with its
own formula (11.3% beside "45 ÷ 4 = 11.2%" came from Python's float format rounding half to
even and the template's floatformat rounding half up). Plain Python.

Half up, on the decimal value, to one place for percentages and two for points."""

from decimal import ROUND_HALF_UP, Decimal

PERCENT_PLACES = 1


def rounded(value, places: int = PERCENT_PLACES) -> Decimal:
    """`value` rounded half up to `places` decimals (a float goes through its shortest text,
    so 11.25 stays 11.25 rather than 11.2499…)."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def share_percent(part, whole, places: int = PERCENT_PLACES) -> Decimal | None:
    """part ÷ whole × 100, rounded; None when there is nothing to divide by."""
    if not whole:
        return None
    return rounded(Decimal(part) * 100 / Decimal(whole), places)


def percent_text(value, places: int = PERCENT_PLACES) -> str:
    """ "11.3%", or "—" for no value."""
    if value is None:
        return "—"
    return f"{rounded(value, places)}%"
