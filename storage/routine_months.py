"""A løpende project's later months (bot.clock.routine_months): which projects are behind the month, the routine
versions they were made from, and making a month's steps once. A fixed number of statements per batch of
projects, whatever its size. Every query takes the workspace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Row, select, tuple_, update
from sqlalchemy.orm import Session

from storage import sql
from storage.models import Project, RoutineMonth, RoutineRow


class Behind(NamedTuple):
    """What making a project's month needs: its routine as recorded, its dates and its PL."""

    id: int
    routine_name: str | None
    routine_version: int | None
    routine_answers: str | None
    routine_roles: str | None
    routine_builtin: bool | None
    start: dt.date
    deadline: dt.date | None
    pm_user_id: str


def behind(session: Session, team_id: str, month: dt.date, *, after_id: int = 0,
           limit: int = 500) -> Sequence[Row[Any]]:
    """Active projects whose monthly steps are made only up to before `month`, in id order from `after_id`. Found
    in a partial index that holds only the projects that get monthly steps: on an idle pass, an empty range."""
    stmt = (
        select(*(getattr(Project, column) for column in Behind._fields))
        .where(Project.team_id == team_id, Project.state == "active", Project.routine_month < month,
               Project.id > after_id)
        .order_by(Project.id)
        .limit(limit)
    )
    return session.execute(stmt).all()


def routine_bodies(session: Session, team_id: str,
                   versions: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The workspace's own routines at those (name, version)s, as files; a missing one is a built-in (or gone)."""
    wanted = sorted(set(versions))
    if not wanted:
        return {}
    stmt = select(RoutineRow.name, RoutineRow.version, RoutineRow.body).where(
        RoutineRow.team_id == team_id, tuple_(RoutineRow.name, RoutineRow.version).in_(wanted))
    return {(name, version): body for name, version, body in session.execute(stmt)}


def claim_months(session: Session, team_id: str, month: dt.date, steps: Mapping[int, int], *,
                 at: dt.datetime) -> set[int]:
    """Record `month` as made for these projects (project id -> steps it gets); the ids recorded now. A project
    whose month another clock recorded first is left out: its steps are that clock's to make (on PostgreSQL this
    waits for that clock's transaction, then finds its row)."""
    if not steps:
        return set()
    stmt = (sql.insert_for(session, RoutineMonth)
            .values([{"team_id": team_id, "project_id": project_id, "month": month, "steps": n, "made_at": at}
                     for project_id, n in steps.items()])
            .on_conflict_do_nothing()
            .returning(RoutineMonth.project_id))
    return set(sql.core(session).execute(stmt).scalars())


def made_up_to(session: Session, team_id: str, project_ids: Sequence[int], month: dt.date) -> None:
    """The projects have their steps up to `month`; marked for planning, so their new tasks get reminders."""
    if project_ids:
        sql.core(session).execute(
            update(Project)
            .where(Project.team_id == team_id, Project.id.in_(project_ids), Project.routine_month < month)
            .values(routine_month=month, replan=True))
