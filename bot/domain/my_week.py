"""A person's week of hours (issue 14, *Mine timer*): the minutes they logged on each day of one Monday–Sunday
week and on each project, the week's total, last week's total, and the working days they logged nothing on.

Dates are the logs' own (`logged_on`); the week is the workspace's (its Monday is found from the workspace's
today). Pure: `storage.my_week.weeks` reads the rows for any number of people at once and builds these with
`build_week`; App Home, `/prosjekt timer uke` and the Friday message render them (`bot.slack.render.my_week`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.domain.workdays import is_working_day

WEEK = 7
WORKWEEK = 5  # Monday–Friday are always shown; Saturday and Sunday only with hours on them


def monday_of(day: dt.date) -> dt.date:
    """The Monday of the (Monday–Sunday) week `day` lies in."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class ProjectHours:
    """The minutes one person logged on one project in the week."""

    project_id: int
    number: int
    name: str
    minutes: int

    @property
    def key(self) -> str:
        return f"P-{self.number}"


@dataclass(frozen=True, slots=True)
class DayHours:
    day: dt.date
    minutes: int

    @property
    def working(self) -> bool:
        return is_working_day(self.day)


@dataclass(frozen=True, slots=True)
class MyWeek:
    """One person's week. `through` is the last day that counts as gone (today, or the week's Sunday for a week
    that is over): a working day after it without hours is not yet missing."""

    user_id: str
    monday: dt.date
    through: dt.date
    days: tuple[DayHours, ...]  # all seven, Monday first
    projects: tuple[ProjectHours, ...]  # most minutes first, then by key
    last_week_minutes: int

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=WEEK - 1)

    @property
    def total_minutes(self) -> int:
        return sum(day.minutes for day in self.days)

    @property
    def shown_days(self) -> tuple[DayHours, ...]:
        """Monday–Friday, and Saturday or Sunday when hours were logged on it."""
        return tuple(d for i, d in enumerate(self.days) if i < WORKWEEK or d.minutes)

    @property
    def missing_days(self) -> tuple[dt.date, ...]:
        """The working days up to `through` with no hours (holidays and weekends are never missing)."""
        return tuple(d.day for d in self.days if d.day <= self.through and d.working and not d.minutes)

    @property
    def most_minutes_a_day(self) -> int:
        return max((d.minutes for d in self.days), default=0)


def build_week(user_id: str, monday: dt.date, *, through: dt.date, minutes_by_day: Mapping[dt.date, int],
               projects: Iterable[ProjectHours], last_week_minutes: int) -> MyWeek:
    """A person's week from the minutes by day (days outside the week are ignored, days without a row are 0) and by
    project (projects without minutes are left out)."""
    if monday.weekday() != 0:
        raise ValueError(f"{monday} is not a Monday")
    days = tuple(DayHours(day, minutes_by_day.get(day, 0))
                 for day in (monday + dt.timedelta(days=i) for i in range(WEEK)))
    shown = sorted((p for p in projects if p.minutes > 0), key=lambda p: (-p.minutes, p.number))
    return MyWeek(user_id=user_id, monday=monday, through=min(through, monday + dt.timedelta(days=WEEK - 1)),
                  days=days, projects=tuple(shown), last_week_minutes=last_week_minutes)
