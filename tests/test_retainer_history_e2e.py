"""Roll-over with each month's own terms, over signed HTTP (docs/product.md §4): a frame raised mid-year with
`ramme` does not change what the months before carried, roll-over switched off and on again counts only the months
it was on, and a change made just after midnight on the 1st belongs to the new month in the workspace's time zone.
The card's *overført* and the month-end report's carried line show it."""

from __future__ import annotations

from tests.conftest import MEMBER, Bot, flat
from tests.conftest import Clock as TimeNow
from tests.test_clock_delivery import at


def card(bot: Bot) -> str:
    return flat(bot.run("status P-1")["blocks"])


def log(bot: Bot, hours: int, text: str) -> None:
    """`logg` the hours, at most 20 h a log (a log holds at most 24 h)."""
    while hours > 0:
        bot.run(f"logg P-1 {min(hours, 20)}t {text}", user=MEMBER)
        hours -= 20


def report(bot: Bot, month: str) -> str:
    return flat(bot.run(f"rapport P-1 {month}")["blocks"])


def test_each_month_carries_with_its_own_frame_and_only_while_roll_over_was_on(bot: Bot, clock: TimeNow) -> None:
    clock.now = at("2026-01-05", 10)
    bot.run("ny Retainer kunde:Tine type:løpende timer:20 overføring:ja overføringstak:100")
    clock.now = at("2026-01-12", 10)
    log(bot, 10, "Januar")  # 10 of 20 h unused
    clock.now = at("2026-02-10", 10)
    log(bot, 15, "Februar")  # 20 + 10 − 15: 15 h into March
    clock.now = at("2026-03-02", 10)
    assert "*Denne måneden:* 0 t av 20 t + 15 t overført (0 %)" in card(bot)
    # the frame raised to 30 h in March: what January and February carried stays (with 30 h for every month it
    # would be 20 h into February and 30 h, the cap, into March)
    clock.now = at("2026-03-10", 10)
    bot.run("ramme P-1 timer:30")
    assert "*Denne måneden:* 0 t av 30 t + 15 t overført (0 %)" in card(bot)
    log(bot, 30, "Mars")  # 30 + 15 − 30: 15 h into April
    clock.now = at("2026-04-14", 10)
    assert "*Denne måneden:* 0 t av 30 t + 15 t overført (0 %)" in card(bot)
    log(bot, 40, "April")
    # switched off at 00:30 on 1 May in Oslo (still 30 April in UTC): April rolled over, May does not
    clock.now = at("2026-05-01", 0, 30)
    bot.run("ramme P-1 overføring:nei")
    clock.now = at("2026-05-04", 10)
    assert "*Timer denne måneden:* 0 t av 30 t (0 %)" in card(bot) and "overført" not in card(bot)
    log(bot, 10, "Mai")
    # on again in July: May and June were off, so July starts from nothing
    clock.now = at("2026-07-01", 10)
    bot.run("ramme P-1 overføring:ja")
    assert "*Denne måneden:* 0 t av 30 t + 0 t overført (0 %)" in card(bot)
    log(bot, 20, "Juli")
    clock.now = at("2026-08-03", 10)
    assert "*Denne måneden:* 0 t av 30 t + 10 t overført (0 %)" in card(bot)
    # the month-end reports, read in August: each month against its own frame and what was carried into it then
    assert "Månedens ramme: 15 t av 20 t (50 %) + 10 t overført" in report(bot, "februar")
    assert "Månedens ramme: 30 t av 30 t (67 %) + 15 t overført" in report(bot, "mars")
    assert "Månedens ramme: 40 t av 30 t (89 %) + 15 t overført" in report(bot, "april")
    for month in ("mai", "juni", "juli"):
        assert "overført" not in report(bot, month)
    assert "Månedens ramme: 10 t av 30 t (33 %)" in report(bot, "mai")
    assert "Månedens ramme: 10 t av 20 t (50 %)" in report(bot, "januar")
