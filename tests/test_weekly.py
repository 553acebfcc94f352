"""When the weekly summary goes out (bot.domain.weekly): pure, fast."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.rules import SummarySettings
from bot.domain.weekly import due_slot, planned_rows, still_this_week, week_occasion, week_slot
from tests.conftest import OSLO, at

TZ = "Europe/Oslo"


@pytest.mark.parametrize(("day", "sent"), [
    ("2026-12-02", "2026-11-30"),  # an ordinary week: Monday
    ("2027-03-31", "2027-03-30"),  # Easter Monday 29 March 2027: Tuesday
    ("2028-12-27", "2028-12-27"),  # 1st and 2nd Christmas Day on Monday and Tuesday 2028: Wednesday
    ("2027-05-17", "2027-05-18"),  # 17 May 2027 is a Monday: Tuesday
    ("2033-12-30", "2033-12-27"),  # 2nd Christmas Day 2033 is a Monday: Tuesday
])
def test_monday_or_the_next_working_day(day: str, sent: str) -> None:
    slot = week_slot(dt.date.fromisoformat(day), SummarySettings(), TZ)
    assert slot == at(sent, 9).astimezone(dt.UTC)


def test_configured_day_and_time_in_the_workspace_zone_across_dst() -> None:
    friday = SummarySettings(weekday=4, hour=14, minute=30)
    assert week_slot(dt.date(2026, 10, 26), friday, TZ) == at("2026-10-30", 14, 30).astimezone(dt.UTC)
    assert week_slot(dt.date(2026, 3, 23), SummarySettings(), TZ).astimezone(OSLO).hour == 9  # winter time
    assert week_slot(dt.date(2026, 3, 30), SummarySettings(), TZ).astimezone(OSLO).hour == 9  # summer time
    assert week_slot(dt.date(2026, 12, 2), SummarySettings(), "America/New_York") == dt.datetime(
        2026, 11, 30, 14, 0, tzinfo=dt.UTC)


def test_good_friday_moves_back_within_its_week() -> None:
    friday = SummarySettings(weekday=4)  # Good Friday 2027 is 26 March; Easter Monday follows
    assert week_slot(dt.date(2027, 3, 24), friday, TZ).astimezone(OSLO).date() == dt.date(2027, 3, 24)


def test_due_only_once_the_slot_has_come_and_within_the_week() -> None:
    settings = SummarySettings()
    assert due_slot(at("2026-11-30", 8, 59), settings, TZ) is None
    occasion, slot = due_slot(at("2026-11-30", 9, 0), settings, TZ) or ("", None)
    assert occasion == "2026-W49" and slot == at("2026-11-30", 9).astimezone(dt.UTC)
    assert due_slot(at("2026-12-06", 23, 0), settings, TZ) == (occasion, slot)  # downtime until Sunday
    assert still_this_week("2026-W49", at("2026-12-06", 23, 59), TZ)
    assert not still_this_week("2026-W49", at("2026-12-07", 0, 1), TZ)


def test_iso_week_across_the_new_year() -> None:
    assert week_occasion(dt.date(2026, 12, 31)) == "2026-W53"
    assert week_occasion(dt.date(2027, 1, 4)) == "2027-W01"
    assert week_occasion(dt.date(2025, 12, 29)) == "2026-W01"


def test_rows_per_enabled_channel_and_the_portfolio() -> None:
    settings = SummarySettings(portfolio_channel="CLEAD", channels={"COFF": False})
    slot = at("2026-11-30").astimezone(dt.UTC)
    rows = planned_rows("2026-W49", slot, ["CA", "COFF", "CB"], settings)
    assert [(r["rule"], r["channel_id"]) for r in rows] == [
        ("summary", "CA"), ("summary", "CB"), ("portfolio", "CLEAD")]
    assert {r["subject"] for r in rows} == {"channel:CA", "channel:CB", "channel:CLEAD"}
    off = SummarySettings(enabled=False, channels={"CB": True})
    assert [r["channel_id"] for r in planned_rows("2026-W49", slot, ["CA", "CB"], off)] == ["CB"]
