"""A project's tasks with the hours logged against each (`logg … oppgave:`): `oppgaver` and the log's task."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from bot.domain.readmodels import TaskView
from storage import sql
from storage.models import ProgressLog, Task

LOGGED_AGAINST = (  # the minutes logged against the Task row in scope
    select(func.coalesce(func.sum(ProgressLog.minutes), 0))
    .where(ProgressLog.team_id == Task.team_id, ProgressLog.project_id == Task.project_id,
           ProgressLog.task_id == Task.id)
    .correlate(Task)
    .scalar_subquery()
)

_TASK_VIEWS = (
    select(Task.id, Task.title, Task.owner_user_id, Task.deadline, Task.done_at.is_not(None), Task.estimate_minutes,
           LOGGED_AGAINST)
    .where(Task.team_id == sql.T, Task.project_id == sql.P)
    .order_by(Task.deadline.is_(None), Task.deadline, Task.id)
)


def task_views(session: Session, team_id: str, project_id: int) -> list[TaskView]:
    """The project's tasks by date (undated last), done ones too, each with the minutes logged against it."""
    rows = session.execute(_TASK_VIEWS, {"team_id": team_id, "project_id": project_id})
    return [TaskView(i, title, owner, deadline, bool(done), estimate, int(logged))
            for i, title, owner, deadline, done, estimate, logged in rows]


_INSERT = insert(Task)  # built once: a new Insert per call costs more than the 40 rows' own INSERT on SQLite


def add_tasks(session: Session, tasks: Sequence[Mapping[str, Any]]) -> None:
    """Insert tasks (columns of `tasks` by name) in one statement."""
    if tasks:
        sql.core(session).execute(_INSERT, list(tasks))
