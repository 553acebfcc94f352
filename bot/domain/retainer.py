"""Retainers (*løpende*) month by month (docs/product.md §4, §6): roll-over (*overføring*) and the month's pace.
Pure: no SQL, no Slack, no clock — the month and `today` are inputs.

Roll-over. Carried into month M = last month's frame + what was carried into last month − the hours used last
month, clamped to ± the cap (cap = `cap_pct` % of month M's frame; default 25 %). It is computed from the project's
start month (which carries 0 in), each month with its own terms, as they stood at the month's end
(bot.domain.terms replays them from the history): a frame raised in March does not change what February carried,
and a month in which roll-over was off carries nothing into the next.

Pace. From the working day a third of the month's working days (Norwegian calendar) has passed, the hours used so
far are projected to the month's end (used / working days passed × working days in the month): above the month's
frame (incl. carried) by more than `over_pct` % is *for høyt tempo*, below `under_pct` % of it *risiko for
underleveranse*. Each direction at most once a month (the follow-up's occasion is the month).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.domain.errors import UserError
from bot.domain.workdays import working_days_between

DEFAULT_CAP_PCT = 25  # % of the monthly frame carried at most, either way


def month_of(day: dt.date) -> dt.date:
    """The first day of `day`'s month (months are named by their first day)."""
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def cap_minutes(frame_minutes: int, cap_pct: int | None) -> int:
    """The most carried either way, in minutes: `cap_pct` % (None: the default) of the monthly frame."""
    return frame_minutes * (DEFAULT_CAP_PCT if cap_pct is None else cap_pct) // 100


class MonthTerms(Protocol):
    """What a month's roll-over needs of the project's terms at that month's end."""

    @property
    def frame_minutes(self) -> int | None: ...
    @property
    def rollover(self) -> bool: ...
    @property
    def rollover_cap_pct(self) -> int | None: ...


@dataclass(frozen=True)
class Terms:
    frame_minutes: int | None
    rollover: bool = True
    rollover_cap_pct: int | None = None


def carried_by_month(month: dt.date, *, start: dt.date, terms: Callable[[dt.date], MonthTerms],
                     used: Mapping[dt.date, int]) -> int:
    """Minutes carried into `month` (positive: unused hours added; negative: an overrun subtracted). `terms`: the
    project's terms at the end of a month (given its first day); `used`: the minutes logged in each month before
    it, by its first day (a month missing used nothing). 0 for the start month and before; a month without roll-over
    or a frame carries nothing into the next."""
    carried, current, target = 0, month_of(start), month_of(month)
    now = terms(current)
    while current < target:
        following = next_month(current)
        after = terms(following)
        frame, next_frame = now.frame_minutes or 0, after.frame_minutes or 0
        if now.rollover and frame > 0 and next_frame > 0:
            cap = cap_minutes(next_frame, after.rollover_cap_pct)
            carried = max(-cap, min(cap, frame + carried - used.get(current, 0)))
        else:
            carried = 0
        current, now = following, after
    return carried


def carried_into(month: dt.date, *, start: dt.date, frame_minutes: int | None, cap_pct: int | None,
                 used: Mapping[dt.date, int]) -> int:
    """`carried_by_month` with the same terms every month, roll-over on."""
    same = Terms(frame_minutes, True, cap_pct)
    return carried_by_month(month, start=start, terms=lambda _: same, used=used)


class Pace(StrEnum):
    OVER = "over"  # for høyt tempo: the projection overruns the month's frame by more than over_pct %
    UNDER = "under"  # risiko for underleveranse: the projection reaches less than under_pct % of it


@dataclass(frozen=True)
class Projection:
    days_total: int  # working days in the month's period
    days_passed: int  # of them, before today
    projected_minutes: int  # used / passed × total (0 before any day has passed)

    @property
    def past_a_third(self) -> bool:
        return self.days_total > 0 and 3 * self.days_passed >= self.days_total


def project_month(used_minutes: int, period_start: dt.date, period_end: dt.date | None, today: dt.date) -> Projection:
    """The month's hours projected to its end from the working days before today (the period: this month clipped to
    the project's start and end)."""
    end = period_end if period_end is not None else next_month(period_start) - dt.timedelta(days=1)
    total = working_days_between(period_start, end) if end >= period_start else 0
    last_passed = min(end, today - dt.timedelta(days=1))
    passed = working_days_between(period_start, last_passed) if last_passed >= period_start else 0
    projected = used_minutes * total // passed if passed else 0
    return Projection(total, passed, projected)


def pace_alert(projection: Projection, month_frame: int, *, over_pct: int, under_pct: int) -> Pace | None:
    """Whether the month's pace calls for an alert (only past a third of its working days, with a frame)."""
    if month_frame <= 0 or not projection.past_a_third:
        return None
    if projection.projected_minutes * 100 > month_frame * (100 + over_pct):
        return Pace.OVER
    if projection.projected_minutes * 100 < month_frame * under_pct:
        return Pace.UNDER
    return None


_YES = frozenset({"ja", "j", "på", "pa", "yes", "y", "on", "true"})
_NO = frozenset({"nei", "n", "av", "no", "off", "false"})


def parse_rollover(value: str) -> bool:
    """`overføring:ja|nei` (`rollover:yes|no`)."""
    word = value.strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise UserError("rollover.invalid", field="rollover", value=value[:40])


def parse_cap(value: str) -> int:
    """`overføringstak:30` (or `30%`): a whole percent of the monthly frame, 0–100."""
    text = value.strip().removesuffix("%").strip()
    if not text.isascii() or not text.isdigit() or int(text) > 100:
        raise UserError("rollover.cap_invalid", field="rollover_cap", value=value[:40])
    return int(text)
