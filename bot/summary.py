"""What the weekly summary and the portfolio say (SPEC §5): per active project its health and why, progress,
hours used of the frame, hours logged in the week and by whom, deadlines in the next 7 days, overdue items and
goals. Read with a fixed number of SQL statements however many channels and projects are asked for (set-based,
like the clock's planning), and computed with the card's health functions (`bot.health`).

Which week: `reporting_week(today)` is the ISO week a summary made today reports on — the week before when no
working day of this week has passed yet (the Monday 09:00 post, or Tuesday after Easter Monday), else this week.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from bot.health import FrameFigures, FrameInputs, Health, Level, frame_figures, frame_health
from bot.workdays import is_working_day
from storage.models import Goal, HistoryEntry, ProgressLog, Project, Task

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

    @property
    def key(self) -> str:
        return f"P-{self.number}"

    @property
    def frame_at_risk(self) -> bool:
        """Hours at or over the yellow line, or a forecast over the frame (health says which)."""
        return self.health.reason in ("health.hours_exhausted", "health.forecast_over", "health.hours_high")


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


def channel_summary(session: Session, team_id: str, channel_id: str, today: dt.date, tz: str,
                    week: Week | None = None) -> ChannelSummary:
    """The summary of one channel's active projects."""
    return channel_summaries(session, team_id, [channel_id], today, tz, week)[channel_id]


def channel_summaries(session: Session, team_id: str, channel_ids: Iterable[str], today: dt.date, tz: str,
                      week: Week | None = None) -> dict[str, ChannelSummary]:
    """Summaries of several channels at once (same statements as for one); a channel with no active project
    gets an empty summary."""
    channels = sorted(set(channel_ids))
    week = week or reporting_week(today)
    found = _load(session, team_id, Project.channel_id.in_(channels), today, tz, week) if channels else []
    by_channel: dict[str, list[ProjectSummary]] = defaultdict(list)
    for summary in found:
        by_channel[summary.channel_id].append(summary)
    return {
        channel: ChannelSummary(team_id=team_id, channel_id=channel, today=today, week=week,
                                projects=tuple(_by_health(by_channel[channel])),
                                totals=_totals(by_channel[channel]))
        for channel in channels
    }


def portfolio(session: Session, team_id: str, today: dt.date, tz: str, week: Week | None = None) -> Portfolio:
    """All active projects of the workspace grouped by health, with the agency's week and totals."""
    week = week or reporting_week(today)
    found = _by_health(_load(session, team_id, None, today, tz, week))
    people: dict[str, int] = defaultdict(int)
    for p in found:
        for user_id, minutes in p.week_by_person:
            people[user_id] += minutes
    deadlines = sorted(((p, d) for p in found for d in p.upcoming), key=lambda pd: (pd[1].day, pd[0].number))
    at_risk = sorted((p for p in found if p.frame_at_risk),
                     key=lambda p: (-(p.figures.hours_used_pct or 0), p.number))
    return Portfolio(
        team_id=team_id, today=today, week=week,
        groups={level: tuple(p for p in found if p.health.level == level) for level in LEVELS},
        at_risk=tuple(at_risk), deadlines=tuple(deadlines),
        week_by_person=tuple(sorted(people.items(), key=lambda um: (-um[1], um[0]))),
        channels=len({p.channel_id for p in found}), totals=_totals(found),
    )


def _by_health(found: Iterable[ProjectSummary]) -> list[ProjectSummary]:
    return sorted(found, key=lambda p: (LEVEL_ORDER[p.health.level], p.number))


def _totals(found: Sequence[ProjectSummary]) -> Totals:
    levels = [p.health.level for p in found]
    return Totals(
        projects=len(found), red=levels.count("red"), yellow=levels.count("yellow"), green=levels.count("green"),
        week_minutes=sum(p.week_minutes for p in found),
        people=len({user for p in found for user, _ in p.week_by_person}),
        upcoming=sum(len(p.upcoming) for p in found), overdue=sum(len(p.overdue) for p in found),
        at_risk=sum(1 for p in found if p.frame_at_risk),
    )


def _local_midnight(day: dt.date, tz: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(tz)).astimezone(dt.UTC)


