"""Projects and what hangs off them: numbers, lookups, lists, logs, members, goals, tasks, history.

Every function takes the workspace (`team_id`) and never reads across workspaces. The queries a web request
runs are built once, as module constants with bind parameters: building a SQLAlchemy statement costs several
times more CPU than running it, and the statement cache then finds the compiled form by identity.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Table,
    bindparam,
    case,
    event,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.orm import Session

from bot.domain.readmodels import HistoryLine
from storage import sql
from storage.db import ALONE
from storage.models import (
    Goal,
    HistoryEntry,
    LogDay,
    Member,
    ProgressLog,
    Project,
    ProjectRate,
    Task,
    Workspace,
)
from storage.views import HISTORY_LINE_COLUMNS, history_line


def next_project_number(session: Session, team_id: str) -> int:
    """Allocate P-<n> atomically (one UPDATE … RETURNING, safe under concurrent creates)."""
    stmt = (
        update(Workspace)
        .where(Workspace.team_id == team_id)
        .values(last_project_number=Workspace.last_project_number + 1)
        .returning(Workspace.last_project_number)
    )
    return int(session.execute(stmt).scalar_one())


_PROJECT_BY_NUMBER = select(Project).where(Project.team_id == sql.T, Project.number == bindparam("number"))


_PROJECT_BY_ID = select(Project).where(Project.team_id == sql.T, Project.id == sql.P)


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


def leads_a_project(session: Session, team_id: str, user_id: str) -> bool:
    """Whether the user is the PL of any of the workspace's projects (a PL may edit the routines)."""
    stmt = select(Project.id).where(Project.team_id == team_id, Project.pm_user_id == user_id).limit(1)
    return session.scalar(stmt) is not None


def active_projects_in_channel(session: Session, team_id: str, channel_id: str) -> Sequence[Project]:
    stmt = _projects(team_id).where(Project.channel_id == channel_id, Project.state == "active")
    return session.scalars(stmt).all()


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


_RATES: Table = ProjectRate.__table__  # type: ignore[assignment]
_WORKSPACES: Table = Workspace.__table__  # type: ignore[assignment]
# The rate the log gets (bot.domain.money.rate_for), read in its own INSERT: the person's on the project, else the
# project's (bound: the caller holds the project), else the workspace default. (Bind names of their own: an
# INSERT reserves its columns' names.)
_RATE = func.coalesce(
    select(_RATES.c.rate_nok).where(_RATES.c.team_id == bindparam("rate_team"),
                                    _RATES.c.project_id == bindparam("rate_project"),
                                    _RATES.c.user_id == bindparam("rate_user")).scalar_subquery(),
    bindparam("project_rate", type_=Integer),
    select(_WORKSPACES.c.default_rate_nok).where(_WORKSPACES.c.team_id == bindparam("rate_team")).scalar_subquery(),
)


# The project's minutes with the new log: the new log reaches log_days after this statement (SQLite runs the
# trigger after RETURNING is computed, PostgreSQL's is deferred to the commit), so it is added here. (SQLAlchemy
# neither correlates a RETURNING subquery nor binds a parameter under an inserted value's name: hence the columns.)
_ADD_LOG = insert(_LOGS).values(rate_nok=_RATE).returning(  # the table's, not the entity's: no ORM bookkeeping
    _LOGS.c.minutes
    + select(func.coalesce(func.sum(_DAYS.c.minutes), 0))
    .where(_DAYS.c.team_id == _NEW["team_id"], _DAYS.c.project_id == _NEW["project_id"])
    .scalar_subquery()
)


def add_log(session: Session, *, project_rate: int | None = None, **values: Any) -> int:
    """Insert a progress log at the rate it gets (`project_rate`: the project's own); the project's logged minutes
    with it. One Core INSERT, whose RETURNING reads the
    total (the ORM's unit of work and a second statement would cost the busiest request, `logg`, several times
    more). The total is right for the first log of a transaction (every caller logs one): on PostgreSQL an earlier
    log of the same transaction would reach log_days only at its commit.

    Call it after the unit's other writes: when it is the only one it runs on its own, without BEGIN and COMMIT
    (storage.db.ALONE), and the unit may not write after it."""
    params = {**values, "project_rate": project_rate, "rate_team": values["team_id"],
              "rate_project": values["project_id"], "rate_user": values["user_id"]}
    return int(sql.core(session).execute(_ADD_LOG, params, execution_options={ALONE: True}).scalar_one())


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
    added = sql.insert_ignore(session, Member, team_id=team_id, project_id=project_id, user_id=user_id, role=role)
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
    .where(Task.team_id == sql.T, Task.project_id == sql.P)
    .order_by(Task.done_at.is_not(None), Task.deadline.is_(None), Task.deadline, Task.id)
)


def tasks(session: Session, team_id: str, project_id: int) -> Sequence[Task]:
    return session.scalars(_TASKS, {"team_id": team_id, "project_id": project_id}).all()


def task_by_id(session: Session, team_id: str, project_id: int, task_id: int) -> Task | None:
    stmt = select(Task).where(Task.team_id == team_id, Task.project_id == project_id, Task.id == task_id)
    return session.scalar(stmt)


def history(session: Session, team_id: str, project_id: int, limit: int = 20) -> list[HistoryLine]:
    """The project's latest changes, newest first."""
    stmt = (
        select(*HISTORY_LINE_COLUMNS)
        .where(HistoryEntry.team_id == team_id, HistoryEntry.project_id == project_id)
        .order_by(HistoryEntry.at.desc(), HistoryEntry.id.desc())
        .limit(limit)
    )
    return [history_line(row) for row in session.execute(stmt)]
