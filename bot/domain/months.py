"""Months as users name them and as the month-end report (docs/product.md §10) counts them: pure, no Slack, no SQL.

A month is its first day (`dt.date(2026, 11, 1)`). Users write `november`, `nov`, `november 2026`, `2026-11` or
`11.2026`; a month named without a year is the latest such month that has begun (in December, `januar` is last
January). A month that has not begun is refused (`month.future`), one that does not read as a month too
(`month.unknown`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from bot.domain.errors import UserError
from bot.domain.parsing import _MONTHS, _norm, echo
from bot.domain.workdays import is_working_day, next_working_day

_NAME_RE = re.compile(rf"({'|'.join(_MONTHS)})\.?(?:,? ?(\d{{4}}))?", re.A)
_YEAR_MONTH_RE = re.compile(r"(\d{4})-(\d{1,2})", re.A)
_MONTH_YEAR_RE = re.compile(r"(\d{1,2})[./](\d{4})", re.A)
MONTH_WORDS = frozenset(_MONTHS)


def first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def shift(month: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (before, when negative) `month`'s."""
    year, index = divmod(month.year * 12 + month.month - 1 + months, 12)
    return dt.date(year, index + 1, 1)


def last_day(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def last_ended(today: dt.date) -> dt.date:
    """The last month that has ended: the one before today's."""
    return shift(first_of(today), -1)


def has_ended(month: dt.date, today: dt.date) -> bool:
    return last_day(month) < today


def occasion(month: dt.date) -> str:
    """A month as an occasion and in commands: `2026-11`."""
    return f"{month:%Y-%m}"


def from_occasion(text: str) -> dt.date:
    return dt.date.fromisoformat(f"{text}-01")


def first_working_day(month: dt.date) -> dt.date:
    """The month's first working day in Norway (1 January is a holiday; so may the 1st of May be, and weekends)."""
    return month if is_working_day(month) else next_working_day(month)


def looks_like_month(word: str) -> bool:
    """Whether `word` starts a month (a name, `2026-11`, `11.2026`): what a command takes as its month."""
    text = _norm(word)
    return bool(_NAME_RE.fullmatch(text) or _YEAR_MONTH_RE.fullmatch(text) or _MONTH_YEAR_RE.fullmatch(text)
                or text.rstrip(".") in MONTH_WORDS)


def parse_month(text: str, today: dt.date) -> dt.date:
    """The month `text` names (its first day); UserError `month.unknown` or `month.future`."""
    s = _norm(text)
    year: str | None
    if found := _NAME_RE.fullmatch(s):
        number, year = _MONTHS[found.group(1)], found.group(2)
    elif found := _YEAR_MONTH_RE.fullmatch(s):
        year, number = found.group(1), int(found.group(2))
    elif found := _MONTH_YEAR_RE.fullmatch(s):
        number, year = int(found.group(1)), found.group(2)
    else:
        raise UserError("month.unknown", field="month", value=echo(text))
    if not 1 <= number <= 12:
        raise UserError("month.unknown", field="month", value=echo(text))
    this = first_of(today)
    if year is None:
        month = dt.date(this.year, number, 1)
        return month if month <= this else month.replace(year=this.year - 1)
    month = dt.date(int(year), number, 1)
    if month > this:
        raise UserError("month.future", field="month", value=echo(text))
    return month
