"""The year's numbers of the documents supervision issues: 督查通报〔2026〕3号, 督办〔2026〕3号.
One counter row per kind and year, the same mechanism for both."""

from django.db.models import F

from ..choices import SequenceKind
from ..models import NumberSequence


def next_number(year: int, kind: str = SequenceKind.BULLETIN) -> int:
    """The next number of the kind's year. The UPDATE locks the row until the transaction
    ends (PostgreSQL row lock; SQLite's single writer), so no two documents share a number;
    a number taken stays taken even if its document is abandoned later."""
    NumberSequence.objects.get_or_create(kind=kind, year=year)
    rows = NumberSequence.objects.filter(kind=kind, year=year)
    rows.update(last=F("last") + 1)
    return rows.values_list("last", flat=True).get()
