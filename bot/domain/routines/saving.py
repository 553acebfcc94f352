"""Saving a project as a routine (pure): how a PL builds one, by running a project once and saving it.

Each task becomes a step anchored to the start or the deadline, whichever is nearer in working days (so a
launch checklist keeps counting back from the launch); owners become roles.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.domain.health import Kind
from bot.domain.routines.daterules import DateRule, first_working_day, last_working_day
from bot.domain.routines.model import PL, Routine, RoutineError, build_routine
from bot.domain.workdays import working_days_between

__all__ = ["SourceTask", "anchor_rule", "routine_from_tasks", "slugify"]

_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


@dataclass(frozen=True, slots=True)
class SourceTask:
    """A project's task as the routine needs it."""

    title: str
    deadline: dt.date | None
    owner: str | None = None
    minutes: int | None = None  # the estimate, when the task has one
    description: str | None = None


def slugify(title: str) -> str:
    """`Lansering nettbutikk` -> `lansering-nettbutikk`, `SØK & Få` -> `sok-fa` (the routine's name)."""
    text = unicodedata.normalize("NFKD", title.lower().translate(_NORWEGIAN))
    text = "".join(char for char in text if not unicodedata.combining(char))
    slug = "-".join(re.findall(r"[a-z0-9]+", text))
    return slug[:60].rstrip("-")


def anchor_rule(day: dt.date | None, *, start: dt.date, deadline: dt.date | None) -> DateRule:
    """The rule that dates `day` again in this project: from the start or the deadline, the nearer in working
    days (a tie counts from the start); a day outside the project is its edge, no day is the start."""
    if day is None:
        return DateRule("start")
    after_start = max(working_days_between(first_working_day(start), day) - 1, 0)
    if deadline is None:
        return DateRule("start", after_start)
    before_deadline = max(working_days_between(day, last_working_day(deadline)) - 1, 0)
    if before_deadline < after_start:
        return DateRule("deadline", before_deadline)
    return DateRule("start", after_start)


def routine_from_tasks(
    title: str,
    tasks: Sequence[SourceTask],
    *,
    start: dt.date,
    deadline: dt.date | None,
    owners_to_roles: Mapping[str, str],
    kind: Kind = "avgrenset",
    version: int = 1,
    role_labels: Mapping[str, str] | None = None,
    frame_minutes: int | None = None,
    goals: Sequence[str] = (),
) -> Routine:
    """A routine named after `title` with a step per task. `owners_to_roles` maps a person to their role key
    (`pl` for the PL); other owners and tasks without one get `pl`. RoutineError when it is not a valid routine
    (e.g. more than 200 tasks, a title that makes no name)."""
    name = slugify(title)
    if not name:
        raise RoutineError("routine.name_invalid", loc=("name",), value=title)
    labels = role_labels or {}
    roles = {role: labels.get(role, role) for role in owners_to_roles.values() if role != PL or PL in labels}
    steps = []
    for task, step_title in zip(tasks, _distinct(task.title for task in tasks), strict=True):
        steps.append({
            "title": step_title,
            "role": owners_to_roles.get(task.owner or "", PL),
            "hours": (task.minutes or 0) / 60,
            "date": anchor_rule(task.deadline, start=start, deadline=deadline).format(),
            **({"description": task.description} if task.description else {}),
        })
    return build_routine({
        "name": name, "title": title, "version": version, "kind": kind, "roles": roles, "steps": steps,
        "goals": [{"name": goal} for goal in goals],
        **({"hours_frame": frame_minutes / 60} if frame_minutes else {}),
    })


def _distinct(titles: Iterable[str]) -> list[str]:
    """Titles made unique ignoring case (a routine's steps must be): `Møte`, `Møte (2)`."""
    seen: set[str] = set()
    result = []
    for title in titles:
        candidate, n = title, 1
        while candidate.casefold() in seen:
            n += 1
            suffix = f" ({n})"
            candidate = title[: 300 - len(suffix)] + suffix
        seen.add(candidate.casefold())
        result.append(candidate)
    return result
