"""Finding a project's task by what a user typed (`logg … oppgave:"Teknisk revisjon"`)."""

from __future__ import annotations

import difflib

from sqlalchemy.orm import Session

from bot.domain.errors import NotFound, UserError
from storage import projects as project_db
from storage.models import Task


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def find_task(session: Session, team_id: str, project_id: int, ref: str) -> Task:
    """The task with that title (case-insensitive), else the one whose title starts so; done ones count too
    (hours are logged after the fact). Unknown: the error lists the titles most like it."""
    key = _key(ref).strip("«»\"")
    found = project_db.tasks(session, team_id, project_id)
    matches = [task for task in found if _key(task.title) == key]
    matches = matches or [task for task in found if _key(task.title).startswith(key)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UserError("task.ambiguous", field="against", ref=ref,
                        choices=", ".join(f"«{task.title}»" for task in matches[:5]))
    titles = {_key(task.title): task.title for task in found}
    close = difflib.get_close_matches(key, list(titles), n=3, cutoff=0.4) or list(titles)[:3]
    raise NotFound("task.unknown_close", field="against", ref=ref,
                   choices=", ".join(f"«{titles[c]}»" for c in close) or "–")
