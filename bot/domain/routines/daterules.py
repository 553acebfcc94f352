"""A routine step's date rule, counted in Norwegian working days (bot.domain.workdays), and its condition.

* `start+N`: N working days after the start; `start+0` is the start, or the next working day if it is not one.
* `frist-N` (`deadline-N`): N working days before the deadline; a deadline on a non-working day counts from
  the working day before it.
* `måned:N` (`maned:N`, `month:N`): the N-th working day of each month (løpende routines); `måned:siste`
  (`month:last`) is the last one, `måned:siste-N` the N-th before the last.

Rules are dates, never times: a DST change or a year change is just another day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from bot.domain.workdays import add_working_days, is_working_day, next_working_day, previous_working_day

__all__ = ["MAX_MONTH_DAY", "MAX_OFFSET", "Condition", "DateRule", "first_working_day", "last_working_day"]

Anchor = Literal["start", "deadline", "month"]
MAX_OFFSET = 1000  # working days from the start or the deadline: about four years
MAX_MONTH_DAY = 20  # a month has 18 to 23 working days; a larger N means the last (or the first) one

_START = re.compile(r"start(?:\s*\+\s*(\d{1,4}))?")
_DEADLINE = re.compile(r"(?:frist|deadline)(?:\s*-\s*(\d{1,4}))?")
_MONTH = re.compile(r"(?:måned|maned|month)\s*:\s*(?:(\d{1,2})|(?:siste|last)(?:\s*-\s*(\d{1,2}))?)")


def first_working_day(day: dt.date) -> dt.date:
    """`day` if it is a working day, else the next one."""
    return day if is_working_day(day) else next_working_day(day)


def last_working_day(day: dt.date) -> dt.date:
    """`day` if it is a working day, else the one before."""
    return day if is_working_day(day) else previous_working_day(day)


@dataclass(frozen=True, slots=True)
class DateRule:
    """`anchor` start/deadline with `offset` working days (≥ 0, away from the anchor into the project), or
    month with `nth` working day: 1, 2, … from the month's start, -1 the last, -2 the one before, …"""

    anchor: Anchor
    offset: int = 0
    nth: int = 0

    def __post_init__(self) -> None:
        if self.anchor == "month":
            if self.offset or not (1 <= abs(self.nth) <= MAX_MONTH_DAY):
                raise ValueError(f"a monthly rule needs 1 <= |nth| <= {MAX_MONTH_DAY}, not {self.nth}")
        elif self.nth or not (0 <= self.offset <= MAX_OFFSET):
            raise ValueError(f"an offset must be 0 to {MAX_OFFSET}, not {self.offset}")

    @classmethod
    def parse(cls, text: str) -> DateRule:
        """`start+3`, `frist-5`, `måned:3`, `måned:siste`; ValueError when it is none of these."""
        s = " ".join(text.lower().split())
        if match := _START.fullmatch(s):
            return cls("start", int(match[1] or 0))
        if match := _DEADLINE.fullmatch(s):
            return cls("deadline", int(match[1] or 0))
        if match := _MONTH.fullmatch(s):
            return cls("month", nth=int(match[1]) if match[1] else -1 - int(match[2] or 0))
        raise ValueError(f"not a date rule: {text!r}")

    def format(self) -> str:
        if self.anchor == "start":
            return f"start+{self.offset}"
        if self.anchor == "deadline":
            return f"frist-{self.offset}"
        if self.nth > 0:
            return f"måned:{self.nth}"
        return "måned:siste" + (f"-{-1 - self.nth}" if self.nth < -1 else "")

    def __str__(self) -> str:
        return self.format()

    @property
    def monthly(self) -> bool:
        return self.anchor == "month"

    def describe(self) -> tuple[str, dict[str, Any]]:
        """A catalog key and its params for people: `5 arbeidsdager før frist`, `3. arbeidsdag hver måned`."""
        if self.anchor == "month":
            if self.nth > 0:
                return "routine.rule.month", {"n": self.nth}
            if self.nth == -1:
                return "routine.rule.month_last", {}
            return "routine.rule.month_before_last", {"n": -self.nth}  # -2: the 2nd last
        which = "start" if self.anchor == "start" else "deadline"
        plural = "_0" if self.offset == 0 else "_1" if self.offset == 1 else ""
        return f"routine.rule.{which}{plural}", {"n": self.offset}

    def date_for(self, *, start: dt.date, deadline: dt.date | None) -> dt.date:
        """The date of a start/deadline rule (unclamped); a monthly rule has one per month (`date_in_month`)."""
        return self.date_from(first_working_day(start), None if deadline is None else last_working_day(deadline))

    def date_from(self, first: dt.date, last: dt.date | None) -> dt.date:
        """`date_for` given the project's anchors as working days already: its first (the start, or the working
        day after it) and its last (the deadline, or the working day before it), found once for all its steps."""
        if self.anchor == "start":
            return add_working_days(first, self.offset)
        if self.anchor == "deadline":
            if last is None:
                raise ValueError("a deadline rule needs a deadline")
            return add_working_days(last, -self.offset)
        raise ValueError("a monthly rule has a date per month")

    def date_in_month(self, year: int, month: int) -> dt.date:
        """The monthly rule's day in that month; an N past the month's working days gives the last (first) one."""
        first = first_working_day(dt.date(year, month, 1))
        last = last_working_day(dt.date(year, month, calendar.monthrange(year, month)[1]))
        if self.nth > 0:
            return min(add_working_days(first, self.nth - 1), last)
        return max(add_working_days(last, self.nth + 1), first)


_CONDITION = re.compile(r"([A-Za-z][A-Za-z0-9_]*)\s*(!=|≠|==|=)\s*(\S.*)")
YES, NO = "ja", "nei"
_YES_NO = {"ja": YES, "j": YES, "yes": YES, "y": YES, "true": YES, "nei": NO, "n": NO, "no": NO, "false": NO}


def yes_no(value: str) -> str | None:
    """`ja`/`nei` for the ways people write yes and no (`yes`, `no`, `true`…), else None."""
    return _YES_NO.get(value.strip().lower())


@dataclass(frozen=True, slots=True)
class Condition:
    """`ga4 = nei` (only when the answer to `ga4` is `nei`) or `ga4 != ja` (unless it is `ja`)."""

    question: str
    value: str
    negated: bool = False

    @classmethod
    def parse(cls, text: str) -> Condition:
        match = _CONDITION.fullmatch(text.strip())
        if not match:
            raise ValueError(f"not a condition: {text!r}")
        return cls(match[1].lower(), match[3].strip(), negated=match[2] in ("!=", "≠"))

    def format(self) -> str:
        return f"{self.question} {'!=' if self.negated else '='} {self.value}"

    def __str__(self) -> str:
        return self.format()

    def describe(self) -> tuple[str, dict[str, Any]]:
        """A catalog key and its params for people: `når «ga4» er nei` (the caller may put the question's text)."""
        return f"routine.condition.{'is_not' if self.negated else 'is'}", {"question": self.question,
                                                                            "value": self.value}

    def holds(self, answers: Mapping[str, str]) -> bool:
        """Whether the step applies given resolved answers (canonical spellings, every question answered)."""
        return (answers.get(self.question) == self.value) != self.negated
