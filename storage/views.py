"""Rows as the read models rendering works from (`bot.domain.readmodels`): the one place they are built.

`project_view` takes a `Project` row or a result row with the same columns (`PROJECT_VIEW_COLUMNS`: the card's
statement reads those, not the entity, and builds no ORM object).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from bot.domain.readmodels import FollowupView, HistoryLine, ProjectView, TaskView
from storage.models import Followup, HistoryEntry, Project, Task

PROJECT_VIEW_COLUMNS = (
    Project.id, Project.number, Project.name, Project.customer, Project.kind, Project.state, Project.channel_id,
    Project.pm_user_id, Project.start, Project.deadline, Project.frame_minutes, Project.budget_nok,
    Project.created_at, Project.card_channel_id, Project.card_ts, Project.routine_name, Project.routine_version,
    Project.rate_nok, Project.rollover, Project.rollover_cap_pct,
)


def project_view(row: Project | Row[Any]) -> ProjectView:
    return ProjectView(
        id=row.id, number=row.number, name=row.name, customer=row.customer, kind=row.kind, state=row.state,
        channel_id=row.channel_id, pm_user_id=row.pm_user_id, start=row.start, deadline=row.deadline,
        frame_minutes=row.frame_minutes, budget_nok=row.budget_nok, created_at=row.created_at,
        card_channel_id=row.card_channel_id, card_ts=row.card_ts, routine_name=row.routine_name,
        routine_version=row.routine_version, rate_nok=row.rate_nok, rollover=bool(row.rollover),
        rollover_cap_pct=row.rollover_cap_pct,
    )


def task_view(task: Task) -> TaskView:
    return TaskView(task.id, task.title, task.owner_user_id, task.deadline, task.done_at is not None)


HISTORY_LINE_COLUMNS = (
    HistoryEntry.at, HistoryEntry.user_id, HistoryEntry.action, HistoryEntry.field, HistoryEntry.old_value,
    HistoryEntry.new_value,
)


def history_line(row: Any) -> HistoryLine:
    """A `HistoryEntry`, or a result row of `HISTORY_LINE_COLUMNS`."""
    return HistoryLine(row.at, row.user_id, row.action, row.field, row.old_value, row.new_value)


def followup_view(followup: Followup) -> FollowupView:
    return FollowupView(followup.id, followup.rule, followup.occasion, followup.resolution, followup.resolved_by)
