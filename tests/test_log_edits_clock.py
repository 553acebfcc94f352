"""Corrected logs and the frame alerts (issue 14): a correction that takes a project back under a threshold does not
take the alert back, and crossing it again in the same period alerts no second time; nor does a correction down from
100 % bring the 80 % alert after the 100 % one. The outbox keys an hours alert by (threshold, frame, period). On a
database of its own (a clock serves every workspace in its database)."""

from __future__ import annotations

from sqlalchemy import select

from bot.slack.render.log_edits import HoursAction
from storage.models import Followup
from tests.conftest import MEMBER, Bot, Clocks, flat
from tests.conftest import Clock as TimeNow
from tests.test_clock_delivery import at
from tests.test_log_edits_e2e import listed, log_ids, opened, press


def hours_alerts(bot: Bot) -> list[str]:
    bot.settle()
    return [flat(m["text"]) for m in bot.fake.messages(bot.slack.channel_id)
            if "av timerammen er brukt" in flat(m.get("text", ""))]


def correct(bot: Bot, log_id: int, hours: str) -> None:
    answer = listed(bot, user=MEMBER)
    press(bot, answer, log_id, HoursAction.EDIT, user=MEMBER)
    assert bot.slack.submit(opened(bot), {"hours": hours}, user=MEMBER).text == ""
    bot.settle()


def test_a_correction_under_a_threshold_keeps_the_alert_and_crossing_again_does_not_alert_twice(
        bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    clock.now = at("2026-12-01", 10)
    bot.run("ny Nettside kunde:Tine frist:28.12.2026 timer:10")
    follow = clocks()
    clock.now = at("2026-12-01", 11)
    bot.run("logg P-1 8t Utvikling", user=MEMBER)  # 80 %
    follow.run_pass(at("2026-12-01", 11, 5))
    [alert] = hours_alerts(bot)
    assert alert.startswith("📊 *80 % av timerammen er brukt*")
    [log_id] = log_ids(listed(bot, user=MEMBER))
    correct(bot, log_id, "5t")  # 50 %: back under the threshold
    follow.run_pass(at("2026-12-01", 11, 10))
    assert hours_alerts(bot) == [alert]  # the alert stands: nothing deleted, nothing new
    assert bot.fake.calls_to("chat.delete") == []
    assert "5 t av 10 t" in flat(bot.run("status P-1")["blocks"])
    correct(bot, log_id, "9t")  # 90 %: over it again, in the same period
    follow.run_pass(at("2026-12-01", 11, 15))
    follow.run_pass(at("2026-12-02", 9, 5))
    assert hours_alerts(bot) == [alert]
    with bot.svc.sessions() as session:
        keys = session.scalars(select(Followup.occasion).where(Followup.team_id == bot.team_id,
                                                               Followup.rule == "hours")).all()
    assert keys == ["80:600"]  # threshold 80 % of a 10-hour frame: planned once


def test_a_correction_down_from_100_percent_does_not_bring_the_80_percent_alert(
        bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    clock.now = at("2026-12-01", 10)
    bot.run("ny Nettside kunde:Tine frist:28.12.2026 timer:10")
    follow = clocks()
    clock.now = at("2026-12-01", 11)
    bot.run("logg P-1 11t Utvikling", user=MEMBER)  # straight to 110 %: the 100 % alert
    follow.run_pass(at("2026-12-01", 11, 5))
    [alert] = hours_alerts(bot)
    assert alert.startswith("📊 *100 % av timerammen er brukt*")
    [log_id] = log_ids(listed(bot, user=MEMBER))
    correct(bot, log_id, "8,5t")  # 85 %: past 80 %, which the 100 % alert already passed
    follow.run_pass(at("2026-12-01", 11, 10))
    follow.run_pass(at("2026-12-02", 9, 5))
    assert hours_alerts(bot) == [alert]
    correct(bot, log_id, "10t")  # 100 % again: no second alert
    follow.run_pass(at("2026-12-02", 9, 10))
    assert hours_alerts(bot) == [alert]


def test_a_retainer_alerts_again_in_a_new_month_after_a_correction(bot: Bot, clocks: Clocks,
                                                                   clock: TimeNow) -> None:
    clock.now = at("2026-11-02", 10)
    bot.run("ny Retainer kunde:Tine type:løpende timer:10")
    follow = clocks()
    clock.now = at("2026-11-30", 11)
    bot.run("logg P-1 8t Utvikling", user=MEMBER)
    follow.run_pass(at("2026-11-30", 11, 5))
    assert len(hours_alerts(bot)) == 1
    clock.now = at("2026-12-01", 11)
    bot.run("logg P-1 9t Desember", user=MEMBER)  # a new month, a new period: its own alert
    follow.run_pass(at("2026-12-01", 11, 5))
    assert len(hours_alerts(bot)) == 2
    [december, _] = log_ids(listed(bot, user=MEMBER))
    correct(bot, december, "2t")
    follow.run_pass(at("2026-12-01", 11, 10))
    correct(bot, december, "8t")
    follow.run_pass(at("2026-12-01", 11, 30))
    follow.run_pass(at("2026-12-02", 9, 5))
    assert len(hours_alerts(bot)) == 2
    with bot.svc.sessions() as session:
        keys = session.scalars(select(Followup.occasion).where(Followup.team_id == bot.team_id,
                                                               Followup.rule == "hours")).all()
    assert sorted(keys) == ["80:600:2026-11", "80:600:2026-12"]
