"""Each month's steps of a løpende project made from a routine (docs/product.md §9): when the month begins in the
workspace's time zone, the clock makes that month's monthly steps as tasks, from the routine version, answers and
roles the project recorded. Once, whichever clock does it: the month is recorded under a unique key in the
transaction that makes its tasks. Only the current month: a clock back after downtime within the month makes it
then, a clock back after a whole month away does not make the month that is over.

A step whose day has passed when its month is made (the clock was down on the 3rd) keeps its day and shows as
overdue: that is when the routine says the work is due, and moving it to today would hide that it is late.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import UserError
from bot.domain.routines import PlannedStep, Routine, builtin_routines, load_routine, steps_for_month
from storage import routine_months
from storage import tasks as task_db
from storage.db import unit_of_work
from storage.models import Workspace

log = logging.getLogger("prosjektbot.clock")


def make_months(sessions: sessionmaker[Session], ws: Workspace, now: dt.datetime, *, batch: int = 500) -> int:
    """Make this month's steps for the workspace's projects that do not have them yet; the tasks made. A pass
    with nothing to make reads one empty index range."""
    month = now.astimezone(ZoneInfo(ws.timezone)).date().replace(day=1)
    made, after = 0, 0
    while True:
        with unit_of_work(sessions) as session:  # read first: an idle pass takes no write lock
            if not routine_months.behind(session, ws.team_id, month, after_id=after, limit=1):
                return made
        with unit_of_work(sessions, write=True) as session:
            rows = routine_months.behind(session, ws.team_id, month, after_id=after, limit=batch)
            if not rows:
                return made
            made += _make_batch(session, ws.team_id, rows, month, now)
            after = rows[-1].id


def _make_batch(session: Session, team_id: str, rows: Sequence[Any], month: dt.date, now: dt.datetime) -> int:
    recorded = routine_months.routine_bodies(
        session, team_id,
        [(r.routine_name, r.routine_version) for r in rows if r.routine_name and r.routine_version
         and not r.routine_builtin])
    versions: dict[tuple[str, int, bool], Routine | None] = {}
    planned = {row.id: _steps(row, month, versions, recorded) for row in rows}
    mine = routine_months.claim_months(session, team_id, month, {pid: len(s) for pid, s in planned.items()}, at=now)
    by_id = {row.id: row for row in rows}
    tasks = [_task(team_id, by_id[pid], step, now) for pid in sorted(mine) for step in planned[pid]]
    task_db.add_tasks(session, tasks)
    # Every project read is done with the month: made here, by another clock, or with nothing to make.
    routine_months.made_up_to(session, team_id, [row.id for row in rows], month)
    return len(tasks)


def _steps(row: Any, month: dt.date, versions: dict[tuple[str, int, bool], Routine | None],
           recorded: Mapping[tuple[str, int], str]) -> list[PlannedStep]:
    key = (row.routine_name or "", row.routine_version or 0)
    builtin = bool(row.routine_builtin)
    if (*key, builtin) not in versions:
        versions[(*key, builtin)] = _routine(key, {} if builtin else recorded)
    routine = versions[(*key, builtin)]
    if routine is None:
        return []
    try:
        return steps_for_month(routine, month.year, month.month, start=row.start, deadline=row.deadline,
                               answers=json.loads(row.routine_answers or "{}"),
                               roles=json.loads(row.routine_roles or "{}"))
    except UserError:  # answers or roles that version never had: nothing to make, rather than a guess
        log.warning("project %s: its recorded answers or roles do not fit %s v%s", row.id, *key)
        return []


def _routine(key: tuple[str, int], recorded: Mapping[tuple[str, int], str]) -> Routine | None:
    """The version the project was made from: the workspace's own (as `find` prefers it; none is passed for a
    project made from a built-in, whose own copy may share its name and version), else the built-in of that
    version. A built-in file since moved to a newer version has not kept the old one: nothing is made."""
    if key in recorded:
        return load_routine(recorded[key])
    builtin = builtin_routines().get(key[0])
    if builtin is not None and builtin.version == key[1]:
        return builtin
    log.warning("routine %s v%s is gone: no monthly steps made from it", *key)
    return None


def _task(team_id: str, row: Any, step: PlannedStep, now: dt.datetime) -> dict[str, Any]:
    return {"team_id": team_id, "project_id": row.id, "title": step.title, "owner_user_id": step.owner,
            "deadline": step.date, "estimate_minutes": step.minutes or None, "description": step.description,
            "created_by": row.pm_user_id, "created_at": now}
