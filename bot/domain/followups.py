"""Follow-up planning (docs/product.md §4): pure functions from a project's state to the follow-ups it needs, and the
words for a follow-up's life (its state, its resolution, the verdict just before it is sent). No Slack, no SQL.

A follow-up is identified by (rule, subject, occasion). The occasion names what it is about — the deadline
date, the threshold and frame, the week (`bot.domain.occasion`) — so planning the same state twice plans nothing
new, and a changed deadline or frame plans afresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.domain.health import FrameFigures, FrameInputs
from bot.domain.occasion import (
    Ahead,
    Behind,
    CostCrossed,
    HoursCrossed,
    Month,
    Nag,
    OnDeadline,
    Quiet,
    Rule,
    parse_occasion,
)
from bot.domain.retainer import Pace, pace_alert, project_month
from bot.domain.rules import FollowupRules
from bot.domain.workdays import add_working_days, is_working_day, next_working_day, previous_working_day


class FollowupState(StrEnum):
    PLANNED = "planned"  # waiting for its time
    CLAIMED = "claimed"  # a clock is sending it (until its lease runs out)
    SENT = "sent"
    FAILED = "failed"  # Slack refused it for good
    CANCELLED = "cancelled"  # it no longer applied when its time came (the reason is in its error)


class Resolution(StrEnum):
    """What someone did about a sent follow-up (a reaction or a button)."""

    DONE = "done"  # ✅ on a deadline: the task done, the project delivered
    ACKNOWLEDGED = "acknowledged"  # ✅ on a frame alert
    CLOSED = "closed"  # ❌ not relevant
    SNOOZED = "snoozed"  # ⏰
    ON_IT = "on_it"  # 👀


@dataclass(frozen=True)
class Send:
    """Still applies: send it."""


@dataclass(frozen=True)
class Cancel:
    """No longer applies, and why (kept on the row)."""

    reason: str


@dataclass(frozen=True)
class Hold:
    """Not yet: someone holds it (👀 or ⏰ on a nag) until then."""

    until: dt.datetime


Verdict = Send | Cancel | Hold  # whether a claimed follow-up still applies, just before it is sent


@dataclass(frozen=True)
class Planned:
    rule: Rule
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

    def planned(rule: Rule, occasion: Ahead | OnDeadline, on: dt.date) -> Planned:
        return Planned(rule, item.subject, str(occasion), send_time(on, rules, tz), item.project_id, item.task_id)

    out: list[Planned] = []
    if rules.deadline_ahead:
        for days in rules.ahead_days:
            on = add_working_days(day, -days)
            if on >= item.created_on:  # no "5 days left" for a task created 3 days before its deadline
                out.append(planned(Rule.AHEAD, Ahead(days, item.deadline), on))
    if rules.deadline_today and day >= item.created_on:
        out.append(planned(Rule.TODAY, OnDeadline(item.deadline), day))
    if rules.overdue:
        out.extend(_next_nag(item, nags, rules, tz))
    return out


def _next_nag(item: Deadline, nags: NagState | None, rules: FollowupRules, tz: str) -> list[Planned]:
    if nags is None or nags.sent == 0 or nags.last_sent_on is None:
        rule, number, on = Rule.OVERDUE, 1, next_working_day(item.deadline)
    elif nags.closed:
        return []
    else:
        on = add_working_days(nags.last_sent_on, rules.nag_every)
        rule, number = (Rule.OVERDUE, nags.sent + 1) if nags.sent < rules.max_nags else (Rule.PL_DM, 0)
    due = send_time(on, rules, tz)
    if nags is not None and nags.hold_until is not None and nags.hold_until > due:
        due = nags.hold_until
    occasion = OnDeadline(item.deadline) if rule == Rule.PL_DM else Nag(item.deadline, number)
    return [Planned(rule, item.subject, str(occasion), due, item.project_id, item.task_id)]


def plan_frame(project_id: int, inputs: FrameInputs, figures: FrameFigures, frame_minutes: int | None,
               now: dt.datetime, rules: FollowupRules, tz: str,
               last_sent: dict[str, dt.datetime] | None = None) -> list[Planned]:
    """Hours frame and cost frame crossed (the highest threshold reached, by the same switch and thresholds), time
    against progress and a quiet project (each at most weekly: not within 7 days of the last one sent), and a
    løpende month's pace either way (bot.domain.retainer; each at most once a month: the month is its occasion)."""
    last_sent = last_sent or {}

    def recent(rule: Rule) -> bool:
        """A weekly alert was sent within the week."""
        sent = last_sent.get(rule)
        return sent is not None and now - sent < dt.timedelta(days=7)

    if inputs.state != "active":
        return []
    subject = f"project:{project_id}"
    due = next_slot(now, rules, tz)
    out: list[Planned] = []
    month = figures.period_start if inputs.kind == "lopende" else None
    pct, cost_pct = figures.hours_used_pct, figures.cost_used_pct
    if rules.hours_frame and frame_minutes and pct is not None:
        crossed = [t for t in sorted(rules.hours_thresholds) if pct >= t]
        if crossed:
            out.append(Planned(Rule.HOURS, subject, str(HoursCrossed(crossed[-1], frame_minutes, month)), due,
                               project_id))
    if rules.hours_frame and inputs.budget_nok and cost_pct is not None:
        crossed = [t for t in sorted(rules.hours_thresholds) if cost_pct >= t]
        if crossed:
            out.append(Planned(Rule.COST, subject, str(CostCrossed(crossed[-1], inputs.budget_nok, month)), due,
                               project_id))
    time_used, progress = figures.time_used_pct, figures.progress_pct
    behind = (rules.time_vs_progress and time_used is not None and progress is not None
              and time_used >= rules.min_time_used and time_used - progress >= rules.behind_points)
    if behind and not recent(Rule.BEHIND):
        out.append(Planned(Rule.BEHIND, subject, str(Behind(last_sent.get(Rule.BEHIND))), due, project_id))
    if rules.quiet and figures.days_quiet >= rules.quiet_days and not recent(Rule.QUIET):
        occasion = Quiet(inputs.last_activity, last_sent.get(Rule.QUIET))
        out.append(Planned(Rule.QUIET, subject, str(occasion), due, project_id))
    if rules.pace and month is not None and inputs.frame_minutes and inputs.frame_minutes > 0:
        projection = project_month(inputs.logged_minutes, figures.period_start, figures.period_end, inputs.today)
        pace = pace_alert(projection, inputs.frame_minutes, over_pct=rules.pace_over_pct,
                          under_pct=rules.pace_under_pct)
        if pace is not None:
            rule = Rule.PACE_HIGH if pace == Pace.OVER else Rule.PACE_LOW
            out.append(Planned(rule, subject, str(Month(month)), due, project_id))
    return out


