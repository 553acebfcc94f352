"""The changes to projects' terms (bot.domain.terms) from their history: one statement for a batch of projects,
each change dated on the workspace's own day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.terms import TERM_ACTIONS, TERM_FIELDS, TermChange
from storage.models import HistoryEntry, Workspace


def changes(session: Session, team_id: str, project_ids: Iterable[int]) -> dict[int, list[TermChange]]:
    """Project → the changes to its terms, in the order they were made (projects without any: absent)."""
    ids = sorted(set(project_ids))
    out: dict[int, list[TermChange]] = defaultdict(list)
    if not ids:
        return out
    zones: dict[str, ZoneInfo] = {}
    for project_id, at, field, old, zone in session.execute(
            select(HistoryEntry.project_id, HistoryEntry.at, HistoryEntry.field, HistoryEntry.old_value,
                   Workspace.timezone)
            .join(Workspace, Workspace.team_id == HistoryEntry.team_id)
            .where(HistoryEntry.team_id == team_id, HistoryEntry.project_id.in_(ids),
                   HistoryEntry.action.in_(TERM_ACTIONS), HistoryEntry.field.in_(TERM_FIELDS))
            .order_by(HistoryEntry.at, HistoryEntry.id)):
        if project_id is None or field is None:
            continue  # (none such: the statement asks for a project's fields)
        tz = zones.get(zone) or zones.setdefault(zone, ZoneInfo(zone))
        out[project_id].append(TermChange(at.astimezone(tz).date(), field, old))
    return out

