"""The occasion of a follow-up (bot/domain/occasion.py): one way to write each rule's occasion, one way to read it,
and the two agree — for the forms the planner and ⏰ write, and for any value (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.occasion import (
    _FORMS,
    Again,
    Ahead,
    Behind,
    CostCrossed,
    Day,
    HoursCrossed,
    Month,
    Nag,
    OnDeadline,
    Quiet,
    Rule,
    Snoozed,
    Week,
    deadline_of,
    parse_occasion,
    planned_by_snooze,
    snoozed_again,
)

D = dt.date.fromisoformat


@pytest.mark.parametrize(("rule", "text", "occasion"), [
    ("ahead", "5:2026-12-18", Ahead(5, D("2026-12-18"))),
    ("today", "2026-12-18", OnDeadline(D("2026-12-18"))),
    ("overdue", "2026-12-18:2", Nag(D("2026-12-18"), 2)),
    ("pl_dm", "2026-12-18", OnDeadline(D("2026-12-18"))),
    ("snoozed", "41:2026-12-18:2026-12-21", Snoozed(41, D("2026-12-18"), D("2026-12-21"))),
    ("hours", "80:2400", HoursCrossed(80, 2400)),
    ("hours", "100:600:2026-11", HoursCrossed(100, 600, D("2026-11-01"))),
    ("hours", "80:2400:snz12:2026-12-03", HoursCrossed(80, 2400, again=Again(12, D("2026-12-03")))),
    ("behind", "first", Behind()),
    ("behind", "after:2026-11-27T08:00", Behind(dt.datetime(2026, 11, 27, 8))),
    ("quiet", "2026-11-20:first", Quiet(D("2026-11-20"))),
    ("quiet", "2026-11-20:after:2026-11-27T08:00:snz7:2026-12-01",
     Quiet(D("2026-11-20"), dt.datetime(2026, 11, 27, 8), Again(7, D("2026-12-01")))),
    ("summary", "2026-W49", Week(2026, 49)),
    ("portfolio", "2027-W01", Week(2027, 1)),
    ("pace_high", "2026-11", Month(D("2026-11-01"))),
    ("pace_low", "2026-11:snz4:2026-11-20", Month(D("2026-11-01"), Again(4, D("2026-11-20")))),
    ("report", "2026-11", Month(D("2026-11-01"))),
])
def test_each_rule_reads_and_writes_the_form_stored_in_the_database(rule: str, text: str, occasion: object) -> None:
    assert parse_occasion(rule, text) == occasion
    assert str(occasion) == text


@pytest.mark.parametrize(("rule", "text"), [
    ("ahead", "2026-12-18"), ("today", "5:2026-12-18"), ("overdue", "2026-12-18"), ("hours", "80"),
    ("behind", "after:2026-11-27"), ("quiet", "first"), ("summary", "2026-49"), ("nonsense", "2026-12-18"),
    ("today", "2026-13-45"), ("today", "２０２６-12-18"), ("report", "2026-11:snz4:2026-11-20"), ("report", "2026-13"),
])
def test_what_is_not_an_occasion_of_its_rule_is_refused(rule: str, text: str) -> None:
    with pytest.raises(ValueError):
        parse_occasion(rule, text)
    assert deadline_of(rule, text) is None


def test_the_deadline_is_read_from_the_rules_about_a_deadline_only() -> None:
    assert deadline_of("snoozed", "41:2026-12-18:2026-12-21") == D("2026-12-18")  # not the day the hold ends
    assert deadline_of("ahead", "1:2026-12-18") == D("2026-12-18")
    assert deadline_of("quiet", "2026-12-18:first") is None  # a date, but the last log's, not a deadline


def test_a_frame_alert_snoozed_again_is_marked_once_and_recognised_by_its_snoozer() -> None:
    alert = HoursCrossed(80, 2400)
    again = snoozed_again(alert, 12, D("2026-12-03"))
    assert str(again) == "80:2400:snz12:2026-12-03"
    assert str(snoozed_again(again, 15, D("2026-12-08"))) == "80:2400:snz15:2026-12-08"  # the new mark replaces
    assert planned_by_snooze(again, alert, 12) and planned_by_snooze(again, again, 12)
    assert not planned_by_snooze(again, alert, 13)
    assert not planned_by_snooze(again, HoursCrossed(100, 2400), 12)  # another alert's
    assert not planned_by_snooze(alert, alert, 12)  # the alert itself
    assert planned_by_snooze(Snoozed(12, D("2026-12-18"), D("2026-12-21")), Ahead(1, D("2026-12-18")), 12)
    with pytest.raises(ValueError):
        snoozed_again(Ahead(1, D("2026-12-18")), 12, D("2026-12-03"))


# --- any value: written, then read, is itself (and any text read, then written, is that text) --------------------

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
ids = st.integers(min_value=1, max_value=10**9)
minutes = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0))
agains = st.none() | st.builds(Again, ids, days)
months = st.none() | days.map(lambda day: day.replace(day=1))

occasions = st.one_of(
    st.tuples(st.just(Rule.AHEAD), st.builds(Ahead, st.integers(min_value=0, max_value=60), days)),
    st.tuples(st.sampled_from([Rule.TODAY, Rule.PL_DM]), st.builds(OnDeadline, days)),
    st.tuples(st.just(Rule.OVERDUE), st.builds(Nag, days, st.integers(min_value=1, max_value=99))),
    st.tuples(st.just(Rule.SNOOZED), st.builds(Snoozed, ids, days, days)),
    st.tuples(st.just(Rule.HOURS), st.builds(HoursCrossed, st.integers(min_value=1, max_value=500),
                                             st.integers(min_value=1, max_value=10**6), months, agains)),
    st.tuples(st.just(Rule.COST), st.builds(CostCrossed, st.integers(min_value=1, max_value=500),
                                            st.integers(min_value=1, max_value=10**9), months, agains)),
    st.tuples(st.just(Rule.BEHIND), st.builds(Behind, st.none() | minutes, agains)),
    st.tuples(st.just(Rule.QUIET), st.builds(Quiet, days, st.none() | minutes, agains)),
    st.tuples(st.sampled_from([Rule.SUMMARY, Rule.PORTFOLIO]), days.map(Week.of)),
    st.tuples(st.sampled_from([Rule.NUDGE, Rule.NUDGE_WEEK]), days.map(Day)),
)


@given(occasions)
def test_every_occasion_written_reads_back_as_itself(case: tuple[Rule, object]) -> None:
    rule, occasion = case
    text = str(occasion)
    assert parse_occasion(rule, text) == occasion
    assert str(parse_occasion(rule, text)) == text


texts = st.sampled_from(list(Rule)).flatmap(
    lambda rule: st.tuples(st.just(rule), st.from_regex(_FORMS[rule], fullmatch=True)))


@given(texts)
def test_every_text_of_a_rules_form_reads_as_an_occasion_written_back_the_same_or_is_refused(
        case: tuple[Rule, str]) -> None:
    rule, text = case
    try:
        occasion = parse_occasion(rule, text)
    except ValueError:  # the form's shape, but no such day ("2026-13-45") or week
        return
    assert str(occasion) == text
