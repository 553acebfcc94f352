"""Norwegian working days (bot/domain/workdays.py)."""

from __future__ import annotations

import datetime as dt
from datetime import date

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.workdays import (
    add_working_days,
    is_working_day,
    next_working_day,
    previous_working_day,
    working_days_between,
)


def norwegian_holiday(day: date) -> str | None:
    """The oracle: the public holiday on `day` by the `holidays` library's Norwegian calendar, by name."""
    return holidays.country_holidays("NO", years=day.year, language="no", include_sundays=False).get(day)


# -- fixed dates --


@pytest.mark.parametrize(
    "day, name",
    [
        (date(2027, 1, 1), "Første nyttårsdag"),  # Friday
        (date(2027, 3, 25), "Skjærtorsdag"),  # Maundy Thursday
        (date(2027, 3, 26), "Langfredag"),  # Good Friday
        (date(2027, 3, 29), "Andre påskedag"),  # Easter Monday
        (date(2027, 5, 6), "Kristi himmelfartsdag"),  # Ascension Day
        (date(2027, 5, 17), "Grunnlovsdag"),  # Constitution Day, also Whit Monday in 2027
        (date(2026, 5, 1), "Arbeidernes dag"),  # Friday
        (date(2026, 5, 14), "Kristi himmelfartsdag"),
        (date(2026, 5, 25), "Andre pinsedag"),  # Whit Monday
        (date(2026, 12, 25), "Første juledag"),  # Friday
        (date(2028, 12, 26), "Andre juledag"),  # Tuesday
    ],
)
def test_weekday_public_holidays_are_not_working_days(day: date, name: str) -> None:
    assert day.weekday() < 5
    assert not is_working_day(day)
    assert name in (norwegian_holiday(day) or "")  # the day is the holiday it says


@pytest.mark.parametrize(
    "day",
    [
        date(2027, 12, 24),  # Christmas Eve, Friday: not a public holiday
        date(2026, 12, 24),  # Thursday
        date(2026, 12, 31),  # New Year's Eve, Thursday
        date(2027, 3, 24),  # Wednesday before Easter
        date(2027, 3, 30),  # Tuesday after Easter
        date(2027, 5, 18),  # the day after 17 May
        date(2027, 5, 7),  # Friday after Ascension
    ],
)
def test_ordinary_weekdays_are_working_days(day: date) -> None:
    assert is_working_day(day)
    assert norwegian_holiday(day) is None


def test_christmas_eve_working_but_christmas_not() -> None:
    assert is_working_day(date(2025, 12, 24))  # Wednesday
    assert not is_working_day(date(2025, 12, 25))
    assert not is_working_day(date(2025, 12, 26))
    assert is_working_day(date(2025, 12, 29))


def test_weekends_never() -> None:
    day = date(2027, 1, 2)  # Saturday
    for _ in range(200):
        assert not is_working_day(day)
        assert not is_working_day(day + dt.timedelta(days=1))
        day += dt.timedelta(weeks=1)


def test_datetime_is_treated_as_its_date() -> None:
    assert not is_working_day(dt.datetime(2027, 5, 17, 9, 0))
    assert is_working_day(dt.datetime(2027, 5, 18, 9, 0))
    assert next_working_day(dt.datetime(2027, 5, 14, 23, 0)) == date(2027, 5, 18)


def test_next_and_previous_across_easter() -> None:
    assert next_working_day(date(2027, 3, 24)) == date(2027, 3, 30)
    assert previous_working_day(date(2027, 3, 30)) == date(2027, 3, 24)
    assert next_working_day(date(2027, 3, 26)) == date(2027, 3, 30)  # from a holiday
    assert previous_working_day(date(2027, 3, 28)) == date(2027, 3, 24)


def test_next_and_previous_are_strict() -> None:
    assert next_working_day(date(2027, 3, 1)) == date(2027, 3, 2)
    assert previous_working_day(date(2027, 3, 2)) == date(2027, 3, 1)
    assert next_working_day(date(2027, 3, 5)) == date(2027, 3, 8)  # Friday -> Monday
    assert previous_working_day(date(2027, 3, 8)) == date(2027, 3, 5)


