"""Working days: the State Council's holidays and 调休 weekends, and the office's own days."""

from datetime import date

import workdays


def test_a_weekday_inside_the_national_day_holiday_is_not_a_working_day():
    assert not workdays.is_working_day(date(2026, 10, 5))  # a Monday
    assert workdays.holiday_name(date(2026, 10, 5)) == "国庆节"


def test_an_adjusted_weekend_is_a_working_day():
    # 2026: Saturday 9 May was worked in exchange for the Labour Day holiday.
    assert workdays.is_working_day(date(2026, 5, 9))


def test_three_working_days_from_a_friday_end_on_wednesday():
    assert workdays.add_working_days(date(2026, 11, 27), 3) == date(2026, 12, 2)


def test_working_days_skip_the_national_day_week():
    # Given out on Wednesday 30 September 2026: the holiday runs 1-7 October.
    assert workdays.add_working_days(date(2026, 9, 30), 1) > date(2026, 10, 7)


def test_a_year_the_package_does_not_know_falls_back_to_weekdays_and_the_office_overrides_it():
    national_day_2027 = date(2027, 10, 4)  # a Monday
    assert workdays.is_working_day(national_day_2027)
    assert not workdays.is_working_day(national_day_2027, {national_day_2027: False})
    assert workdays.working_days_between(date(2027, 10, 1), date(2027, 10, 8), {national_day_2027: False}) == 4
