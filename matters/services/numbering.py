"""督办编号: one gap-free sequence per source and year (批〔2026〕15号)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F

from tasks.models import Task

from ..models import CodeSequence


def code_format(source: str, year: int, number: int) -> str:
    return settings.PORTAL["MATTER_CODES"][source].format(year=year, number=number)


def code_check(code: str) -> None:
    """A number typed by hand must not be one already given."""
    if Task.objects.filter(code=code).exists():
        raise ValidationError({"code": f"督办编号“{code}”已被使用，请核对或留空由系统编号。"})


def code_next(*, source: str, year: int) -> str:
    """The next number of the source's year. Call inside the registration's transaction: the
    UPDATE locks the row until commit, so concurrent registrations queue rather than collide,
    and a registration that fails gives its number back. A number the office typed by hand
    ahead of the sequence is stepped over."""
    CodeSequence.objects.get_or_create(source=source, year=year)
    rows = CodeSequence.objects.filter(source=source, year=year)
    while True:
        rows.update(last=F("last") + 1)
        code = code_format(source, year, rows.values_list("last", flat=True).get())
        if not Task.objects.filter(code=code).exists():
            return code
