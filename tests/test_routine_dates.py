"""Routine date rules in Norwegian working days, and step conditions (bot/domain/routines/daterules.py)."""

from __future__ import annotations

import datetime as dt
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.routines import Condition, DateRule
from bot.domain.routines.daterules import MAX_MONTH_DAY, MAX_OFFSET
from bot.domain.workdays import is_working_day
from bot.slack.i18n import t


def on(rule: str, start: date, deadline: date | None = None) -> date:
    return DateRule.parse(rule).date_for(start=start, deadline=deadline)


def in_month(rule: str, year: int, month: int) -> date:
    return DateRule.parse(rule).date_in_month(year, month)


# -- parse and format --


@pytest.mark.parametrize(
    "text, rule",
    [
        ("start+3", DateRule("start", 3)),
        ("start + 3", DateRule("start", 3)),
        ("START+0", DateRule("start", 0)),
        ("start", DateRule("start", 0)),
        ("frist-5", DateRule("deadline", 5)),
        ("deadline-5", DateRule("deadline", 5)),
        ("frist", DateRule("deadline", 0)),
        ("måned:3", DateRule("month", nth=3)),
        ("maned:3", DateRule("month", nth=3)),
        ("month: 3", DateRule("month", nth=3)),
        ("måned:siste", DateRule("month", nth=-1)),
        ("month:last", DateRule("month", nth=-1)),
        ("måned:siste-2", DateRule("month", nth=-3)),
        (f"start+{MAX_OFFSET}", DateRule("start", MAX_OFFSET)),
        (f"måned:{MAX_MONTH_DAY}", DateRule("month", nth=MAX_MONTH_DAY)),
    ],
)
def test_rules_parse(text: str, rule: DateRule) -> None:
    assert DateRule.parse(text) == rule
    assert DateRule.parse(rule.format()) == rule


@pytest.mark.parametrize(
    "text",
    ["", "start-3", "frist+2", "start+", "start+x", "start+-1", f"start+{MAX_OFFSET + 1}", "måned:0",
     f"måned:{MAX_MONTH_DAY + 1}", "måned:siste-20", "måned:", "uke:3", "2027-03-01", "start+3 dager"],
)
def test_bad_rules_do_not_parse(text: str) -> None:
    with pytest.raises(ValueError):
        DateRule.parse(text)


rules = st.one_of(
    st.builds(DateRule, st.sampled_from(["start", "deadline"]), st.integers(0, MAX_OFFSET)),
    st.builds(lambda nth: DateRule("month", nth=nth),
              st.integers(1, MAX_MONTH_DAY) | st.integers(-MAX_MONTH_DAY, -1)),
)


@given(rules)
def test_format_parses_back(rule: DateRule) -> None:
    assert DateRule.parse(rule.format()) == rule
    assert DateRule.parse(str(rule).upper()) == rule


def test_formats_are_the_canonical_spellings() -> None:
    assert [DateRule.parse(s).format() for s in ("start", "deadline-5", "month:3", "month:last", "maned:siste-1")] \
        == ["start+0", "frist-5", "måned:3", "måned:siste", "måned:siste-1"]


@pytest.mark.parametrize(
    "rule, nb, en",
    [
        ("frist-5", "5 arbeidsdager før frist", "5 working days before the deadline"),
        ("frist-1", "1 arbeidsdag før frist", "1 working day before the deadline"),
        ("frist-0", "på fristen", "on the deadline"),
        ("start+2", "2 arbeidsdager etter start", "2 working days after the start"),
        ("start+1", "1 arbeidsdag etter start", "1 working day after the start"),
        ("start+0", "på startdagen", "on the start day"),
        ("måned:3", "3. arbeidsdag hver måned", "working day 3 of each month"),
        ("måned:siste", "siste arbeidsdag hver måned", "the last working day of each month"),
        ("måned:siste-1", "2. siste arbeidsdag hver måned", "working day 2 from the end of each month"),
    ],
)
def test_rules_read_as_words(rule: str, nb: str, en: str) -> None:
    key, params = DateRule.parse(rule).describe()
    assert t(key, "nb", **params) == nb
    assert t(key, "en", **params) == en


# -- start+N and frist-N --


def test_start_plus_zero_is_the_start_or_the_next_working_day() -> None:
    assert on("start+0", date(2027, 3, 24)) == date(2027, 3, 24)  # Wednesday
    assert on("start+0", date(2027, 3, 13)) == date(2027, 3, 15)  # Saturday -> Monday
    assert on("start+1", date(2027, 3, 13)) == date(2027, 3, 16)  # counted from that Monday


