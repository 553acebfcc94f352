"""Logs one at a time (correcting and deleting them, `/prosjekt timer`): a person's recent logs, one log held for a
change, its change and its deletion. `log_days` follows every change by the triggers of migration 0012.

Every function takes the workspace (`team_id`); a log id of another workspace is not found."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.domain.log_edits import LogLine
from storage.models import ProgressLog, Project, Task


def recent_logs(session: Session, team_id: str, user_id: str, *, since: dt.date, limit: int,
                project_ids: list[int] | None = None) -> tuple[list[LogLine], int]:
    """A person's logs dated `since` or later, newest first (by date, then as logged), at most `limit`; and how many
    there are in all. `project_ids`: only on those projects."""
    where = [ProgressLog.team_id == team_id, ProgressLog.user_id == user_id, ProgressLog.logged_on >= since]
    if project_ids is not None:
        where.append(ProgressLog.project_id.in_(project_ids))
    stmt = (
        select(ProgressLog.id, ProgressLog.project_id, Project.number, Project.name, ProgressLog.user_id,
               ProgressLog.logged_on, ProgressLog.minutes, ProgressLog.description, ProgressLog.percent,
               ProgressLog.billable, Task.title, func.count().over().label("total"))
        .join(Project, (Project.team_id == ProgressLog.team_id) & (Project.id == ProgressLog.project_id))
        .outerjoin(Task, (Task.team_id == ProgressLog.team_id) & (Task.id == ProgressLog.task_id))
        .where(*where)
        .order_by(ProgressLog.logged_on.desc(), ProgressLog.created_at.desc(), ProgressLog.id.desc())
        .limit(limit)
    )
    rows = session.execute(stmt).all()
    lines = [LogLine(r.id, r.project_id, r.number, r.name, r.user_id, r.logged_on, r.minutes, r.description or "",
                     r.percent, bool(r.billable), r.title) for r in rows]
    return lines, int(rows[0].total) if rows else 0


def log_for_change(session: Session, team_id: str, log_id: int) -> ProgressLog | None:
    """The log, held until the transaction ends (PostgreSQL: FOR UPDATE; SQLite's write unit holds the database), so
    two changes of it at once take turns and the second sees the first."""
    stmt = select(ProgressLog).where(ProgressLog.team_id == team_id, ProgressLog.id == log_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def log_by_id(session: Session, team_id: str, log_id: int) -> ProgressLog | None:
    return session.scalar(select(ProgressLog).where(ProgressLog.team_id == team_id, ProgressLog.id == log_id))


def delete_log(session: Session, team_id: str, log_id: int) -> bool:
    """Delete the log; False when it was already gone (deleted by another request)."""
    stmt = delete(ProgressLog).where(ProgressLog.team_id == team_id, ProgressLog.id == log_id) \
        .returning(ProgressLog.id)
    return session.execute(stmt, execution_options={"synchronize_session": False}).first() is not None


def task_title(session: Session, team_id: str, project_id: int, task_id: int | None) -> str | None:
    if task_id is None:
        return None
    return session.scalar(select(Task.title).where(Task.team_id == team_id, Task.project_id == project_id,
                                                   Task.id == task_id))


def led_project_ids(session: Session, team_id: str, user_id: str) -> list[int]:
    """The projects the user is the PL of (whose logs a PL may correct)."""
    return list(session.scalars(select(Project.id).where(Project.team_id == team_id, Project.pm_user_id == user_id)))
