"""What the weekly summary and the portfolio say (docs/product.md §5): per active project its health and why, progress,
hours used of the frame, hours logged in the week and by whom, deadlines in the next 7 days, overdue items and
goals. Read with a fixed number of SQL statements however many channels and projects are asked for (set-based,
like the clock's planning), and computed with the card's health functions (`bot.domain.health`).

Which week: `reporting_week(today)` is the ISO week a summary made today reports on — the week before when no
working day of this week has passed yet (the Monday 09:00 post, or Tuesday after Easter Monday), else this week.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, bindparam, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from bot.domain.health import FrameFigures, FrameInputs, Health, Level, frame_figures, frame_health
from bot.domain.workdays import is_working_day
from storage.cards import in_frame_period, month_bounds
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


def channels_with_active_projects(session: Session, team_id: str) -> list[str]:
    """The channels that get a weekly summary (before their own on/off setting): those with an active project."""
    stmt = select(Project.channel_id).where(Project.team_id == team_id, Project.state == "active") \
        .distinct().order_by(Project.channel_id)
    return list(session.scalars(stmt))


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
    found = _load(session, team_id, channels, today, tz, week) if channels else []
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


@dataclass(frozen=True)
class _Statements:
    projects: Executable
    logs: Executable
    week_people: Executable
    percents: Executable
    task_counts: Executable
    due_tasks: Executable
    goals: Executable
    changes: Executable


@functools.cache
def _statements(by_channel: bool) -> _Statements:
    """The 8 statements, built once with bound parameters (building SQLAlchemy expressions costs more than
    running these queries on a channel's few projects)."""
    team = bindparam("team", type_=String)
    scope = and_(Project.team_id == team, Project.state == "active")
    if by_channel:
        scope = and_(scope, Project.channel_id.in_(bindparam("channels", expanding=True)))
    in_scope = select(Project.id).where(scope).scalar_subquery()
    log = ProgressLog
    mine = and_(log.team_id == team, log.project_id.in_(in_scope))
    # Hours in each project's frame period and the last log, in one pass over the logs of the projects in scope.
    in_period = in_frame_period(log.logged_on)
    latest = select(log.project_id, func.max(log.id).label("id")).where(mine, log.percent.is_not(None)) \
        .group_by(log.project_id).subquery()
    tasks = and_(Task.team_id == team, Task.project_id.in_(in_scope))
    done_in_week = and_(Task.done_at >= bindparam("week_from"), Task.done_at < bindparam("week_until"))
    return _Statements(
        projects=select(Project.id, Project.number, Project.name, Project.customer, Project.kind, Project.state,
                        Project.channel_id, Project.pm_user_id, Project.start, Project.deadline,
                        Project.frame_minutes, Project.created_at).where(scope).order_by(Project.number),
        logs=select(log.project_id, func.sum(case((in_period, log.minutes), else_=0)), func.max(log.logged_on))
        .join(Project, and_(Project.team_id == log.team_id, Project.id == log.project_id))
        .where(mine).group_by(log.project_id),
        week_people=select(log.project_id, log.user_id, func.sum(log.minutes))
        .where(mine, log.logged_on >= bindparam("week_start"), log.logged_on <= bindparam("week_end"))
        .group_by(log.project_id, log.user_id),
        percents=select(log.project_id, log.percent).join(latest, log.id == latest.c.id),
        task_counts=select(Task.project_id, func.count(), func.count(Task.done_at),
                           func.sum(case((done_in_week, 1), else_=0)))
        .where(tasks).group_by(Task.project_id),
        due_tasks=select(Task.project_id, Task.title, Task.owner_user_id, Task.deadline)
        .where(tasks, Task.done_at.is_(None), Task.deadline.is_not(None), Task.deadline <= bindparam("horizon"))
        .order_by(Task.deadline, Task.id),
        goals=select(Goal.project_id, Goal.title, Goal.target_value, Goal.current_value)
        .where(Goal.team_id == team, Goal.project_id.in_(in_scope)).order_by(Goal.id),
        changes=select(HistoryEntry.project_id, func.count())
        .where(HistoryEntry.team_id == team, HistoryEntry.project_id.in_(in_scope),
               HistoryEntry.at >= bindparam("week_from"), HistoryEntry.at < bindparam("week_until"))
        .group_by(HistoryEntry.project_id),
    )


def _load(session: Session, team_id: str, channels: Sequence[str] | None, today: dt.date, tz: str,
          week: Week) -> list[ProjectSummary]:
    """Active projects of the workspace (in `channels`, or all) and their summaries: 8 statements, whatever the
    number of projects."""
    sql = _statements(channels is not None)
    conn = session.connection()
    params: dict[str, Any] = {
        "team": team_id, **month_bounds(today), "week_start": week.start, "week_end": week.end,
        "week_from": _local_midnight(week.start, tz), "horizon": today + dt.timedelta(days=HORIZON_DAYS),
        "week_until": _local_midnight(week.end + dt.timedelta(days=1), tz),
    }
    if channels is not None:
        params["channels"] = list(channels)
    projects = conn.execute(sql.projects, params).all()
    if not projects:
        return []
    logs = {pid: (int(period or 0), last) for pid, period, last in conn.execute(sql.logs, params)}
    week_people: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for project_id, user_id, minutes in conn.execute(sql.week_people, params):
        week_people[project_id].append((user_id, int(minutes)))
    percents: dict[int, int] = {pid: pct for pid, pct in conn.execute(sql.percents, params)}
    task_counts = {pid: (int(total), int(done), int(in_week or 0))
                   for pid, total, done, in_week in conn.execute(sql.task_counts, params)}
    due_tasks: dict[int, list[Due]] = defaultdict(list)
    for project_id, title, owner, deadline in conn.execute(sql.due_tasks, params):
        due_tasks[project_id].append(Due(deadline, title, owner))
    goals: dict[int, list[GoalStatus]] = defaultdict(list)
    for project_id, title, target, current in conn.execute(sql.goals, params):
        goals[project_id].append(GoalStatus(title, target, current))
    changes: dict[int, int] = {pid: count for pid, count in conn.execute(sql.changes, params)}
    horizon = params["horizon"]

    summaries = []
    for p in projects:
        logged_minutes, last_log = logs.get(p.id, (0, None))
        total, done, done_in_week = task_counts.get(p.id, (0, 0, 0))
        inputs = FrameInputs(
            today=today, kind=p.kind, state=p.state, start=p.start, deadline=p.deadline,
            frame_minutes=p.frame_minutes, logged_minutes=logged_minutes, reported_progress=percents.get(p.id),
            tasks_total=total, tasks_done=done, last_activity=last_log or p.created_at.date(),
        )
        figures = frame_figures(inputs)
        people = sorted(week_people.get(p.id, []), key=lambda um: (-um[1], um[0]))
        tasks = due_tasks.get(p.id, [])
        upcoming = [d for d in tasks if d.day >= today]
        overdue = [d for d in tasks if d.day < today]
        if p.deadline is not None and today <= p.deadline <= horizon and not figures.days_overdue:
            upcoming.append(Due(p.deadline, None, p.pm_user_id))
        if figures.days_overdue and p.deadline is not None:
            overdue.append(Due(p.deadline, None, p.pm_user_id))
        week_minutes = sum(m for _, m in people)
        summaries.append(ProjectSummary(
            id=p.id, number=p.number, name=p.name, customer=p.customer, kind=p.kind, channel_id=p.channel_id,
            pm_user_id=p.pm_user_id, deadline=p.deadline, frame_minutes=p.frame_minutes,
            logged_minutes=logged_minutes, health=frame_health(inputs, figures), figures=figures,
            week_minutes=week_minutes, week_by_person=tuple(people),
            upcoming=tuple(sorted(upcoming, key=lambda d: (d.day, d.task is not None))),
            overdue=tuple(sorted(overdue, key=lambda d: (d.day, d.task is not None))),
            goals=tuple(goals.get(p.id, [])), news=bool(week_minutes or changes.get(p.id) or done_in_week),
        ))
    return summaries


__all__ = [
    "ChannelSummary", "Due", "GoalStatus", "Portfolio", "ProjectSummary", "Totals", "Week", "channel_summaries",
    "channel_summary", "channels_with_active_projects", "portfolio", "reporting_week",
]
