"""A log's date as written (bot.domain.parsing.parse_date's `past` reading, bot.usecases.command_line.take_log_date):
a day that has been, in nb and en; the words after it are the log's text."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.errors import UserError
from bot.domain.parsing import _WEEKDAYS, parse_date
from bot.usecases.command_line import take_log_date

TODAY = date(2026, 11, 26)  # a Thursday


@pytest.mark.parametrize(("text", "day"), [
    ("i går", date(2026, 11, 25)), ("igår", date(2026, 11, 25)), ("yesterday", date(2026, 11, 25)),
    ("i dag", TODAY), ("today", TODAY),
    ("fredag", date(2026, 11, 20)), ("friday", date(2026, 11, 20)), ("fre", date(2026, 11, 20)),
    ("torsdag", TODAY), ("thursday", TODAY), ("onsdag", date(2026, 11, 25)), ("mandag", date(2026, 11, 23)),
    ("27.11", date(2025, 11, 27)), ("26.11", TODAY), ("24.11", date(2026, 11, 24)), ("24/11", date(2026, 11, 24)),
    ("2026-11-27", date(2026, 11, 27)), ("27.11.2026", date(2026, 11, 27)), ("3. nov", date(2026, 11, 3)),
    ("15. des", date(2025, 12, 15)), ("i morgen", date(2026, 11, 27)),
])
def test_a_day_that_has_been(text: str, day: date) -> None:
    assert parse_date(text, TODAY, past=True) == day


def test_deadlines_still_read_ahead() -> None:
    assert parse_date("fredag", TODAY) == date(2026, 11, 27)
    assert parse_date("torsdag", TODAY) == date(2026, 12, 3)
    assert parse_date("24.11", TODAY) == date(2027, 11, 24)


@given(today=st.dates(date(2001, 1, 1), date(2099, 12, 31)), name=st.sampled_from(sorted(_WEEKDAYS)))
def test_a_weekday_is_the_latest_such_day_not_after_today(today: date, name: str) -> None:
    day = parse_date(name, today, past=True)
    assert day.weekday() == _WEEKDAYS[name] and today - timedelta(days=6) <= day <= today


@given(today=st.dates(date(2001, 1, 1), date(2099, 12, 31)), day=st.dates(date(2000, 1, 1), date(2099, 12, 31)))
@example(today=date(2028, 2, 28), day=date(2027, 3, 1))
@example(today=date(2026, 12, 31), day=date(2026, 1, 1))
def test_a_day_without_a_year_is_the_latest_such_day_not_after_today(today: date, day: date) -> None:
    try:
        found = parse_date(f"{day.day}.{day.month}", today, past=True)
    except UserError:  # 29.2 in a year without it
        assert (day.month, day.day) == (2, 29)
        return
    assert (found.month, found.day) == (day.month, day.day)
    assert today - timedelta(days=366) < found <= today


@pytest.mark.parametrize(("value", "day", "rest"), [
    ("i går Møte med kunden", date(2026, 11, 25), ["Møte", "med", "kunden"]),
    ("yesterday Call with the customer", date(2026, 11, 25), ["Call", "with", "the", "customer"]),
    ("fredag", date(2026, 11, 20), []),
    ("15. des 2025 Rapport", date(2025, 12, 15), ["Rapport"]),
    ("2026-11-23 2 møter", date(2026, 11, 23), ["2", "møter"]),
    ("24.11 Tekster &amp; bilder", date(2026, 11, 24), ["Tekster", "&amp;", "bilder"]),
])
def test_the_date_is_read_from_the_front_of_the_value(value: str, day: date, rest: list[str]) -> None:
    assert take_log_date(value, TODAY) == (day, rest)


@pytest.mark.parametrize(("value", "echoed"), [("33.13", "33.13"), ("33.13 Møte", "33.13"), ("igjen Møte", "igjen"),
                                               ("31.02", "31.02"), ("&lt;b&gt;", "<b>")])
def test_what_reads_as_no_date_says_how_to_write_one(value: str, echoed: str) -> None:
    with pytest.raises(UserError) as info:
        take_log_date(value, TODAY)
    assert (info.value.key, info.value.field, info.value.params["value"]) == ("log.date_unknown", "date", echoed)


@given(st.text(max_size=40))
def test_any_value_gives_a_day_or_the_one_message(value: str) -> None:
    try:
        day, rest = take_log_date(value, TODAY)
    except UserError as exc:
        assert exc.key == "log.date_unknown"
        return
    assert isinstance(day, date) and rest == value.split()[len(value.split()) - len(rest):]
