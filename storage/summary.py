"""The weekly summary's reads: the active projects of a workspace (in some channels, or all) and, for them, the
hours in each frame's period, the week's hours by person, the latest %, task counts, tasks due or over their
estimate, goals and the week's changes. A fixed number of statements however many channels and projects are asked
for (set-based, like the clock's planning), built once with bound parameters (building SQLAlchemy expressions
costs more than running these queries on a channel's few projects).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import String, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from bot.domain.summary import Due, GoalStatus, OverEstimate
from storage.cards import in_frame_period, month_bounds
from storage.models import Goal, HistoryEntry, ProgressLog, Project, Task
from storage.retainers import carried
from storage.tasks import LOGGED_AGAINST


def channels_with_active_projects(session: Session, team_id: str) -> list[str]:
    """The channels with an active project, in order."""
    stmt = select(Project.channel_id).where(Project.team_id == team_id, Project.state == "active") \
        .distinct().order_by(Project.channel_id)
    return list(session.scalars(stmt))


class ActiveProject(NamedTuple):
    id: int
    number: int
    name: str
    customer: str
    kind: str
    state: str
    channel_id: str
    pm_user_id: str
    start: dt.date
    deadline: dt.date | None
    frame_minutes: int | None
    created_at: dt.datetime
    budget_nok: int | None
    rollover: bool = False
    rollover_cap_pct: int | None = None


@dataclass(frozen=True)
class SummaryRows:
    """What the summary is computed from, by project id (a project without a row has none: 0, None, empty)."""

    projects: list[ActiveProject]  # by number
    logs: dict[int, tuple[int, dt.date | None]] = field(default_factory=dict)  # minutes in the period, last log day
    week_people: dict[int, list[tuple[str, int]]] = field(default_factory=dict)  # (user id, minutes in the week)
    percents: dict[int, int] = field(default_factory=dict)  # the latest reported %
    task_counts: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # all, done, done in the week
    due_tasks: dict[int, list[Due]] = field(default_factory=dict)  # open, due up to the horizon, earliest first
    over_estimate: dict[int, list[OverEstimate]] = field(default_factory=dict)  # by date, undated last
    goals: dict[int, list[GoalStatus]] = field(default_factory=dict)  # as added
    changes: dict[int, int] = field(default_factory=dict)  # history entries in the week
    estimates: dict[int, tuple[int, int]] = field(default_factory=dict)  # minutes estimated: all, done
    costs: dict[int, int] = field(default_factory=dict)  # cost in the period: Σ minutes × rate of billable logs
    carried: dict[int, int] = field(default_factory=dict)  # løpende with roll-over: minutes carried into the month


@dataclass(frozen=True)
class _Statements:
    projects: Executable
    logs: Executable
    week_people: Executable
    percents: Executable
    task_counts: Executable
    listed_tasks: Executable  # due (open, up to the horizon) or over their estimate (done or not)
    goals: Executable
    changes: Executable


@functools.cache
def _statements(by_channel: bool) -> _Statements:
    """The 8 statements, with bound parameters."""
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
    due = and_(Task.done_at.is_(None), Task.deadline.is_not(None), Task.deadline <= bindparam("horizon"))
    # (the minutes logged against a task as `oppgaver` counts them: a probe of ix_logs_project_task per estimate)
    over = and_(Task.estimate_minutes > 0, LOGGED_AGAINST > Task.estimate_minutes)
    done_in_week = and_(Task.done_at >= bindparam("week_from"), Task.done_at < bindparam("week_until"))
    return _Statements(
        projects=select(Project.id, Project.number, Project.name, Project.customer, Project.kind, Project.state,
                        Project.channel_id, Project.pm_user_id, Project.start, Project.deadline,
                        Project.frame_minutes, Project.created_at, Project.budget_nok, Project.rollover,
                        Project.rollover_cap_pct)
        .where(scope).order_by(Project.number),
        logs=select(log.project_id, func.sum(case((in_period, log.minutes), else_=0)), func.max(log.logged_on),
                    func.sum(case((and_(in_period, log.billable), log.minutes * func.coalesce(log.rate_nok, 0)),
                                  else_=0)))
        .join(Project, and_(Project.team_id == log.team_id, Project.id == log.project_id))
        .where(mine).group_by(log.project_id),
        week_people=select(log.project_id, log.user_id, func.sum(log.minutes))
        .where(mine, log.logged_on >= bindparam("week_start"), log.logged_on <= bindparam("week_end"))
        .group_by(log.project_id, log.user_id),
        percents=select(log.project_id, log.percent).join(latest, log.id == latest.c.id),
        task_counts=select(Task.project_id, func.count(), func.count(Task.done_at),
                           func.sum(case((done_in_week, 1), else_=0)), func.sum(Task.estimate_minutes),
                           func.sum(case((Task.done_at.is_not(None), Task.estimate_minutes), else_=0)))
        .where(tasks).group_by(Task.project_id),
        listed_tasks=select(Task.project_id, Task.title, Task.owner_user_id, Task.deadline, due,
                            Task.estimate_minutes, LOGGED_AGAINST)
        .where(tasks, or_(due, over)).order_by(Task.deadline.is_(None), Task.deadline, Task.id),
        goals=select(Goal.project_id, Goal.title, Goal.target_value, Goal.current_value)
        .where(Goal.team_id == team, Goal.project_id.in_(in_scope)).order_by(Goal.id),
        changes=select(HistoryEntry.project_id, func.count())
        .where(HistoryEntry.team_id == team, HistoryEntry.project_id.in_(in_scope),
               HistoryEntry.at >= bindparam("week_from"), HistoryEntry.at < bindparam("week_until"))
        .group_by(HistoryEntry.project_id),
    )


def summary_rows(session: Session, team_id: str, channels: Sequence[str] | None, *, today: dt.date,
                 week_start: dt.date, week_end: dt.date, week_from: dt.datetime, week_until: dt.datetime,
                 horizon: dt.date) -> SummaryRows:
    """The active projects of the workspace (in `channels`, or all) and what their summaries need: 8 statements
    whatever the number of projects (1 when there is none; 10 when one rolls over: their months and
    their terms, storage.retainers).
    The week is `week_start`..`week_end` for the days logged on, `week_from`..`week_until` (exclusive) for the
    moments tasks were done and changes made."""
    sql = _statements(channels is not None)
    conn = session.connection()
    params: dict[str, Any] = {
        "team": team_id, **month_bounds(today), "week_start": week_start, "week_end": week_end,
        "week_from": week_from, "week_until": week_until, "horizon": horizon,
    }
    if channels is not None:
        params["channels"] = list(channels)
    projects = [ActiveProject(*row) for row in conn.execute(sql.projects, params)]
    if not projects:
        return SummaryRows(projects)
    logs: dict[int, tuple[int, dt.date | None]] = {}
    costs: dict[int, int] = {}
    for pid, period, last, cost in conn.execute(sql.logs, params):
        logs[pid], costs[pid] = (int(period or 0), last), int(cost or 0)
    week_people: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for project_id, user_id, minutes in conn.execute(sql.week_people, params):
        week_people[project_id].append((user_id, int(minutes)))
    percents: dict[int, int] = {pid: pct for pid, pct in conn.execute(sql.percents, params)}
    task_counts: dict[int, tuple[int, int, int]] = {}
    estimates: dict[int, tuple[int, int]] = {}
    for pid, total, done, in_week, estimated, estimated_done in conn.execute(sql.task_counts, params):
        task_counts[pid] = (int(total), int(done), int(in_week or 0))
        estimates[pid] = (int(estimated or 0), int(estimated_done or 0))
    due_tasks: dict[int, list[Due]] = defaultdict(list)
    over_estimate: dict[int, list[OverEstimate]] = defaultdict(list)
    for project_id, title, owner, deadline, is_due, estimate, logged in conn.execute(sql.listed_tasks, params):
        if is_due:
            due_tasks[project_id].append(Due(deadline, title, owner))
        if estimate and logged and logged > estimate:
            over_estimate[project_id].append(OverEstimate(title, owner, int(estimate), int(logged)))
    goals: dict[int, list[GoalStatus]] = defaultdict(list)
    for project_id, title, target, current in conn.execute(sql.goals, params):
        goals[project_id].append(GoalStatus(title, target, current))
    changes: dict[int, int] = {pid: count for pid, count in conn.execute(sql.changes, params)}
    return SummaryRows(projects, logs, dict(week_people), percents, task_counts, dict(due_tasks),
                       dict(over_estimate), dict(goals), changes, estimates, costs=costs,
                       carried=carried(session, team_id, projects, today))
