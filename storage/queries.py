"""Queries. Every function takes the workspace (`team_id`) and never reads across workspaces.

The queries a web request runs are built once, as module constants with bind parameters: building a SQLAlchemy
statement costs several times more CPU than running it (SQLite answers these in microseconds), and the
statement cache then finds the compiled form by identity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    BindParameter,
    ColumnElement,
    Insert,
    Select,
    SQLColumnExpression,
    Table,
    and_,
    bindparam,
    case,
    event,
    func,
    insert,
    literal_column,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from storage.db import ALONE
from storage.models import (
    Goal,
    HandledRequest,
    HistoryEntry,
    LogDay,
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


def _core(session: Session) -> Connection:
    """The session's connection, for a Core statement on rows the session does not hold as entities: no ORM
    bookkeeping per statement (several times the cost of a small statement). The session's pending changes are
    flushed first, as `session.execute` would, so the statement sees them."""
    session.flush()
    return session.connection()


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
    return _core(session).execute(stmt, values).first() is not None


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
_DAYS: Table = LogDay.__table__  # type: ignore[assignment]
_NEW: dict[str, ColumnElement[Any]] = {  # the inserted log's columns, in its RETURNING clause
    name: literal_column(f"progress_logs.{name}") for name in ("team_id", "project_id")
}
# The project's minutes with the new log: the new log reaches log_days after this statement (SQLite runs the
# trigger after RETURNING is computed, PostgreSQL's is deferred to the commit), so it is added here. (SQLAlchemy
# neither correlates a RETURNING subquery nor binds a parameter under an inserted value's name: hence the columns.)
_ADD_LOG = insert(_LOGS).returning(  # the table's, not the entity's: no ORM bookkeeping
    _LOGS.c.minutes
    + select(func.coalesce(func.sum(_DAYS.c.minutes), 0))
    .where(_DAYS.c.team_id == _NEW["team_id"], _DAYS.c.project_id == _NEW["project_id"])
    .scalar_subquery()
)


def add_log(session: Session, **values: object) -> int:
    """Insert a progress log; the project's logged minutes with it. One Core INSERT, whose RETURNING reads the
    total (the ORM's unit of work and a second statement would cost the busiest request, `logg`, several times
    more). The total is right for the first log of a transaction (every caller logs one): on PostgreSQL an earlier
    log of the same transaction would reach log_days only at its commit.

    Call it after the unit's other writes: when it is the only one it runs on its own, without BEGIN and COMMIT
    (storage.db.ALONE), and the unit may not write after it."""
    return int(_core(session).execute(_ADD_LOG, values, execution_options={ALONE: True}).scalar_one())


# Memberships this process has seen committed. The app never removes one, so a user found here is a member without
# the INSERT … ON CONFLICT that `logg`, the busiest write, would otherwise send every time. Per process, bounded.
_MEMBERS: set[tuple[str, int, str]] = set()
_MEMBERS_MAX = 200_000
_SEEN_MEMBERS = "prosjekt_members_seen"


def add_member(session: Session, team_id: str, project_id: int, user_id: str, role: str = "member") -> bool:
    """Make the user a member of the project; True when that added the membership."""
    key = (team_id, project_id, user_id)
    if key in _MEMBERS:
        return False
    added = _insert_ignore(session, Member, team_id=team_id, project_id=project_id, user_id=user_id, role=role)
    session.info.setdefault(_SEEN_MEMBERS, []).append(key)  # remembered once this transaction has committed
    return added


@event.listens_for(Session, "after_commit")
def _remember_members(session: Session) -> None:
    seen = session.info.pop(_SEEN_MEMBERS, None)
    if seen:
        if len(_MEMBERS) + len(seen) > _MEMBERS_MAX:
            _MEMBERS.clear()
        _MEMBERS.update(seen)


@event.listens_for(Session, "after_rollback")
def _forget_members(session: Session) -> None:
    session.info.pop(_SEEN_MEMBERS, None)


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


def in_frame_period(day: SQLColumnExpression[dt.date]) -> ColumnElement[bool]:
    """`day` lies in the hours frame's period of the Project row in scope: `bot.domain.health.frame_period` in SQL
    (start..deadline; for løpende also this month, the bind parameters month_start and month_end: month_bounds)."""
    return and_(
        day >= Project.start, or_(Project.deadline.is_(None), day <= Project.deadline),
        or_(Project.kind != "lopende", and_(day >= bindparam("month_start"), day <= bindparam("month_end"))),
    )


def month_bounds(today: dt.date) -> dict[str, dt.date]:
    """The bind parameters of `in_frame_period`: the first and last day of today's month."""
    first = today.replace(day=1)
    return {"month_start": first, "month_end": (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)}


class LogLine(NamedTuple):
    """One of the newest logs, as a card shows it."""

    user_id: str
    minutes: int
    logged_on: dt.date
    description: str


