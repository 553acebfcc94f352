"""A period of days as users name one: a month (`november`, `nov 2026`, `2026-11`, `11.2026`), an ISO week
(`uke 48`, `week 48 2026`) or a range (`fra:01.11.2026 til:30.11.2026`); nothing named: this month so far.

A month or week named without a year is the latest one that has begun (in December, `januar` is last January;
`uke 2` in week 1 is last year's). One named with a year must have begun. Errors are `UserError`s `period.*`.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.domain.errors import UserError
from bot.domain.parsing import _MONTHS, _norm, echo, parse_date

MONTH_NAME_RE = re.compile(rf"({'|'.join(_MONTHS)})\.?(?:,? ?(\d{{4}}))?", re.A)
YEAR_MONTH_RE = re.compile(r"(\d{4})-(\d{1,2})", re.A)
MONTH_YEAR_RE = re.compile(r"(\d{1,2})[./](\d{4})", re.A)
_WEEK_RE = re.compile(r"(?:uke|uka|week|wk|u|w)\.? ?(\d{1,2})(?:,? ?(\d{4}))?", re.A)
_THIS = {"denne måneden": 0, "denne maneden": 0, "this month": 0, "forrige måned": -1, "forrige maned": -1,
         "last month": -1}


@dataclass(frozen=True)
class Period:
    """Days `start`..`end`, both included. `kind` says how it was named (for labels and file names)."""

    start: date
    end: date
    kind: Literal["month", "week", "range"]

    @property
    def slug(self) -> str:
        """For a file name: `2026-11`, `2026-uke48`… (`uke`: the files are Norwegian first), `2026-11-03_2026-11-20`."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "week":
            iso = self.start.isocalendar()
            return f"{iso.year}-w{iso.week:02d}"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


def month_of(day: date) -> Period:
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last), "month")


def shift(first: date, months: int) -> date:
    """The first day of the month `months` after (before, when negative) `first`'s."""
    year, month = divmod(first.year * 12 + first.month - 1 + months, 12)
    return date(year, month + 1, 1)


def _month(month: int, year: str | None, today: date, text: str) -> Period:
    if not 1 <= month <= 12:
        raise UserError("period.unknown", field="period", value=echo(text))
    if year is None:  # the latest such month that has begun
        first = date(today.year - (month > today.month), month, 1)
    else:
        first = date(int(year), month, 1)
        if first > today:
            raise UserError("period.future", field="period", value=echo(text))
    return month_of(first)


def _week(week: int, year: str | None, today: date, text: str) -> Period:
    years = [int(year)] if year else [today.isocalendar().year, today.isocalendar().year - 1]
    for candidate in years:
        with contextlib.suppress(ValueError):  # no such week that year
            monday = date.fromisocalendar(candidate, week, 1)
            if monday <= today:
                return Period(monday, monday + timedelta(days=6), "week")
            if year:
                raise UserError("period.future", field="period", value=echo(text))
    raise UserError("period.unknown", field="period", value=echo(text))


def parse_period(text: str, today: date) -> Period:
    """A month or a week in words (see the module's docstring); empty: this month so far."""
    s = _norm(text)
    if not s:
        return month_of(today)
    if s in _THIS:
        return month_of(shift(today.replace(day=1), _THIS[s]))
    if match := MONTH_NAME_RE.fullmatch(s):
        return _month(_MONTHS[match[1]], match[2], today, text)
    if match := YEAR_MONTH_RE.fullmatch(s):
        return _month(int(match[2]), match[1], today, text)
    if match := MONTH_YEAR_RE.fullmatch(s):
        return _month(int(match[1]), match[2], today, text)
    if match := _WEEK_RE.fullmatch(s):
        return _week(int(match[1]), match[2], today, text)
    raise UserError("period.unknown", field="period", value=echo(text))


def _past(text: str, today: date, field: str, *, not_before: date | None = None) -> date:
    """A date as parse_date reads it, except that one written without a year (`1.11`) and ahead of today is taken
    a year earlier (parse_date's rule is for deadlines) when that is not before `not_before` (the range's start)
    and, for a start, not ahead of today."""
    day = parse_date(text, today, field=field)
    if day > today:
        earlier = parse_date(text, today - timedelta(days=365), field=field)
        with contextlib.suppress(ValueError):  # 29 February
            yearless = day.replace(year=day.year - 1) == earlier
            if yearless and earlier <= today and (not_before is None or earlier >= not_before):
                return earlier
    return day


def parse_range(start: str | None, end: str | None, today: date) -> Period:
    """`fra:01.11.2026 til:30.11.2026` (`til:` left out: up to today). The start may not lie in the future nor
    after the end."""
    if start is None:
        raise UserError("period.range_start", field="from")
    first = _past(start, today, "from")
    last = _past(end, today, "to", not_before=first) if end is not None else today
    if first > today:
        raise UserError("period.future", field="from", value=echo(start))
    if first > last:
        raise UserError("period.range_order", field="to", start=echo(start), end=echo(end or ""))
    return Period(first, last, "range")