def test_easter_2027() -> None:
    # Maundy Thursday 25, Good Friday 26, Easter Monday 29 March are holidays
    assert on("start+1", date(2027, 3, 24)) == date(2027, 3, 30)
    assert on("start+2", date(2027, 3, 24)) == date(2027, 3, 31)
    assert on("start+0", date(2027, 3, 26)) == date(2027, 3, 30)  # starts on Good Friday
    assert on("frist-1", date(2027, 1, 4), date(2027, 3, 30)) == date(2027, 3, 24)
    assert on("frist-0", date(2027, 1, 4), date(2027, 3, 29)) == date(2027, 3, 24)  # deadline on Easter Monday
    assert on("frist-1", date(2027, 1, 4), date(2027, 3, 29)) == date(2027, 3, 23)


def test_christmas_and_the_year_change() -> None:
    # 2026: 24 Dec (Thu) and 31 Dec (Thu) are working days, 25 Dec (Fri) and 1 Jan 2027 (Fri) are not
    assert on("start+1", date(2026, 12, 24)) == date(2026, 12, 28)
    assert on("start+4", date(2026, 12, 24)) == date(2026, 12, 31)
    assert on("start+5", date(2026, 12, 24)) == date(2027, 1, 4)
    assert on("frist-1", date(2026, 12, 1), date(2027, 1, 4)) == date(2026, 12, 31)
    assert on("frist-5", date(2026, 12, 1), date(2027, 1, 4)) == date(2026, 12, 24)


def test_ascension_whit_monday_and_17_may_2027() -> None:
    # Ascension Thursday 6 May; 17 May is both Constitution Day and Whit Monday
    assert on("start+1", date(2027, 5, 5)) == date(2027, 5, 7)
    assert on("start+2", date(2027, 5, 5)) == date(2027, 5, 10)
    assert on("start+1", date(2027, 5, 14)) == date(2027, 5, 18)
    assert on("frist-1", date(2027, 5, 1), date(2027, 5, 18)) == date(2027, 5, 14)
    assert on("frist-6", date(2027, 5, 1), date(2027, 5, 18)) == date(2027, 5, 7)


def test_dst_changes_are_just_days() -> None:
    oslo = ZoneInfo("Europe/Oslo")

    def offset(day: date) -> dt.timedelta | None:
        return dt.datetime.combine(day, dt.time(12), tzinfo=oslo).utcoffset()

    # the last Sundays of March and October 2027 change the clock (28 March is also Easter Sunday)
    assert offset(date(2027, 3, 27)) != offset(date(2027, 3, 29))
    assert offset(date(2027, 10, 30)) != offset(date(2027, 11, 1))
    # a 25-hour weekend is still Friday -> Monday: the rule counts dates, never hours
    assert on("start+1", date(2027, 10, 29)) == date(2027, 11, 1)
    assert on("frist-1", date(2027, 10, 1), date(2027, 11, 1)) == date(2027, 10, 29)
    assert type(on("start+1", date(2027, 10, 29))) is date
    # the 23-hour weekend is Easter: Wednesday -> Tuesday
    assert on("start+1", date(2027, 3, 24)) == date(2027, 3, 30)


def test_a_deadline_on_a_weekend_counts_from_the_friday_before() -> None:
    assert on("frist-0", date(2027, 3, 1), date(2027, 3, 13)) == date(2027, 3, 12)  # Saturday
    assert on("frist-2", date(2027, 3, 1), date(2027, 3, 14)) == date(2027, 3, 10)  # Sunday
    # 17 May 2026 is a Sunday (and a holiday), 14 May Ascension
    assert on("frist-0", date(2026, 5, 1), date(2026, 5, 17)) == date(2026, 5, 15)
    assert on("frist-1", date(2026, 5, 1), date(2026, 5, 17)) == date(2026, 5, 13)


def test_a_deadline_rule_needs_a_deadline_and_a_monthly_rule_a_month() -> None:
    with pytest.raises(ValueError):
        on("frist-1", date(2027, 3, 1))
    with pytest.raises(ValueError):
        on("måned:3", date(2027, 3, 1))


