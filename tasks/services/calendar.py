"""The office's table of holidays and 调休 days (CalendarDay)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

import workdays
from departments.permissions import is_office

from .. import rules
from ..models import CalendarDay


@transaction.atomic
def calendar_day_set(*, by, day: date, working: bool, name: str = "") -> CalendarDay:
    """Enter or correct one day: a holiday (working=False) or a 调休 day worked (True)."""
    rules.require(is_office(by), "只有政府办可以维护节假日安排。")
    if working and day.weekday() < 5:
        raise ValidationError({"working": f"{day}是周一至周五，本就是工作日，无需登记为调休上班。"})
    if not working and day.weekday() >= 5:
        raise ValidationError({"working": f"{day}是周末，本就休息，无需登记为放假。"})
    row = CalendarDay(day=day, working=working, name=name.strip(), updated_by=by)
    row.full_clean(validate_unique=False)
    row.save()
    return row


@transaction.atomic
def calendar_day_remove(*, by, day: date) -> None:
    rules.require(is_office(by), "只有政府办可以维护节假日安排。")
    CalendarDay.objects.filter(day=day).delete()


@transaction.atomic
def calendar_seed(*, year: int, by=None) -> int:
    """Copy chinesecalendar's days of `year` into the table, keeping any day the office has
    entered itself. The number of days added; a year the package does not know is refused."""
    if by is not None:
        rules.require(is_office(by), "只有政府办可以维护节假日安排。")
    days = workdays.official_days(year)
    if not days:
        raise ValidationError(f"内置日历没有{year}年的节假日安排，请按国务院办公厅通知逐日录入。")
    have = set(CalendarDay.objects.filter(day__year=year).values_list("day", flat=True))
    rows = [
        CalendarDay(day=day, working=working, name=name, updated_by=by)
        for day, working, name in days
        if day not in have
    ]
    CalendarDay.objects.bulk_create(rows)
    return len(rows)
