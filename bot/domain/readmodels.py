"""Read models: what the card, a list, the history, a follow-up and a person's Home show, as frozen values.

Rendering (`bot.slack.render`) works from these, never from database rows: `storage` builds them from its rows
(`storage.views`), the use cases pass them on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from bot.domain.health import FrameFigures, Health
from bot.domain.my_week import MyWeek


@dataclass(frozen=True, slots=True)
class ProjectView:
    """What is shown of a project (and where its card was posted, to update it)."""

    id: int
    number: int
    name: str
    customer: str
    kind: str  # bot.domain.health.Kind
    state: str  # bot.domain.health.State
    channel_id: str
    pm_user_id: str
    start: dt.date
    deadline: dt.date | None
    frame_minutes: int | None  # total, or per month for løpende
    budget_nok: int | None
    created_at: dt.datetime
    card_channel_id: str | None = None
    card_ts: str | None = None
    routine_name: str | None = None  # the routine it was made from, at that version
    routine_version: int | None = None
    rate_nok: int | None = None  # the project's hourly rate (None: the workspace default, if any)
    rollover: bool = False  # løpende: unused hours carried into the next month (bot.domain.retainer)
    rollover_cap_pct: int | None = None  # the most carried either way, % of the monthly frame (None: 25)

    @property
    def key(self) -> str:
        return f"P-{self.number}"


class TaskView(NamedTuple):
    id: int
    title: str
    owner_user_id: str | None
    deadline: dt.date | None
    done: bool
    estimate_minutes: int | None = None  # a routine step's estimate
    logged_minutes: int = 0  # logged against this task (`logg … oppgave:`)

    @property
    def over_estimate(self) -> bool:
        """It has used more than its estimate."""
        return bool(self.estimate_minutes) and self.logged_minutes > (self.estimate_minutes or 0)


class GoalLine(NamedTuple):
    title: str
    target_value: float | None
    current_value: float | None


class LogLine(NamedTuple):
    """One of the newest logs, as a card shows it."""

    user_id: str
    minutes: int
    logged_on: dt.date
    description: str


class HistoryLine(NamedTuple):
    """One change to a project: who, when, what, old → new (values as stored, as text)."""

    at: dt.datetime
    user_id: str
    action: str
    field: str | None
    old_value: str | None
    new_value: str | None


class FollowupView(NamedTuple):
    """What a follow-up message shows of its follow-up: which rule, for which occasion, and what people did."""

    id: int
    rule: str
    occasion: str
    resolution: str | None
    resolved_by: str | None


@dataclass(frozen=True)
class Snapshot:
    """Everything a project card shows, read in one go."""

    project: ProjectView
    figures: FrameFigures
    health: Health
    logged_minutes: int  # in the frame's period (this month, for løpende)
    goals: list[GoalLine]
    open_tasks: list[TaskView]
    tasks_done: int
    latest_logs: list[LogLine]
    routine: str | None = None  # `SEO-oppstart v3` when it was made from a routine
    over_estimate: list[TaskView] = field(default_factory=list)  # tasks that have used more than their estimate
    cost_kr_minutes: int = 0  # cost used in the frame's period: Σ minutes × rate of billable logs (kr = / 60)
    rate_known: bool = False  # a rate is set anywhere for it (workspace default, the project, a person on it)
    carried_minutes: int = 0  # løpende with roll-over: carried into this month (negative: an overrun)

    @property
    def month_frame_minutes(self) -> int | None:
        """The hours frame the figures are against: this month's frame plus what was carried into it."""
        frame = self.project.frame_minutes
        return frame + self.carried_minutes if frame else frame


@dataclass(frozen=True)
class HomeData:
    """What one person's Home shows."""

    user_id: str
    today: dt.date
    projects: list[tuple[ProjectView, Health]]  # where they are PL or member, not delivered (home.MAX_PROJECTS)
    projects_total: int
    tasks: list[tuple[TaskView, ProjectView]]  # open, theirs, due from today to home.TASK_DAYS ahead
    overdue_tasks: list[tuple[TaskView, ProjectView]]
    overdue_projects: list[ProjectView]
    week: MyWeek | None = None  # their hours this week (*Mine timer*, at the top)

    @property
    def at_risk(self) -> list[tuple[ProjectView, Health]]:
        """Their yellow and red projects, red first."""
        risky = [(p, h) for p, h in self.projects if h.level != "green"]
        return sorted(risky, key=lambda row: (row[1].level != "red", row[0].number))
