"""Retainers' months (docs/product.md §4): the minutes each roll-over project used in each month before this one,
one statement for a batch of projects (from log_days: a row a day, summed a month at a time), and what that carries
into a month, each month with its own terms (replayed from the history: storage.terms)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain import periods
from bot.domain.retainer import carried_by_month
from bot.domain.terms import TermChange, as_of
from storage.models import LogDay
from storage.terms import changes as term_changes


class RolloverTerms(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def frame_minutes(self) -> int | None: ...
    @property
    def rollover(self) -> bool: ...


class RolloverFacts(RolloverTerms, Protocol):
    @property
    def id(self) -> int: ...
    @property
    def start(self) -> dt.date: ...
    @property
    def rollover_cap_pct(self) -> int | None: ...


def rolls_over(project: RolloverTerms) -> bool:
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


@dataclass(frozen=True)
class _Terms:
    """The roll-over terms of a project (bot.domain.retainer.MonthTerms), replayed month by month."""

    kind: str
    frame_minutes: int | None
    rollover: bool
    rollover_cap_pct: int | None


def carried(session: Session, team_id: str, projects: Iterable[RolloverFacts], today: dt.date, *, past: bool = False,
            known: Mapping[int, list[TermChange]] | None = None) -> dict[int, int]:
    """Project → minutes carried into `today`'s month, for the projects that roll over in it (the others: absent);
    each month with its own frame and roll-over, as they stood at its end (two statements: the months' minutes and
    the changes to the terms, unless `known` holds them already). Today's terms are the current month's: only the
    projects that roll over now are looked at, unless `past` says `today` lies in an earlier month (then every
    løpende project: one may have rolled over then)."""
    rolling = [p for p in projects if p.kind == "lopende" and (past or rolls_over(p))]
    if not rolling:
        return {}
    first = today.replace(day=1)
    used = months_used(session, team_id, [p.id for p in rolling], first)
    history = known if known is not None else term_changes(session, team_id, [p.id for p in rolling])
    out = {}
    for p in rolling:
        now = _Terms(p.kind, p.frame_minutes, bool(p.rollover), p.rollover_cap_pct)
        made = history.get(p.id, [])

        def terms(month: dt.date, now: _Terms = now, made: list[TermChange] = made) -> _Terms:
            return as_of(now, made, periods.month_of(month).end)

        if rolls_over(terms(first)):
            out[p.id] = carried_by_month(first, start=p.start, terms=terms, used=used.get(p.id, {}))
    return out