class TaskLine(NamedTuple):
    id: int
    title: str
    owner_user_id: str | None
    deadline: dt.date | None
    done: bool


class GoalLine(NamedTuple):
    title: str
    target_value: float | None
    current_value: float | None


class CardData(NamedTuple):
    """What a project card shows of its logs, tasks and goals, read with the project (see `project_card`)."""

    period: int  # minutes logged in the frame's period (in_frame_period)
    total: int  # minutes logged in all
    percent: int | None  # the latest reported %: of the last log saved with one
    latest: list[LogLine]  # the newest logs, newest first
    tasks: list[TaskLine]  # open first, then by deadline (undated last), then as added
    goals: list[GoalLine]  # as added


def _json_rows(dialect: str, inner: Select[*tuple[Any, ...]]) -> Any:
    """A scalar subquery: the rows of `inner` as one JSON array of arrays (PostgreSQL and SQLite spell it
    differently). The order inside it is not relied on: callers sort (an aggregate keeps its input's order only
    in practice)."""
    sub = inner.subquery()
    rows: ColumnElement[Any]
    if dialect == "postgresql":
        rows = func.coalesce(func.json_agg(func.json_build_array(*sub.c)), literal_column("'[]'::json"))
    else:
        rows = func.json_group_array(func.json_array(*sub.c))
    return select(type_coerce(rows, JSON)).scalar_subquery()


def _card(dialect: str, *, by_number: bool) -> Select[Any]:
    """The project (by number or by id) and, in scalar subqueries on its row each answered by one index, what its
    card shows: the hours (log_days' key), the latest % (ix_logs_project_percent), the newest logs, the tasks and
    the goals."""
    mine = {model: and_(model.team_id == T, model.project_id == Project.id)
            for model in (LogDay, ProgressLog, Task, Goal)}
    minutes = func.coalesce(func.sum(LogDay.minutes), 0)
    percent = (
        select(ProgressLog.percent)
        .where(mine[ProgressLog], ProgressLog.percent.is_not(None))
        .order_by(ProgressLog.id.desc())
        .limit(1)
    )
    newest_first = (ProgressLog.created_at.desc(), ProgressLog.id.desc())
    latest = (
        select(func.row_number().over(order_by=newest_first), ProgressLog.user_id, ProgressLog.minutes,
               ProgressLog.logged_on, ProgressLog.description)
        .where(mine[ProgressLog])
        .order_by(*newest_first)
        .limit(bindparam("limit"))
    )
    tasks = select(Task.id, Task.title, Task.owner_user_id, Task.deadline, Task.done_at.is_not(None)).where(mine[Task])
    goals = select(Goal.id, Goal.title, Goal.target_value, Goal.current_value).where(mine[Goal])
    return select(  # type: ignore[return-value]  # (a row of an entity and scalars)
        Project,
        select(minutes).where(mine[LogDay], in_frame_period(LogDay.logged_on)).scalar_subquery().label("period"),
        select(minutes).where(mine[LogDay]).scalar_subquery().label("total"),
        percent.scalar_subquery().label("percent"),
        _json_rows(dialect, latest.correlate(Project)).label("latest"),
        _json_rows(dialect, tasks.correlate(Project)).label("tasks"),
        _json_rows(dialect, goals.correlate(Project)).label("goals"),
    ).where(Project.team_id == T, Project.number == bindparam("number") if by_number else Project.id == P)


_CARD: dict[tuple[str, bool], Select[Any]] = {}


def project_card(
    session: Session, team_id: str, *, today: dt.date, number: int | None = None, project_id: int | None = None,
    latest: int = 3,
) -> tuple[Project, CardData] | None:
    """A project, by its number or its id, and what its card shows of its logs, tasks and goals: one statement
    (the card is the most frequent read; a lookup and then the card cost a round trip and its statement's CPU
    more). None when the workspace has no such project."""
    key = (session.get_bind().dialect.name, number is not None)
    stmt = _CARD.get(key)
    if stmt is None:
        stmt = _CARD.setdefault(key, _card(key[0], by_number=key[1]))
    params = {"team_id": team_id, "number": number, "project_id": project_id, "limit": latest, **month_bounds(today)}
    row = session.execute(stmt, params).one_or_none()
    if row is None:
        return None
    day = dt.date.fromisoformat
    tasks = [TaskLine(i, title, owner, day(deadline) if deadline else None, bool(done))
             for i, title, owner, deadline, done in row.tasks]
    tasks.sort(key=lambda t: (t.done, t.deadline is None, t.deadline or dt.date.min, t.id))
    return row.Project, CardData(
        period=int(row.period), total=int(row.total), percent=row.percent,
        latest=[LogLine(user, minutes, day(on), text) for _, user, minutes, on, text in sorted(row.latest)],
        tasks=tasks,
        goals=[GoalLine(title, target, current) for _, title, target, current in sorted(row.goals)],
    )


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
