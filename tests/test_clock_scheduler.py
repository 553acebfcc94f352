"""When the clock wakes (bot/clock/scheduler.py): the daily pass at each workspace's own send hour, in its own time
zone, learnt while the clock runs.

The scheduler is APScheduler's, not started: its jobs are read from it, their triggers asked when they fire next
after a given moment, and a job is run by calling it with the bot's clock set to that moment — hours of a clock's
life in a second, through the code `prosjektbot clock` runs.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from apscheduler.job import Job
from apscheduler.schedulers.background import BackgroundScheduler

from bot.clock.passes import Clock
from bot.clock.scheduler import Schedule
from fakeslack import Sender
from tests.conftest import ADMIN, OSLO, PM, SECRET, Bot, flat
from tests.conftest import Clock as TimeNow
from tests.test_settings import open_settings

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def scheduler() -> Iterator[BackgroundScheduler]:
    yield BackgroundScheduler(timezone=dt.UTC)  # never started: nothing runs unless the test runs it


def local(day: str, hour: int, minute: int = 0, second: int = 0, zone: ZoneInfo = OSLO) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute, second), tzinfo=zone)


def daily_jobs(scheduler: BackgroundScheduler, after: dt.datetime) -> list[tuple[dt.datetime, Job]]:
    """The jobs besides the tick, by when each fires next after `after`."""
    fires = [(job.trigger.get_next_fire_time(None, after), job) for job in scheduler.get_jobs() if job.id != "tick"]
    return sorted(fires, key=lambda fire: fire[0])


def daily_times(scheduler: BackgroundScheduler, after: dt.datetime, zone: ZoneInfo) -> list[dt.datetime]:
    return [moment.astimezone(zone) for moment, _ in daily_jobs(scheduler, after)]


def run_at(job: Job, moment: dt.datetime, clock: TimeNow) -> Any:
    clock.now = moment
    return job.func(*job.args, **job.kwargs)


def tick(scheduler: BackgroundScheduler, clock: TimeNow, moment: dt.datetime) -> None:
    run_at(scheduler.get_job("tick"), moment, clock)


def save_settings(bot: Bot, values: dict[str, Any]) -> None:
    assert bot.slack.submit(open_settings(bot), values, user=ADMIN).text == ""


def test_a_workspace_sending_at_seven_gets_its_daily_pass_at_five_to_seven(
        bot: Bot, follow: Clock, clock: TimeNow, scheduler: BackgroundScheduler) -> None:
    clock.now = local("2026-11-23", 10)
    bot.run('ny Stille kunde:Tine frist:01.03.2027')
    save_settings(bot, {"send_hour": "7"})
    follow.run_pass()  # what the project needs now: nothing yet
    Schedule(follow.run_pass, follow.svc.sessions, scheduler)
    (plan_at, plan), (send_at, send) = daily_jobs(scheduler, local("2026-12-01", 0))
    assert (plan_at, send_at) == (local("2026-12-01", 6, 55), local("2026-12-01", 7, 0, 5))
    # No log for a week: the daily pass finds the project quiet, and the send pass posts it at seven.
    run_at(plan, plan_at, clock)
    assert not [m for m in bot.fake.messages(bot.slack.channel_id) if m["text"].startswith("💤")]
    run_at(send, send_at, clock)
    assert [flat(m["text"]) for m in bot.fake.messages(bot.slack.channel_id) if m["text"].startswith("💤")]


def test_a_workspace_moved_to_another_time_zone_gets_its_daily_pass_there_without_a_restart(
        bot: Bot, follow: Clock, clock: TimeNow, scheduler: BackgroundScheduler) -> None:
    bot.run('ny Kampanje kunde:Tine frist:01.03.2027')
    Schedule(follow.run_pass, follow.svc.sessions, scheduler)
    assert daily_times(scheduler, local("2026-12-01", 0), OSLO) == [local("2026-12-01", 8, 55),
                                                                  local("2026-12-01", 9, 0, 5)]
    save_settings(bot, {"timezone": "America/New_York"})
    tick(scheduler, clock, local("2026-11-26", 10, 0, 30))
    assert daily_times(scheduler, local("2026-12-01", 0, zone=NEW_YORK), NEW_YORK) == [
        local("2026-12-01", 8, 55, zone=NEW_YORK), local("2026-12-01", 9, 0, 5, zone=NEW_YORK)]  # Oslo's are gone


def test_a_workspace_made_after_the_clock_started_gets_its_daily_pass_in_its_zone(
        bot: Bot, follow: Clock, clock: TimeNow, scheduler: BackgroundScheduler) -> None:
    bot.run('ny Kampanje kunde:Tine frist:01.03.2027')
    Schedule(follow.run_pass, follow.svc.sessions, scheduler)
    newcomer = Bot(url=bot.url, svc=bot.svc, fake=bot.fake,
                   slack=Sender(url=bot.slack.url, secret=SECRET, team_id="T0NEWYORK1", fake=bot.fake))
    assert "P-1" in flat(newcomer.run('ny Launch kunde:Acme frist:01.03.2027', user=PM)["text"])
    save_settings(newcomer, {"timezone": "America/New_York", "send_hour": "8"})
    tick(scheduler, clock, local("2026-11-26", 10, 0, 30))
    assert daily_times(scheduler, local("2026-12-01", 0), OSLO) == [
        local("2026-12-01", 8, 55), local("2026-12-01", 9, 0, 5),  # the first workspace's, as before
        local("2026-12-01", 7, 55, zone=NEW_YORK), local("2026-12-01", 8, 0, 5, zone=NEW_YORK)]


def test_a_running_scheduler_takes_up_a_new_zone_on_its_own_tick(bot: Bot, follow: Clock) -> None:
    """The same, with APScheduler running the tick itself (every 0.1 s instead of 30)."""
    bot.run('ny Kampanje kunde:Tine frist:01.03.2027')
    running = BackgroundScheduler(timezone=dt.UTC)
    Schedule(follow.run_pass, follow.svc.sessions, running, tick_seconds=0.1)
    running.start()
    try:
        save_settings(bot, {"timezone": "America/New_York"})
        for _ in range(100):
            if running.get_job("plan:America/New_York@9") is not None:
                break
            time.sleep(0.05)
        assert {job.id for job in running.get_jobs()} == {"tick", "plan:America/New_York@9",
                                                         "send:America/New_York@9"}
    finally:
        running.shutdown(wait=True)
