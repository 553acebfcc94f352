"""Queries. Every function takes the workspace (`team_id`) and never reads across workspaces.

The queries a web request runs are built once, as module constants with bind parameters: building a SQLAlchemy
statement costs several times more CPU than running it (SQLite answers these in microseconds), and the
statement cache then finds the compiled form by identity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, Insert, Select, Table, bindparam, case, func, insert, select, update
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

T: BindParameter[str] = bindparam("team_id")
P: BindParameter[int] = bindparam("project_id")


def _insert(session: Session, model: type) -> Any:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


_INSERT_IGNORE: dict[tuple[str, type], Insert] = {}


def _insert_ignore(session: Session, model: type, **values: object) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row was inserted."""
    dialect = session.get_bind().dialect.name
    stmt = _INSERT_IGNORE.get((dialect, model))
    if stmt is None:  # one statement per table and dialect; the values are bound when it runs
        # RETURNING, not rowcount: the driver's rowcount is not reliable for ON CONFLICT through the ORM session.
        table = model.__table__  # type: ignore[attr-defined]
        stmt = (postgresql if dialect == "postgresql" else sqlite).insert(table).on_conflict_do_nothing()
        stmt = _INSERT_IGNORE.setdefault((dialect, model), stmt.returning(next(iter(table.primary_key.columns))))
    return session.execute(stmt, values).first() is not None


_WORKSPACE = select(Workspace.language, Workspace.timezone).where(Workspace.team_id == T)


def workspace_locale(session: Session, team_id: str) -> tuple[str, str] | None:
    """(language, timezone) of a workspace, or None when it has no row yet."""
    row = session.execute(_WORKSPACE, {"team_id": team_id}).first()
    return (row.language, row.timezone) if row else None


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


_PROJECT_BY_NUMBER = select(Project).where(Project.team_id == T, Project.number == bindparam("number"))
_PROJECT_BY_ID = select(Project).where(Project.team_id == T, Project.id == P)


def project_by_number(session: Session, team_id: str, number: int) -> Project | None:
    return session.scalar(_PROJECT_BY_NUMBER, {"team_id": team_id, "number": number})


def project_by_id(session: Session, team_id: str, project_id: int) -> Project | None:
    return session.scalar(_PROJECT_BY_ID, {"team_id": team_id, "project_id": project_id})


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


_LOGS: Table = ProgressLog.__table__  # type: ignore[assignment]
_ADD_LOG = insert(_LOGS).returning(_LOGS.c.id)  # the table's, not the entity's: no ORM bookkeeping


def add_log(session: Session, **values: object) -> int:
    """Insert a progress log; its id. (One Core INSERT: the ORM's unit of work costs several times more, and the
    busiest request, `logg`, needs nothing else from it.)"""
    return int(session.execute(_ADD_LOG, values).scalar_one())


def add_member(session: Session, team_id: str, project_id: int, user_id: str, role: str = "member") -> bool:
    return _insert_ignore(session, Member, team_id=team_id, project_id=project_id, user_id=user_id, role=role)


_GOALS = select(Goal).where(Goal.team_id == T, Goal.project_id == P).order_by(Goal.id)


def goals(session: Session, team_id: str, project_id: int) -> Sequence[Goal]:
    return session.scalars(_GOALS, {"team_id": team_id, "project_id": project_id}).all()


def goal_by_title_key(session: Session, team_id: str, project_id: int, title_key: str) -> Goal | None:
    stmt = select(Goal).where(Goal.team_id == team_id, Goal.project_id == project_id, Goal.title_key == title_key)
    return session.scalar(stmt)


_TASKS = (
    select(Task)
    .where(Task.team_id == T, Task.project_id == P)
    .order_by(Task.done_at.is_not(None), Task.deadline.is_(None), Task.deadline, Task.id)
)


def tasks(session: Session, team_id: str, project_id: int) -> Sequence[Task]:
    return session.scalars(_TASKS, {"team_id": team_id, "project_id": project_id}).all()


def task_by_id(session: Session, team_id: str, project_id: int, task_id: int) -> Task | None:
    stmt = select(Task).where(Task.team_id == team_id, Task.project_id == project_id, Task.id == task_id)
    return session.scalar(stmt)


