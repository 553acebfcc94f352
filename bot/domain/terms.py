"""A project's terms as they stood on a past day, replayed from its history (docs/product.md §4, §10). Pure.

The terms are what `ramme`, the modals and `lever`/`pause`/`gjenåpne` change and the history records old → new:
the dates, the hours frame, the cost frame, roll-over and its cap, the state. Every such change is recorded with
its old value, so the terms at the end of a day are today's terms with, for each field, the old value of the first
change to it made after that day. (A project's creation records no change: its terms from then on are those it was
created with.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, TypeVar

# The history's fields that are terms (action `frame_changed`, or `state`), and how their old values read back.
TERM_FIELDS = ("start", "deadline", "frame_minutes", "budget_nok", "rollover", "rollover_cap_pct", "state")
TERM_ACTIONS = ("frame_changed", "state")

T = TypeVar("T")


@dataclass(frozen=True)
class TermChange:
    """One change to a project's terms, as its history holds it."""

    day: dt.date  # the workspace's day it was made on
    field: str  # one of TERM_FIELDS
    old: str | None  # the value before it, as text (None: none)


def parse_old(field: str, text: str | None) -> Any:
    """A recorded value read back as the project holds it (ValueError: not such a value)."""
    if text is None:
        if field in ("start", "rollover", "state"):
            raise ValueError(f"{field} is never empty")
        return None
    if field in ("start", "deadline"):
        return dt.date.fromisoformat(text)
    if field in ("frame_minutes", "budget_nok", "rollover_cap_pct"):
        return int(text)
    if field == "rollover":
        if text not in ("on", "off"):
            raise ValueError(text)
        return text == "on"
    if field == "state":
        if text not in ("active", "paused", "delivered"):
            raise ValueError(text)
        return text
    raise ValueError(field)


def as_of(current: T, changes: list[TermChange], day: dt.date) -> T:
    """`current` (a dataclass holding a project's terms as they are now) as it stood at the end of `day`. `changes`:
    the project's changes in the order they were made. A value that does not read back is left as it is."""
    olds: dict[str, Any] = {}
    for change in changes:
        if change.day <= day or change.field in olds or not hasattr(current, change.field):
            continue
        try:
            olds[change.field] = parse_old(change.field, change.old)
        except ValueError:
            continue
    return replace(current, **olds) if olds else current  # type: ignore[type-var]