@given(st.dates(date(2025, 1, 1), date(2030, 12, 31)), st.integers(0, 300))
def test_rules_land_on_working_days_on_the_right_side(day: date, n: int) -> None:
    after = on(f"start+{n}", day)
    before = on(f"frist-{n}", date(2020, 1, 1), day)
    assert is_working_day(after) and after >= day
    assert is_working_day(before) and before <= day


# -- monthly --


def test_monthly_in_a_month_that_starts_on_a_holiday() -> None:
    # 1 January 2027 is a Friday and a holiday: the first working day is Monday 4 January
    assert in_month("måned:1", 2027, 1) == date(2027, 1, 4)
    assert in_month("måned:3", 2027, 1) == date(2027, 1, 6)
    assert in_month("måned:siste", 2027, 1) == date(2027, 1, 29)
    # 1 May 2026 is a Friday and a holiday, 14 May Ascension
    assert in_month("måned:1", 2026, 5) == date(2026, 5, 4)
    assert in_month("måned:3", 2026, 5) == date(2026, 5, 6)
    assert in_month("måned:9", 2026, 5) == date(2026, 5, 15)


def test_monthly_around_easter_and_may_2027() -> None:
    # Easter 2026: Maundy Thursday 2, Good Friday 3, Easter Monday 6 April
    assert in_month("måned:2", 2026, 4) == date(2026, 4, 7)
    assert in_month("måned:siste", 2027, 3) == date(2027, 3, 31)
    # May 2027: 6 May Ascension, 17 May Whit Monday and Constitution Day
    assert in_month("måned:4", 2027, 5) == date(2027, 5, 7)
    assert in_month("måned:siste", 2027, 5) == date(2027, 5, 31)
    assert in_month("måned:siste-1", 2027, 5) == date(2027, 5, 28)
    assert in_month("måned:siste", 2027, 12) == date(2027, 12, 31)  # New Year's Eve is a working day


def test_a_month_without_that_many_working_days_gives_its_last_or_first() -> None:
    # May 2026 has 18 working days
    assert in_month(f"måned:{MAX_MONTH_DAY}", 2026, 5) == date(2026, 5, 29)
    assert in_month(f"måned:siste-{MAX_MONTH_DAY - 1}", 2026, 5) == date(2026, 5, 4)


@given(st.integers(2024, 2032), st.integers(1, 12), st.integers(1, MAX_MONTH_DAY))
def test_monthly_days_are_working_days_in_that_month_in_order(year: int, month: int, nth: int) -> None:
    day = DateRule("month", nth=nth).date_in_month(year, month)
    last = DateRule("month", nth=-1).date_in_month(year, month)
    assert (day.year, day.month) == (year, month) and is_working_day(day) and day <= last
    if nth > 1:
        assert day >= DateRule("month", nth=nth - 1).date_in_month(year, month)


# -- conditions --


@pytest.mark.parametrize(
    "text, condition",
    [
        ("ga4 = nei", Condition("ga4", "nei")),
        ("ga4=nei", Condition("ga4", "nei")),
        ("ga4 == nei", Condition("ga4", "nei")),
        ("ga4 != ja", Condition("ga4", "ja", negated=True)),
        ("ga4 ≠ ja", Condition("ga4", "ja", negated=True)),
        ("GA4 = nei", Condition("ga4", "nei")),
        ("kampanjetype = Performance Max", Condition("kampanjetype", "Performance Max")),
    ],
)
def test_conditions_parse(text: str, condition: Condition) -> None:
    assert Condition.parse(text) == condition
    assert Condition.parse(condition.format()) == condition


@pytest.mark.parametrize("text", ["", "ga4", "ga4 =", "= nei", "ga4 nei", "1ga4 = nei", "ga4 < ja"])
def test_bad_conditions_do_not_parse(text: str) -> None:
    with pytest.raises(ValueError):
        Condition.parse(text)


def test_conditions_read_as_words() -> None:
    key, params = Condition("ga4", "nei").describe()
    assert t(key, "nb", **params) == "når «ga4» er nei"
    key, params = Condition("ga4", "ja", negated=True).describe()
    assert t(key, "en", **{**params, "question": "Has GA4?"}) == "when “Has GA4?” is not ja"


def test_conditions_hold_on_answers() -> None:
    assert Condition("ga4", "nei").holds({"ga4": "nei"})
    assert not Condition("ga4", "nei").holds({"ga4": "ja"})
    assert Condition("ga4", "ja", negated=True).holds({"ga4": "nei"})
    assert not Condition("ga4", "ja", negated=True).holds({"ga4": "ja"})
