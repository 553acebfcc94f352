"""Frame health (bot/domain/health.py) and its messages (bot/slack/i18n/health.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import string
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.health import FrameFigures, FrameInputs, Health, frame_figures, frame_health, frame_period
from bot.domain.workdays import is_working_day
from bot.slack.i18n import health as catalog
from bot.slack.i18n import t

NBSP = "\u00a0"

# An avgrenset project over four full working weeks (4–29 Jan 2027: 20 working days; 1 Jan is a holiday),
# 100 h frame, on day 10 of 20 with half the hours used and half the work done: exactly on track.
BASE = FrameInputs(
    today=date(2027, 1, 15),
    kind="avgrenset",
    state="active",
    start=date(2027, 1, 4),
    deadline=date(2027, 1, 29),
    frame_minutes=6000,
    logged_minutes=3000,
    reported_progress=50,
    tasks_total=0,
    tasks_done=0,
    last_activity=date(2027, 1, 14),
)

# A løpende retainer with a 40 h monthly frame and no end date.
RETAINER = dataclasses.replace(
    BASE,
    kind="lopende",
    start=date(2026, 11, 10),
    deadline=None,
    frame_minutes=2400,
    logged_minutes=1200,
    reported_progress=None,
)


def make(base: FrameInputs = BASE, **changes: Any) -> FrameInputs:
    return dataclasses.replace(base, **changes)


# -- frame_period --


@pytest.mark.parametrize(
    "kind, start, deadline, today, expected",
    [
        (
            "avgrenset",
            date(2027, 1, 4),
            date(2027, 1, 29),
            date(2027, 1, 15),
            (date(2027, 1, 4), date(2027, 1, 29)),
        ),
        ("avgrenset", date(2027, 1, 4), None, date(2027, 1, 15), (date(2027, 1, 4), None)),
        ("lopende", date(2026, 11, 10), None, date(2027, 1, 1), (date(2027, 1, 1), date(2027, 1, 31))),
        ("lopende", date(2026, 11, 10), None, date(2027, 1, 31), (date(2027, 1, 1), date(2027, 1, 31))),
        ("lopende", date(2026, 11, 10), None, date(2027, 2, 1), (date(2027, 2, 1), date(2027, 2, 28))),
        ("lopende", date(2026, 11, 10), None, date(2028, 2, 29), (date(2028, 2, 1), date(2028, 2, 29))),
        ("lopende", date(2026, 11, 10), None, date(2026, 12, 31), (date(2026, 12, 1), date(2026, 12, 31))),
        # first month: from the start; last month: to the deadline
        ("lopende", date(2027, 1, 18), None, date(2027, 1, 20), (date(2027, 1, 18), date(2027, 1, 31))),
        (
            "lopende",
            date(2026, 11, 10),
            date(2027, 1, 15),
            date(2027, 1, 10),
            (date(2027, 1, 1), date(2027, 1, 15)),
        ),
        (
            "lopende",
            date(2027, 1, 18),
            date(2027, 1, 22),
            date(2027, 1, 20),
            (date(2027, 1, 18), date(2027, 1, 22)),
        ),
        # today outside the project: an empty period
        ("lopende", date(2027, 3, 10), None, date(2027, 2, 20), (date(2027, 3, 10), date(2027, 2, 28))),
        (
            "lopende",
            date(2026, 11, 10),
            date(2027, 1, 15),
            date(2027, 2, 3),
            (date(2027, 2, 1), date(2027, 1, 15)),
        ),
    ],
)
def test_frame_period(kind: Any, start: date, deadline: date | None, today: date, expected: tuple) -> None:
    assert frame_period(kind, start, deadline, today) == expected


def test_frame_period_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError):
        frame_period("fastpris", date(2027, 1, 1), None, date(2027, 1, 1))  # type: ignore[arg-type]


# -- frame_figures --


def test_figures_on_track() -> None:
    assert frame_figures(BASE) == FrameFigures(
        period_start=date(2027, 1, 4),
        period_end=date(2027, 1, 29),
        working_days_total=20,
        working_days_used=10,
        time_used_pct=50.0,
        hours_used_pct=50.0,
        progress_pct=50.0,
        schedule_index=1.0,
        cost_index=1.0,
        forecast_minutes=6000,
        forecast_finish=date(2027, 1, 29),
        minutes_left=3000,
        days_overdue=0,
        days_quiet=1,
    )


def test_figures_behind_and_over() -> None:
    f = frame_figures(make(reported_progress=25, logged_minutes=4500))
    assert f.schedule_index == 0.5
    assert f.cost_index == pytest.approx(1 / 3)
    assert f.forecast_minutes == 18000
    assert f.minutes_left == 1500
    # 10 working days for 25 % -> 40 working days from 4 Jan: 26 Feb 2027
    assert f.forecast_finish == date(2027, 2, 26)


def test_figures_forecast_finish_is_a_working_day_across_easter() -> None:
    # start Mon 22 Mar 2027; on Wed 24 Mar (3 working days) 50 % done -> 6 working days: Thu 1 Apr
    f = frame_figures(make(start=date(2027, 3, 22), deadline=date(2027, 4, 30), today=date(2027, 3, 24)))
    assert f.working_days_used == 3
    assert f.forecast_finish == date(2027, 4, 1)
    # a start on a holiday counts from the next working day
    f = frame_figures(make(start=date(2027, 3, 26), deadline=date(2027, 4, 30), today=date(2027, 3, 31)))
    assert f.working_days_used == 2
    assert f.forecast_finish == date(2027, 4, 2)
    assert is_working_day(f.forecast_finish)


def test_figures_progress_from_tasks() -> None:
    f = frame_figures(make(reported_progress=None, tasks_total=4, tasks_done=3))
    assert f.progress_pct == 75.0
    # a reported % wins over the tasks
    assert frame_figures(make(reported_progress=10, tasks_total=4, tasks_done=3)).progress_pct == 10.0


def test_figures_without_progress() -> None:
    f = frame_figures(make(reported_progress=None, tasks_total=0, tasks_done=0))
    assert f.progress_pct is None
    assert f.schedule_index is None and f.cost_index is None
    assert f.forecast_minutes is None and f.forecast_finish is None
    assert f.time_used_pct == 50.0 and f.hours_used_pct == 50.0


def test_figures_zero_progress_and_zero_logged() -> None:
    f = frame_figures(make(reported_progress=0))
    assert f.progress_pct == 0.0
    assert f.schedule_index == 0.0
    assert f.cost_index == 0.0
    assert f.forecast_minutes is None and f.forecast_finish is None
    f = frame_figures(make(logged_minutes=0))
    assert f.cost_index is None
    assert f.forecast_minutes == 0
    assert f.hours_used_pct == 0.0


@pytest.mark.parametrize("frame", [None, 0, -60])
def test_figures_no_frame(frame: int | None) -> None:
    f = frame_figures(make(frame_minutes=frame))
    assert f.hours_used_pct is None
    assert f.cost_index is None
    assert f.minutes_left is None
    assert f.forecast_minutes == 6000  # the forecast needs no frame


def test_figures_today_before_start() -> None:
    f = frame_figures(make(today=date(2026, 12, 28), logged_minutes=0, reported_progress=None))
    assert f.working_days_used == 0
    assert f.time_used_pct == 0.0
    assert f.schedule_index is None
    assert f.days_quiet == 0


def test_figures_deadline_before_start() -> None:
    f = frame_figures(make(start=date(2027, 1, 15), deadline=date(2027, 1, 10), today=date(2027, 1, 8)))
    assert f.working_days_total == 0
    assert f.working_days_used == 0
    assert f.time_used_pct == 0.0
    assert f.schedule_index is None
    f = frame_figures(make(start=date(2027, 1, 15), deadline=date(2027, 1, 10), today=date(2027, 1, 20)))
    assert f.time_used_pct == 0.0
    assert f.days_overdue == 10


def test_figures_no_working_days_in_period() -> None:
    # a one-weekend project
    f = frame_figures(make(start=date(2027, 1, 9), deadline=date(2027, 1, 10), today=date(2027, 1, 10)))
    assert f.working_days_total == 0
    assert f.time_used_pct == 0.0


def test_figures_no_deadline() -> None:
    f = frame_figures(make(deadline=None))
    assert f.working_days_total is None
    assert f.working_days_used == 10
    assert f.time_used_pct is None
    assert f.schedule_index is None
    assert f.days_overdue == 0
    assert f.forecast_finish == date(2027, 1, 29)


def test_figures_used_is_clamped_after_the_deadline() -> None:
    f = frame_figures(make(today=date(2027, 3, 1), reported_progress=100))
    assert f.working_days_used == f.working_days_total == 20
    assert f.time_used_pct == 100.0
    assert f.days_overdue == 0  # done


@pytest.mark.parametrize(
    "today, deadline, state, progress, expected",
    [
        (date(2027, 1, 29), date(2027, 1, 29), "active", 50, 0),  # the deadline day itself
        (date(2027, 1, 30), date(2027, 1, 29), "active", 50, 1),
        (date(2027, 2, 1), date(2027, 1, 29), "active", 50, 3),  # calendar days
        (date(2027, 2, 1), date(2027, 1, 29), "active", 100, 0),  # done
        (date(2027, 2, 1), date(2027, 1, 29), "paused", 50, 0),
        (date(2027, 2, 1), date(2027, 1, 29), "delivered", 50, 0),
        (date(2027, 2, 1), None, "active", 50, 0),
    ],
)
def test_figures_days_overdue(
    today: date, deadline: date | None, state: Any, progress: int, expected: int
) -> None:
    f = frame_figures(make(today=today, deadline=deadline, state=state, reported_progress=progress))
    assert f.days_overdue == expected


def test_figures_quiet_counts_from_start_if_later() -> None:
    assert frame_figures(make(last_activity=date(2027, 1, 8))).days_quiet == 7
    # created a month before the start, nothing logged: quiet since the start, not since creation
    assert frame_figures(make(today=date(2027, 1, 6), last_activity=date(2026, 12, 1))).days_quiet == 2
    # an activity date in the future (clock skew) is not negative quiet
    assert frame_figures(make(last_activity=date(2027, 1, 20))).days_quiet == 0


@pytest.mark.parametrize(
    "today, start, deadline, total, used",
    [
        (date(2027, 1, 31), date(2026, 11, 10), None, 20, 20),  # last day of January (1 Jan is a holiday)
        (date(2027, 2, 1), date(2026, 11, 10), None, 20, 1),  # first day of February
        (date(2027, 1, 20), date(2027, 1, 18), None, 10, 3),  # first month starts mid-month
        (date(2027, 1, 10), date(2026, 11, 10), date(2027, 1, 15), 10, 5),  # last month ends mid-month
        (date(2027, 2, 20), date(2027, 3, 10), None, 0, 0),  # before the start
        (date(2027, 2, 3), date(2026, 11, 10), date(2027, 1, 15), 0, 0),  # after the end
        (date(2028, 2, 29), date(2026, 11, 10), None, 21, 21),  # leap day
    ],
)
def test_figures_lopende_month(
    today: date, start: date, deadline: date | None, total: int, used: int
) -> None:
    f = frame_figures(make(RETAINER, today=today, start=start, deadline=deadline))
    assert f.working_days_total == total
    assert f.working_days_used == used
    assert f.time_used_pct == (used * 100 / total if total else 0.0)
    assert f.hours_used_pct == 50.0  # of the monthly frame


# -- frame_health: one case per rule and boundary --

CASES: list[tuple[str, FrameInputs, str, str]] = [
    ("on track", BASE, "green", "health.on_track"),
    # overdue
    (
        "deadline day",
        make(
            today=date(2027, 1, 29),
            reported_progress=95,
            logged_minutes=5000,
            last_activity=date(2027, 1, 29),
        ),
        "yellow",
        "health.hours_high",
    ),
    ("1 day overdue", make(today=date(2027, 1, 30)), "red", "health.overdue_one"),
    ("3 days overdue", make(today=date(2027, 2, 1)), "red", "health.overdue"),
    (
        "past deadline but done",
        make(today=date(2027, 2, 1), reported_progress=100, last_activity=date(2027, 2, 1)),
        "green",
        "health.on_track",
    ),
    ("overdue beats hours", make(today=date(2027, 2, 1), logged_minutes=9000), "red", "health.overdue"),
    # hours
    ("hours 100 %", make(logged_minutes=6000, reported_progress=90), "red", "health.hours_exhausted"),
    ("hours 150 %", make(logged_minutes=9000, reported_progress=90), "red", "health.hours_exhausted"),
    ("hours 99.9 %", make(logged_minutes=5994, reported_progress=90), "yellow", "health.hours_high"),
    ("hours 80 %", make(logged_minutes=4800, reported_progress=80), "yellow", "health.hours_high"),
    ("hours 79.9 %", make(logged_minutes=4794, reported_progress=80), "green", "health.on_track"),
    (
        "hours 80 % without progress",
        make(logged_minutes=4800, reported_progress=None),
        "yellow",
        "health.hours_high",
    ),
    # forecast at completion
    ("forecast 120 %", make(logged_minutes=3600, reported_progress=50), "green", "health.on_track"),
    ("forecast 121 %", make(logged_minutes=3630, reported_progress=50), "red", "health.forecast_over"),
    (
        "forecast beats hours 80 %",
        make(logged_minutes=4800, reported_progress=50),
        "red",
        "health.forecast_over",
    ),
    (
        "forecast from tasks",
        make(logged_minutes=3630, reported_progress=None, tasks_total=4, tasks_done=2),
        "red",
        "health.forecast_over",
    ),
    # progress behind time (time used is 50 %)
    (
        "20 points behind time",
        make(reported_progress=30, logged_minutes=1800),
        "yellow",
        "health.behind_time",
    ),
    ("19 points behind time", make(reported_progress=31, logged_minutes=1800), "green", "health.on_track"),
    (
        "behind time from tasks",
        make(reported_progress=None, tasks_total=10, tasks_done=3, logged_minutes=1800),
        "yellow",
        "health.behind_time",
    ),
    ("behind time, no frame", make(reported_progress=10, frame_minutes=None), "yellow", "health.behind_time"),
    (
        "behind time, no progress known",
        make(reported_progress=None, logged_minutes=0),
        "green",
        "health.on_track",
    ),
    # progress behind hours (with progress > 0 the forecast rule catches it first; at 0 % it is this one)
    (
        "20 points behind hours",
        make(today=date(2027, 1, 4), reported_progress=0, logged_minutes=1200),
        "yellow",
        "health.behind_hours",
    ),
    (
        "19 points behind hours",
        make(today=date(2027, 1, 4), reported_progress=0, logged_minutes=1140),
        "green",
        "health.on_track",
    ),
    # quiet
    ("quiet 6 days", make(last_activity=date(2027, 1, 9)), "green", "health.on_track"),
    ("quiet 7 days", make(last_activity=date(2027, 1, 8)), "yellow", "health.quiet"),
    (
        "behind time beats quiet",
        make(reported_progress=30, logged_minutes=1800, last_activity=date(2027, 1, 1)),
        "yellow",
        "health.behind_time",
    ),
    (
        "created early, not started",
        make(
            today=date(2027, 1, 3), last_activity=date(2026, 12, 1), logged_minutes=0, reported_progress=None
        ),
        "green",
        "health.on_track",
    ),
    # delivered
    ("delivered", make(state="delivered"), "green", "health.delivered"),
    (
        "delivered, late and over",
        make(state="delivered", today=date(2027, 3, 1), logged_minutes=12000, last_activity=date(2026, 1, 1)),
        "green",
        "health.delivered",
    ),
    # paused
    ("paused", make(state="paused"), "green", "health.paused"),
    (
        "paused, overdue, quiet and behind",
        make(state="paused", today=date(2027, 3, 1), reported_progress=10, logged_minutes=600),
        "green",
        "health.paused",
    ),
    (
        "paused, hours 85 %",
        make(state="paused", logged_minutes=5100, reported_progress=90),
        "yellow",
        "health.hours_high",
    ),
    (
        "paused, hours 100 %",
        make(state="paused", today=date(2027, 3, 1), logged_minutes=6000),
        "red",
        "health.hours_exhausted",
    ),
    ("paused, forecast over", make(state="paused", logged_minutes=3630), "red", "health.forecast_over"),
    (
        "paused, behind hours",
        make(state="paused", reported_progress=0, logged_minutes=1200),
        "yellow",
        "health.behind_hours",
    ),
    # no frame
    ("no frame", make(frame_minutes=None, logged_minutes=100_000), "green", "health.on_track"),
    ("zero frame", make(frame_minutes=0, logged_minutes=100_000), "green", "health.on_track"),
    # today before start / deadline before start
    (
        "today before start",
        make(
            today=date(2026, 12, 28), logged_minutes=0, reported_progress=0, last_activity=date(2026, 12, 1)
        ),
        "green",
        "health.on_track",
    ),
    (
        "deadline before start, not yet",
        make(
            start=date(2027, 1, 15),
            deadline=date(2027, 1, 10),
            today=date(2027, 1, 8),
            reported_progress=0,
            logged_minutes=0,
        ),
        "green",
        "health.on_track",
    ),
    (
        "deadline before start, past it",
        make(start=date(2027, 1, 15), deadline=date(2027, 1, 10), today=date(2027, 1, 20)),
        "red",
        "health.overdue",
    ),
    (
        "weekend-only project",
        make(
            start=date(2027, 1, 9),
            deadline=date(2027, 1, 10),
            today=date(2027, 1, 10),
            last_activity=date(2027, 1, 10),
        ),
        "green",
        "health.on_track",
    ),
    # lopende: this month's hours and time
    ("retainer on track", RETAINER, "green", "health.on_track"),
    ("retainer 85 % in the month", make(RETAINER, logged_minutes=2040), "yellow", "health.hours_high"),
    ("retainer 100 %", make(RETAINER, logged_minutes=2400), "red", "health.hours_exhausted"),
    (
        "retainer new month",
        make(RETAINER, today=date(2027, 2, 1), logged_minutes=0, last_activity=date(2027, 1, 29)),
        "green",
        "health.on_track",
    ),
    (
        "retainer no progress, late in month",
        make(RETAINER, today=date(2027, 1, 29), logged_minutes=600, last_activity=date(2027, 1, 28)),
        "green",
        "health.on_track",
    ),
    (
        "retainer progress behind the month",
        make(
            RETAINER,
            today=date(2027, 1, 29),
            logged_minutes=1200,
            reported_progress=50,
            last_activity=date(2027, 1, 28),
        ),
        "yellow",
        "health.behind_time",
    ),
    (
        "retainer past its end",
        make(RETAINER, today=date(2027, 2, 3), deadline=date(2027, 1, 15), logged_minutes=0),
        "red",
        "health.overdue",
    ),
    (
        "retainer before its start",
        make(
            RETAINER,
            start=date(2027, 3, 10),
            today=date(2027, 2, 20),
            logged_minutes=0,
            last_activity=date(2027, 2, 1),
        ),
        "green",
        "health.on_track",
    ),
]


@pytest.mark.parametrize("inputs, level, reason", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_health(inputs: FrameInputs, level: str, reason: str) -> None:
    health = frame_health(inputs)
    assert (health.level, health.reason) == (level, reason)
    assert frame_health(inputs, frame_figures(inputs)) == health
    for lang in ("nb", "en"):
        text = t(health.reason, lang, **health.params)
        assert text and "{" not in text


def test_health_params() -> None:
    assert frame_health(make(today=date(2027, 2, 1))).params == {"days": 3, "deadline": date(2027, 1, 29)}
    assert frame_health(make(logged_minutes=6000, reported_progress=90)).params == {
        "used": 100.0,
        "frame": 100.0,
        "pct": 100.0,
    }
    forecast = frame_health(make(logged_minutes=3630, reported_progress=50)).params
    assert forecast["forecast"] == pytest.approx(121.0)
    assert forecast["frame"] == 100.0
    assert forecast["over"] == pytest.approx(21.0)
    assert frame_health(make(reported_progress=30, logged_minutes=1800)).params == {
        "progress": 30.0,
        "time": 50.0,
    }
    assert frame_health(make(last_activity=date(2027, 1, 8))).params == {"days": 7, "since": date(2027, 1, 8)}
    assert frame_health(BASE).params == {}


@pytest.mark.parametrize(
    "inputs, lang, text",
    [
        (make(today=date(2027, 2, 1)), "nb", "3 dager over fristen"),
        (make(today=date(2027, 2, 1)), "en", "3 days past the deadline"),
        (make(today=date(2027, 1, 30)), "nb", "1 dag over fristen"),
        (make(today=date(2027, 1, 30)), "en", "1 day past the deadline"),
        (
            make(logged_minutes=6030, reported_progress=90),
            "nb",
            f"Timene er brukt opp: 100,5 av 100{NBSP}t (100,5{NBSP}%)",
        ),
        (
            make(logged_minutes=6030, reported_progress=90),
            "en",
            f"Hours used up: 100.5 of 100{NBSP}h (100.5%)",
        ),
        (
            make(logged_minutes=3630, reported_progress=50),
            "nb",
            f"Prognose 121{NBSP}t, 21{NBSP}% over rammen",
        ),
        (
            make(logged_minutes=4794, reported_progress=50),
            "en",
            f"Forecast 159.8{NBSP}h, 59.8% over the frame",
        ),
        (make(logged_minutes=4860, reported_progress=90), "nb", f"81{NBSP}% av timene brukt"),
        (make(logged_minutes=4998, reported_progress=90), "en", "83.3% of the hours used"),
        (
            make(reported_progress=30, logged_minutes=1800),
            "nb",
            f"Fremdrift 30{NBSP}% mot 50{NBSP}% av tiden",
        ),
        (make(reported_progress=30, logged_minutes=1800), "en", "Progress 30% vs 50% of the time"),
        (make(last_activity=date(2027, 1, 5)), "nb", "Ingen logg på 10 dager"),
        (make(last_activity=date(2027, 1, 5)), "en", "No log for 10 days"),
        (BASE, "nb", "I rute"),
        (BASE, "en", "On track"),
        (make(state="paused"), "nb", "På pause"),
        (make(state="delivered"), "nb", "Levert"),
    ],
)
def test_health_text(inputs: FrameInputs, lang: str, text: str) -> None:
    health = frame_health(inputs)
    assert t(health.reason, lang, **health.params) == text


# -- catalog --


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def test_catalogs_have_same_keys_and_placeholders() -> None:
    assert catalog.NB.keys() == catalog.EN.keys()
    for key in catalog.NB:
        assert key.startswith("health."), key
        assert _placeholders(catalog.NB[key]) == _placeholders(catalog.EN[key]), key
        assert catalog.NB[key].strip() and catalog.EN[key].strip()


def test_level_names() -> None:
    assert [catalog.NB[f"health.level.{level}"] for level in ("green", "yellow", "red")] == [
        "Grønn",
        "Gul",
        "Rød",
    ]
    assert [catalog.EN[f"health.level.{level}"] for level in ("green", "yellow", "red")] == [
        "Green",
        "Yellow",
        "Red",
    ]


# -- properties --

RANK = {"green": 0, "yellow": 1, "red": 2}


@st.composite
def frame_inputs(draw: st.DrawFn, **fixed: Any) -> FrameInputs:
    start = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31)))
    kind = fixed.get("kind") or draw(st.sampled_from(["avgrenset", "lopende"]))
    deadline = draw(
        st.one_of(
            st.none(),
            st.dates(min_value=start - dt.timedelta(days=60), max_value=start + dt.timedelta(days=900)),
        )
    )
    if kind == "avgrenset" and "kind" in fixed and deadline is None:
        deadline = start + dt.timedelta(days=draw(st.integers(0, 900)))
    today = draw(
        st.dates(min_value=start - dt.timedelta(days=400), max_value=start + dt.timedelta(days=1500))
    )
    tasks_total = draw(st.integers(0, 60))
    return FrameInputs(
        today=today,
        kind=kind,
        state=fixed.get("state") or draw(st.sampled_from(["active", "paused", "delivered"])),
        start=start,
        deadline=deadline,
        frame_minutes=fixed["frame_minutes"]
        if "frame_minutes" in fixed
        else draw(st.one_of(st.none(), st.integers(0, 300_000))),
        logged_minutes=draw(st.integers(0, 600_000)),
        reported_progress=draw(st.one_of(st.none(), st.integers(0, 100))),
        tasks_total=tasks_total,
        tasks_done=draw(st.integers(0, tasks_total)),
        last_activity=draw(st.dates(min_value=start - dt.timedelta(days=400), max_value=today)),
    )


@settings(max_examples=400)
@given(frame_inputs())
def test_never_raises_and_is_consistent(inputs: FrameInputs) -> None:
    f = frame_figures(inputs)
    health = frame_health(inputs, f)
    assert isinstance(health, Health)
    assert health.level in RANK
    assert health.reason in catalog.NB
    for lang in ("nb", "en"):
        assert t(health.reason, lang, **health.params)
    if f.working_days_total is not None:
        assert f.working_days_used is not None
        assert 0 <= f.working_days_used <= f.working_days_total
        assert f.time_used_pct is not None and 0 <= f.time_used_pct <= 100
    assert f.progress_pct is None or 0 <= f.progress_pct <= 100
    assert f.days_overdue >= 0 and f.days_quiet >= 0
    assert f.forecast_finish is None or is_working_day(f.forecast_finish)
    if inputs.state == "delivered":
        assert (health.level, health.reason) == ("green", "health.delivered")
    if inputs.state == "paused":
        assert health.reason not in {
            "health.overdue",
            "health.overdue_one",
            "health.quiet",
            "health.behind_time",
        }


@given(frame_inputs(kind="avgrenset", state="active", frame_minutes=None), st.integers(1, 300_000))
def test_red_when_hours_used_up(inputs: FrameInputs, frame: int) -> None:
    inputs = dataclasses.replace(
        inputs, frame_minutes=frame, logged_minutes=frame + inputs.logged_minutes % 1000
    )
    assert frame_health(inputs).level == "red"


@settings(max_examples=400)
@given(frame_inputs(), st.integers(0, 300_000))
def test_more_hours_never_better(inputs: FrameInputs, extra: int) -> None:
    before = frame_health(inputs)
    after = frame_health(dataclasses.replace(inputs, logged_minutes=inputs.logged_minutes + extra))
    assert RANK[after.level] >= RANK[before.level]


@given(frame_inputs(), st.integers(1, 60))
def test_longer_quiet_never_better(inputs: FrameInputs, days: int) -> None:
    quieter = dataclasses.replace(inputs, last_activity=inputs.last_activity - dt.timedelta(days=days))
    assert RANK[frame_health(quieter).level] >= RANK[frame_health(inputs).level]


def test_progress_is_the_share_of_estimated_hours_done_when_tasks_have_estimates() -> None:
    from bot.domain.health import frame_figures, frame_inputs
    from bot.domain.readmodels import ProjectView

    project = ProjectView(1, 1, "p", "k", "avgrenset", "active", "C1", "U1", dt.date(2026, 11, 2),
                          dt.date(2026, 12, 31), 6000, None, dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    common = dict(today=dt.date(2026, 11, 20), logged_minutes=600, reported_progress=None, tasks_total=4,
                  tasks_done=1, last_log_on=None, created_on=dt.date(2026, 11, 2))
    assert frame_figures(frame_inputs(project, **common)).progress_pct == 25  # tasks: 1 of 4
    estimated = frame_inputs(project, **common, estimate_total=600, estimate_done=480)
    assert frame_figures(estimated).progress_pct == 80  # the done step was 8 of the 10 estimated hours
    reported = frame_inputs(project, **{**common, "reported_progress": 40}, estimate_total=600, estimate_done=480)
    assert frame_figures(reported).progress_pct == 40
