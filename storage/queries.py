"""Queries. Every function takes the workspace (`team_id`) and never reads across workspaces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import (
    Goal,
    HandledRequest,
    HistoryEntry,
    Member,
    ProgressLog,
    Project,
    Task,
    Workspace,
    WorkspaceUser,
)


def _insert(session: Session, model: type) -> Any:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def _insert_ignore(session: Session, model: type, **values: object) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row was inserted."""
    # RETURNING, not rowcount: the driver's rowcount is not reliable for ON CONFLICT through the ORM session.
    key = next(iter(model.__table__.primary_key.columns))  # type: ignore[attr-defined]
    stmt = _insert(session, model).values(**values).on_conflict_do_nothing().returning(key)
    return session.execute(stmt).first() is not None


def ensure_workspace(session: Session, team_id: str, *, language: str, timezone: str) -> Workspace:
    workspace = session.get(Workspace, team_id)
    if workspace is not None:
        return workspace
    _insert_ignore(session, Workspace, team_id=team_id, language=language, timezone=timezone, last_project_number=0)
    workspace = session.get(Workspace, team_id)
    assert workspace is not None
    return workspace


def mark_handled(session: Session, team_id: str, request_id: str) -> bool:
    """Record a Slack delivery; False when it was handled before (a retry or a double submit)."""
    return _insert_ignore(session, HandledRequest, team_id=team_id, request_id=request_id)


def was_handled(session: Session, team_id: str, request_id: str) -> bool:
    return session.get(HandledRequest, (team_id, request_id)) is not None


def next_project_number(session: Session, team_id: str) -> int:
    """Allocate P-<n> atomically (one UPDATE … RETURNING, safe under concurrent creates)."""
    stmt = (
        update(Workspace)
        .where(Workspace.team_id == team_id)
        .values(last_project_number=Workspace.last_project_number + 1)
        .returning(Workspace.last_project_number)
    )
    return int(session.execute(stmt).scalar_one())


def project_by_number(session: Session, team_id: str, number: int) -> Project | None:
    return session.scalar(select(Project).where(Project.team_id == team_id, Project.number == number))


def project_by_id(session: Session, team_id: str, project_id: int) -> Project | None:
    return session.scalar(select(Project).where(Project.team_id == team_id, Project.id == project_id))


def project_by_name_key(session: Session, team_id: str, name_key: str) -> Project | None:
    return session.scalar(select(Project).where(Project.team_id == team_id, Project.name_key == name_key))


def projects_with_name_prefix(session: Session, team_id: str, prefix_key: str, limit: int = 6) -> Sequence[Project]:
    escaped = prefix_key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    stmt = (
        select(Project)
        .where(Project.team_id == team_id, Project.name_key.like(escaped + "%", escape="\\"))
        .order_by(case((Project.state == "active", 0), else_=1), Project.number)
        .limit(limit)
    )
    return session.scalars(stmt).all()


def active_projects_in_channel(session: Session, team_id: str, channel_id: str) -> Sequence[Project]:
    stmt = _projects(team_id).where(Project.channel_id == channel_id, Project.state == "active")
    return session.scalars(stmt).all()


def projects_by_ids(session: Session, team_id: str, ids: set[int]) -> Sequence[Project]:
    if not ids:
        return []
    return session.scalars(select(Project).where(Project.team_id == team_id, Project.id.in_(ids))).all()


def request_replan(session: Session, team_id: str, project_ids: list[int]) -> None:
    """Mark projects for the clock to plan again (after a change, or a sent nag that has a successor)."""
    session.execute(update(Project).where(Project.team_id == team_id, Project.id.in_(project_ids)).values(replan=True))


def projects_in_channel(session: Session, team_id: str, channel_id: str, limit: int = 50) -> Sequence[Project]:
    return session.scalars(_projects(team_id).where(Project.channel_id == channel_id).limit(limit)).all()


def _projects(team_id: str) -> Select[Any]:
    return select(Project).where(Project.team_id == team_id).order_by(Project.number)


