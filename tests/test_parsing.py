"""Parsing of `/prosjekt` command text (bot/domain/parsing.py, bot/domain/arguments.py) and its messages
(bot/slack/i18n/parsing.py)."""

from __future__ import annotations

import string
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.arguments import Args, split_args, tokenize
from bot.domain.errors import UserError
from bot.domain.parsing import (
    looks_like_hours,
    parse_channel,
    parse_date,
    parse_frame_hours,
    parse_hours,
    parse_nok,
    parse_percent,
    parse_user,
    parse_users,
    unescape_slack,
)
from bot.slack.i18n import fmt_hours, fmt_nok, t
from bot.slack.i18n.parsing import EN, NB
from bot.usecases.runner import describe_failure

TODAY = date(2026, 11, 26)  # a Thursday, ISO week 48
KEYS = {
    "kunde": "customer",
    "customer": "customer",
    "frist": "deadline",
    "deadline": "deadline",
    "timer": "hours",
    "hours": "hours",
    "ansvarlig": "owner",
    "owner": "owner",
    "beløp": "amount",
}


def raises(key: str, call: Callable[[], Any], /, **expected: Any) -> UserError:
    """Run `call`, assert it raises UserError `key` (with `expected` attributes/params), return the error."""
    with pytest.raises(UserError) as info:
        call()
    error = info.value
    assert error.key == key, error
    for name, value in expected.items():
        actual = error.field if name == "field" else error.params[name]
        assert actual == value, (name, actual)
    return error


# -- Slack escapes --


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a &amp; b", "a & b"),
        ("&lt;b&gt;", "<b>"),
        ("&amp;lt;", "&lt;"),  # the user typed "&lt;" literally
        ("&quot; &#39;", "&quot; &#39;"),  # Slack escapes only & < >
        ("<@U1> <!channel>", "<@U1> <!channel>"),
        ("", ""),
    ],
)
def test_unescape_slack(text: str, expected: str) -> None:
    assert unescape_slack(text) == expected


# -- hours --


@pytest.mark.parametrize(
    "text, minutes",
    [
        ("2,5t", 150),
        ("2.5", 150),
        ("2,5", 150),
        ("2t", 120),
        ("2h", 120),
        ("2 t", 120),
        ("2,5 t", 150),
        ("2.5h", 150),
        ("2,5T", 150),
        ("1t 30m", 90),
        ("1h30m", 90),
        ("1t30", 90),
        ("1 t 30 min", 90),
        ("1t og 30m", 90),
        ("90m", 90),
        ("90 min", 90),
        ("45min", 45),
        ("90 minutter", 90),
        ("90 minutes", 90),
        ("0,25t", 15),
        (".5t", 30),
        ("1:30", 90),
        ("1:05", 65),
        ("0:45", 45),
        ("2 timer", 120),
        ("1 time", 60),
        ("1 hour", 60),
        ("2 hours", 120),
        ("24", 24 * 60),
        ("24t", 24 * 60),
        ("1,99t", 119),  # 119.4 minutes
        ("0,01t", 1),  # 0.6 minutes rounds up to 1
        ("  2\u00a0t ", 120),
    ],
)
def test_parse_hours(text: str, minutes: int) -> None:
    assert parse_hours(text) == minutes


@pytest.mark.parametrize("text", ["", "   ", "abc", "2x", "t", "1:60", "1.2.3", "2,5 t t", "to timer", "1:5"])
def test_parse_hours_invalid(text: str) -> None:
    raises("parse.hours_invalid", lambda: parse_hours(text), field=None)


@pytest.mark.parametrize(
    "text", ["0", "0t", "0m", "-2", "−2t", "- 1t", "25", "24,1t", "24t 1m", "1441m", "0,001t"]
)
def test_parse_hours_range(text: str) -> None:
    raises("parse.hours_range", lambda: parse_hours(text), max=24)


@pytest.mark.parametrize(
    "function",
    [
        parse_hours,
        parse_frame_hours,
        parse_nok,
        parse_percent,
        lambda text, field=None: parse_date(text, TODAY, field=field),
        parse_user,
        parse_users,
        parse_channel,
    ],
)
def test_field_is_the_callers(function: Callable[..., Any]) -> None:
    """The parsers don't know which option they parse: `field` is None unless the caller names it."""
    with pytest.raises(UserError) as info:
        function("mye", field="deadline")
    assert info.value.field == "deadline" and info.value.params["value"] == "mye"
    with pytest.raises(UserError) as info:
        function("mye")
    assert info.value.field is None


