"""Pure parsing of `/prosjekt` values: Slack escapes, hours, money, goal numbers, project kinds, dates, mentions
(a line's words, quotes and key:value options: bot.domain.arguments).

Public functions raise nothing but `UserError` (keys `parse.*` in bot/slack/i18n/parsing.py; `new.kind_invalid` and
`goal.number_invalid` in bot/slack/i18n/commands.py), whatever the input; its `field` is the `field` argument
(None unless the caller names the option/input it parses; `kind` for a project kind).
Mentions are matched on the raw text as Slack sends it, so typing `<@U1>` literally (sent as `&lt;@U1&gt;`)
never forges one: call `unescape_slack` on free-text values only, after splitting. `{value}` params echo the
user's text truncated; `bot.usecases.runner.describe_failure` escapes it, so a `<!channel>` in it is inert."""

from __future__ import annotations

import calendar
import contextlib
import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bot.domain.errors import UserError
from bot.domain.health import Kind

MAX_HOURS = 24
MAX_FRAME_HOURS = 100_000
MAX_NOK = 1_000_000_000
MIN_YEAR, MAX_YEAR = 2000, 2100
ECHO_LENGTH = 60

QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'"})


def unescape_slack(text: str) -> str:
    """`&lt;` `&gt;` `&amp;` back to `<` `>` `&` in one pass (so `&amp;lt;` becomes `&lt;`, as typed)."""
    return re.sub(r"&(amp|lt|gt);", lambda m: {"amp": "&", "lt": "<", "gt": ">"}[m[1]], text)


def echo(text: str) -> str:
    """The user's text for `{value}`: unescaped and truncated (messages escape every param when rendered)."""
    text = unescape_slack(text.strip())
    if len(text) > ECHO_LENGTH:
        text = text[:ECHO_LENGTH].rstrip() + "…"
    return text


def _norm(text: str) -> str:
    """Lower case, straight quotes, every run of whitespace (nbsp too) as one space."""
    return " ".join(text.translate(QUOTES).lower().split())


def _dec(number: str) -> Decimal:
    return Decimal(number.replace(",", "."))


def _round(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def _split_sign(text: str) -> tuple[bool, str]:
    """(was negative, the rest) for `-2`, `−2`."""
    s = _norm(text)
    return s.startswith(("-", "−")), s.lstrip("-−").strip()


def _group_digits(s: str) -> str:
    """`1 500 000` -> `1500000` (spaces before groups of exactly three digits)."""
    return re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "", s, flags=re.A)


def _checked(
    value: Decimal | None, negative: bool, text: str, field: str | None, key: str, high: int, low: int = 1,
    **kw: Any,
) -> int:
    """`value` rounded; UserError `{key}_invalid` if it's None, `{key}_range` unless `low <= value <= high`"""
    if value is None:
        raise UserError(f"{key}_invalid", field=field, value=echo(text))
    if negative or value > high or _round(value) < low:
        raise UserError(f"{key}_range", field=field, value=echo(text), **kw)
    return _round(value)


# ---------------------------------------------------------------- hours, money, percent, goal numbers

_NUM = r"(\d+(?:[.,]\d+)?|[.,]\d+)"
_H = r"(?:t|h|timer|time|tim|hours?|hrs?)\.?"
_M = r"(?:m|min|mins|minutt|minutter|minutes?)\.?"
_HOURS_FORMS: list[tuple[re.Pattern[str], int | None, int | None]] = [  # (regex, hours group, minutes group)
    (re.compile(rf"{_NUM} ?(?:{_H})?", re.A), 1, None),  # 2,5t  2.5  2 timer
    (re.compile(rf"{_NUM} ?{_M}", re.A), None, 1),  # 90m  90 min
    (re.compile(rf"(\d+) ?{_H},? ?(?:og |and )?(\d+) ?(?:{_M})?", re.A), 1, 2),  # 1t 30m  1h30m  1t30
    (re.compile(r"(\d+):([0-5]\d)", re.A), 1, 2),  # 1:30
]


def _hours_in_minutes(s: str) -> Decimal | None:
    for regex, hours, minutes in _HOURS_FORMS:
        if match := regex.fullmatch(s):
            from_hours = _dec(match[hours]) * 60 if hours else Decimal(0)
            return from_hours + (_dec(match[minutes]) if minutes else 0)
    return None


