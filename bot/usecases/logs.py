"""Logging hours on a project (`logg`, the `logg` modal, the message shortcut): the one way a log is written, and
where its date is set. Keyword-only functions over one session, as in bot.usecases.projects."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bot.domain.errors import NotFound, UserError
from bot.usecases import log_dates
from bot.usecases.projects import TEXT_MAX, Actor, _clean, _key, _require_open, mark_task_done, record
from storage import projects as project_db
from storage.models import Project, Task


def log_progress(
    session: Session, actor: Actor, project: Project, *, minutes: int, description: str, today: dt.date,
    percent: int | None = None, task_ref: str | None = None, against: Task | None = None, billable: bool = True,
    day: dt.date | None = None,
) -> int:
    """Log hours (and optionally % complete, a task done, and the task the hours went to: `against`, else the
    one done; not `billable`: internal) at the logger's rate now; the logger joins the project as a member.
    The log is dated `day` (None: `today`, the workspace's date), checked by log_dates.require_loggable.
    Returns the minutes logged on the project in all, this log included."""
    _require_open(project)
    day = today if day is None else day
    log_dates.require_loggable(session, actor, project, day, today=today)  # the log's date: the one place it's set
    text = _clean(description, "description", required=False, limit=TEXT_MAX)
    task = _find_open_task(session, actor.team_id, project, task_ref) if task_ref else None
    if not project.replan:  # (setting it again would cost a flush that finds nothing to write)
        project.replan = True  # the clock plans this project's follow-ups again
    if project_db.add_member(session, actor.team_id, project.id, actor.user_id):
        record(session, actor, project, "member_added", new=actor.user_id)
    if task is not None:
        mark_task_done(session, actor, project, task)
    logged_to = against or task
    return project_db.add_log(  # the last write (the other changes are flushed first): often the only one
        session, team_id=actor.team_id, project_id=project.id, user_id=actor.user_id, minutes=minutes,
        description=text, percent=percent, task_id=logged_to.id if logged_to else None,
        logged_on=day, created_at=actor.at, billable=billable, project_rate=project.rate_nok,
    )


def _find_open_task(session: Session, team_id: str, project: Project, ref: str) -> Task:
    key = _key(ref).lstrip("#")
    open_tasks = [t for t in project_db.tasks(session, team_id, project.id) if t.done_at is None]
    matches = [t for t in open_tasks if str(t.id) == key] or [t for t in open_tasks if _key(t.title) == key]
    matches = matches or [t for t in open_tasks if _key(t.title).startswith(key)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound("task.unknown", field="task", ref=ref)
    raise UserError("task.ambiguous", field="task", ref=ref, choices=", ".join(t.title for t in matches[:5]))