@pytest.mark.parametrize(
    "token, expected",
    [
        ("2,5t", True),
        ("2.5", True),
        ("90m", True),
        ("1t", True),
        ("1:30", True),
        ("1h30m", True),
        ("2", True),
        ("24", True),
        ("30t", True),  # out of range, but clearly hours: the caller reports parse.hours_range
        ("0", True),
        ("2026", False),  # a bare number over 24 is more likely a reference
        ("", False),
        ("abc", False),
        ("P-12", False),
        ("nettside", False),
        ("2 t", False),  # not one token
        ("#12", False),
    ],
)
def test_looks_like_hours(token: str, expected: bool) -> None:
    assert looks_like_hours(token) is expected


# -- hours frame, money, percent --


@pytest.mark.parametrize(
    "text, minutes",
    [
        ("120", 120 * 60),
        ("120t", 120 * 60),
        ("120 timer", 120 * 60),
        ("37,5", 2250),
        ("37.5", 2250),
        ("1 500", 1500 * 60),
        ("1\u00a0500 t", 1500 * 60),
        ("100 000", 100_000 * 60),
        ("0,5", 30),
    ],
)
def test_parse_frame_hours(text: str, minutes: int) -> None:
    assert parse_frame_hours(text) == minutes


@pytest.mark.parametrize(
    "text, key",
    [
        ("", "parse.frame_hours_invalid"),
        ("mange", "parse.frame_hours_invalid"),
        ("1 50", "parse.frame_hours_invalid"),
        ("120m", "parse.frame_hours_invalid"),
        ("0", "parse.frame_hours_range"),
        ("-5", "parse.frame_hours_range"),
        ("100001", "parse.frame_hours_range"),
        ("100 000,5", "parse.frame_hours_range"),
    ],
)
def test_parse_frame_hours_rejects(text: str, key: str) -> None:
    raises(key, lambda: parse_frame_hours(text), field=None)


@pytest.mark.parametrize(
    "text, amount",
    [
        ("150000", 150_000),
        ("150 000", 150_000),
        ("150\u00a0000", 150_000),
        ("150.000", 150_000),
        ("150,000", 150_000),
        ("150 000 kr", 150_000),
        ("150 000 kr.", 150_000),
        ("kr 150 000", 150_000),
        ("kr. 150 000,-", 150_000),
        ("150 000,-", 150_000),
        ("NOK 150,000", 150_000),
        ("150000 NOK", 150_000),
        ("150k", 150_000),
        ("150 k", 150_000),
        ("150K kr", 150_000),
        ("1,5m", 1_500_000),
        ("1.5m", 1_500_000),
        ("1,5 mill", 1_500_000),
        ("1,5 mill.", 1_500_000),
        ("2 millioner", 2_000_000),
        ("1,5mnok", 1_500_000),
        ("1.500.000", 1_500_000),
        ("150000,50", 150_001),
        ("150000,49", 150_000),
        ("150.000,50", 150_001),
        ("150,000.50", 150_001),
        ("1 000 000 000", 1_000_000_000),
    ],
)
def test_parse_nok(text: str, amount: int) -> None:
    assert parse_nok(text) == amount


@pytest.mark.parametrize(
    "text, key",
    [
        ("", "parse.nok_invalid"),
        ("kr", "parse.nok_invalid"),
        ("mye", "parse.nok_invalid"),
        ("150 000 dollar", "parse.nok_invalid"),
        ("1,5,5", "parse.nok_invalid"),
        ("1.000.000k", "parse.nok_invalid"),
        ("0", "parse.nok_range"),
        ("0,4", "parse.nok_range"),
        ("-150", "parse.nok_range"),
        ("kr -150", "parse.nok_range"),
        ("1000000001", "parse.nok_range"),
        ("2000m", "parse.nok_range"),
    ],
)
def test_parse_nok_rejects(text: str, key: str) -> None:
    raises(key, lambda: parse_nok(text), field=None)


