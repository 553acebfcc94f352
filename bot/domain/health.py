"""Frame health, earned-value style (docs/product.md §6). Pure: no Slack, no SQL, no clock — `today` is an input.

Two kinds of project:
* *avgrenset*: a fixed delivery with a deadline and (usually) a total hours frame; the frame period is
  start..deadline.
* *løpende* (`lopende`): a running retainer with a monthly hours frame; the frame period is the current
  calendar month, clipped to the project's start and end. All figures are *of that period*: the DB layer sums
  the logged minutes in it, and progress is best reported for it too (else progress checks compare apples and
  pears).

`frame_inputs()` gathers what the figures are computed from, `frame_figures()` computes the numbers,
`frame_health()` turns them into a colour and one reason (a message key in `bot/slack/i18n/health.py` plus its
parameters). Percentages are floats, rounded only when presented.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal, Protocol, cast

from bot.domain.workdays import add_working_days, working_days_between

__all__ = [
    "FORECAST_OVERRUN_PCT",
    "BEHIND_POINTS",
    "HOURS_RED_PCT",
    "HOURS_YELLOW_PCT",
    "QUIET_DAYS",
    "FrameFacts",
    "FrameFigures",
    "FrameInputs",
    "cost_used_pct",
    "Health",
    "Kind",
    "Level",
    "State",
    "frame_figures",
    "frame_health",
    "frame_inputs",
    "frame_period",
]

Kind = Literal["avgrenset", "lopende"]
State = Literal["active", "paused", "delivered"]
Level = Literal["green", "yellow", "red"]

HOURS_RED_PCT = 100  # hours used ≥ this % of the frame: red
FORECAST_OVERRUN_PCT = 20  # forecast at completion more than this % over the frame: red
HOURS_YELLOW_PCT = 80  # hours used ≥ this % of the frame: yellow
BEHIND_POINTS = 20  # progress this many percentage points (or more) behind time used or hours used: yellow
QUIET_DAYS = 7  # no progress log for this many calendar days (or more): yellow

# A forecast finish further away than this many working days (~50 years) is no forecast.
_MAX_FORECAST_WORKING_DAYS = 50 * 260
# Tolerance for comparing two computed percentages (e.g. 100 * 7 / 15 against a tasks share).
_EPS = 1e-9

_KINDS: frozenset[str] = frozenset({"avgrenset", "lopende"})
_STATES: frozenset[str] = frozenset({"active", "paused", "delivered"})


def frame_period(
    kind: Kind, start: dt.date, deadline: dt.date | None, today: dt.date
) -> tuple[dt.date, dt.date | None]:
    """The period the hours frame applies to.

    avgrenset: (start, deadline). lopende: today's calendar month clipped to [start, deadline], i.e.
    (max(start, first of month), min(deadline, last of month)). The result may be empty (end < start) when
    today is outside the project; figures then count no working days.
    """
    if kind not in _KINDS:
        raise ValueError(f"unknown project kind {kind!r}")
    if kind == "avgrenset":
        return start, deadline
    first = today.replace(day=1)
    last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    return max(start, first), (last if deadline is None else min(deadline, last))


@dataclass(frozen=True)
class FrameInputs:
    today: dt.date
    kind: Kind
    state: State
    start: dt.date
    deadline: dt.date | None  # avgrenset always has one; lopende may have none
    frame_minutes: int | None  # total (avgrenset) or per month (lopende); None (or ≤ 0) = no hours frame
    logged_minutes: int  # logged within frame_period(...)
    reported_progress: int | None  # latest reported % complete (0..100), if anyone reported one
    tasks_total: int
    tasks_done: int
    last_activity: dt.date  # date of the last progress log, or the project's creation date if none
    estimate_total: int = 0  # minutes: the estimates of the tasks that have one (routine steps)
    estimate_done: int = 0  # minutes: the estimates of those that are done
    budget_nok: int | None = None  # the cost frame (total, or per month for lopende); None = none
    cost_kr_minutes: int = 0  # cost used within frame_period(...): Σ minutes × rate of billable logs (kr = / 60)
    carried_minutes: int = 0  # lopende with roll-over: carried into this month (bot.domain.retainer), in frame_minutes


class FrameFacts(Protocol):
    """What the frame figures need of a project: a project row, a view of one, a row of the summary's query."""

    @property
    def kind(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def start(self) -> dt.date: ...
    @property
    def deadline(self) -> dt.date | None: ...
    @property
    def frame_minutes(self) -> int | None: ...
    @property
    def budget_nok(self) -> int | None: ...


def frame_inputs(
    project: FrameFacts, *, today: dt.date, logged_minutes: int, reported_progress: int | None, tasks_total: int,
    tasks_done: int, last_log_on: dt.date | None, created_on: dt.date, estimate_total: int = 0,
    estimate_done: int = 0, cost_kr_minutes: int = 0, carried_minutes: int = 0,
) -> FrameInputs:
    """The inputs of a project's frame figures: the one place the card, the clock and the summary build them.
    A project without a progress log has been quiet since the day it was created (`created_on`). With estimated
    tasks (`estimate_total` minutes, `estimate_done` of them done), progress is the share of estimated hours done.
    `cost_kr_minutes`: the cost used in the frame's period (bot.domain.money), against the project's cost frame.
    `carried_minutes`: what a løpende project's roll-over carries into this month (bot.domain.retainer): the
    month's frame is the monthly frame plus it, for the figures, the health and the alerts alike."""
    frame = project.frame_minutes
    if frame and frame > 0 and carried_minutes and project.kind == "lopende":
        frame += carried_minutes
    else:
        carried_minutes = 0
    return FrameInputs(
        today=today, kind=cast(Kind, project.kind), state=cast(State, project.state),  # checked by frame_figures
        start=project.start, deadline=project.deadline, frame_minutes=frame,
        logged_minutes=logged_minutes, reported_progress=reported_progress, tasks_total=tasks_total,
        tasks_done=tasks_done, last_activity=last_log_on or created_on, estimate_total=estimate_total,
        estimate_done=estimate_done, budget_nok=project.budget_nok, cost_kr_minutes=cost_kr_minutes,
        carried_minutes=carried_minutes,
    )


@dataclass(frozen=True)
class FrameFigures:
    period_start: dt.date
    period_end: dt.date | None
    working_days_total: int | None  # in the period; None without an end
    working_days_used: int | None  # period start..today inclusive, clamped to total
    time_used_pct: float | None  # used / total * 100; 0 when the period has no working days
    hours_used_pct: float | None  # logged / frame * 100 (may exceed 100)
    progress_pct: float | None  # reported progress, else share of estimated hours or of tasks done, else None
    schedule_index: float | None  # SPI = progress / time used
    cost_index: float | None  # CPI = (progress / 100) * frame / logged
    forecast_minutes: int | None  # EAC = logged / (progress / 100)
    forecast_finish: dt.date | None  # the working day the period's work is forecast to be done
    minutes_left: int | None  # frame - logged (may be negative)
    days_overdue: int  # calendar days past the deadline when active and not done
    days_quiet: int  # calendar days since the last log (or since start, if later)
    cost_used_pct: float | None = None  # cost used / cost frame * 100 (may exceed 100); None without a cost frame


@dataclass(frozen=True)
class Health:
    level: Level
    reason: str  # a message key in bot/slack/i18n/health.py
    params: dict[str, int | float | dt.date]  # for t(reason, lang, **params)


def _frame(inputs: FrameInputs) -> int | None:
    return inputs.frame_minutes if inputs.frame_minutes is not None and inputs.frame_minutes > 0 else None


def cost_used_pct(cost_kr_minutes: int, budget_nok: int | None) -> float | None:
    """Cost used as % of the cost frame (may pass 100); None without one."""
    if budget_nok is None or budget_nok <= 0:
        return None
    return max(0, cost_kr_minutes) * 100 / (60 * budget_nok)


def _logged(inputs: FrameInputs) -> int:
    return max(0, inputs.logged_minutes)


def _progress(inputs: FrameInputs) -> float | None:
    if inputs.reported_progress is not None:
        return float(min(100, max(0, inputs.reported_progress)))
    if inputs.estimate_total > 0:  # a routine's steps: the share of their estimated hours done
        return min(inputs.estimate_total, max(0, inputs.estimate_done)) * 100 / inputs.estimate_total
    if inputs.tasks_total > 0:
        done = min(inputs.tasks_total, max(0, inputs.tasks_done))
        return done * 100 / inputs.tasks_total
    return None


def _quiet_since(inputs: FrameInputs) -> dt.date:
    # A project created ahead of its start is not "quiet" before it has started.
    return max(inputs.last_activity, inputs.start)


def frame_figures(inputs: FrameInputs) -> FrameFigures:
    if inputs.state not in _STATES:
        raise ValueError(f"unknown project state {inputs.state!r}")
    today = inputs.today
    period_start, period_end = frame_period(inputs.kind, inputs.start, inputs.deadline, today)
    frame = _frame(inputs)
    logged = _logged(inputs)
    progress = _progress(inputs)

    total = None if period_end is None else working_days_between(period_start, period_end)
    used = working_days_between(period_start, today if period_end is None else min(today, period_end))
    if total is not None:
        used = min(used, total)
    if total is None:
        time_used = None
    else:
        time_used = used * 100 / total if total > 0 else 0.0

    hours_used = logged * 100 / frame if frame is not None else None
    schedule_index = progress / time_used if progress is not None and time_used else None
    cost_index = (
        progress * frame / (100 * logged) if progress is not None and frame is not None and logged else None
    )
    forecast_minutes = round(logged * 100 / progress) if progress else None

    forecast_finish = None
    if progress:
        needed = max(1, math.ceil(used * 100 / progress - _EPS))
        if needed <= _MAX_FORECAST_WORKING_DAYS:
            # The needed-th working day counting from the period start (inclusive when it is a working day).
            forecast_finish = add_working_days(period_start - dt.timedelta(days=1), needed)

    done = progress is not None and progress >= 100
    days_overdue = 0
    if inputs.state == "active" and not done and inputs.deadline is not None and today > inputs.deadline:
        days_overdue = (today - inputs.deadline).days

    return FrameFigures(
        period_start=period_start,
        period_end=period_end,
        working_days_total=total,
        working_days_used=used,
        time_used_pct=time_used,
        hours_used_pct=hours_used,
        progress_pct=progress,
        schedule_index=schedule_index,
        cost_index=cost_index,
        forecast_minutes=forecast_minutes,
        forecast_finish=forecast_finish,
        minutes_left=None if frame is None else frame - logged,
        days_overdue=days_overdue,
        days_quiet=max(0, (today - _quiet_since(inputs)).days),
        cost_used_pct=cost_used_pct(inputs.cost_kr_minutes, inputs.budget_nok),
    )


def frame_health(inputs: FrameInputs, figures: FrameFigures | None = None) -> Health:
    """Red / yellow / green with the first (most serious) reason that applies (docs/product.md §6).

    red: overdue; hours ≥ 100 % of the frame; cost ≥ 100 % of the cost frame; forecast at completion > 120 % of
    the frame. yellow: hours ≥ 80 %; cost ≥ 80 %; progress ≥ 20 points behind time used; progress ≥ 20 points
    behind hours used; no log for ≥ 7 days. A delivered project is green ("health.delivered"). A paused project
    keeps the colour its hours give it but is not held to time: overdue, quiet and behind-time do not count
    ("health.paused" when otherwise green).
    """
    if inputs.state == "delivered":
        return Health("green", "health.delivered", {})
    f = figures if figures is not None else frame_figures(inputs)
    paused = inputs.state == "paused"
    frame = _frame(inputs)
    logged = _logged(inputs)
    progress = f.progress_pct
    hours_used = f.hours_used_pct if frame is not None else None
    hour_params: dict[str, int | float | dt.date] = {}
    if frame is not None and hours_used is not None:
        hour_params = {"used": logged / 60, "frame": frame / 60, "pct": hours_used}

    # red
    if not paused and f.days_overdue > 0:
        key = "health.overdue_one" if f.days_overdue == 1 else "health.overdue"
        params: dict[str, int | float | dt.date] = {"days": f.days_overdue}
        if inputs.deadline is not None:
            params["deadline"] = inputs.deadline
        return Health("red", key, params)
    if hours_used is not None and hours_used >= HOURS_RED_PCT:
        return Health("red", "health.hours_exhausted", hour_params)
    cost_used = f.cost_used_pct
    cost_params: dict[str, int | float | dt.date] = {}
    if cost_used is not None and inputs.budget_nok:
        cost_params = {"cost": round(max(0, inputs.cost_kr_minutes) / 60), "budget": inputs.budget_nok,
                       "pct": cost_used}
        if cost_used >= HOURS_RED_PCT:
            return Health("red", "health.cost_exhausted", cost_params)
    # EAC / frame > 1.2  <=>  logged * 100 / progress > 1.2 * frame, kept free of divisions (exact for ints).
    if (
        frame is not None
        and progress
        and logged * 100 * 100 > (100 + FORECAST_OVERRUN_PCT) * progress * frame
    ):
        forecast = logged * 100 / progress
        return Health(
            "red",
            "health.forecast_over",
            {"forecast": forecast / 60, "frame": frame / 60, "over": forecast * 100 / frame - 100},
        )

    # yellow
    if hours_used is not None and hours_used >= HOURS_YELLOW_PCT:
        return Health("yellow", "health.hours_high", hour_params)
    if cost_used is not None and cost_used >= HOURS_YELLOW_PCT:
        return Health("yellow", "health.cost_high", cost_params)
    time_used = f.time_used_pct
    if (
        not paused
        and progress is not None
        and time_used is not None
        and time_used - progress >= BEHIND_POINTS - _EPS
    ):
        return Health("yellow", "health.behind_time", {"progress": progress, "time": time_used})
    if progress is not None and hours_used is not None and hours_used - progress >= BEHIND_POINTS - _EPS:
        return Health("yellow", "health.behind_hours", {"progress": progress, "hours": hours_used})
    if not paused and f.days_quiet >= QUIET_DAYS:
        return Health("yellow", "health.quiet", {"days": f.days_quiet, "since": _quiet_since(inputs)})

    if paused:
        return Health("green", "health.paused", {})
    return Health("green", "health.on_track", {})
