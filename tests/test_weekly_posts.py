"""The weekly summary and the portfolio post through the clock (docs/product.md §5), over simulated weeks: projects and
logs made with `/prosjekt` over HTTP, the clock run as the `clock` process runs it, the fake Slack Web API counting
and checking every post."""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import pytest
from sqlalchemy import update

from bot.clock.passes import Clock
from bot.domain.rules import FollowupRules, SummarySettings
from fakeslack import FakeSlack, slack_id
from storage.models import Workspace
from tests import test_clock_delivery as support
from tests.conftest import MEMBER, OTHER, PM, Bot, Clocks, at, flat
from tests.conftest import Clock as TimeNow
from tests.summary_seed import seed
from tests.test_clock_delivery import rows

pytestmark = pytest.mark.weekly_posts  # the test's workspace has the weekly summary on, as a new one does
WEEKLY = re.compile(r"^(Ukesoppsummering|Weekly summary|Portefølje|Portfolio)")


def summaries(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    """The weekly posts in a channel (not their thread replies), oldest first."""
    return [m for m in fake.messages(channel) if WEEKLY.match(m["text"]) and not m.get("thread_ts")]


def replies(fake: FakeSlack, channel: str, ts: str) -> list[dict[str, Any]]:
    return [m for m in fake.messages(channel) if m.get("thread_ts") == ts]


def configure(bot: Bot, **settings: Any) -> None:
    with bot.svc.sessions.begin() as session:
        session.execute(update(Workspace).where(Workspace.team_id == bot.team_id)
                        .values(summary=SummarySettings(**settings).model_dump_json()))


def two_channels(bot: Bot, clock: TimeNow, day: str = "2026-11-23") -> tuple[str, str]:
    """Projects in two channels, made the week before."""
    clock.now = at(day, 10)
    other = slack_id("C")
    bot.run("ny Nettside kunde:Fjordkraft frist:30.06.2027 timer:120")
    bot.run("ny Kampanje kunde:Tine frist:30.06.2027 timer:40")
    bot.run("ny SEO kunde:Rema frist:30.06.2027 timer:80", channel=other)
    bot.settle()
    return bot.slack.channel_id, other


def test_monday_at_nine_once_per_channel_per_week(bot: Bot, follow: Clock, clock: TimeNow) -> None:
    here, other = two_channels(bot, clock)
    follow.run_pass(at("2026-11-30", 8, 59))
    assert summaries(bot.fake, here) == [] and summaries(bot.fake, other) == []
    for moment in (at("2026-11-30", 9, 0), at("2026-11-30", 9, 1), at("2026-12-02", 9, 1), at("2026-12-06", 23)):
        follow.run_pass(moment)
    assert len(summaries(bot.fake, here)) == 1 and len(summaries(bot.fake, other)) == 1
    first = summaries(bot.fake, here)[0]
    assert "Nettside" in flat(first["blocks"]) and "Kampanje" in flat(first["blocks"])
    assert "SEO" not in flat(first["blocks"])  # each channel its own projects
    follow.run_pass(at("2026-12-07", 9, 1))
    assert len(summaries(bot.fake, here)) == 2 and len(summaries(bot.fake, other)) == 2
    sent = rows(bot, rule="summary")
    assert sorted((r.occasion, r.state) for r in sent) == [
        ("2026-W49", "sent"), ("2026-W49", "sent"), ("2026-W50", "sent"), ("2026-W50", "sent")]
    assert not any(m.get("reactions") for m in summaries(bot.fake, here))  # no ✅ ⏰ 👀 on a summary


def test_hours_this_week_per_person_add_up_to_the_logs(bot: Bot, follow: Clock, clock: TimeNow) -> None:
    here, _ = two_channels(bot, clock)
    clock.now = at("2026-11-25", 11)  # last week: in the frame, not in this week's hours
    bot.run("logg Nettside 5t Oppstart", user=MEMBER)
    clock.now = at("2026-12-01", 11)
    bot.run("logg Nettside 2,5t Skisser", user=MEMBER)
    bot.run("logg Nettside 1t 30m Møte", user=OTHER)
    clock.now = at("2026-12-04", 15)
    bot.run("logg Nettside 3t Design 40%", user=MEMBER)
    follow.run_pass(at("2026-12-07", 9, 1))  # Monday: the week that just ended
    blocks = summaries(bot.fake, here)[0]["blocks"]
    text = flat(blocks)
    section = next(flat(b) for b in blocks if "Nettside" in flat(b) and "<@" in flat(b))  # the project's own
    assert f"<@{MEMBER}> 5,5 t" in section and f"<@{OTHER}> 1,5 t" in section
    assert "7 t" in section  # this week, all of it (5,5 + 1,5)
    assert "12 t" in text  # hours used of the frame: every log, last week's too


def test_moved_past_easter_monday_and_second_christmas_day(bot: Bot, follow: Clock, clock: TimeNow) -> None:
    here, _ = two_channels(bot, clock, "2027-03-22")
    follow.run_pass(at("2027-03-29", 9, 1))  # Easter Monday
    assert summaries(bot.fake, here) == []
    follow.run_pass(at("2027-03-30", 9, 1))
    assert len(summaries(bot.fake, here)) == 1
    clock.now = at("2028-12-18", 10)
    bot.run("ramme Nettside frist:30.06.2029")
    bot.run("ramme Kampanje frist:30.06.2029")
    for moment in (at("2028-12-25", 9, 1), at("2028-12-26", 9, 1)):  # 1st and 2nd Christmas Day
        follow.run_pass(moment)
    assert len(summaries(bot.fake, here)) == 1
    follow.run_pass(at("2028-12-27", 9, 1))
    assert len(summaries(bot.fake, here)) == 2


def test_after_downtime_within_the_week_but_never_a_week_late(bot: Bot, follow: Clock, clock: TimeNow) -> None:
    here, _ = two_channels(bot, clock)
    follow.run_pass(at("2026-12-02", 14))  # the clock was down Monday and Tuesday
    assert len(summaries(bot.fake, here)) == 1
    follow.run_pass(at("2026-12-21", 9, 1))  # down for the whole week 51: no summary of it now, week 52's only
    assert [r.occasion for r in rows(bot, rule="summary", channel_id=here)] == ["2026-W49", "2026-W52"]


def test_a_post_that_could_not_go_out_in_its_week_is_dropped(bot: Bot, follow: Clock, clock: TimeNow) -> None:
    here, _ = two_channels(bot, clock)
    bot.fake.fail_next("chat.postMessage", "internal_error", times=100)
    follow.run_pass(at("2026-11-30", 9, 1))  # Slack down: planned again for later
    assert summaries(bot.fake, here) == []
    assert {r.state for r in rows(bot, rule="summary")} == {"planned"}
    bot.fake.reset()
    follow.run_pass(at("2026-12-07", 8))  # next week, before its slot
    assert summaries(bot.fake, here) == []
    assert {r.state for r in rows(bot, rule="summary")} == {"cancelled"}


def test_two_clocks_post_each_summary_once(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    here, other = two_channels(bot, clock)
    for n in range(6):
        bot.run(f"ny Ekstra{n} kunde:Tine frist:30.06.2027", channel=slack_id("C"))
    started = threading.Barrier(3)

    def run(c: Clock) -> None:
        started.wait()
        c.run_pass(at("2026-11-30", 9, 1))

    both = [clocks(worker=f"clock-{n}", separate=True) for n in range(3)]
    threads = [threading.Thread(target=run, args=(c,)) for c in both]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    posted = [c for c in bot.fake.calls_to("chat.postMessage") if c.response.get("ok")
              and WEEKLY.match(c.args.get("text", ""))]
    assert len(posted) == 8  # 8 channels, each once
    assert len({c.response["channel"] for c in posted}) == 8


def test_sixty_projects_in_a_channel_go_out_in_a_thread_slack_accepts(bot: Bot, follow: Clock,
                                                                      clock: TimeNow) -> None:
    clock.now = at("2026-11-27", 10)
    bot.run("ny Første kunde:Tine frist:30.06.2027")  # the workspace, as a real one starts
    channel = slack_id("C")
    seed(bot.svc.sessions, bot.team_id, [channel], 60, today=dt.date(2026, 11, 27), users=(PM, MEMBER, OTHER))
    follow.run_pass(at("2026-11-30", 9, 1))
    assert not [c for c in bot.fake.calls_to("chat.postMessage") if not c.response.get("ok")]
    first = summaries(bot.fake, channel)
    assert len(first) == 1
    thread = replies(bot.fake, channel, first[0]["ts"])
    assert thread, "60 projects do not fit in one message"
    [row] = rows(bot, rule="summary", channel_id=channel)
    assert row.state == "sent" and row.parts_sent == 1 + len(thread) and row.message_ts == first[0]["ts"]
    text = flat([first[0]["blocks"], *(m["blocks"] for m in thread)])
    assert "<!channel>" not in text  # the seeded names try it
    assert text.count("P-") >= 60


def test_a_long_summary_interrupted_goes_on_in_its_thread(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    clock.now = at("2026-11-27", 10)
    channel = slack_id("C")
    seed(bot.svc.sessions, bot.team_id, [channel], 60, today=dt.date(2026, 11, 27), users=(PM, MEMBER, OTHER))
    no_followups = FollowupRules(deadline_ahead=False, deadline_today=False, overdue=False, hours_frame=False,
                                 time_vs_progress=False, quiet=False)  # the channel's only posts: the summary
    with bot.svc.sessions.begin() as session:
        session.execute(update(Workspace).where(Workspace.team_id == bot.team_id)
                        .values(rules=no_followups.model_dump_json()))
    paced = clocks(per_channel=1.0)

    def slack_goes_down_after_the_first_part() -> None:
        support.wait_until(lambda: summaries(bot.fake, channel), timeout=30)
        bot.fake.fail_next("chat.postMessage", "internal_error", times=4)  # the clock's 4 tries: it gives up for now

    watcher = threading.Thread(target=slack_goes_down_after_the_first_part)
    watcher.start()
    paced.run_pass(at("2026-11-30", 9, 1))
    watcher.join()
    [first] = summaries(bot.fake, channel)
    [row] = rows(bot, rule="summary", channel_id=channel)
    assert (row.state, row.parts_sent, row.message_ts) == ("planned", 1, first["ts"])
    assert replies(bot.fake, channel, first["ts"]) == []

    paced.run_pass(at("2026-11-30", 10))  # the next try goes on in the thread, from the second part
    [again] = summaries(bot.fake, channel)
    assert again["ts"] == first["ts"]  # the first part was not posted twice
    thread = replies(bot.fake, channel, first["ts"])
    [row] = rows(bot, rule="summary", channel_id=channel)
    assert row.state == "sent" and row.parts_sent == 1 + len(thread) and len(thread) >= 1
    assert [m["text"].split("(")[-1] for m in thread][0].startswith("2/")


def test_portfolio_with_its_chart_and_without_files_write(bot: Bot, follow: Clock, clock: TimeNow) -> None:
    here, other = two_channels(bot, clock)
    lead = slack_id("C")
    configure(bot, portfolio_channel=lead)
    bot.run("logg Nettside 2t Skisser 30%", user=MEMBER)
    follow.run_pass(at("2026-11-30", 9, 1))
    [post] = summaries(bot.fake, lead)
    assert post["text"].startswith("Portefølje")
    assert all(name in flat(post["blocks"]) for name in ("Nettside", "Kampanje", "SEO"))
    [chart] = bot.fake.files()
    assert (chart["channel"], chart["thread_ts"]) == (lead, post["ts"])
    assert chart["content"][:8] == b"\x89PNG\r\n\x1a\n"
    [row] = rows(bot, rule="portfolio")
    assert row.state == "sent" and row.parts_sent == len(replies(bot.fake, lead, post["ts"])) + 1  # + the chart

    bot.fake.reset()
    bot.fake.deny_scope("files:write")
    follow.run_pass(at("2026-12-07", 9, 1))
    assert len(summaries(bot.fake, lead)) == 1 and not [f for f in bot.fake.files() if f.get("shared")]
    assert {r.state for r in rows(bot, rule="portfolio")} == {"sent"}


def test_switched_off_for_a_channel_or_the_workspace(bot: Bot, follow: Clock, clock: TimeNow) -> None:
    here, other = two_channels(bot, clock)
    configure(bot, channels={other: False})
    follow.run_pass(at("2026-11-30", 9, 1))
    assert len(summaries(bot.fake, here)) == 1 and summaries(bot.fake, other) == []
    configure(bot, enabled=False, channels={other: True}, weekday=2, hour=14, minute=30)
    follow.run_pass(at("2026-12-09", 14, 29))
    assert len(summaries(bot.fake, other)) == 0
    follow.run_pass(at("2026-12-09", 14, 30))
    assert len(summaries(bot.fake, here)) == 1 and len(summaries(bot.fake, other)) == 1