@pytest.mark.parametrize(
    "text, percent",
    [("40%", 40), ("40 %", 40), ("40", 40), ("0", 0), ("100%", 100), ("40,5", 41), ("12.4%", 12)]
    + [("40 prosent", 40)],
)
def test_parse_percent(text: str, percent: int) -> None:
    assert parse_percent(text) == percent


@pytest.mark.parametrize(
    "text, key",
    [
        ("", "parse.percent_invalid"),
        ("mye", "parse.percent_invalid"),
        ("40%%", "parse.percent_invalid"),
        ("101", "parse.percent_range"),
        ("100,5%", "parse.percent_range"),
        ("-1", "parse.percent_range"),
    ],
)
def test_parse_percent_rejects(text: str, key: str) -> None:
    raises(key, lambda: parse_percent(text), field=None)


# -- dates (TODAY is Thursday 26.11.2026) --


@pytest.mark.parametrize(
    "text, expected",
    [
        ("15.12", date(2026, 12, 15)),
        ("15.12.", date(2026, 12, 15)),
        ("15.12.2026", date(2026, 12, 15)),
        ("15.12.26", date(2026, 12, 15)),
        ("15/12", date(2026, 12, 15)),
        ("15/12/2027", date(2027, 12, 15)),
        ("2026-12-15", date(2026, 12, 15)),
        ("1.1.2027", date(2027, 1, 1)),
        ("15.01", date(2027, 1, 15)),  # already past this year
        ("25.11", date(2027, 11, 25)),
        ("26.11", date(2026, 11, 26)),  # today is not past
        ("31.12", date(2026, 12, 31)),
        ("15. desember", date(2026, 12, 15)),
        ("15 dec 2027", date(2027, 12, 15)),
        ("1. mars", date(2027, 3, 1)),
        ("i dag", TODAY),
        ("idag", TODAY),
        ("today", TODAY),
        ("i morgen", date(2026, 11, 27)),
        ("imorgen", date(2026, 11, 27)),
        ("I  Morgen", date(2026, 11, 27)),
        ("i\u00a0morgen", date(2026, 11, 27)),
        ("tomorrow", date(2026, 11, 27)),
        ("i overmorgen", date(2026, 11, 28)),
        ("i går", date(2026, 11, 25)),
        ("fredag", date(2026, 11, 27)),
        ("Fredag", date(2026, 11, 27)),
        ("fre", date(2026, 11, 27)),
        ("fre.", date(2026, 11, 27)),
        ("på fredag", date(2026, 11, 27)),
        ("friday", date(2026, 11, 27)),
        ("fri", date(2026, 11, 27)),
        ("torsdag", date(2026, 12, 3)),  # strictly after today
        ("tor", date(2026, 12, 3)),
        ("thursday", date(2026, 12, 3)),
        ("mandag", date(2026, 11, 30)),
        ("man", date(2026, 11, 30)),
        ("mon", date(2026, 11, 30)),
        ("tirsdag", date(2026, 12, 1)),
        ("tir", date(2026, 12, 1)),
        ("onsdag", date(2026, 12, 2)),
        ("ons", date(2026, 12, 2)),
        ("wed", date(2026, 12, 2)),
        ("lørdag", date(2026, 11, 28)),
        ("lordag", date(2026, 11, 28)),
        ("lør", date(2026, 11, 28)),
        ("LØRDAG", date(2026, 11, 28)),
        ("søndag", date(2026, 11, 29)),
        ("sondag", date(2026, 11, 29)),
        ("søn", date(2026, 11, 29)),
        ("sunday", date(2026, 11, 29)),
        ("neste fredag", date(2026, 12, 4)),
        ("next friday", date(2026, 12, 4)),
        ("neste mandag", date(2026, 11, 30)),
        ("neste torsdag", date(2026, 12, 3)),
        ("neste søndag", date(2026, 12, 6)),
        ("neste uke", date(2026, 12, 4)),
        ("om 3 dager", date(2026, 11, 29)),
        ("om 1 dag", date(2026, 11, 27)),
        ("in 3 days", date(2026, 11, 29)),
        ("om 2 uker", date(2026, 12, 10)),
        ("om en uke", date(2026, 12, 3)),
        ("in 2 weeks", date(2026, 12, 10)),
        ("in a week", date(2026, 12, 3)),
        ("om 1 måned", date(2026, 12, 26)),
        ("om 2 måneder", date(2027, 1, 26)),
        ("in 1 month", date(2026, 12, 26)),
        ("uke 50", date(2026, 12, 11)),
        ("Uke 50", date(2026, 12, 11)),
        ("week 50", date(2026, 12, 11)),
        ("u50", date(2026, 12, 11)),
        ("uke 48", date(2026, 11, 27)),  # this week's Friday is not past
        ("uke 47", date(2027, 11, 26)),  # past this year: next year's week 47
        ("uke 53", date(2027, 1, 1)),  # 2026 has 53 ISO weeks
        ("uke 50 2027", date(2027, 12, 17)),
        ("week 1 2027", date(2027, 1, 8)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "today, text, expected",
    [
        (date(2026, 11, 29), "mandag", date(2026, 11, 30)),  # Sunday
        (date(2026, 11, 29), "neste mandag", date(2026, 11, 30)),  # the Monday of the following ISO week
        (date(2026, 11, 29), "søndag", date(2026, 12, 6)),
        (date(2027, 12, 1), "29.02", date(2028, 2, 29)),
        (date(2027, 1, 31), "om 1 måned", date(2027, 2, 28)),
        (date(2027, 12, 30), "uke 1", date(2028, 1, 7)),
        (date(2027, 12, 30), "uke 52", date(2027, 12, 31)),
    ],
)
def test_parse_date_other_days(today: date, text: str, expected: date) -> None:
    assert parse_date(text, today) == expected


@pytest.mark.parametrize(
    "text, key",
    [
        ("31.02", "parse.date_invalid"),
        ("30.02.2027", "parse.date_invalid"),
        ("29.02.2027", "parse.date_invalid"),
        ("15.13", "parse.date_invalid"),
        ("0.12", "parse.date_invalid"),
        ("2026-02-30", "parse.date_invalid"),
        ("15.12.1999", "parse.date_invalid"),
        ("15.12.2101", "parse.date_invalid"),
        ("1999-12-15", "parse.date_invalid"),
        ("uke 54", "parse.date_invalid"),
        ("uke 0", "parse.date_invalid"),
        ("uke 53 2027", "parse.date_invalid"),
        ("uke 10 1999", "parse.date_invalid"),
        ("om 9999 måneder", "parse.date_invalid"),
        ("om 9999 uker", "parse.date_invalid"),
        ("", "parse.date_unknown"),
        ("snart", "parse.date_unknown"),
        ("neste", "parse.date_unknown"),
        ("fredag 15", "parse.date_unknown"),
        ("15.12.202", "parse.date_unknown"),
        ("om dager", "parse.date_unknown"),
        ("31. smarch", "parse.date_unknown"),
    ],
)
def test_parse_date_rejects(text: str, key: str) -> None:
    error = raises(key, lambda: parse_date(text, TODAY), field=None)
    assert error.params["value"] == text


def test_parse_date_invalid_names_the_date() -> None:
    error = raises("parse.date_invalid", lambda: parse_date("31.02", TODAY, field="frist"), field="frist")
    assert "31.02" in t(error.key, "nb", **error.params)


# -- mentions --


@pytest.mark.parametrize(
    "text, user_id",
    [("<@U012AB3CD>", "U012AB3CD"), ("<@U012AB3CD|kari>", "U012AB3CD"), (" <@W012AB3CD> ", "W012AB3CD")],
)
def test_parse_user(text: str, user_id: str) -> None:
    assert parse_user(text) == user_id


@pytest.mark.parametrize(
    "text, key",
    [
        ("@kari", "parse.user_not_mention"),
        ("kari", "parse.user_not_mention"),
        ("<!channel>", "parse.user_not_mention"),
        ("<#C012AB3CD>", "parse.user_not_mention"),
        ("&lt;@U012AB3CD&gt;", "parse.user_not_mention"),  # typed literally, not a mention
        ("<@U1> <@U2>", "parse.user_not_mention"),
        ("<@u012ab3cd>", "parse.user_not_mention"),
        ("", "parse.user_missing"),
        ("  ", "parse.user_missing"),
    ],
)
def test_parse_user_rejects(text: str, key: str) -> None:
    raises(key, lambda: parse_user(text), field=None)


@pytest.mark.parametrize(
    "text, user_ids",
    [
        ("<@U1>", ["U1"]),
        ("<@U1> <@U2>", ["U1", "U2"]),
        ("<@U1>, <@U2|b>,<@U1>", ["U1", "U2"]),
        ("<@U1> og <@U2> and <@U3>", ["U1", "U2", "U3"]),
        ("<@U1> &amp; <@U2>", ["U1", "U2"]),
        ("<@U1|Kari Nordmann> <@U2>", ["U1", "U2"]),
    ],
)
def test_parse_users(text: str, user_ids: list[str]) -> None:
    assert parse_users(text) == user_ids


def test_parse_users_rejects() -> None:
    raises("parse.user_not_mention", lambda: parse_users("<@U1> kari"), value="kari", field=None)
    raises("parse.user_missing", lambda: parse_users(""), field=None)
    raises("parse.user_missing", lambda: parse_users(" , "), field=None)


@pytest.mark.parametrize(
    "text, channel_id",
    [("<#C012AB3CD|general>", "C012AB3CD"), ("<#C012AB3CD>", "C012AB3CD"), ("<#G012AB3CD|p>", "G012AB3CD")],
)
def test_parse_channel(text: str, channel_id: str) -> None:
    assert parse_channel(text) == channel_id


@pytest.mark.parametrize(
    "text, key",
    [
        ("#general", "parse.channel_not_mention"),
        ("general", "parse.channel_not_mention"),
        ("<@U012AB3CD>", "parse.channel_not_mention"),
        ("<!here>", "parse.channel_not_mention"),
        ("", "parse.channel_missing"),
    ],
)
def test_parse_channel_rejects(text: str, key: str) -> None:
    raises(key, lambda: parse_channel(text), field=None)


def test_echoed_values_are_truncated_raw_and_rendered_inert() -> None:
    raises("parse.hours_invalid", lambda: parse_hours("x" * 100), value="x" * 60 + "…")
    raises("parse.user_not_mention", lambda: parse_user("<!channel>"), value="<!channel>")
    raises("parse.date_unknown", lambda: parse_date("a &amp; b", TODAY), value="a & b")
    with pytest.raises(UserError) as caught:
        parse_user("<!channel>")
    shown, _ = describe_failure(caught.value, "nb")
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown


# -- tokenize --


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("a b  c", [("a", False), ("b", False), ("c", False)]),
        ("", []),
        ('"Fjordkraft AS" x', [("Fjordkraft AS", True), ("x", False)]),
        ("“Fjordkraft AS”", [("Fjordkraft AS", True)]),
        ("'a b'", [("a b", True)]),
        ("‘Kari’s prosjekt’", [("Kari's prosjekt", True)]),
        ("«Fjordkraft AS»", [("Fjordkraft AS", True)]),
        ("Kari's Jens' bil", [("Kari's", False), ("Jens'", False), ("bil", False)]),
        ('a"b', [('a"b', False)]),
        ('""', [("", True)]),
        ('"a"b', [("a", True), ("b", False)]),
        ('kunde:"Fjordkraft AS"', [("kunde:", False), ("Fjordkraft AS", True)]),
        ('kunde: "Fjordkraft AS"', [("kunde:", False), ("Fjordkraft AS", True)]),
        ("kunde:«Fjordkraft AS» x", [("kunde:", False), ("Fjordkraft AS", True), ("x", False)]),
        ("frist:uke 51", [("frist:uke", False), ("51", False)]),
        ("<@U1|kari nordmann> x", [("<@U1|kari nordmann>", False), ("x", False)]),
        ("a\u00a0b\tc\nd", [("a", False), ("b", False), ("c", False), ("d", False)]),
    ],
)
def test_tokenize(text: str, tokens: list[tuple[str, bool]]) -> None:
    assert tokenize(text) == tokens


