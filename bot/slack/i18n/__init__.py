"""Message catalogs (nb, en) and locale formatting.

Each area of the code keeps its messages in a module here exporting `NB` and `EN` dicts; `t()` looks a key up
in the merged catalog and formats parameters the Norwegian (or English) way with Babel.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, parse_pattern

from bot.slack.i18n import (
    commands,
    export,
    followups,
    health,
    home,
    log_dates,
    log_edits,
    money,
    month_report,
    my_week,
    nudges,
    parsing,
    retainers,
    routine_commands,
    routine_editor,
    routines,
    summary,
)

Language = Literal["nb", "en"]
LANGUAGES: tuple[Language, ...] = ("nb", "en")
_LOCALES: dict[str, str] = {"nb": "nb_NO", "en": "en_GB"}


def _merge(*modules: Any) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {"nb": {}, "en": {}}
    for module in modules:
        for lang, table in (("nb", module.NB), ("en", module.EN)):
            clash = merged[lang].keys() & table.keys()
            if clash:
                raise RuntimeError(f"message keys defined twice: {sorted(clash)}")
            merged[lang].update(table)
    return merged


CATALOG = _merge(commands, export, followups, health, home, log_dates, log_edits, money, month_report, my_week,
                 nudges, parsing, retainers, routine_commands, routine_editor, routines, summary)


@functools.cache
def _number_pattern(decimals: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "#" * decimals if decimals else ""))


@functools.cache
def _locale(lang: str) -> Locale:
    return Locale.parse(_LOCALES[lang])


@functools.lru_cache(maxsize=8192)
def fmt_number(value: float | int | Decimal, lang: str, decimals: int = 1) -> str:
    """`12,5` / `150 000` in nb, `12.5` / `150,000` in en; at most `decimals` decimals, none when whole.
    (Patterns and locales are parsed once, and results remembered: Babel takes ~40 µs a number, and a summary
    formats the same hours and percentages many times.)"""
    return _number_pattern(decimals).apply(value, _locale(lang))


def fmt_hours(minutes: int, lang: str) -> str:
    """`12,5 t` / `12.5 h`."""
    return f"{fmt_number(minutes / 60, lang)}\u00a0{'t' if lang == 'nb' else 'h'}"


def fmt_nok(amount: int, lang: str) -> str:
    """`150 000 kr` / `NOK 150,000`."""
    return f"{fmt_number(amount, lang, 0)}\u00a0kr" if lang == "nb" else f"NOK\u00a0{fmt_number(amount, lang, 0)}"


@functools.lru_cache(maxsize=4096)
def fmt_date(day: dt.date, lang: str, *, year: bool = False) -> str:
    """`fre. 15. des.` in nb (with `2026` when asked), `Fri 15 Dec` in en."""
    if lang == "nb":
        return format_date(day, "EEE d. MMM" + (" y" if year else ""), locale="nb_NO")
    return format_date(day, "EEE d MMM" + (" y" if year else ""), locale="en_GB")


@functools.lru_cache(maxsize=512)
def fmt_month(month: dt.date, lang: str) -> str:
    """`november 2026` in nb, `November 2026` in en."""
    return format_date(month, "LLLL y", locale=_LOCALES[lang])


def fmt_weekday(weekday: int, lang: str) -> str:
    """`Mandag` / `Monday` for 0, and so on (Babel's names, capitalised for a menu)."""
    name: str = _locale(lang).days["format"]["wide"][weekday]
    return name[:1].upper() + name[1:]


def _format_param(value: Any, lang: str) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return fmt_number(value, lang)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return fmt_date(value, lang)
    return value


def has_message(key: str) -> bool:
    return key in CATALOG["nb"]


def t(key: str, lang: str, /, **params: Any) -> str:
    """The message `key` in `lang` (falling back to nb), with numbers and dates formatted for that language."""
    table = CATALOG.get(lang) or CATALOG["nb"]
    template = table.get(key) or CATALOG["nb"][key]
    return template.format(**{name: _format_param(v, lang) for name, v in params.items()})
