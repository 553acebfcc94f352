"""A workspace's own routines (bot.domain.routines), every version kept: a project keeps the version it was made
from. The built-in routines are files (`builtin_routines()`), not rows. Every query takes the workspace."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from bot.domain.routines import Routine, dump_routine, load_routine
from storage import sql
from storage.models import RoutineRow


def latest_routines(session: Session, team_id: str) -> Sequence[RoutineRow]:
    """The latest version of each of the workspace's own routines, by name."""
    latest = (
        select(RoutineRow.name, func.max(RoutineRow.version).label("version"))
        .where(RoutineRow.team_id == team_id)
        .group_by(RoutineRow.name)
        .subquery()
    )
    stmt = (
        select(RoutineRow)
        .join(latest, (RoutineRow.name == latest.c.name) & (RoutineRow.version == latest.c.version))
        .where(RoutineRow.team_id == team_id)
        .order_by(RoutineRow.name)
    )
    return session.scalars(stmt).all()


_BODY = select(RoutineRow.body).where(RoutineRow.team_id == sql.T, RoutineRow.name == bindparam("name"))
_LATEST_BODY = _BODY.order_by(RoutineRow.version.desc()).limit(1)
_VERSION_BODY = _BODY.where(RoutineRow.version == bindparam("version"))


def own_routine(session: Session, team_id: str, name: str, version: int | None = None) -> Routine | None:
    """One of the workspace's own routines by name, the given version, else the latest: one Core statement for
    its text alone (no entity to track), read as a routine once per process (`_parsed`)."""
    params = {"team_id": team_id, "name": name, "version": version}
    body = sql.core(session).scalar(_LATEST_BODY if version is None else _VERSION_BODY, params)
    return _parsed(body) if body is not None else None


def routine_of(row: RoutineRow) -> Routine:
    """A stored version read as a routine (once per process)."""
    return _parsed(row.body)


@functools.lru_cache(maxsize=256)
def _parsed(body: str) -> Routine:
    """A stored routine's body read once per process: keyed by the text itself, so a new version is a new key and
    nothing is ever stale (a Routine is frozen); reading and checking the YAML is most of a routine `ny`'s cost."""
    return load_routine(body)


def latest_version(session: Session, team_id: str, name: str) -> int:
    """The latest version of an own routine; 0 when the workspace has none of that name."""
    stmt = select(func.max(RoutineRow.version)).where(RoutineRow.team_id == team_id, RoutineRow.name == name)
    return int(session.scalar(stmt) or 0)


def save_routine(session: Session, team_id: str, routine: Routine, *, user_id: str, at: dt.datetime) -> Routine:
    """Store the routine as the next version of the workspace's routine of that name (1 for a new name); the
    routine as stored, its version set. The unique (team, name, version) refuses a concurrent save of the same."""
    saved = routine.model_copy(update={"version": latest_version(session, team_id, routine.name) + 1})
    session.add(RoutineRow(team_id=team_id, name=saved.name, version=saved.version, title=saved.title,
                           kind=saved.kind, body=dump_routine(saved), created_by=user_id, created_at=at))
    session.flush()
    return saved
