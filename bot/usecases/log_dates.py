"""The one check of a log's date (docs/product.md §10, issue 14): may this actor put hours dated `day` on this
project? Every way of writing or changing a log goes through `require_loggable`, where the log's date is set."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bot.domain.errors import NotAllowed, UserError
from bot.usecases import month_lock
from bot.usecases.projects import Actor
from bot.usecases.workspace_settings import current_settings
from storage.models import Project


def require_loggable(session: Session, actor: Actor, project: Project, day: dt.date, *, today: dt.date) -> None:
    """Refuse hours dated `day` (`today`: the workspace's date) that lie in the future; that are backdated before
    the project's start (they would count in no frame); that are older than the workspace's `backdate_days` unless
    the actor is the project's PL or an admin (the message names who may); that fall in a month approved for the
    project (who approved it, how to reopen). Today's hours read no settings: the common log costs no statement
    more. Errors are on the field `date` (the `logg` modal's date picker, block `LOG_DATE`)."""
    if day > today:
        raise UserError("log.date_future", field="date", day=day)
    if day < today:
        if day < project.start:  # it would count in no frame (storage.cards.in_frame_period)
            raise UserError("log.date_before_start", field="date", key=project.key, start=project.start, day=day)
        limit = current_settings(session, actor.team_id).rules.backdate_days
        if (today - day).days > limit and actor.user_id != project.pm_user_id and not actor.is_admin():
            raise NotAllowed("log.date_too_old", field="date", days=limit, pm=project.pm_user_id)
    month_lock.require_open_month(session, actor.team_id, project, day)
