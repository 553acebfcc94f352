"""How the export names a period (bot.domain.periods): months and weeks without a year are the latest that have
begun, with a year they must have begun; ranges in order; nothing: this month so far."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.errors import UserError
from bot.domain.periods import Period, parse_period, parse_range

TODAY = dt.date(2026, 12, 3)  # a Thursday in ISO week 49


@pytest.mark.parametrize(("text", "start", "end", "kind"), [
    ("", "2026-12-01", "2026-12-31", "month"),
    ("november", "2026-11-01", "2026-11-30", "month"),
    ("Nov.", "2026-11-01", "2026-11-30", "month"),
    ("januar", "2026-01-01", "2026-01-31", "month"),  # not next January: the latest that has begun
    ("desember", "2026-12-01", "2026-12-31", "month"),
    ("februar 2024", "2024-02-01", "2024-02-29", "month"),
    ("2026-11", "2026-11-01", "2026-11-30", "month"),
    ("11.2026", "2026-11-01", "2026-11-30", "month"),
    ("forrige måned", "2026-11-01", "2026-11-30", "month"),
    ("last month", "2026-11-01", "2026-11-30", "month"),
    ("uke 48", "2026-11-23", "2026-11-29", "week"),
    ("week 49", "2026-11-30", "2026-12-06", "week"),  # this week, begun
    ("uke 50", "2025-12-08", "2025-12-14", "week"),  # not begun this year: last year's
    ("uke 53 2020", "2020-12-28", "2021-01-03", "week"),
])
def test_periods(text: str, start: str, end: str, kind: str) -> None:
    assert parse_period(text, TODAY) == Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end), kind)


@pytest.mark.parametrize(("text", "key"), [
    ("2027-01", "period.future"), ("januar 2027", "period.future"), ("uke 50 2026", "period.future"),
    ("2026-13", "period.unknown"), ("uke 53 2025", "period.unknown"), ("novembr", "period.unknown"),
    ("15.11.2026", "period.unknown"),
])
def test_bad_periods(text: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_period(text, TODAY)
    assert caught.value.key == key


def test_ranges() -> None:
    assert parse_range("01.11.2026", "30.11.2026", TODAY) == Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30),
                                                                    "range")
    assert parse_range("1.11", "30.11", TODAY) == Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30), "range")
    assert parse_range("1.11", None, TODAY).end == TODAY  # no `til:`: up to today
    assert parse_range("2026-12-01", "31.12", TODAY).end == dt.date(2026, 12, 31)  # an end ahead is fine
    for start, end, key in (("20.11.2026", "1.11.2026", "period.range_order"), (None, "1.11", "period.range_start"),
                            ("01.01.2027", None, "period.future"), ("i går", "snart", "parse.date_unknown")):
        with pytest.raises(UserError) as caught:
            parse_range(start, end, TODAY)
        assert caught.value.key == key
