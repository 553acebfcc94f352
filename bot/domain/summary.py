"""What the weekly summary and the portfolio show (docs/product.md §5), as frozen values: per active project its
health and why, progress, hours used of the frame, hours logged in the week and by whom, deadlines in the next 7
days, overdue items, goals and the steps over their estimate. `bot.usecases.summary` reads them,
`bot.slack.render.summary` shows them.

Which week: `reporting_week(today)` is the ISO week a summary made today reports on — the week before when no
working day of this week has passed yet (the Monday 09:00 post, or Tuesday after Easter Monday), else this week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.domain.health import FrameFigures, Health, Level
from bot.domain.workdays import is_working_day

HORIZON_DAYS = 7  # deadlines "in the next 7 days"
LEVEL_ORDER: dict[str, int] = {"red": 0, "yellow": 1, "green": 2}
LEVELS: tuple[Level, ...] = ("red", "yellow", "green")


@dataclass(frozen=True)
class Week:
    """An ISO week (Monday..Sunday)."""

    start: dt.date

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    @property
    def number(self) -> int:
        return self.start.isocalendar().week


def reporting_week(today: dt.date) -> Week:
    """This ISO week, or the one before when no working day of this week has passed before `today`."""
    monday = today - dt.timedelta(days=today.weekday())
    passed = any(is_working_day(monday + dt.timedelta(days=i)) for i in range((today - monday).days))
    return Week(monday if passed else monday - dt.timedelta(days=7))


@dataclass(frozen=True)
class Due:
    """A deadline: the project's own (`task` None) or an open task's."""

    day: dt.date
    task: str | None
    owner: str | None


@dataclass(frozen=True)
class OverEstimate:
    """A task (a routine's step) that has used more than its estimate: minutes logged against it (`logg …
    oppgave:`) over the minutes estimated."""

    title: str
    owner: str | None
    estimate_minutes: int
    logged_minutes: int


@dataclass(frozen=True)
class GoalStatus:
    title: str
    target: float | None
    current: float | None


@dataclass(frozen=True)
class ProjectSummary:
    id: int
    number: int
    name: str
    customer: str
    kind: str
    channel_id: str
    pm_user_id: str
    deadline: dt.date | None
    frame_minutes: int | None  # total, or per month for løpende
    logged_minutes: int  # in the frame period (this month for løpende), as on the card
    health: Health
    figures: FrameFigures
    week_minutes: int
    week_by_person: tuple[tuple[str, int], ...]  # (user id, minutes), most first
    upcoming: tuple[Due, ...]  # today .. today + 7 days, earliest first
    overdue: tuple[Due, ...]  # earliest first
    goals: tuple[GoalStatus, ...]
    news: bool  # anything this week: a log, a change in the history, a task done
    over_estimate: tuple[OverEstimate, ...] = ()  # done or not, by date (undated last), as on the card
    budget_nok: int | None = None  # the cost frame (per month for løpende)
    cost_kr_minutes: int = 0  # cost used in the frame period, as on the card (bot.domain.money)

    @property
    def key(self) -> str:
        return f"P-{self.number}"

    @property
    def frame_at_risk(self) -> bool:
        """Hours or cost at or over the yellow line, or a forecast over the frame (health says which)."""
        return self.health.reason in ("health.hours_exhausted", "health.forecast_over", "health.hours_high",
                                      "health.cost_exhausted", "health.cost_high")


@dataclass(frozen=True)
class Totals:
    projects: int
    red: int
    yellow: int
    green: int
    week_minutes: int
    people: int  # who logged in the week
    upcoming: int
    overdue: int
    at_risk: int


@dataclass(frozen=True)
class ChannelSummary:
    team_id: str
    channel_id: str
    today: dt.date
    week: Week
    projects: tuple[ProjectSummary, ...]  # red first, then yellow, green; by key within
    totals: Totals


@dataclass(frozen=True)
class Portfolio:
    team_id: str
    today: dt.date
    week: Week
    groups: dict[Level, tuple[ProjectSummary, ...]]  # red, yellow, green
    at_risk: tuple[ProjectSummary, ...]  # frames at risk, most used first
    deadlines: tuple[tuple[ProjectSummary, Due], ...]  # the next 7 days, earliest first
    week_by_person: tuple[tuple[str, int], ...]  # across the agency, most first
    channels: int
    totals: Totals