def parse_hours(text: str, *, field: str | None = None) -> int:
    """Minutes of one entry: `2,5t` `2.5` `1t 30m` `1h30m` `1t30` `90 min` `1:30` `2 timer`; 0 < x <= 24 h."""
    negative, s = _split_sign(text)
    return _checked(_hours_in_minutes(s), negative, text, field, "parse.hours", MAX_HOURS * 60, max=MAX_HOURS)


def looks_like_hours(token: str) -> bool:
    """Whether one token is meant as hours in a log line (`2,5t` `2.5` `90m` `1t` `1:30`), even out of range
    (so the caller reports the hours error, not "no such project"); a bare integer only up to 24."""
    s = _norm(token)
    if not s or " " in s or _hours_in_minutes(s) is None:
        return False
    return not s.isdigit() or (len(s) <= 2 and int(s) <= MAX_HOURS)


def parse_frame_hours(text: str, *, field: str | None = None) -> int:
    """Minutes of a project's hours frame: `120` `120t` `37,5` `1 500`; 0 < x <= 100 000 hours."""
    negative, s = _split_sign(text)
    match = re.fullmatch(rf"{_NUM} ?(?:{_H})?", _group_digits(s), re.A)
    minutes = _dec(match[1]) * 60 if match else None
    high = MAX_FRAME_HOURS * 60
    return _checked(minutes, negative, text, field, "parse.frame_hours", high, max=MAX_FRAME_HOURS)


_NOK_PREFIX = re.compile(r"(?:kr\.?|nok) ?")
_NOK_SUFFIX = re.compile(r" ?(?:kr\.?|nok|kroner|,-|\.-)$")
_NOK = re.compile(r"([\d.,]+) ?(k|tusen|m|mill\.?|millioner|millions?|mln\.?)?", re.A)


def _amount(number: str, grouping: bool) -> Decimal | None:
    """`150.000` / `150,000` (grouping), `150.000,50` / `150,000.50`, `1,5` / `1.5`."""
    if grouping and (match := re.fullmatch(r"\d{1,3}([.,])\d{3}(?:\1\d{3})*", number, re.A)):
        return Decimal(number.replace(match[1], ""))
    match = re.fullmatch(r"(\d{1,3}(?:([.,])\d{3})+)([.,])(\d+)", number, re.A)
    if match and match[2] != match[3]:
        return Decimal(match[1].replace(match[2], "") + "." + match[4])
    if re.fullmatch(_NUM, number, re.A):
        return _dec(number)
    return None


def parse_nok(text: str, *, field: str | None = None) -> int:
    """Whole kroner: `150000` `150 000` `150.000` `150 000 kr` `kr 150 000` `150k` `1,5 mill`; 0 < x <= 1e9"""
    negative, s = _split_sign(text)
    if prefix := _NOK_PREFIX.match(s):  # kr -150
        s = s[prefix.end() :]
    for _ in range(2):  # 150 000,- kr
        s = _NOK_SUFFIX.sub("", s)
    negative = negative or s.startswith(("-", "−"))
    match = _NOK.fullmatch(_group_digits(s.lstrip("-−").strip()))
    amount = _amount(match[1], grouping=not match[2]) if match else None
    if amount is not None and match and match[2]:
        amount *= 1000 if match[2] in ("k", "tusen") else 1_000_000
    return _checked(amount, negative, text, field, "parse.nok", MAX_NOK, max=MAX_NOK)


def parse_percent(text: str, *, field: str | None = None) -> int:
    """`40%` `40 %` `40` `40 prosent`, rounded to a whole number; 0..100."""
    negative, s = _split_sign(text)
    match = re.fullmatch(rf"{_NUM} ?(?:%|prosent|percent|pct\.?)?", s, re.A)
    return _checked(_dec(match[1]) if match else None, negative, text, field, "parse.percent", 100, low=0)


def parse_number(value: str, field: str) -> float:
    """A goal value such as `10000`, `10 000`, `4,5` or `12,5 %`."""
    cleaned = re.sub(r"[\s\u00a0%]", "", value).replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        raise UserError("goal.number_invalid", field=field, value=value[:40]) from None
    if not -1e12 < number < 1e12 or number != number:
        raise UserError("goal.number_invalid", field=field, value=value[:40])
    return number


