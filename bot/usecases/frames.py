"""`ramme` (and the frame modal): a project's dates, hours frame, cost frame, hourly rates and roll-over, changed
together by its PL or an admin, each changed value in the history (old → new), all or nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bot.domain.errors import UserError
from bot.domain.money import RateChange
from bot.usecases import projects, rates, retainers
from storage.models import Project


def change_frames(session: Session, actor: projects.Actor, project: Project, change: projects.FrameChange,
                  rate_change: RateChange, *, today: dt.date,
                  rollover: retainers.RolloverChange | None = None) -> int:
    """How many values changed (0: they already were so)."""
    projects.require_pm_or_admin(project, actor)
    rollover = rollover or retainers.RolloverChange()
    if change == projects.FrameChange() and not rate_change and not rollover:
        raise UserError("frame.nothing")
    changed = projects.change_frame(session, actor, project, change, today=today) \
        if change != projects.FrameChange() else 0
    if rate_change:
        changed += rates.change_rates(session, team_id=actor.team_id, user_id=actor.user_id, at=actor.at,
                                      project=project, change=rate_change)
        project.replan = True  # the clock plans its follow-ups again
    if rollover:
        changed += retainers.change_rollover(session, team_id=actor.team_id, user_id=actor.user_id, at=actor.at,
                                             project=project, change=rollover)
    return changed
