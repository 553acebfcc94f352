"""A project's life with the clock: reminders on the right days, the 80 % alert, overdue nags on working days."""

from __future__ import annotations

from sqlalchemy import select

from bot.clock.passes import Clock
from storage.models import Followup
from tests.conftest import MEMBER, Bot, at, flat
from tests.conftest import Clock as TimeNow


def posted(bot: Bot, kinds: tuple[str, ...] = ("⏳", "📅", "⚠", "📊", "🐢")) -> list[str]:
    """Follow-ups posted in the project channel (by their emoji), oldest first."""
    return [flat(m["text"]) for m in bot.fake.messages(bot.slack.channel_id) if m["text"].startswith(kinds)]


def test_a_project_through_its_life(bot: Bot, follow: Clock, clock: TimeNow) -> None:
    clock.now = at("2026-11-30", 10)
    bot.run('ny Julekampanje kunde:Tine frist:28.12.2026 timer:40')
    days_with_posts = {}
    for day in ["2026-11-30", "2026-12-17", "2026-12-18", "2026-12-21", "2026-12-23", "2026-12-24"]:
        before = len(posted(bot))
        follow.run_pass(at(day, 9, 1), everything=True)
        days_with_posts[day] = posted(bot)[before:]
    assert days_with_posts["2026-11-30"] == [] and days_with_posts["2026-12-17"] == []
    assert len(days_with_posts["2026-12-18"]) == 1 and "Frist om 5 arbeidsdag" in days_with_posts["2026-12-18"][0]
    assert days_with_posts["2026-12-21"] == [] and days_with_posts["2026-12-23"] == []
    assert "Frist om 1 arbeidsdag" in days_with_posts["2026-12-24"][0]
    # the team logs 32 hours: the 80 % alert comes with the next pass, once
    clock.now = at("2026-12-24", 11)
    for _ in range(4):
        bot.run("logg 8t Innhold", user=MEMBER)
    follow.run_pass(at("2026-12-24", 11, 5))
    follow.run_pass(at("2026-12-24", 11, 6))
    alerts = [p for p in posted(bot) if p.startswith("📊")]
    assert len(alerts) == 1 and "80 % av timerammen" in alerts[0] and "32 t av 40 t" in alerts[0]
    # the deadline: today, then overdue nags on working days only (1 January is a holiday)
    sent_on = {}
    for day in ["2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01", "2027-01-04", "2027-01-05",
                "2027-01-06"]:
        before = len(posted(bot))
        follow.run_pass(at(day, 9, 1), everything=True)
        sent_on[day] = posted(bot)[before:]
    assert "Frist i dag" in sent_on["2026-12-28"][0]
    nag_days = [day for day, texts in sent_on.items() if any("Forsinket" in x for x in texts)]
    assert nag_days == ["2026-12-29", "2026-12-31", "2027-01-05"]
    with bot.svc.sessions() as session:
        keys = session.execute(select(Followup.rule, Followup.occasion).where(Followup.team_id == bot.team_id)).all()
    assert len(keys) == len(set(keys))
    # nobody logged from 30 Nov to 24 Dec, nor after: quiet alerts, a week apart (17, 24 and 31 Dec)
    assert [x.split("logg på ")[1].split(" ")[0] for x in posted(bot, ("💤",))] == ["17", "24", "7"]
    assert follow.follow_on.drain(timeout=10)  # the pre-added reactions go from a queue of their own
    reactions = bot.fake.calls_to("reactions.add")
    assert {c.args["name"] for c in reactions} == {"white_check_mark", "alarm_clock", "eyes"}
