"""Working days (工作日) in mainland China: weekends, the public holidays of the State
Council's yearly notice, and the adjusted working weekends (调休) that come with them.

Plain Python, no Django. The years the `chinesecalendar` package knows come from it; a
year it does not know yet (the notice for year N is published late in year N-1) falls
back to Monday-Friday, and the portal passes the days its office has entered by hand as
`overrides`, which win over both. Deadlines "in N working days" (签收时限, 反馈时限, the
answer periods of 建议提案) are all counted here, so every part of the portal agrees.
"""

import functools
from collections.abc import Mapping
from datetime import date, timedelta

import chinese_calendar

Overrides = Mapping[date, bool]  # a day → True if it is a working day


def is_working_day(day: date, overrides: Overrides | None = None) -> bool:
    if overrides and day in overrides:
        return overrides[day]
    return _national_working_day(day)


# The package's answer for a day never changes while the process runs, and each call
# checks the date against its whole table (min and max over every holiday): the reminder
# sweep at a million tasks asked 600 000 times and spent 16 s there.
@functools.lru_cache(maxsize=8192)
def _national_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package has no notice for yet
        return day.weekday() < 5


def holiday_name(day: date) -> str | None:
    """The public holiday `day` falls in, in Chinese, if the package knows it."""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    if not on_holiday or name is None:
        return None
    return HOLIDAY_NAMES.get(name, name)


HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def add_working_days(start: date, count: int, overrides: Overrides | None = None) -> date:
    """The day `count` working days after `start` (start itself not counted): given out on
    a Friday with 3 working days to acknowledge, the deadline is the next Wednesday."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    while count:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            count -= 1
    return day


def working_days_between(start: date, end: date, overrides: Overrides | None = None) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        days += is_working_day(day, overrides)
    return days


def known_year(year: int) -> bool:
    """Whether chinesecalendar holds the State Council's notice for `year`."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def official_days(year: int) -> list[tuple[date, bool, str]]:
    """The days of `year` the package's calendar sets apart from Monday-Friday, as
    (day, working, name): weekday holidays (False) and 调休 weekends worked (True).
    Empty for a year the package does not know."""
    if not known_year(year):
        return []
    days, day = [], date(year, 1, 1)
    while day.year == year:
        working = chinese_calendar.is_workday(day)
        if working != (day.weekday() < 5):
            name = holiday_name(day) or _holiday_near(day)
            days.append((day, working, f"{name}调休上班" if working and name else name or ""))
        day += timedelta(days=1)
    return days


def _holiday_near(day: date) -> str | None:
    """The holiday a 调休 Saturday or Sunday is worked for: the nearest within two weeks."""
    for distance in range(1, 15):
        for near in (day + timedelta(days=distance), day - timedelta(days=distance)):
            name = holiday_name(near)
            if name:
                return name
    return None


def holiday_note(day: date, overrides: Overrides | None = None, names: Mapping[date, str] | None = None) -> str:
    """A sentence saying that `day` is not a working day, or "" when it is one."""
    if is_working_day(day, overrides):
        return ""
    name = (names or {}).get(day) or holiday_name(day)
    kind = f"{name}假期" if name else "休息日"
    return f"{day.year}年{day.month}月{day.day}日是{kind}，不是工作日。"
