"""Follow-up planning (docs/product.md §4): pure functions from a project's state to the follow-ups it needs, and the
check at delivery time that one still applies. No Slack, no SQL.

A follow-up is identified by (rule, subject, occasion). The occasion names what it is about — the deadline
date, the threshold and frame, the week — so planning the same state twice plans nothing new, and a changed
deadline or frame plans afresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.domain.health import FrameFigures, FrameInputs
from bot.domain.rules import FollowupRules
from bot.domain.workdays import add_working_days, is_working_day, next_working_day, previous_working_day

AHEAD, TODAY, OVERDUE, PL_DM, HOURS, BEHIND, QUIET, SNOOZED = (
    "ahead", "today", "overdue", "pl_dm", "hours", "behind", "quiet", "snoozed")
DEADLINE_RULES = (AHEAD, TODAY, OVERDUE, PL_DM, SNOOZED)


@dataclass(frozen=True)
class Planned:
    rule: str
    subject: str  # "project:12" or "task:34"
    occasion: str
    due_at: dt.datetime  # UTC
    project_id: int
    task_id: int | None = None


@dataclass(frozen=True)
class Deadline:
    """A project or task deadline that is not done yet."""

    subject: str
    project_id: int
    task_id: int | None
    deadline: dt.date
    created_on: dt.date


@dataclass(frozen=True)
class NagState:
    """What happened to the overdue nags of one subject (for its current deadline) so far."""

    sent: int
    last_sent_on: dt.date | None
    hold_until: dt.datetime | None  # 👀 or ⏰: no nag before this
    closed: bool  # ❌ or ✅ on a nag


def send_time(day: dt.date, rules: FollowupRules, tz: str) -> dt.datetime:
    """`send_hour`:00 local time on `day`, in UTC (zoneinfo keeps it 09:00 local across DST changes)."""
    return _send_time(day, rules.send_hour, tz)


@lru_cache(maxsize=8192)  # the same few hundred days for every project planned
def _send_time(day: dt.date, hour: int, tz: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(tz)).astimezone(dt.UTC)


@lru_cache(maxsize=8192)
def warn_day(deadline: dt.date) -> dt.date:
    """A deadline on a weekend or holiday is warned about on the working day before."""
    return deadline if is_working_day(deadline) else previous_working_day(deadline)


def next_slot(now: dt.datetime, rules: FollowupRules, tz: str) -> dt.datetime:
    """The send time of today if today is a working day (possibly already past: due now), else of the next one."""
    today = now.astimezone(ZoneInfo(tz)).date()
    return send_time(today if is_working_day(today) else next_working_day(today), rules, tz)


def plan_deadline(item: Deadline, nags: NagState | None, rules: FollowupRules, tz: str) -> list[Planned]:
    """Reminders ahead of and on the deadline, and the overdue nag that comes next (then the PL's DM)."""
    day = warn_day(item.deadline)
    key = item.deadline.isoformat()

    def planned(rule: str, occasion: str, on: dt.date) -> Planned:
        return Planned(rule, item.subject, occasion, send_time(on, rules, tz), item.project_id, item.task_id)

    out: list[Planned] = []
    if rules.deadline_ahead:
        for days in rules.ahead_days:
            on = add_working_days(day, -days)
            if on >= item.created_on:  # no "5 days left" for a task created 3 days before its deadline
                out.append(planned(AHEAD, f"{days}:{key}", on))
    if rules.deadline_today and day >= item.created_on:
        out.append(planned(TODAY, key, day))
    if rules.overdue:
        out.extend(_next_nag(item, nags, rules, tz))
    return out


def _next_nag(item: Deadline, nags: NagState | None, rules: FollowupRules, tz: str) -> list[Planned]:
    key = item.deadline.isoformat()
    if nags is None or nags.sent == 0 or nags.last_sent_on is None:
        rule, number, on = OVERDUE, 1, next_working_day(item.deadline)
    elif nags.closed:
        return []
    else:
        on = add_working_days(nags.last_sent_on, rules.nag_every)
        rule, number = (OVERDUE, nags.sent + 1) if nags.sent < rules.max_nags else (PL_DM, 0)
    due = send_time(on, rules, tz)
    if nags is not None and nags.hold_until is not None and nags.hold_until > due:
        due = nags.hold_until
    occasion = key if rule == PL_DM else f"{key}:{number}"
    return [Planned(rule, item.subject, occasion, due, item.project_id, item.task_id)]


def plan_frame(project_id: int, inputs: FrameInputs, figures: FrameFigures, frame_minutes: int | None,
               now: dt.datetime, rules: FollowupRules, tz: str,
               last_sent: dict[str, dt.datetime] | None = None) -> list[Planned]:
    """Hours frame crossed (the highest threshold reached), time against progress and a quiet project (each at
    most weekly: not within 7 days of the last one sent)."""
    last_sent = last_sent or {}

    def weekly(rule: str) -> str | None:
        """The occasion for a weekly alert, or None when one was sent within the week."""
        sent = last_sent.get(rule)
        if sent is not None and now - sent < dt.timedelta(days=7):
            return None
        return f"after:{sent:%Y-%m-%dT%H:%M}" if sent else "first"

    if inputs.state != "active":
        return []
    subject = f"project:{project_id}"
    due = next_slot(now, rules, tz)
    out: list[Planned] = []
    pct = figures.hours_used_pct
    if rules.hours_frame and frame_minutes and pct is not None:
        crossed = [t for t in sorted(rules.hours_thresholds) if pct >= t]
        if crossed:
            period = f":{figures.period_start:%Y-%m}" if inputs.kind == "lopende" else ""
            out.append(Planned(HOURS, subject, f"{crossed[-1]}:{frame_minutes}{period}", due, project_id))
    time_used, progress = figures.time_used_pct, figures.progress_pct
    behind = (rules.time_vs_progress and time_used is not None and progress is not None
              and time_used >= rules.min_time_used and time_used - progress >= rules.behind_points)
    if behind and (occasion := weekly(BEHIND)):
        out.append(Planned(BEHIND, subject, occasion, due, project_id))
    if rules.quiet and figures.days_quiet >= rules.quiet_days and (occasion := weekly(QUIET)):
        out.append(Planned(QUIET, subject, f"{inputs.last_activity}:{occasion}", due, project_id))
    return out


def snooze_until(now: dt.datetime, rules: FollowupRules, tz: str, working_days: int = 1) -> dt.datetime:
    """The send time `working_days` working days after today (⏰: the next working day)."""
    today = now.astimezone(ZoneInfo(tz)).date()
    return send_time(add_working_days(today if is_working_day(today) else previous_working_day(today),
                                      working_days), rules, tz)
