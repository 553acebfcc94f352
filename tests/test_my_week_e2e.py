"""*Mine timer* (issue 14) over signed HTTP: hours logged with `logg` show in App Home's top (a line a day with a
bar, days without hours marked, a holiday named, the weekend only when logged on) and in `/prosjekt timer uke`,
by project, with the week's and last week's totals, in nb and en; *Før timer* opens the `logg` modal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import ADMIN, OSLO, OTHER, PM, Bot, Clock, flat

CHRISTMAS_WEEK = dt.date(2026, 12, 21)  # Monday of week 52; Friday 25 December is Første juledag


def publishes(bot: Bot, user: str) -> list[dict[str, Any]]:
    bot.settle()
    calls = [c for c in bot.fake.calls_to("views.publish") if c.args["user_id"] == user]
    assert calls and all(c.response["ok"] for c in calls), [c.response for c in calls]
    return [c.args["view"] for c in calls]


def log_on(bot: Bot, clock: Clock, day: dt.date, line: str, user: str = PM) -> None:
    clock.set(day)
    answer = bot.run(f"logg {line}", user=user)
    assert "Logget" in answer["text"] or "Logged" in answer["text"], answer


def seed(bot: Bot, clock: Clock) -> None:
    bot.run("ny Kampanje kunde:Tine frist:15.03.2027 timer:100")
    bot.run("ny Nettside <b> kunde:Fjordkraft frist:15.03.2027 timer:100", channel="C0ANDRE01")
    bot.slack.home_opened(PM)
    log_on(bot, clock, dt.date(2026, 12, 15), "P-1 4t Forrige uke")  # last week
    log_on(bot, clock, dt.date(2026, 12, 21), "P-1 2,5t Tekster")
    log_on(bot, clock, dt.date(2026, 12, 21), "P-2 1t 30m Skisser")
    log_on(bot, clock, dt.date(2026, 12, 23), "P-1 7,5t Bannere")
    log_on(bot, clock, dt.date(2026, 12, 26), "P-2 1t Lørdagsjobb")
    log_on(bot, clock, dt.date(2026, 12, 22), "P-1 3t Ola sin", user=OTHER)  # someone else's: not in PM's week
    log_on(bot, clock, dt.date(2026, 12, 28), "P-1 2t Neste uke")  # next week: in neither
    clock.set(dt.date(2026, 12, 27), hour=12)  # Sunday


def test_my_week_in_app_home_and_in_timer_uke(bot: Bot, clock: Clock) -> None:
    seed(bot, clock)
    bot.slack.home_opened(PM)
    view = publishes(bot, PM)[-1]
    assert len(view["blocks"]) <= 100
    shown = flat(view["blocks"])
    assert shown.index("Mine timer") < shown.index("Mine prosjekter")  # at the top
    assert "Uke 52 · man. 21. des. – søn. 27. des." in shown
    assert "`man. 21. des.` ▓▓▓▓░░░░ 4 t" in shown  # 2,5 t + 1,5 t, against a full day of 7,5 t
    assert "`tir. 22. des.` — _ingen timer_" in shown  # Ola's 3 t that day are his
    assert "`ons. 23. des.` ▓▓▓▓▓▓▓▓ 7,5 t" in shown
    assert "`tor. 24. des.` — _ingen timer_" in shown  # Christmas Eve is a working day
    assert "`fre. 25. des.` — _Første juledag_" in shown
    assert "`lør. 26. des.` ▓░░░░░░░ 1 t" in shown and "`søn. 27. des.`" not in shown  # logged on, and not
    assert "• *P-1* Kampanje – 10 t\\n• *P-2* Nettside &lt;b&gt; – 2,5 t" in shown  # most first, escaped
    assert "*Sum denne uka: 12,5 t* · forrige uke: 4 t" in shown
    assert "Før timer" in shown

    answer = bot.run("timer uke")
    assert answer["response_type"] == "ephemeral"
    assert flat(answer["text"]) == "Mine timer uke 52: 12,5 t (forrige uke: 4 t)"
    said = flat(answer["blocks"])
    for line in ("`man. 21. des.` ▓▓▓▓░░░░ 4 t", "`fre. 25. des.` — _Første juledag_", "• *P-1* Kampanje – 10 t",
                 "*Sum denne uka: 12,5 t* · forrige uke: 4 t"):
        assert line in said
    assert flat(bot.run("timer uke", user=OTHER)["blocks"]).count("_ingen timer_") == 3  # Mon, Wed, Thu
    assert "Timene dine de siste 14 dagene" in bot.run("timer")["text"]  # plain `timer`: bot.usecases.log_edits
    assert "`timer uke` for uka di" in bot.run("timer måned")["text"]


def test_the_week_is_the_workspaces_and_before_today_nothing_is_missing(bot: Bot, clock: Clock) -> None:
    seed(bot, clock)
    clock.now = dt.datetime(2026, 12, 28, 0, 30, tzinfo=OSLO)  # Monday in Oslo, still Sunday in UTC
    said = flat(bot.run("timer uke")["blocks"])
    assert "Uke 53 · man. 28. des. – søn. 3. jan." in said
    assert "`man. 28. des.` ▓▓░░░░░░ 2 t" in said  # logged on 28 December
    assert "`tir. 29. des.` —\\n" in said and "ingen timer" not in said  # days to come are not missing
    assert "`fre. 1. jan.` — _Første nyttårsdag_" in said  # the week runs into the next year
    assert "*Sum denne uka: 2 t* · forrige uke: 12,5 t" in said


def test_for_timer_opens_the_log_modal_and_the_home_follows(bot: Bot, clock: Clock) -> None:
    seed(bot, clock)
    bot.slack.home_opened(PM)
    publishes(bot, PM)
    home = bot.fake.home_view(PM)
    assert home is not None
    assert bot.slack.click_in_home(home, "week.log", user=PM).status_code == 200
    modal = bot.opened_view()
    assert modal["callback_id"] == "progress.log"
    picker = next(b for b in modal["blocks"] if b.get("block_id") == "project")["element"]
    assert picker["initial_option"]["text"]["text"] == "P-1 Kampanje"  # the most logged on this week
    date = next(b for b in modal["blocks"] if b.get("block_id") == "date")["element"]  # the log's date: today
    assert date["initial_date"] == clock.today.isoformat()
    assert {o["text"]["text"] for o in picker["options"]} == {"P-1 Kampanje", "P-2 Nettside <b>"}
    assert bot.slack.submit(modal, {"project": picker["options"][1]["value"], "hours": "2"}, user=PM).text == ""
    assert "*Sum denne uka: 14,5 t* · forrige uke: 4 t" in flat(publishes(bot, PM)[-1]["blocks"])
    assert "Logget 2 t på *P-2* Nettside &lt;b&gt;" in flat(bot.fake.ephemerals("C0ANDRE01", PM)[-1])
    # the same button under `timer uke`'s answer: the modal, and the answer comes in that channel
    answer = bot.run("timer uke", channel="C0KANAL02")
    assert bot.slack.click(answer, "week.log", user=PM, channel="C0KANAL02", ephemeral=True).status_code == 200
    modal = bot.fake.wait_for("views.open", count=2)[-1].response["view"]
    assert bot.slack.submit(modal, {"project": picker["options"][0]["value"], "hours": "30m"}, user=PM).text == ""
    bot.settle()
    assert "Logget 0,5 t på *P-1* Kampanje" in flat(bot.fake.ephemerals("C0KANAL02", PM)[-1])
    assert "*Sum denne uka: 15 t*" in flat(bot.run("timer uke")["blocks"])
    # someone in a workspace with no active project: a short message in a modal, nothing else
    bot.run("levert P-1", user=PM)
    bot.run("levert P-2", user=PM)
    bot.slack.click_in_home(home, "week.log", user=OTHER)
    bot.settle()
    last = bot.fake.calls_to("views.open")[-1].args["view"]
    assert last["type"] == "modal" and "ingen aktive prosjekter" in flat(last["blocks"]).lower()


def test_in_english(bot: Bot, clock: Clock) -> None:
    seed(bot, clock)
    bot.run("innstillinger", user=ADMIN)
    bot.slack.submit(bot.opened_view(), {"language": "en"}, user=ADMIN)
    answer = bot.run("hours week")
    assert flat(answer["text"]) == "My hours week 52: 12.5 h (last week: 4 h)"
    said = flat(answer["blocks"])
    assert "My hours" in said and "Week 52 · Mon 21 Dec – Sun 27 Dec" in said
    assert "`Mon 21 Dec` ▓▓▓▓░░░░ 4 h" in said and "`Tue 22 Dec` — _no hours_" in said
    assert "`Fri 25 Dec` — _Christmas Day_" in said and "*By project*" in said
    assert "*This week: 12.5 h* · last week: 4 h" in said and "Log hours" in said
    bot.slack.home_opened(PM)
    assert "*This week: 12.5 h* · last week: 4 h" in flat(publishes(bot, PM)[-1]["blocks"])
    assert "`hours week` for your week" in bot.run("hours month")["text"]
