"""Norwegian working days: Monday–Friday minus Norwegian public holidays (docs/product.md §4).

The holidays come from the maintained `holidays` library, computed once per year and cached. Everything here
is pure and thread-safe (`functools.lru_cache` may compute a year twice under a race, never wrongly).

Christmas Eve, New Year's Eve, Easter Saturday are not public holidays in Norway and so are working days (when
they fall on a weekday), even though many agencies close.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

__all__ = [
    "add_working_days",
    "holiday_name",
    "is_working_day",
    "next_working_day",
    "previous_working_day",
    "working_days_between",
]

_ONE_DAY = dt.timedelta(days=1)


def _as_date(day: dt.date) -> dt.date:
    # A datetime is a date subclass but never equal to (or hashed like) a date: compare calendar days only.
    return day.date() if isinstance(day, dt.datetime) else day


@lru_cache(maxsize=256)
def _weekday_holidays(year: int) -> frozenset[dt.date]:
    """The public holidays of `year` that fall on Monday–Friday (the only ones that remove a working day)."""
    calendar = holidays.country_holidays("NO", years=year)
    return frozenset(day for day in calendar if day.year == year and day.weekday() < 5)


_HOLIDAY_LANGUAGES = {"nb": "no", "en": "en_US"}  # our languages -> the library's


@lru_cache(maxsize=64)
def _holiday_names(year: int, lang: str) -> dict[dt.date, str]:
    calendar = holidays.country_holidays("NO", years=year, language=_HOLIDAY_LANGUAGES.get(lang, "no"))
    return {day: name for day, name in calendar.items() if day.year == year}


def holiday_name(day: dt.date, lang: str = "nb") -> str | None:
    """The public holiday on `day` by its name (`Kristi himmelfartsdag`; `Ascension Day` in en), or None.
    Sundays that are holidays (Første påskedag) are named too."""
    day = _as_date(day)
    return _holiday_names(day.year, lang).get(day)


def is_working_day(day: dt.date) -> bool:
    return _is_working_day(_as_date(day))


@lru_cache(maxsize=8192)  # the planner asks about the same few hundred days for every project
def _is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _weekday_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """The first working day strictly after `day`."""
    day = _as_date(day) + _ONE_DAY
    while not is_working_day(day):
        day += _ONE_DAY
    return day


def previous_working_day(day: dt.date) -> dt.date:
    """The last working day strictly before `day`."""
    day = _as_date(day) - _ONE_DAY
    while not is_working_day(day):
        day -= _ONE_DAY
    return day


def _weekdays_between(start: dt.date, end: dt.date) -> int:
    """Monday–Friday days in [start, end]; end >= start."""
    full_weeks, rest = divmod((end - start).days + 1, 7)
    first = start.weekday()
    return full_weeks * 5 + sum(1 for i in range(rest) if (first + i) % 7 < 5)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """The number of working days in [start, end], both inclusive; 0 when end < start."""
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return 0
    lost = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in _weekday_holidays(year)
        if start <= day <= end
    )
    return _weekdays_between(start, end) - lost


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (before it when n < 0); `day` itself when n == 0.

    `day` need not be a working day: add_working_days(saturday, 1) is the next Monday that is a working day.
    """
    return _add_working_days(_as_date(day), n)


@lru_cache(maxsize=65536)  # the planner asks the same (deadline, n) of thousands of tasks
def _add_working_days(day: dt.date, n: int) -> dt.date:
    if n == 0:
        return day
    step = 1 if n > 0 else -1
    remaining = abs(n)
    # Jump whole weeks while far away: a week holds at most 5 working days, so jumping (remaining - 1) // 5
    # weeks never overshoots and leaves at least one working day to step to (which is then a working day).
    while remaining > 5:
        weeks = (remaining - 1) // 5
        target = day + dt.timedelta(weeks=weeks * step)
        if step > 0:
            remaining -= working_days_between(day + _ONE_DAY, target)
        else:
            remaining -= working_days_between(target, day - _ONE_DAY)
        day = target
    for _ in range(remaining):
        day = next_working_day(day) if step > 0 else previous_working_day(day)
    return day