@pytest.mark.parametrize("text", ['"abc', 'kunde:"abc', "«abc", "'abc", "“abc", 'a "b" "c'])
def test_tokenize_unbalanced_quote(text: str) -> None:
    raises("parse.unbalanced_quote", lambda: tokenize(text))
    raises("parse.unbalanced_quote", lambda: split_args(text, KEYS))


# -- split_args --


@pytest.mark.parametrize(
    "text, positional, options, quoted",
    [
        ("", [], {}, set()),
        (
            "Nettside kunde:Fjordkraft AS timer:120",
            ["Nettside"],
            {"customer": "Fjordkraft AS", "hours": "120"},
            set(),
        ),
        ("frist:uke 51", [], {"deadline": "uke 51"}, set()),
        ('kunde:"Fjordkraft AS" Nettside', ["Nettside"], {"customer": "Fjordkraft AS"}, set()),
        ('kunde: "Fjordkraft AS" Nettside', ["Nettside"], {"customer": "Fjordkraft AS"}, set()),
        ("kunde:“Fjordkraft AS” Nettside", ["Nettside"], {"customer": "Fjordkraft AS"}, set()),
        ("kunde: Fjordkraft", [], {"customer": "Fjordkraft"}, set()),
        ("KUNDE:Fjordkraft", [], {"customer": "Fjordkraft"}, set()),
        ("customer:X frist:fredag", [], {"customer": "X", "deadline": "fredag"}, set()),
        ('"Ny nettside" kunde:X', ["Ny nettside"], {"customer": "X"}, {0}),
        ('a "b c" d', ["a", "b c", "d"], {}, {1}),
        ('kunde:Fjord "AS" x', ["AS", "x"], {"customer": "Fjord"}, {0}),
        ('"kunde:X"', ["kunde:X"], {}, {0}),
        ("ansvarlig:<@U1> <@U2> frist:fredag", [], {"owner": "<@U1> <@U2>", "deadline": "fredag"}, set()),
        ("lenke <https://x.no|x.no>", ["lenke", "<https://x.no|x.no>"], {}, set()),
        ("https://x.no", ["https://x.no"], {}, set()),
        ("møte 10:30", ["møte", "10:30"], {}, set()),
        ("beløp:100", [], {"amount": "100"}, set()),
        ("kunde:X:Y", [], {"customer": "X:Y"}, set()),
        ("A &amp; B kunde:C &lt;D&gt;", ["A", "&amp;", "B"], {"customer": "C &lt;D&gt;"}, set()),  # raw
    ],
)
def test_split_args(text: str, positional: list[str], options: dict[str, str], quoted: set[int]) -> None:
    assert split_args(text, KEYS) == Args(positional, options, frozenset(quoted))


