"""The official calendar as the office keeps it: the rows of CalendarDay, read as the
overrides workdays counts with."""

from datetime import date

from django.utils.translation import gettext

import workdays

from ..models import CalendarDay


def calendar_overrides() -> dict[date, bool]:
    """Every day the office has entered (a few dozen a year): one query."""
    return dict(CalendarDay.objects.values_list("day", "working"))


def calendar_names() -> dict[date, str]:
    return {day: name for day, name in CalendarDay.objects.exclude(name="").values_list("day", "name")}


def year_has_calendar(year: int) -> bool:
    """Whether the office has entered `year`'s days, or chinesecalendar knows them."""
    return CalendarDay.objects.filter(day__year=year).exists() or workdays.known_year(year)


def calendar_missing_note(today: date) -> str:
    """What to tell the office when next year (from December, or this year) has no calendar."""
    for year in (today.year, today.year + 1):
        if not year_has_calendar(year):
            return gettext(
                "%(year)s年的节假日和调休安排尚未录入：按工作日计算的时限暂按周一至周五计算。"
                "国务院办公厅通知发布后，请在“节假日与调休”中录入。"
            ) % {"year": year}
    return ""


def add_working_days(start: date, count: int) -> date:
    return workdays.add_working_days(start, count, calendar_overrides())


def holiday_note(day: date) -> str:
    return workdays.holiday_note(day, calendar_overrides(), calendar_names())
