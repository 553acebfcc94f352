"""Workspaces: their language and time zone, handled Slack deliveries, cached admin status.

Every function takes the workspace (`team_id`) and never reads across workspaces.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    bindparam,
    select,
)
from sqlalchemy.orm import Session

from storage import sql
from storage.models import (
    HandledRequest,
    Workspace,
    WorkspaceUser,
)

_WORKSPACE = select(Workspace.language, Workspace.timezone).where(Workspace.team_id == sql.T)


def workspace_locale(session: Session, team_id: str) -> tuple[str, str] | None:
    """(language, timezone) of a workspace, or None when it has no row yet."""
    row = session.execute(_WORKSPACE, {"team_id": team_id}).first()
    return (row.language, row.timezone) if row else None


def ensure_workspace(session: Session, team_id: str, *, language: str, timezone: str) -> Workspace:
    workspace = session.get(Workspace, team_id)
    if workspace is not None:
        return workspace
    sql.insert_ignore(session, Workspace, team_id=team_id, language=language, timezone=timezone, last_project_number=0)
    workspace = session.get(Workspace, team_id)
    assert workspace is not None
    return workspace


def mark_handled(session: Session, team_id: str, request_id: str) -> bool:
    """Record a Slack delivery; False when it was handled before (a retry or a double submit)."""
    return sql.insert_ignore(session, HandledRequest, team_id=team_id, request_id=request_id)


def was_handled(session: Session, team_id: str, request_id: str) -> bool:
    return session.get(HandledRequest, (team_id, request_id)) is not None


_ADMIN = select(WorkspaceUser.is_admin, WorkspaceUser.checked_at).where(
    WorkspaceUser.team_id == sql.T, WorkspaceUser.user_id == bindparam("user_id")
)


def cached_admin(session: Session, team_id: str, user_id: str, fresh_after: dt.datetime) -> bool | None:
    row = session.execute(_ADMIN, {"team_id": team_id, "user_id": user_id}).first()
    if row is None or row.checked_at < fresh_after:
        return None
    return bool(row.is_admin)


def remember_admin(session: Session, team_id: str, user_id: str, is_admin: bool, at: dt.datetime) -> None:
    values = {"is_admin": is_admin, "checked_at": at}
    stmt = sql.insert_for(session, WorkspaceUser).values(team_id=team_id, user_id=user_id, **values)
    session.execute(stmt.on_conflict_do_update(index_elements=["team_id", "user_id"], set_=values))