def test_split_args_unknown_keys_allowed() -> None:
    args = split_args("notat:hei du", KEYS, allow_unknown_keys=True)
    assert args == Args(["notat:hei", "du"], {}, frozenset())
    args = split_args("kunde:X notat:hei", KEYS, allow_unknown_keys=True)
    assert args.options == {"customer": "X notat:hei"}


def test_split_args_unknown_key() -> None:
    error = raises("parse.unknown_key", lambda: split_args("Ny Notat:hei", KEYS), field="Notat", key="Notat")
    assert error.params["known"].startswith("kunde:/customer:, frist:/deadline:")
    raises("parse.unknown_key", lambda: split_args("kunde:X notat:hei", KEYS), field="notat")


@pytest.mark.parametrize(
    "text, key, field",
    [
        ("kunde:A kunde:B", "parse.duplicate_key", "customer"),
        ("kunde:A customer:B", "parse.duplicate_key", "customer"),
        ("frist:", "parse.empty_value", "deadline"),
        ("frist: timer:2", "parse.empty_value", "deadline"),
        ('kunde:""', "parse.empty_value", "customer"),
        ('kunde:"  "', "parse.empty_value", "customer"),
        ('kunde: "" x', "parse.empty_value", "customer"),
    ],
)
def test_split_args_rejects(text: str, key: str, field: str) -> None:
    raises(key, lambda: split_args(text, KEYS), field=field)