def list_projects(
    session: Session, team_id: str, *, channel_id: str | None = None, user_id: str | None = None, limit: int = 200,
    include_delivered: bool = False,
) -> Sequence[Project]:
    """Projects (not delivered, unless asked): in a channel, or where a user is PM or member, or all."""
    stmt = _projects(team_id)
    if not include_delivered:
        stmt = stmt.where(Project.state != "delivered")
    if channel_id is not None:
        stmt = stmt.where(Project.channel_id == channel_id)
    if user_id is not None:
        member = select(Member.project_id).where(Member.team_id == team_id, Member.user_id == user_id)
        stmt = stmt.where((Project.pm_user_id == user_id) | Project.id.in_(member))
    return session.scalars(stmt.limit(limit)).all()


def add_member(session: Session, team_id: str, project_id: int, user_id: str, role: str = "member") -> bool:
    return _insert_ignore(session, Member, team_id=team_id, project_id=project_id, user_id=user_id, role=role)


def goals(session: Session, team_id: str, project_id: int) -> Sequence[Goal]:
    stmt = select(Goal).where(Goal.team_id == team_id, Goal.project_id == project_id).order_by(Goal.id)
    return session.scalars(stmt).all()


def goal_by_title_key(session: Session, team_id: str, project_id: int, title_key: str) -> Goal | None:
    stmt = select(Goal).where(Goal.team_id == team_id, Goal.project_id == project_id, Goal.title_key == title_key)
    return session.scalar(stmt)


def tasks(session: Session, team_id: str, project_id: int) -> Sequence[Task]:
    stmt = (
        select(Task)
        .where(Task.team_id == team_id, Task.project_id == project_id)
        .order_by(Task.done_at.is_not(None), Task.deadline.is_(None), Task.deadline, Task.id)
    )
    return session.scalars(stmt).all()


def task_by_id(session: Session, team_id: str, project_id: int, task_id: int) -> Task | None:
    stmt = select(Task).where(Task.team_id == team_id, Task.project_id == project_id, Task.id == task_id)
    return session.scalar(stmt)


def logged_minutes(
    session: Session, team_id: str, project_id: int, since: dt.date | None = None, until: dt.date | None = None
) -> int:
    stmt = select(func.coalesce(func.sum(ProgressLog.minutes), 0)).where(
        ProgressLog.team_id == team_id, ProgressLog.project_id == project_id
    )
    if since is not None:
        stmt = stmt.where(ProgressLog.logged_on >= since)
    if until is not None:
        stmt = stmt.where(ProgressLog.logged_on <= until)
    return int(session.scalar(stmt) or 0)


def latest_logs(session: Session, team_id: str, project_id: int, limit: int = 3) -> Sequence[ProgressLog]:
    stmt = (
        select(ProgressLog)
        .where(ProgressLog.team_id == team_id, ProgressLog.project_id == project_id)
        .order_by(ProgressLog.created_at.desc(), ProgressLog.id.desc())
        .limit(limit)
    )
    return session.scalars(stmt).all()


def latest_reported_percent(session: Session, team_id: str, project_id: int) -> int | None:
    stmt = (
        select(ProgressLog.percent)
        .where(
            ProgressLog.team_id == team_id, ProgressLog.project_id == project_id, ProgressLog.percent.is_not(None)
        )
        .order_by(ProgressLog.created_at.desc(), ProgressLog.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def history(session: Session, team_id: str, project_id: int, limit: int = 20) -> Sequence[HistoryEntry]:
    stmt = (
        select(HistoryEntry)
        .where(HistoryEntry.team_id == team_id, HistoryEntry.project_id == project_id)
        .order_by(HistoryEntry.at.desc(), HistoryEntry.id.desc())
        .limit(limit)
    )
    return session.scalars(stmt).all()


def cached_admin(session: Session, team_id: str, user_id: str, fresh_after: dt.datetime) -> bool | None:
    row = session.get(WorkspaceUser, (team_id, user_id))
    if row is None or row.checked_at < fresh_after:
        return None
    return row.is_admin


def remember_admin(session: Session, team_id: str, user_id: str, is_admin: bool, at: dt.datetime) -> None:
    values = {"is_admin": is_admin, "checked_at": at}
    stmt = _insert(session, WorkspaceUser).values(team_id=team_id, user_id=user_id, **values)
    session.execute(stmt.on_conflict_do_update(index_elements=["team_id", "user_id"], set_=values))