def passed_before(planned: Planned, before: set[tuple[str, str, str]]) -> bool:
    """An hours or cost alert for a threshold below one already planned for the same frame and period: the hours
    went over the higher one and a correction took them back down (`timer`). The higher alert said the lower
    threshold was passed; it is not announced after it."""
    if planned.rule not in (Rule.HOURS, Rule.COST):
        return False
    mine = parse_occasion(planned.rule, planned.occasion)
    assert isinstance(mine, HoursCrossed | CostCrossed)
    for rule, subject, text in before:
        if rule != planned.rule or subject != planned.subject:
            continue
        other = parse_occasion(rule, text)
        if isinstance(other, HoursCrossed | CostCrossed) and other.threshold > mine.threshold \
                and _frame_of(other) == _frame_of(mine) and other.month == mine.month:
            return True
    return False


def _frame_of(occasion: HoursCrossed | CostCrossed) -> int:
    return occasion.frame_minutes if isinstance(occasion, HoursCrossed) else occasion.budget_nok


def snooze_until(now: dt.datetime, rules: FollowupRules, tz: str, working_days: int = 1) -> dt.datetime:
    """The send time `working_days` working days after today (⏰: the next working day)."""
    today = now.astimezone(ZoneInfo(tz)).date()
    return send_time(add_working_days(today if is_working_day(today) else previous_working_day(today),
                                      working_days), rules, tz)
