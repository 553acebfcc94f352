"""Approved months are closed to hours (docs/product.md §10): the one check every way of logging goes through, where
a log's date is decided (bot.usecases.log_dates.require_loggable)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bot.domain.errors import UserError
from bot.domain.months import occasion
from bot.domain.periods import month_of
from storage import month_reports
from storage.models import Project


def require_open_month(session: Session, team_id: str, project: Project, day: dt.date) -> None:
    """Refuse hours dated `day` when the project's month of `day` is approved: who approved it, how to reopen."""
    month = month_of(day).start
    approved = month_reports.approval(session, team_id, project.id, month)
    if approved is not None:
        raise UserError("month.log_approved", field="date", key=project.key, month=occasion(month), by=approved.by)