def test_add_working_days_across_easter() -> None:
    wednesday = date(2027, 3, 24)
    assert add_working_days(wednesday, 0) == wednesday
    assert add_working_days(wednesday, 1) == date(2027, 3, 30)
    assert add_working_days(wednesday, 5) == date(2027, 4, 5)
    assert add_working_days(date(2027, 3, 30), -1) == wednesday
    assert add_working_days(date(2027, 4, 5), -5) == wednesday
    assert add_working_days(date(2027, 3, 22), 3) == date(2027, 3, 30)


def test_add_working_days_from_non_working_day() -> None:
    saturday = date(2027, 3, 27)
    assert add_working_days(saturday, 0) == saturday
    assert add_working_days(saturday, 1) == date(2027, 3, 30)
    assert add_working_days(saturday, -1) == date(2027, 3, 24)


def test_add_many_working_days_matches_stepping() -> None:
    day = date(2026, 11, 20)
    stepped = day
    for n in range(1, 400):
        stepped = next_working_day(stepped)
        assert add_working_days(day, n) == stepped
    stepped = day
    for n in range(1, 400):
        stepped = previous_working_day(stepped)
        assert add_working_days(day, -n) == stepped


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (date(2027, 3, 22), date(2027, 3, 31), 5),  # Easter week and the week after, partly
        (date(2027, 3, 25), date(2027, 3, 29), 0),  # Thursday..Monday of Easter
        (date(2027, 5, 17), date(2027, 5, 17), 0),
        (date(2027, 5, 18), date(2027, 5, 18), 1),
        (date(2027, 5, 18), date(2027, 5, 17), 0),  # end before start
        (date(2027, 1, 1), date(2027, 12, 31), 255),
        (date(2026, 1, 1), date(2026, 12, 31), 253),
        (date(2026, 12, 21), date(2027, 1, 8), 13),  # across a new year: 25 Dec and 1 Jan are Fridays
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert working_days_between(start, end) == expected


# -- properties --

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


def _brute_count(start: date, end: date) -> int:
    count, day = 0, start
    while day <= end:
        count += is_working_day(day)
        day += dt.timedelta(days=1)
    return count


@settings(max_examples=300)
@given(days, st.integers(min_value=0, max_value=800))
def test_between_of_add_is_n_plus_one(day: date, n: int) -> None:
    if not is_working_day(day):
        day = next_working_day(day)
    assert working_days_between(day, add_working_days(day, n)) == n + 1
    assert working_days_between(add_working_days(day, -n), day) == n + 1


@given(days, st.integers(min_value=-800, max_value=800))
def test_add_lands_on_working_day_and_inverts(day: date, n: int) -> None:
    result = add_working_days(day, n)
    if n == 0:
        assert result == day
        return
    assert is_working_day(result)
    assert (result > day) == (n > 0)
    if is_working_day(day):
        assert add_working_days(result, -n) == day


@given(days)
def test_next_previous_inverse_on_working_days(day: date) -> None:
    if is_working_day(day):
        assert previous_working_day(next_working_day(day)) == day
        assert next_working_day(previous_working_day(day)) == day
    nxt, prev = next_working_day(day), previous_working_day(day)
    assert prev < day < nxt
    assert is_working_day(nxt) and is_working_day(prev)
    assert working_days_between(day + dt.timedelta(days=1), nxt - dt.timedelta(days=1)) == 0
    assert working_days_between(prev + dt.timedelta(days=1), day - dt.timedelta(days=1)) == 0
    assert add_working_days(day, 1) == nxt
    assert add_working_days(day, -1) == prev


@given(days, st.integers(min_value=-40, max_value=400))
def test_between_matches_brute_force(start: date, length: int) -> None:
    end = start + dt.timedelta(days=length)
    assert working_days_between(start, end) == (_brute_count(start, end) if length >= 0 else 0)


@given(days, st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=60))
def test_between_is_additive(start: date, a: int, b: int) -> None:
    middle = start + dt.timedelta(days=a)
    end = middle + dt.timedelta(days=b)
    assert working_days_between(start, end) == working_days_between(start, middle) + working_days_between(
        middle + dt.timedelta(days=1), end
    )


@given(days)
def test_working_day_iff_weekday_without_holiday(day: date) -> None:
    assert is_working_day(day) == (day.weekday() < 5 and norwegian_holiday(day) is None)
