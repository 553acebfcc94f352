"""Months as users name them and as the month-end report (docs/product.md §10) counts them: pure, no Slack, no SQL.

A month is its first day (`dt.date(2026, 11, 1)`). Users write `november`, `nov`, `november 2026`, `2026-11` or
`11.2026`; a month named without a year is the latest such month that has begun (in December, `januar` is last
January). A month that has not begun is refused (`month.future`), one that does not read as a month too
(`month.unknown`).
"""

from __future__ import annotations

import datetime as dt

from bot.domain.errors import UserError
from bot.domain.parsing import _MONTHS, _norm, echo
from bot.domain.periods import MONTH_NAME_RE, MONTH_YEAR_RE, YEAR_MONTH_RE, month_of, parse_period, shift
from bot.domain.workdays import is_working_day, next_working_day

MONTH_WORDS = frozenset(_MONTHS)


def last_ended(today: dt.date) -> dt.date:
    """The last month that has ended: the one before today's."""
    return shift(month_of(today).start, -1)


def has_ended(month: dt.date, today: dt.date) -> bool:
    return month_of(month).end < today


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
    return bool(MONTH_NAME_RE.fullmatch(text) or YEAR_MONTH_RE.fullmatch(text) or MONTH_YEAR_RE.fullmatch(text)
                or text.rstrip(".") in MONTH_WORDS)


def parse_month(text: str, today: dt.date) -> dt.date:
    """The month `text` names (its first day), read as bot.domain.periods reads a month (the one reading of what
    users write); UserError `month.unknown` (also for a week or nothing) or `month.future`."""
    try:
        period = parse_period(text, today)
    except UserError as error:
        key = "month.future" if error.key == "period.future" else "month.unknown"
        raise UserError(key, field="month", value=echo(text)) from None
    if period.kind != "month" or not _norm(text):
        raise UserError("month.unknown", field="month", value=echo(text))
    return period.start
