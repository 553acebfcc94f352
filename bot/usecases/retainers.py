"""Roll-over (*overføring*) on a løpende project (docs/product.md §4): `ny … overføring:ja overføringstak:30`,
`ramme P-3 overføring:ja|nei overføringstak:30`, and the new-project and frame modals. Each change in the history
(old → new); only løpende projects roll over. The arithmetic is bot.domain.retainer's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.domain.errors import UserError
from storage.models import HistoryEntry, Project


@dataclass(frozen=True)
class RolloverChange:
    """New roll-over values; None leaves a value as it is."""

    rollover: bool | None = None
    cap_pct: int | None = None

    def __bool__(self) -> bool:
        return self.rollover is not None or self.cap_pct is not None


def check_kind(kind: str, change: RolloverChange, key: str | None) -> None:
    """Only a løpende project rolls over (switching it off, or no change, is fine for any)."""
    if change and kind != "lopende" and (change.rollover or change.cap_pct is not None):
        if key is None:
            raise UserError("rollover.not_lopende_new", field="rollover")
        raise UserError("rollover.not_lopende", field="rollover", key=key)


def apply_new(project: Project, change: RolloverChange) -> None:
    """A new project's roll-over (the caller checked its kind before creating it)."""
    if change.rollover is not None:
        project.rollover = change.rollover
    if change.cap_pct is not None:
        project.rollover_cap_pct = change.cap_pct


def change_rollover(session: Session, *, team_id: str, user_id: str, at: dt.datetime, project: Project,
                    change: RolloverChange) -> int:
    """Change roll-over and its cap (the caller checked the rights); each value that changes goes to the history.
    How many changed (0: they already were so)."""
    check_kind(project.kind, change, project.key)
    changed = 0
    for field, new in (("rollover", change.rollover), ("rollover_cap_pct", change.cap_pct)):
        old = getattr(project, field)
        if new is None or new == old:
            continue
        setattr(project, field, new)
        shown = (lambda v: None if v is None else ("on" if v else "off")) if field == "rollover" else \
            (lambda v: None if v is None else str(v))
        session.add(HistoryEntry(team_id=team_id, project_id=project.id, user_id=user_id, at=at,
                                 action="frame_changed", field=field, old_value=shown(old), new_value=shown(new)))
        changed += 1
    if changed:
        project.replan = True  # the clock plans its follow-ups again (the month's frame changed)
        session.flush()
    return changed
