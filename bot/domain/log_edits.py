"""Correcting a log (`/prosjekt timer`): what a log's editable state is, what changed between two states, how a
state travels in a modal (so an edit of a log changed meanwhile is told apart), and how a change is kept in the
project's history (old → new, field by field). Pure: no SQL, no Slack."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any

RECENT_DAYS = 14  # `timer` lists the logs dated in the last 14 days (today included)
FIELDS = ("minutes", "logged_on", "task", "description", "percent", "billable")  # what an edit may change, in order


@dataclass(frozen=True)
class LogLine:
    """A log as `timer` lists it."""

    log_id: int
    project_id: int
    project_number: int
    project_name: str
    user_id: str
    logged_on: dt.date
    minutes: int
    description: str
    percent: int | None
    billable: bool
    task: str | None

    @property
    def key(self) -> str:
        return f"P-{self.project_number}"


@dataclass(frozen=True)
class LogState:
    """What a log says that its owner (or the PL, or an admin) may correct. (Its project, person and rate stay.)"""

    minutes: int
    logged_on: dt.date
    task_id: int | None
    task: str | None  # the task's title, for the history (None: no task)
    description: str
    percent: int | None
    billable: bool

    def fingerprint(self) -> str:
        """Names this state: carried by the edit modal, compared when it is submitted (stale: changed meanwhile)."""
        data = json.dumps([self.minutes, self.logged_on.isoformat(), self.task_id, self.description, self.percent,
                           self.billable], ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()[:16]

    def with_changes(self, **values: Any) -> LogState:
        return replace(self, **values)


@dataclass(frozen=True)
class Change:
    field: str  # one of FIELDS
    old: Any
    new: Any


def changes(old: LogState, new: LogState) -> list[Change]:
    """The fields that differ, in FIELDS' order (a task is compared by id, shown by title)."""
    out: list[Change] = []
    for name in FIELDS:
        if name == "task":
            if old.task_id != new.task_id:
                out.append(Change("task", old.task, new.task))
            continue
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            out.append(Change(name, before, after))
    return out


@dataclass(frozen=True)
class LogRef:
    """Which log a history entry is about: its id, whose it is, the day it was dated (before the change)."""

    log_id: int
    user_id: str
    logged_on: dt.date


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def history_values(ref: LogRef, found: list[Change]) -> tuple[str, str]:
    """A change as the history keeps it, in one entry: the log and the changed fields' old values, and their new
    values (JSON; read back by `read_history`)."""
    head = {"log": ref.log_id, "user": ref.user_id, "on": ref.logged_on.isoformat()}
    old = {**head, **{c.field: _plain(c.old) for c in found}}
    new = {c.field: _plain(c.new) for c in found}
    return json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False)


def deleted_values(ref: LogRef, state: LogState) -> str:
    """A deleted log as the history keeps it: everything it said."""
    whole = {name: _plain(getattr(state, name)) for name in FIELDS if name != "task"}
    return json.dumps({"log": ref.log_id, "user": ref.user_id, "on": ref.logged_on.isoformat(), **whole,
                       "task": state.task}, ensure_ascii=False)


@dataclass(frozen=True)
class LogHistory:
    """A history entry about a log, read back: the log, and (field, old, new) in FIELDS' order."""

    ref: LogRef
    fields: list[tuple[str, Any, Any]]


def read_history(old_value: str | None, new_value: str | None) -> LogHistory | None:
    """What `history_values`/`deleted_values` wrote (None: not such an entry)."""
    try:
        old = json.loads(old_value or "")
        new = json.loads(new_value) if new_value else {}
        ref = LogRef(int(old["log"]), str(old["user"]), dt.date.fromisoformat(old["on"]))
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(new, dict):
        return None
    return LogHistory(ref, [(name, _typed(name, old.get(name)), _typed(name, new.get(name)))
                            for name in FIELDS if name in old or name in new])


def _typed(name: str, value: Any) -> Any:
    if name == "logged_on" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value