def _logged(*, since: bool, until: bool) -> Select[Any]:
    stmt = select(func.coalesce(func.sum(ProgressLog.minutes), 0)).where(
        ProgressLog.team_id == T, ProgressLog.project_id == P
    )
    if since:
        stmt = stmt.where(ProgressLog.logged_on >= bindparam("since"))
    if until:
        stmt = stmt.where(ProgressLog.logged_on <= bindparam("until"))
    return stmt


_LOGGED = {(s, u): _logged(since=s, until=u) for s in (False, True) for u in (False, True)}


def logged_minutes(
    session: Session, team_id: str, project_id: int, since: dt.date | None = None, until: dt.date | None = None
) -> int:
    stmt = _LOGGED[since is not None, until is not None]
    params = {"team_id": team_id, "project_id": project_id, "since": since, "until": until}
    return int(session.scalar(stmt, params) or 0)


class LogFigures(NamedTuple):
    latest: list[ProgressLog]  # the newest logs, newest first
    period: int  # minutes logged from `since` to `until`
    total: int | None  # minutes logged in all (when asked for)
    percent: int | None  # the latest reported %: of the last log saved with one


def _log_figures(*, until: bool, total: bool) -> Select[Any]:
    """The newest logs, each row also carrying the figures: scalar subqueries that one index answers alone
    (ix_logs_project_minutes for the sums, ix_logs_project_percent for the %), run once per statement."""
    figures = [_logged(since=True, until=until).scalar_subquery().label("period")]
    if total:
        figures.append(_logged(since=False, until=False).scalar_subquery().label("total"))
    percent = (
        select(ProgressLog.percent)
        .where(ProgressLog.team_id == T, ProgressLog.project_id == P, ProgressLog.percent.is_not(None))
        .order_by(ProgressLog.id.desc())
        .limit(1)
    )
    return (
        select(ProgressLog, *figures, percent.scalar_subquery().label("percent"))
        .where(ProgressLog.team_id == T, ProgressLog.project_id == P)
        .order_by(ProgressLog.created_at.desc(), ProgressLog.id.desc())
        .limit(bindparam("limit"))
    )


_LOG_FIGURES = {(u, t): _log_figures(until=u, total=t) for u in (False, True) for t in (False, True)}


def log_figures(
    session: Session, team_id: str, project_id: int, since: dt.date, until: dt.date | None, *, total: bool,
    latest: int = 3,
) -> LogFigures:
    """What a card shows of the project's logs, in one statement (see LogFigures)."""
    params = {"team_id": team_id, "project_id": project_id, "since": since, "until": until, "limit": latest}
    rows = session.execute(_LOG_FIGURES[until is not None, total], params).all()
    if not rows:  # no logs at all: nothing logged, no % reported
        return LogFigures([], 0, 0 if total else None, None)
    first = rows[0]
    return LogFigures([row[0] for row in rows], int(first.period), int(first.total) if total else None,
                      first.percent)


def history(session: Session, team_id: str, project_id: int, limit: int = 20) -> Sequence[HistoryEntry]:
    stmt = (
        select(HistoryEntry)
        .where(HistoryEntry.team_id == team_id, HistoryEntry.project_id == project_id)
        .order_by(HistoryEntry.at.desc(), HistoryEntry.id.desc())
        .limit(limit)
    )
    return session.scalars(stmt).all()


_ADMIN = select(WorkspaceUser.is_admin, WorkspaceUser.checked_at).where(
    WorkspaceUser.team_id == T, WorkspaceUser.user_id == bindparam("user_id")
)


def cached_admin(session: Session, team_id: str, user_id: str, fresh_after: dt.datetime) -> bool | None:
    row = session.execute(_ADMIN, {"team_id": team_id, "user_id": user_id}).first()
    if row is None or row.checked_at < fresh_after:
        return None
    return bool(row.is_admin)


def remember_admin(session: Session, team_id: str, user_id: str, is_admin: bool, at: dt.datetime) -> None:
    values = {"is_admin": is_admin, "checked_at": at}
    stmt = _insert(session, WorkspaceUser).values(team_id=team_id, user_id=user_id, **values)
    session.execute(stmt.on_conflict_do_update(index_elements=["team_id", "user_id"], set_=values))