# ---------------------------------------------------------------- project kinds

KINDS: dict[str, Kind] = {"avgrenset": "avgrenset", "fixed": "avgrenset", "løpende": "lopende", "lopende": "lopende",
                          "retainer": "lopende", "ongoing": "lopende"}


def parse_kind(value: str) -> Kind:
    """`avgrenset`/`fixed` or `løpende`/`retainer`."""
    kind = KINDS.get(value.strip().casefold())
    if kind is None:
        raise UserError("new.kind_invalid", field="kind", value=value[:40])
    return kind


# ---------------------------------------------------------------- dates


def _table(rows: str, start: int = 0) -> dict[str, int]:
    """`"a b; c"` -> `{"a": 0, "b": 0, "c": 1}`."""
    return {name: number for number, row in enumerate(rows.split(";"), start) for name in row.split()}


_WEEKDAYS = _table(
    "mandag man mon monday; tirsdag tir tirs tue tues tuesday; onsdag ons wed wednesday;"
    "torsdag tor tors thu thur thurs thursday; fredag fre fri friday; lørdag lordag lør lor sat saturday;"
    "søndag sondag søn son sun sunday"
)
_MONTHS = _table(
    "jan januar january; feb februar february; mar mars march; apr april; mai may; jun juni june;"
    "jul juli july; aug august; sep sept september; okt oktober oct october; nov november;"
    "des desember dec december",
    start=1,
)
_DAYS_FROM_TODAY = {"i går": -1, "igår": -1, "yesterday": -1, "i dag": 0, "idag": 0, "today": 0,
                    "i morgen": 1, "imorgen": 1, "tomorrow": 1, "i overmorgen": 2, "overmorgen": 2}
_COUNTS = {"en": 1, "ett": 1, "ei": 1, "one": 1, "a": 1, "an": 1, "to": 2, "two": 2, "tre": 3, "three": 3}
_WEEKS, _MONTHS_UNIT = 1, 2  # _UNITS values; 0 is days
_UNITS = _table("d dag dager day days; uke uker uka week weeks; mnd måned måneder maned maneder month months")
_WEEKDAY_RE = re.compile(rf"(?:(neste|next|på|on) )?({'|'.join(_WEEKDAYS)})\.?")
_WEEK_RE = re.compile(r"(?:uke|uka|week|wk|u|w)\.? ?(\d{1,2})(?:,? ?(\d{4}))?", re.A)
_IN_RE = re.compile(rf"(?:om|in) (\d{{1,4}}|{'|'.join(_COUNTS)}) ({'|'.join(_UNITS)})", re.A)
_ISO_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.A)
_DMY_RE = re.compile(r"(\d{1,2})[./-](\d{1,2})(?:[./-](\d{4}|\d{2}))?\.?", re.A)
_DAY_MONTH_RE = re.compile(rf"(\d{{1,2}})\.? ?({'|'.join(_MONTHS)})\.?(?: (\d{{4}}))?", re.A)


def _day_month(day: int, month: int, year: str | None, today: date, past: bool) -> date:
    """With a year as given (`26` = 2026); without one this year, or next year if that date is past (`past`: last
    year if that date is ahead)."""
    if year:
        return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
    if past:
        return date(today.year - ((month, day) > (today.month, today.day)), month, day)
    return date(today.year + ((month, day) < (today.month, today.day)), month, day)


def _friday_of_week(week: int, year: str | None, today: date) -> date:
    """Friday of ISO week `week` in `year`; without one this ISO year's, or next year's if that is past."""
    if year:
        return date.fromisocalendar(int(year), week, 5)
    this_year = today.isocalendar().year
    for candidate in (this_year, this_year + 1):
        with contextlib.suppress(ValueError):  # no week 53 that year
            if (friday := date.fromisocalendar(candidate, week, 5)) >= today:
                return friday
    raise ValueError(f"no week {week}")