def test_split_args_length_limit() -> None:
    assert split_args("x" * 3000, KEYS).positional == ["x" * 3000]
    raises("parse.too_long", lambda: split_args("x" * 3001, KEYS), length=3001, max=3000)


# -- catalogs --


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    assert NB.keys() == EN.keys()
    for key in NB:
        assert key.startswith("parse."), key
        assert _placeholders(NB[key]) == _placeholders(EN[key]), key


def test_the_catalog_is_exactly_the_keys_parsing_raises() -> None:
    """Every `parse.*` key bot/domain/parsing.py and arguments.py raise (the property tests check no other key ever
    comes out), and no more."""
    assert set(NB) == {
        "parse.too_long", "parse.unbalanced_quote", "parse.unknown_key", "parse.duplicate_key",
        "parse.empty_value", "parse.hours_invalid", "parse.hours_range", "parse.frame_hours_invalid",
        "parse.frame_hours_range", "parse.nok_invalid", "parse.nok_range", "parse.percent_invalid",
        "parse.percent_range", "parse.date_unknown", "parse.date_invalid", "parse.user_missing",
        "parse.user_not_mention", "parse.channel_missing", "parse.channel_not_mention",
    }


def test_messages_render() -> None:
    assert t("parse.hours_range", "nb", value="25t", max=24) == (
        "«25t» går ikke: én føring må være over 0 og høyst 24 timer, f.eks. 7,5t."
    )
    assert t("parse.hours_range", "en", value="25t", max=24) == (
        "“25t” won't do: one entry must be more than 0 and at most 24 hours, e.g. 7.5h."
    )
    error = raises("parse.nok_range", lambda: parse_nok("2 000 000 000"))
    assert "000" in t(error.key, "nb", **error.params)
    error = raises("parse.date_unknown", lambda: parse_date("snart", TODAY))
    assert t(error.key, "nb", **error.params).startswith("Forstod ikke datoen «snart». Skriv f.eks. 15.12")
    assert t(error.key, "en", **error.params).startswith("Couldn't read the date “snart”.")


