"""Retainers month by month, pure (bot.domain.retainer): the roll-over arithmetic (hypothesis: the clamp holds, zero
use accumulates to the cap, the recurrence), across a year change and a month that starts on a holiday, the pace
projection and its alerts, and what users write."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import UserError
from bot.domain.retainer import (
    Pace,
    cap_minutes,
    carried_into,
    month_of,
    next_month,
    pace_alert,
    parse_cap,
    parse_rollover,
    project_month,
)

D = dt.date
frames = st.integers(min_value=60, max_value=400 * 60)
caps = st.one_of(st.none(), st.integers(min_value=0, max_value=100))
starts = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))


def months_from(start: dt.date, n: int) -> list[dt.date]:
    out, m = [], month_of(start)
    for _ in range(n):
        out.append(m)
        m = next_month(m)
    return out


@given(frames, caps, starts, st.lists(st.integers(min_value=0, max_value=800 * 60), max_size=30))
def test_what_is_carried_stays_within_the_cap_both_ways(frame: int, cap: int | None, start: dt.date,
                                                        usage: list[int]) -> None:
    months = months_from(start, len(usage) + 1)
    used = dict(zip(months, usage, strict=False))
    limit = cap_minutes(frame, cap)
    for m in months:
        assert -limit <= carried_into(m, start=start, frame_minutes=frame, cap_pct=cap, used=used) <= limit


@given(frames, caps, starts, st.lists(st.integers(min_value=0, max_value=800 * 60), min_size=1, max_size=30))
def test_each_month_carries_last_months_frame_and_carry_less_its_use_clamped(
        frame: int, cap: int | None, start: dt.date, usage: list[int]) -> None:
    months = months_from(start, len(usage) + 1)
    used = dict(zip(months, usage, strict=False))
    limit = cap_minutes(frame, cap)
    for previous, month in zip(months, months[1:], strict=False):
        before = carried_into(previous, start=start, frame_minutes=frame, cap_pct=cap, used=used)
        expected = max(-limit, min(limit, frame + before - used[previous]))
        assert carried_into(month, start=start, frame_minutes=frame, cap_pct=cap, used=used) == expected


@given(frames, caps, starts, st.integers(min_value=1, max_value=40))
def test_months_with_no_use_carry_the_cap(frame: int, cap: int | None, start: dt.date, n: int) -> None:
    month = months_from(start, n + 1)[-1]
    assert carried_into(month, start=start, frame_minutes=frame, cap_pct=cap, used={}) == cap_minutes(frame, cap)


@given(frames, caps, starts, st.integers(min_value=1, max_value=40))
def test_months_that_use_exactly_the_frame_carry_nothing(frame: int, cap: int | None, start: dt.date, n: int) -> None:
    months = months_from(start, n + 1)
    used = dict.fromkeys(months, frame)
    assert carried_into(months[-1], start=start, frame_minutes=frame, cap_pct=cap, used=used) == 0


@given(frames, starts)
def test_the_start_month_and_a_project_without_a_frame_carry_nothing(frame: int, start: dt.date) -> None:
    assert carried_into(start, start=start, frame_minutes=frame, cap_pct=None, used={}) == 0
    assert carried_into(next_month(start), start=start, frame_minutes=None, cap_pct=None, used={}) == 0


def test_across_a_year_change() -> None:
    """20 h a month from November: 14 h used in November carries +5 h (the cap: 25 % of 20 h) into December;
    December uses 28 h: 20 + 5 − 28 = −3 h into January 2027."""
    used = {D(2026, 11, 1): 14 * 60, D(2026, 12, 1): 28 * 60}
    kw = {"start": D(2026, 11, 10), "frame_minutes": 20 * 60, "cap_pct": None, "used": used}
    assert carried_into(D(2026, 12, 1), **kw) == 5 * 60  # type: ignore[arg-type]
    assert carried_into(D(2027, 1, 1), **kw) == -3 * 60  # type: ignore[arg-type]
    assert carried_into(D(2027, 2, 1), **kw) == 5 * 60  # type: ignore[arg-type]  # January unused: the cap again
    assert carried_into(D(2027, 1, 1), **{**kw, "cap_pct": 10}) == -2 * 60  # type: ignore[arg-type]


def test_the_pace_of_a_month_that_starts_on_a_holiday() -> None:
    """January 2027: 1 January (a Friday) is a holiday, so the month has 20 working days (4 Jan … 29 Jan … 31)."""
    assert project_month(0, D(2027, 1, 1), D(2027, 1, 31), D(2027, 1, 1)).days_total == 20
    # on 12 January 6 working days have passed (4–11 Jan): not yet a third (6.67 days)
    early = project_month(6 * 60, D(2027, 1, 1), D(2027, 1, 31), D(2027, 1, 12))
    assert (early.days_passed, early.past_a_third) == (6, False)
    assert pace_alert(early, 20 * 60, over_pct=10, under_pct=70) is None
    # on 13 January 7 have: 7 h so far is heading for 20 h, on frame
    fine = project_month(7 * 60, D(2027, 1, 1), D(2027, 1, 31), D(2027, 1, 13))
    assert (fine.days_passed, fine.projected_minutes) == (7, 20 * 60) and fine.past_a_third
    assert pace_alert(fine, 20 * 60, over_pct=10, under_pct=70) is None
    over = project_month(10 * 60, D(2027, 1, 1), D(2027, 1, 31), D(2027, 1, 13))
    assert pace_alert(over, 20 * 60, over_pct=10, under_pct=70) == Pace.OVER
    assert pace_alert(over, 27 * 60, over_pct=10, under_pct=70) is None  # a frame with 7 h carried in
    under = project_month(4 * 60, D(2027, 1, 1), D(2027, 1, 31), D(2027, 1, 13))
    assert pace_alert(under, 20 * 60, over_pct=10, under_pct=70) == Pace.UNDER
    assert pace_alert(under, 20 * 60, over_pct=10, under_pct=55) is None  # tuned


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=10_000), st.integers(1, 50),
       st.integers(1, 100), st.dates(min_value=D(2026, 1, 1), max_value=D(2028, 12, 31)))
def test_a_pace_alert_says_over_only_above_and_under_only_below(used: int, frame: int, over: int, under: int,
                                                                today: dt.date) -> None:
    projection = project_month(used, month_of(today), None, today)
    found = pace_alert(projection, frame, over_pct=over, under_pct=under)
    if found == Pace.OVER:
        assert projection.projected_minutes * 100 > frame * (100 + over)
    elif found == Pace.UNDER:
        assert projection.projected_minutes * 100 < frame * under
    if not projection.past_a_third:
        assert found is None


def test_what_users_write() -> None:
    assert parse_rollover("ja") and parse_rollover("Yes") and not parse_rollover("nei") and not parse_rollover("off")
    assert parse_cap("30") == 30 and parse_cap("0") == 0 and parse_cap("100 %") == 100
    for bad in ("101", "-5", "2,5", "tretti", "", "３０"):
        with pytest.raises(UserError) as caught:
            parse_cap(bad)
        assert caught.value.key == "rollover.cap_invalid"
    with pytest.raises(UserError) as caught:
        parse_rollover("kanskje")
    assert caught.value.key == "rollover.invalid"
