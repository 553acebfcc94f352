"""Workspaces: their language, time zone and settings, handled Slack deliveries, cached admin status.

Every function takes the workspace (`team_id`) and never reads across workspaces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import (
    bindparam,
    select,
    update,
)
from sqlalchemy.orm import Session

from storage import sql
from storage.models import (
    HandledRequest,
    HistoryEntry,
    Project,
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


def workspace_row(session: Session, team_id: str, *, lock: bool = False) -> Workspace | None:
    """The workspace's row; with `lock`, read afresh and locked until the commit (to change its settings)."""
    if lock:
        return session.get(Workspace, team_id, with_for_update=True, populate_existing=True)
    return session.get(Workspace, team_id)


def store_settings(workspace: Workspace, *, language: str, timezone: str, rules: str, summary: str,
                   default_rate_nok: int | None, nudges: str | None = None) -> None:
    """New settings on a (locked) workspace row: `rules`, `summary` and `nudges` as JSON (FollowupRules,
    SummarySettings, NudgeSettings; `nudges` None: left as they are)."""
    workspace.language, workspace.timezone = language, timezone
    workspace.rules, workspace.summary = rules, summary
    workspace.default_rate_nok = default_rate_nok
    if nudges is not None:
        workspace.nudges = nudges


def record_settings_changes(session: Session, team_id: str, user_id: str, at: dt.datetime,
                            changes: Iterable[tuple[str, str | None, str | None]]) -> None:
    """Changed settings into the history, each as (field, old, new); workspace-wide, so with no project."""
    session.add_all(HistoryEntry(team_id=team_id, project_id=None, user_id=user_id, at=at, action="settings",
                                 field=field, old_value=old, new_value=new) for field, old, new in changes)


def replan_active_projects(session: Session, team_id: str) -> None:
    """The clock plans every active project of the workspace again (a setting follow-ups depend on changed)."""
    session.execute(update(Project).where(Project.team_id == team_id, Project.state == "active").values(replan=True))


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