# -- properties: nothing but UserError, whatever the text --

FRAGMENTS = [
    "2", "2,5", "2.5", "0", "-", "−", "1:30", "24", "99999999999999999999", ",", ".", ":", "1 500",
    "150.000,50",
    "t", "h", "timer", "m", "min", "kr", "k", "mill", "%", "nok", ",-",
    '"', "'", "“", "”", "‘", "’", "«", "»", "\u00a0", " ", "  ", "\t", "\n",
    "<!channel>", "<!here>", "<@U1>", "<@U012AB3CD|kari>", "<#C1|general>", "<https://x.no|x.no>", "<", ">",
    "&amp;", "&lt;", "&gt;", "&", "kunde:", "frist:", "timer:", "notat:", "Kunde: ", "https://", "//",
    "uke", "u50", "50", "2027", "i morgen", "fredag", "neste", "om", "dager", "måned", "15.12", "31.02",
    "2026-12-15",
    "🎉", "ø", "Æ", "İ", "ß", "\u0301", "٣", "x" * 70,
]
fragment_texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=25
).flatmap(lambda parts: st.sampled_from(["", " ", ","]).map(lambda sep: sep.join(parts)))
long_texts = st.builds(lambda fragment, n: fragment * n, st.sampled_from(FRAGMENTS), st.integers(0, 3200))
any_text = st.one_of(st.text(), fragment_texts, long_texts)

PUBLIC: list[Callable[[str], Any]] = [
    unescape_slack,
    parse_hours,
    parse_frame_hours,
    parse_nok,
    parse_percent,
    looks_like_hours,
    lambda text: parse_date(text, TODAY),
    lambda text: parse_date(text, date(2100, 12, 31)),
    parse_user,
    parse_users,
    parse_channel,
    tokenize,
    lambda text: split_args(text, KEYS),
    lambda text: split_args(text, KEYS, allow_unknown_keys=True),
]


@pytest.mark.parametrize("function", PUBLIC)
@settings(deadline=None, max_examples=300)
@given(text=any_text)
def test_only_user_errors(function: Callable[[str], Any], text: str) -> None:
    try:
        function(text)
    except UserError as error:
        assert error.key in NB, error
        for lang in ("nb", "en"):
            message, _ = describe_failure(error, lang)
            assert len(unescape_slack(message)) < 250  # what Slack shows
            assert "<!" not in message and "<@" not in message


