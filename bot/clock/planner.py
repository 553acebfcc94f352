"""Planning one project's follow-ups from its rows (part of the clock): what a change, or time alone, may have given it
(the rules themselves are in bot.domain.followups)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import followups as fu
from bot.domain.followups import Resolution
from bot.domain.health import frame_figures, frame_inputs
from bot.domain.occasion import Rule, deadline_of
from bot.domain.rules import FollowupRules
from storage import outbox


def _local_date(moment: dt.datetime, tz: str) -> dt.date:
    return moment.astimezone(ZoneInfo(tz)).date()


def plan_project(row: outbox.PlanningRow, now: dt.datetime, rules: FollowupRules, tz: str) -> list[fu.Planned]:
    """Every follow-up one active project needs now (planning it again plans nothing new)."""
    p = row.project
    deadlines = [fu.Deadline(f"project:{p.id}", p.id, None, p.deadline, _local_date(p.created_at, tz))] \
        if p.deadline else []
    deadlines += [fu.Deadline(f"task:{t.id}", p.id, t.id, t.deadline, _local_date(t.created_at, tz))
                  for t in row.open_deadlines if t.deadline]
    planned: list[fu.Planned] = []
    for item in deadlines:
        planned += fu.plan_deadline(item, _nag_state(row.overdue, item, tz), rules, tz)
    return planned + _plan_frame(row, now, rules, tz)


# the rules time alone can bring about (the daily pass looks for them)
TIME_BASED = (Rule.BEHIND, Rule.QUIET, Rule.PACE_HIGH, Rule.PACE_LOW)


def plan_time_based(row: outbox.PlanningRow, now: dt.datetime, rules: FollowupRules, tz: str) -> list[fu.Planned]:
    """What plan_project plans by the time-based rules (for a project no change marked: the rest is planned)."""
    return [p for p in _plan_frame(row, now, rules, tz) if p.rule in TIME_BASED]


def _plan_frame(row: outbox.PlanningRow, now: dt.datetime, rules: FollowupRules, tz: str) -> list[fu.Planned]:
    p = row.project
    today = _local_date(now, tz)
    inputs = frame_inputs(
        p, today=today, logged_minutes=row.logged_month if p.kind == "lopende" else row.logged_total,
        reported_progress=row.reported_percent, tasks_total=row.tasks_total, tasks_done=row.tasks_done,
        last_log_on=row.last_log_on, created_on=_local_date(p.created_at, tz), estimate_total=row.estimate_total,
        estimate_done=row.estimate_done, cost_kr_minutes=row.cost_month if p.kind == "lopende" else row.cost_total,
        carried_minutes=row.carried,
    )
    planned = fu.plan_frame(p.id, inputs, frame_figures(inputs), p.frame_minutes, now, rules, tz, row.last_sent)
    return [x for x in planned if not fu.passed_before(x, row.planned)]


def _nag_state(overdue: list[Any], item: fu.Deadline, tz: str) -> fu.NagState | None:
    mine = [f for f in overdue if f.subject == item.subject and deadline_of(f.rule, f.occasion) == item.deadline]
    if not mine:
        return None
    # A nag that could not be posted (the bot was removed from the channel) counts as given: the series goes on
    # from it, so the nags resume once the channel is fixed instead of stopping for good.
    given = [f.sent_at or f.failed_at for f in mine if f.sent_at is not None or f.failed_at is not None]
    holds = [f.hold_until for f in mine if f.hold_until is not None]
    return fu.NagState(sent=len(given), last_sent_on=_local_date(max(given), tz) if given else None,
                       hold_until=max(holds) if holds else None,
                       closed=any(f.resolution in (Resolution.CLOSED, Resolution.DONE) for f in mine))


def rules_fingerprint(rules: FollowupRules, tz: str) -> str:
    """Names the rules and zone a workspace was planned with: when they change, every project is planned again."""
    return "planned-with:" + hashlib.sha256(f"{rules.model_dump_json()}|{tz}".encode()).hexdigest()[:32]
