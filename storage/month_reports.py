"""The month-end report's SQL (bot.domain.month_report): a batch of projects' month in a fixed number of statements
whatever the batch's size, which projects get the report when a month ends, and approved months. Every query takes
the workspace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, case, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from bot.domain.month_report import Approval, LogRow
from bot.domain.periods import month_of
from bot.domain.readmodels import GoalLine
from storage import sql
from storage.models import Goal, LogDay, MonthApproval, ProgressLog, Project, Task


@dataclass
class MonthRows:
    """What one project's report is built from."""

    logs: list[LogRow] = field(default_factory=list)
    task_titles: dict[int, str] = field(default_factory=dict)
    goals: list[GoalLine] = field(default_factory=list)
    approval: Approval | None = None
    used: int = 0  # minutes against the frame: the month's (løpende), all up to the month's end (avgrenset)
    used_billable: int = 0
    cost_kr_minutes: int = 0  # Σ billable minutes × rate over the same days (kr = / 60)


def month_rows(session: Session, team_id: str, projects: Sequence[Project], month: dt.date) -> dict[int, MonthRows]:
    """Each project's month: five statements, whatever the number of projects."""
    ids = sorted({p.id for p in projects})
    found: dict[int, MonthRows] = {i: MonthRows() for i in ids}
    if not ids:
        return found
    end = month_of(month).end
    for row in session.execute(
            select(ProgressLog.id, ProgressLog.project_id, ProgressLog.user_id, ProgressLog.task_id,
                   ProgressLog.logged_on, ProgressLog.minutes, ProgressLog.billable, ProgressLog.rate_nok,
                   ProgressLog.description)
            .where(ProgressLog.team_id == team_id, ProgressLog.project_id.in_(ids),
                   ProgressLog.logged_on >= month, ProgressLog.logged_on <= end)):
        found[row.project_id].logs.append(LogRow(row.id, row.user_id, row.task_id, row.logged_on, row.minutes,
                                                 bool(row.billable), row.rate_nok, row.description))
    for project_id, task_id, title in session.execute(
            select(Task.project_id, Task.id, Task.title).where(Task.team_id == team_id, Task.project_id.in_(ids))):
        found[project_id].task_titles[task_id] = title
    for project_id, title, target, current in session.execute(
            select(Goal.project_id, Goal.title, Goal.target_value, Goal.current_value)
            .where(Goal.team_id == team_id, Goal.project_id.in_(ids)).order_by(Goal.id)):
        found[project_id].goals.append(GoalLine(title, target, current))
    for project_id, by, at in session.execute(
            select(MonthApproval.project_id, MonthApproval.approved_by, MonthApproval.approved_at)
            .where(MonthApproval.team_id == team_id, MonthApproval.project_id.in_(ids), MonthApproval.month == month)):
        found[project_id].approval = Approval(by, at)
    # Against the frame: a løpende project's month, an avgrenset one's days up to the month's end (log_days: a row a
    # day). The kind is read in the statement, so one statement serves both.
    counted = or_(Project.kind != "lopende", LogDay.logged_on >= month)
    for project_id, used, billable, cost in session.execute(
            select(LogDay.project_id, func.sum(case((counted, LogDay.minutes), else_=0)),
                   func.sum(case((counted, LogDay.billable_minutes), else_=0)),
                   func.sum(case((counted, LogDay.cost_kr_minutes), else_=0)))
            .join(Project, and_(Project.team_id == LogDay.team_id, Project.id == LogDay.project_id))
            .where(LogDay.team_id == team_id, LogDay.project_id.in_(ids), LogDay.logged_on <= end)
            .group_by(LogDay.project_id)):
        rows = found[project_id]
        rows.used, rows.used_billable, rows.cost_kr_minutes = int(used or 0), int(billable or 0), int(cost or 0)
    return found


def month_end_projects(session: Session, team_id: str, month: dt.date, *, with_avgrenset: bool, after_id: int = 0,
                       limit: int = 500) -> Sequence[tuple[int, str]]:
    """(id, channel) of the projects that get `month`'s report, in id order from `after_id`: the løpende ones running
    in it (started by its end, not ended before it, not delivered), and with `with_avgrenset` every avgrenset one
    with hours logged in it."""
    end = month_of(month).end
    running = and_(Project.kind == "lopende", Project.state != "delivered", Project.start <= end,
                   or_(Project.deadline.is_(None), Project.deadline >= month))
    wanted = running
    if with_avgrenset:
        logged = exists().where(LogDay.team_id == team_id, LogDay.project_id == Project.id, LogDay.logged_on >= month,
                                LogDay.logged_on <= end, LogDay.minutes > 0)
        wanted = or_(running, and_(Project.kind == "avgrenset", logged))
    stmt = (select(Project.id, Project.channel_id).where(Project.team_id == team_id, Project.id > after_id, wanted)
            .order_by(Project.id).limit(limit))
    return [(pid, channel) for pid, channel in session.execute(stmt)]


def approval(session: Session, team_id: str, project_id: int, month: dt.date) -> Approval | None:
    row = session.get(MonthApproval, (team_id, project_id, month))
    return Approval(row.approved_by, row.approved_at) if row is not None else None


def approve(session: Session, team_id: str, project_id: int, month: dt.date, *, by: str, at: dt.datetime) -> bool:
    """Record the month approved; False when it already was (by whoever did it first)."""
    return sql.insert_ignore(session, MonthApproval, team_id=team_id, project_id=project_id, month=month,
                             approved_by=by, approved_at=at)


def reopen(session: Session, team_id: str, project_id: int, month: dt.date) -> bool:
    """Remove the month's approval; False when it was not approved."""
    stmt = (delete(MonthApproval).where(MonthApproval.team_id == team_id, MonthApproval.project_id == project_id,
                                        MonthApproval.month == month).returning(MonthApproval.project_id))
    return sql.core(session).execute(stmt).first() is not None