def _load(session: Session, team_id: str, where: ColumnElement[bool] | None, today: dt.date, tz: str,
          week: Week) -> list[ProjectSummary]:
    """Active projects of the workspace (narrowed by `where`) and their summaries: 8 statements, whatever the
    number of projects."""
    scope = and_(Project.team_id == team_id, Project.state == "active", *([where] if where is not None else []))
    projects = list(session.scalars(select(Project).where(scope).order_by(Project.number)))
    if not projects:
        return []
    in_scope = select(Project.id).where(scope).scalar_subquery()
    month_start = today.replace(day=1)
    month_end = (month_start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    week_from, week_until = _local_midnight(week.start, tz), _local_midnight(week.end + dt.timedelta(days=1), tz)
    horizon = today + dt.timedelta(days=HORIZON_DAYS)

    # Hours in each project's frame period (frame_period(): start..deadline, this month for løpende) and the
    # last log, in one pass over the logs of the projects in scope.
    log = ProgressLog
    in_period = and_(
        log.logged_on >= Project.start, or_(Project.deadline.is_(None), log.logged_on <= Project.deadline),
        or_(Project.kind != "lopende", and_(log.logged_on >= month_start, log.logged_on <= month_end)))
    logs: dict[int, Any] = {
        row.project_id: row for row in session.execute(
            select(log.project_id, func.sum(case((in_period, log.minutes), else_=0)).label("period"),
                   func.max(log.logged_on).label("last"))
            .join(Project, and_(Project.team_id == log.team_id, Project.id == log.project_id))
            .where(log.team_id == team_id, log.project_id.in_(in_scope)).group_by(log.project_id))
    }
    week_people: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for project_id, user_id, minutes in session.execute(
            select(log.project_id, log.user_id, func.sum(log.minutes))
            .where(log.team_id == team_id, log.project_id.in_(in_scope), log.logged_on >= week.start,
                   log.logged_on <= week.end)
            .group_by(log.project_id, log.user_id)):
        week_people[project_id].append((user_id, int(minutes)))
    latest = (select(log.project_id, func.max(log.id).label("id"))
              .where(log.team_id == team_id, log.project_id.in_(in_scope), log.percent.is_not(None))
              .group_by(log.project_id).subquery())
    percents: dict[int, int] = dict(session.execute(  # type: ignore[arg-type]
        select(log.project_id, log.percent).join(latest, log.id == latest.c.id)).all())
    task_counts: dict[int, Any] = {
        row.project_id: row for row in session.execute(
            select(Task.project_id, func.count().label("total"), func.count(Task.done_at).label("done"),
                   func.sum(case((and_(Task.done_at >= week_from, Task.done_at < week_until), 1), else_=0))
                   .label("done_in_week"))
            .where(Task.team_id == team_id, Task.project_id.in_(in_scope)).group_by(Task.project_id))
    }
    due_tasks: dict[int, list[Task]] = defaultdict(list)
    for task in session.scalars(
            select(Task).where(Task.team_id == team_id, Task.project_id.in_(in_scope), Task.done_at.is_(None),
                               Task.deadline.is_not(None), Task.deadline <= horizon)
            .order_by(Task.deadline, Task.id)):
        due_tasks[task.project_id].append(task)
    goals: dict[int, list[GoalStatus]] = defaultdict(list)
    for goal in session.scalars(select(Goal).where(Goal.team_id == team_id, Goal.project_id.in_(in_scope))
                                .order_by(Goal.id)):
        goals[goal.project_id].append(GoalStatus(goal.title, goal.target_value, goal.current_value))
    changes: dict[int, int] = dict(session.execute(  # type: ignore[arg-type]
        select(HistoryEntry.project_id, func.count())
        .where(HistoryEntry.team_id == team_id, HistoryEntry.project_id.in_(in_scope),
               HistoryEntry.at >= week_from, HistoryEntry.at < week_until)
        .group_by(HistoryEntry.project_id)).all())

    summaries = []
    for p in projects:
        logged = logs.get(p.id)
        counts = task_counts.get(p.id)
        inputs = FrameInputs(
            today=today, kind=p.kind, state=p.state, start=p.start, deadline=p.deadline,  # type: ignore[arg-type]
            frame_minutes=p.frame_minutes, logged_minutes=int(logged.period or 0) if logged else 0,
            reported_progress=percents.get(p.id), tasks_total=int(counts.total) if counts else 0,
            tasks_done=int(counts.done) if counts else 0,
            last_activity=logged.last if logged and logged.last else p.created_at.date(),
        )
        figures = frame_figures(inputs)
        people = sorted(week_people.get(p.id, []), key=lambda um: (-um[1], um[0]))
        tasks = due_tasks.get(p.id, [])
        upcoming = [Due(t.deadline, t.title, t.owner_user_id) for t in tasks if t.deadline and t.deadline >= today]
        overdue = [Due(t.deadline, t.title, t.owner_user_id) for t in tasks if t.deadline and t.deadline < today]
        if p.deadline is not None and today <= p.deadline <= horizon and not figures.days_overdue:
            upcoming.append(Due(p.deadline, None, p.pm_user_id))
        if figures.days_overdue and p.deadline is not None:
            overdue.append(Due(p.deadline, None, p.pm_user_id))
        week_minutes = sum(m for _, m in people)
        done_in_week = int(counts.done_in_week or 0) if counts else 0
        summaries.append(ProjectSummary(
            id=p.id, number=p.number, name=p.name, customer=p.customer, kind=p.kind, channel_id=p.channel_id,
            pm_user_id=p.pm_user_id, deadline=p.deadline, frame_minutes=p.frame_minutes,
            logged_minutes=inputs.logged_minutes, health=frame_health(inputs, figures), figures=figures,
            week_minutes=week_minutes, week_by_person=tuple(people),
            upcoming=tuple(sorted(upcoming, key=lambda d: (d.day, d.task is not None))),
            overdue=tuple(sorted(overdue, key=lambda d: (d.day, d.task is not None))),
            goals=tuple(goals.get(p.id, [])), news=bool(week_minutes or changes.get(p.id) or done_in_week),
        ))
    return summaries


__all__ = [
    "ChannelSummary", "Due", "GoalStatus", "Portfolio", "ProjectSummary", "Totals", "Week", "channel_summaries",
    "channel_summary", "portfolio", "reporting_week",
]
