"""The cost frame with the clock (docs/product.md §10): the 80 % and 100 % alerts posted once each by two clocks at
once, internal hours that never reach the cost frame, ✅ and ⏰ on a cost alert, and the card's health turning on
cost. On a database of its own (a clock serves every workspace in its database)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import Followup, Workspace
from tests.conftest import MEMBER, Bot, Clocks, flat
from tests.conftest import Clock as TimeNow
from tests.test_clock_delivery import at
from tests.test_reactions import react

pytestmark = pytest.mark.own_database  # a clock serves every workspace in its database


def cost_alerts(bot: Bot) -> list[dict[str, object]]:
    bot.settle()
    return [m for m in bot.fake.messages(bot.slack.channel_id) if str(m.get("text", "")).startswith("💰")]


def health(bot: Bot) -> str:
    card = flat(bot.run("status P-1")["blocks"])
    return card.split("\\n")[1].split('"')[0]  # the line under who and what: colour and reason


def test_the_cost_alert_at_80_and_100_percent_is_posted_once_by_two_clocks(bot: Bot, clocks: Clocks,
                                                                          clock: TimeNow) -> None:
    clock.now = at("2026-12-01", 10)
    bot.run("ny Nettside kunde:Tine frist:28.12.2026 timer:100 budsjett:10000 timepris:1000")
    first, second = clocks(), clocks(separate=True)
    clock.now = at("2026-12-01", 11)
    bot.run("logg P-1 7t Utvikling", user=MEMBER)  # 7 000 kr: 70 %
    first.run_pass(at("2026-12-01", 11, 5))
    assert cost_alerts(bot) == [] and "I rute" in health(bot)
    bot.run("logg P-1 5t intern Internmøte")  # hours, no cost: still 70 %
    first.run_pass(at("2026-12-01", 11, 10))
    assert cost_alerts(bot) == []
    bot.run("logg P-1 1t Utvikling", user=MEMBER)  # 8 000 kr: 80 %
    for follow in (first, second, first, second):
        follow.run_pass(at("2026-12-01", 11, 15))
    [alert] = cost_alerts(bot)
    assert flat(alert["text"]) == "💰 *80 % av kostnadsrammen er brukt* i *P-1* Nettside: 8 000 kr av 10 000 kr"
    assert "Gul* – 80 % av kostnadsrammen brukt" in health(bot)
    with bot.svc.sessions() as session:
        assert session.scalars(select(Followup.occasion).where(Followup.team_id == bot.team_id,
                                                               Followup.rule == "cost")).all() == ["80:10000"]
    react(bot, str(alert["ts"]))  # ✅: acknowledged, as a frame alert
    assert "✅ Sett – kvittert av" in flat(cost_alerts(bot)[0]["blocks"])
    # 100 %: the next threshold, once; and the card turns red on cost
    bot.run("logg P-1 2t Utvikling", user=MEMBER)
    for follow in (second, first):
        follow.run_pass(at("2026-12-02", 9, 1))
    alerts = cost_alerts(bot)
    assert len(alerts) == 2 and "*100 % av kostnadsrammen er brukt*" in flat(alerts[1]["text"])
    assert "10 000 kr av 10 000 kr" in flat(alerts[1]["text"])
    assert "Rød* – Kostnadsrammen er brukt opp: 10 000 av 10 000 kr (100 %)" in health(bot)
    clock.now = at("2026-12-02", 9, 30)
    react(bot, str(alerts[1]["ts"]), "alarm_clock")  # ⏰ on 2 December: the same alert again the next working day
    first.run_pass(at("2026-12-02", 15, 1))
    assert len(cost_alerts(bot)) == 2
    second.run_pass(at("2026-12-03", 9, 1))
    first.run_pass(at("2026-12-03", 9, 2))
    alerts = cost_alerts(bot)
    assert len(alerts) == 3 and "*100 % av kostnadsrammen er brukt*" in flat(alerts[2]["text"])
    first.run_pass(at("2026-12-04", 9, 1))
    assert len(cost_alerts(bot)) == 3
    # a bigger cost frame: a new frame, alerts planned afresh only when crossed again
    bot.run("ramme P-1 budsjett:20000")
    first.run_pass(at("2026-12-04", 9, 5))
    assert len(cost_alerts(bot)) == 3 and "I rute" in health(bot)


def test_cost_alerts_follow_the_hours_frame_switch(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    """The cost frame is alerted by the hours frame's rule: off, no cost alert (and none when no rate is known)."""
    clock.now = at("2026-12-01", 10)
    bot.run("ny Nettside kunde:Tine frist:28.12.2026 budsjett:1000")
    bot.run("logg P-1 5t Utvikling")  # no rate anywhere: no cost, no alert
    follow = clocks()
    follow.run_pass(at("2026-12-01", 11, 5))
    assert cost_alerts(bot) == [] and "ingen timepris satt" in flat(bot.run("status P-1")["blocks"])
    with bot.svc.sessions.begin() as session:
        ws = session.get(Workspace, bot.team_id)
        assert ws is not None
        ws.rules = '{"hours_frame": false}'
    bot.run("ramme P-1 timepris:1000")
    bot.run("logg P-1 1t Utvikling")  # 1 000 kr of 1 000 kr: red on the card, but no alert
    follow.run_pass(at("2026-12-01", 11, 10))
    assert cost_alerts(bot) == [] and "Kostnadsrammen er brukt opp" in health(bot)