def _add(today: date, count: int, unit: int) -> date:
    if unit != _MONTHS_UNIT:
        return today + timedelta(days=count * (7 if unit == _WEEKS else 1))
    year, month = divmod(today.year * 12 + today.month - 1 + count, 12)
    return date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))  # 31.01 -> 28.02


def _find_date(s: str, today: date, past: bool) -> date | None:
    """The date `s` means, None if no form matches; ValueError/OverflowError if no such date."""
    if s in _DAYS_FROM_TODAY:
        return today + timedelta(days=_DAYS_FROM_TODAY[s])
    if s in ("neste uke", "next week"):
        return today + timedelta(days=7 - today.weekday() + 4)
    if match := _WEEKDAY_RE.fullmatch(s):
        weekday = _WEEKDAYS[match[2]]
        if match[1] in ("neste", "next"):
            return today + timedelta(days=7 - today.weekday() + weekday)
        if past:
            return today - timedelta(days=(today.weekday() - weekday) % 7)
        return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    if match := _WEEK_RE.fullmatch(s):
        return _friday_of_week(int(match[1]), match[2], today)
    if match := _IN_RE.fullmatch(s):
        return _add(today, _COUNTS.get(match[1]) or int(match[1]), _UNITS[match[2]])
    if match := _ISO_RE.fullmatch(s):
        return date(int(match[1]), int(match[2]), int(match[3]))
    if match := _DMY_RE.fullmatch(s):
        return _day_month(int(match[1]), int(match[2]), match[3], today, past)
    if match := _DAY_MONTH_RE.fullmatch(s):
        return _day_month(int(match[1]), _MONTHS[match[2]], match[3], today, past)
    return None


def parse_date(text: str, today: date, *, field: str | None = None, past: bool = False) -> date:
    """`15.12` `15.12.2026` `15.12.26` `15/12` `2026-12-15` `15. des` `i morgen` `fredag` `neste fredag`
    `om 2 uker` `om 1 måned` `uke 50` `u50` `uke 50 2027`, nb and en alike. A weekday is the next
    one strictly after today, `neste` the one in the following ISO week; a week means its Friday.

    `past` reads a day that has been (a log's date): a weekday is the latest one not after today (today itself
    on that weekday), a day without a year this year's, or last year's when this year's is ahead. Other forms
    read as without it (the caller refuses a day ahead of today)."""
    try:
        day = _find_date(_norm(text), today, past)
    except (ValueError, OverflowError):  # 31.02, uke 54, om 9999 uker
        day = date.min
    if day is None:
        raise UserError("parse.date_unknown", field=field, value=echo(text))
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise UserError("parse.date_invalid", field=field, value=echo(text))
    return day


# ---------------------------------------------------------------- mentions

_USER_RE = re.compile(r"<@([UW][A-Z0-9]{1,31})(?:\|[^<>]*)?>", re.A)
_CHANNEL_RE = re.compile(r"<#([CG][A-Z0-9]{1,31})(?:\|[^<>]*)?>", re.A)


def _mention(text: str, regex: re.Pattern[str], kind: str, field: str | None) -> str:
    if not (s := text.strip()):
        raise UserError(f"parse.{kind}_missing", field=field)
    if match := regex.fullmatch(s):
        return match[1]
    raise UserError(f"parse.{kind}_not_mention", field=field, value=echo(s))


def parse_user(text: str, *, field: str | None = None) -> str:
    """`<@U012AB3CD>` / `<@U012AB3CD|kari>` / `<@W…>` -> `U012AB3CD`; plain-text `@kari` is refused."""
    return _mention(text, _USER_RE, "user", field)


def parse_users(text: str, *, field: str | None = None) -> list[str]:
    """One or more mentions separated by spaces, commas, `og`/`and`/`&`; duplicates dropped, order kept."""
    pieces = [p for p in re.findall(r"<[^<>]*>|[^\s,]+", text) if p.lower() not in ("og", "and", "&amp;")]
    if not pieces:
        raise UserError("parse.user_missing", field=field)
    return list(dict.fromkeys(parse_user(piece, field=field) for piece in pieces))


def parse_channel(text: str, *, field: str | None = None) -> str:
    """`<#C012AB3CD|general>` -> `C012AB3CD`; `#general` typed as plain text is refused."""
    return _mention(text, _CHANNEL_RE, "channel", field)
