"""Retainers' months (docs/product.md §4): the minutes each roll-over project used in each month before this one,
one statement for a batch of projects (from log_days: a row a day, summed a month at a time)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.retainer import carried_into
from storage.models import LogDay


class RolloverFacts(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def start(self) -> dt.date: ...
    @property
    def frame_minutes(self) -> int | None: ...
    @property
    def rollover(self) -> bool: ...
    @property
    def rollover_cap_pct(self) -> int | None: ...


def rolls_over(project: RolloverFacts) -> bool:
    """A løpende project with a monthly frame and roll-over on."""
    return bool(project.rollover) and project.kind == "lopende" and bool(project.frame_minutes)


def _month(session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(LogDay.logged_on, "YYYY-MM")
    return func.substr(LogDay.logged_on, 1, 7)  # SQLite keeps a date as ISO text: its month is a prefix


def months_used(session: Session, team_id: str, project_ids: Iterable[int], before: dt.date,
                ) -> dict[int, dict[dt.date, int]]:
    """Project → {first day of a month: minutes logged in it}, for the months before `before` (one statement)."""
    ids = sorted(set(project_ids))
    out: dict[int, dict[dt.date, int]] = defaultdict(dict)
    if not ids:
        return out
    month = _month(session)
    for project_id, name, minutes in session.execute(
            select(LogDay.project_id, month, func.sum(LogDay.minutes))
            .where(LogDay.team_id == team_id, LogDay.project_id.in_(ids), LogDay.logged_on < before)
            .group_by(LogDay.project_id, month)):
        out[project_id][dt.date.fromisoformat(f"{name}-01")] = int(minutes or 0)
    return out


def carried(session: Session, team_id: str, projects: Iterable[RolloverFacts], today: dt.date) -> dict[int, int]:
    """Project → minutes carried into today's month, for the projects that roll over (the others: absent)."""
    rolling = [p for p in projects if rolls_over(p)]
    first = today.replace(day=1)
    used = months_used(session, team_id, [p.id for p in rolling], first)
    return {p.id: carried_into(first, start=p.start, frame_minutes=p.frame_minutes, cap_pct=p.rollover_cap_pct,
                               used=used.get(p.id, {})) for p in rolling}