@settings(deadline=None)
@given(st.integers(1, 24 * 60))
def test_hours_round_trip(minutes: int) -> None:
    hours, rest = divmod(minutes, 60)
    assert parse_hours(f"{hours}:{rest:02d}") == minutes
    assert parse_hours(f"{minutes}m") == minutes
    if hours and rest:
        assert parse_hours(f"{hours}t {rest}m") == minutes
        assert parse_hours(f"{hours}h{rest}") == minutes
    if minutes % 6 == 0:  # one decimal is exact
        assert parse_hours(fmt_hours(minutes, "nb")) == minutes
        assert parse_hours(fmt_hours(minutes, "en")) == minutes
        assert looks_like_hours(fmt_hours(minutes, "nb").split()[0])


@settings(deadline=None)
@given(st.integers(1, 1_000_000_000))
def test_nok_round_trip(amount: int) -> None:
    assert parse_nok(str(amount)) == amount
    assert parse_nok(f"{amount:,}".replace(",", " ")) == amount
    assert parse_nok(f"{amount:,}".replace(",", ".") + " kr") == amount
    assert parse_nok(fmt_nok(amount, "nb")) == amount
    assert parse_nok(fmt_nok(amount, "en")) == amount


@settings(deadline=None)
@given(st.integers(1, 100_000))
def test_frame_hours_round_trip(hours: int) -> None:
    assert parse_frame_hours(f"{hours:,}".replace(",", "\u00a0") + " t") == hours * 60


@settings(deadline=None)
@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_explicit_dates_round_trip(day: date) -> None:
    assert parse_date(day.strftime("%d.%m.%Y"), TODAY) == day
    assert parse_date(f"{day.day}.{day.month}.{day.year}", TODAY) == day
    assert parse_date(day.isoformat(), TODAY) == day


@settings(deadline=None)
@given(st.dates(date(2001, 1, 1), date(2099, 1, 1)), st.integers(0, 364))
def test_day_month_is_the_next_such_date(today: date, ahead: int) -> None:
    day = today + timedelta(days=ahead)
    assert parse_date(f"{day.day:02d}.{day.month:02d}", today) == day


WEEKDAY_NAMES = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]


@settings(deadline=None)
@given(st.dates(date(2001, 1, 1), date(2099, 1, 1)), st.integers(0, 6))
def test_weekdays(today: date, weekday: int) -> None:
    day = parse_date(WEEKDAY_NAMES[weekday], today)
    assert day.weekday() == weekday and today < day <= today + timedelta(days=7)
    following = parse_date("neste " + WEEKDAY_NAMES[weekday], today)
    assert following.weekday() == weekday
    assert following.isocalendar()[:2] == (today + timedelta(days=7)).isocalendar()[:2]


@settings(deadline=None)
@given(st.dates(date(2001, 1, 1), date(2099, 1, 1)), st.integers(1, 52))
def test_weeks(today: date, week: int) -> None:
    day = parse_date(f"uke {week}", today)
    assert day.weekday() == 4 and day.isocalendar().week == week
    assert today <= day < today + timedelta(weeks=54)


words = st.from_regex(r"[a-zæøå0-9]{1,8}", fullmatch=True)
CANONICAL = {"customer": "kunde", "deadline": "frist", "hours": "timer", "owner": "ansvarlig"}


@settings(deadline=None)
@given(
    st.lists(words, max_size=5),
    st.dictionaries(st.sampled_from(sorted(CANONICAL)), st.lists(words, min_size=1, max_size=4)),
    st.booleans(),
)
def test_split_args_round_trip(positional: list[str], options: dict[str, list[str]], quote: bool) -> None:
    if quote:  # quoted values, each followed by a positional word again
        text = " ".join(f'{CANONICAL[key]}:"{" ".join(value)}"' for key, value in options.items())
        text += " " + " ".join(positional)
    else:  # unquoted values run to the next option, so positional words come first
        text = " ".join(positional + [f"{CANONICAL[k]}:{' '.join(v)}" for k, v in options.items()])
    args = split_args(text, KEYS)
    assert args.positional == positional
    assert args.options == {key: " ".join(value) for key, value in options.items()}
    assert args.quoted == frozenset()
