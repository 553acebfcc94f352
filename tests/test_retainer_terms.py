"""Roll-over month by month with each month's own terms (bot.domain.retainer.carried_by_month, bot.domain.terms):
a frame changed mid-year carries with each month's own frame, a month without roll-over carries nothing into the
next, and the terms of a past day replayed from the history's old values. Pure (hypothesis for the arithmetic)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.readmodels import ProjectView
from bot.domain.retainer import Terms, cap_minutes, carried_by_month, carried_into, month_of, next_month
from bot.domain.terms import TermChange, as_of

D = dt.date
month_terms = st.builds(Terms, st.one_of(st.none(), st.integers(min_value=0, max_value=400 * 60)), st.booleans(),
                        st.one_of(st.none(), st.integers(min_value=0, max_value=100)))
starts = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))


def months_from(start: dt.date, n: int) -> list[dt.date]:
    out, m = [], month_of(start)
    for _ in range(n):
        out.append(m)
        m = next_month(m)
    return out


@given(starts, st.lists(st.tuples(month_terms, st.integers(min_value=0, max_value=800 * 60)), min_size=1,
                        max_size=30))
def test_each_month_carries_with_its_own_frame_and_only_while_roll_over_was_on(
        start: dt.date, plan: list[tuple[Terms, int]]) -> None:
    months = months_from(start, len(plan))
    by_month = {m: terms for m, (terms, _) in zip(months, plan, strict=True)}
    used = {m: minutes for m, (_, minutes) in zip(months, plan, strict=True)}

    def terms(month: dt.date) -> Terms:
        return by_month.get(month, plan[-1][0])

    carried = 0  # the recurrence, written out: into the start month nothing
    assert carried_by_month(months[0], start=start, terms=terms, used=used) == 0
    for previous, month in zip(months, months[1:], strict=False):
        before, now = by_month[previous], by_month[month]
        if before.rollover and (before.frame_minutes or 0) > 0 and (now.frame_minutes or 0) > 0:
            limit = cap_minutes(now.frame_minutes or 0, now.rollover_cap_pct)
            carried = max(-limit, min(limit, (before.frame_minutes or 0) + carried - used[previous]))
            assert -limit <= carried <= limit
        else:
            carried = 0
        assert carried_by_month(month, start=start, terms=terms, used=used) == carried


@given(starts, st.lists(month_terms, min_size=2, max_size=24), month_terms,
       st.lists(st.integers(min_value=0, max_value=800 * 60), max_size=24))
def test_what_a_month_carried_does_not_change_when_the_terms_change_after_it(
        start: dt.date, plan: list[Terms], later: Terms, usage: list[int]) -> None:
    months = months_from(start, len(plan))
    used = dict(zip(months, usage, strict=False))
    target = months[-1]
    before = carried_by_month(target, start=start, terms=lambda m: plan[months.index(m)], used=used)
    after = carried_by_month(target, start=start, used=used,
                             terms=lambda m: plan[months.index(m)] if m <= target else later)
    assert before == after


@given(starts, st.integers(min_value=60, max_value=400 * 60), st.one_of(st.none(), st.integers(0, 100)),
       st.lists(st.integers(min_value=0, max_value=800 * 60), max_size=24))
def test_the_same_terms_every_month_carry_as_before(start: dt.date, frame: int, cap: int | None,
                                                   usage: list[int]) -> None:
    months = months_from(start, len(usage) + 1)
    used = dict(zip(months, usage, strict=False))
    same = Terms(frame, True, cap)
    for m in months:
        assert carried_by_month(m, start=start, terms=lambda _: same, used=used) == \
            carried_into(m, start=start, frame_minutes=frame, cap_pct=cap, used=used)


def test_a_frame_raised_in_march_does_not_change_what_february_carried() -> None:
    """20 h a month, 30 h from March, cap 100 %: January leaves 10 h, February 20 + 10 − 15 = 15 h, March
    30 + 15 − 30 = 15 h (with today's 30 h for every month it would be 20, 30 (capped 35) and 30)."""
    frames = {D(2026, 1, 1): 20 * 60, D(2026, 2, 1): 20 * 60}
    used = {D(2026, 1, 1): 10 * 60, D(2026, 2, 1): 15 * 60, D(2026, 3, 1): 30 * 60}

    def terms(month: dt.date) -> Terms:
        return Terms(frames.get(month, 30 * 60), True, 100)

    start = D(2026, 1, 5)
    assert [carried_by_month(D(2026, m, 1), start=start, terms=terms, used=used) // 60 for m in (1, 2, 3, 4)] == \
        [0, 10, 15, 15]


def view(**terms: Any) -> ProjectView:
    return replace(ProjectView(id=1, number=1, name="Retainer", customer="Tine", kind="lopende", state="active",
                               channel_id="C1", pm_user_id="U1", start=D(2026, 1, 5), deadline=None,
                               frame_minutes=1800, budget_nok=None, created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
                               rollover=True), **terms)


def test_the_terms_at_the_end_of_a_day_take_the_old_value_of_the_first_change_after_it() -> None:
    now = view(frame_minutes=2400, rollover=False, deadline=D(2026, 12, 31), state="delivered")
    changes = [TermChange(D(2026, 3, 10), "frame_minutes", "1200"),
               TermChange(D(2026, 6, 2), "frame_minutes", "1800"),
               TermChange(D(2026, 5, 1), "rollover", "on"),
               TermChange(D(2026, 4, 1), "deadline", None),
               TermChange(D(2026, 11, 3), "state", "active"),
               TermChange(D(2026, 2, 1), "budget_nok", "kaputt")]  # not a value: left as it is
    february = as_of(now, changes, D(2026, 2, 28))
    assert (february.frame_minutes, february.rollover, february.deadline, february.state) == \
        (1200, True, None, "active")
    march = as_of(now, changes, D(2026, 3, 31))
    assert (march.frame_minutes, march.deadline) == (1800, None)
    assert as_of(now, changes, D(2026, 3, 10)).frame_minutes == 1800  # the day it was made: the new value
    assert as_of(now, changes, D(2026, 3, 9)).frame_minutes == 1200
    assert as_of(now, changes, D(2026, 11, 30)) == now
    assert as_of(now, changes, D(2026, 1, 31)).budget_nok is None
