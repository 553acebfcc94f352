"""When the clock wakes: APScheduler runs a pass every tick, and at the send hour in each time zone a full planning
pass just before it and a send pass just after."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session, sessionmaker

from bot.clock.context import PassReport
from bot.domain.rules import FollowupRules
from storage import outbox
from storage.db import unit_of_work

log = logging.getLogger("prosjektbot.clock")
RunPass = Callable[..., PassReport]  # Clock.run_pass: (now=None, *, everything=False)


class Schedule:
    """The clock's jobs on an APScheduler scheduler (started by the caller)."""

    def __init__(self, run_pass: RunPass, sessions: sessionmaker[Session], scheduler: BaseScheduler, *,
                 tick_seconds: float = 30.0, default_zone: str = "Europe/Oslo") -> None:
        self.run_pass, self.sessions, self.scheduler = run_pass, sessions, scheduler
        scheduler.add_job(self.tick, IntervalTrigger(seconds=tick_seconds), id="tick", coalesce=True,
                          max_instances=1, next_run_time=dt.datetime.now(dt.UTC))
        with unit_of_work(sessions) as session:
            zones = {ws.timezone for ws in outbox.workspaces(session)} or {default_zone}
        for zone in sorted(zones):
            hour = FollowupRules().send_hour
            scheduler.add_job(lambda: run_pass(everything=True),
                              CronTrigger(hour=hour - 1 if hour else 0, minute=55, timezone=ZoneInfo(zone)),
                              id=f"plan:{zone}", coalesce=True, max_instances=1)
            scheduler.add_job(run_pass, CronTrigger(hour=hour, minute=0, second=5, timezone=ZoneInfo(zone)),
                              id=f"send:{zone}", coalesce=True, max_instances=1)
        log.info("tick every %ss, send hour in %s", tick_seconds, ", ".join(sorted(zones)))

    def tick(self) -> None:
        self.run_pass()


def run_forever(run_pass: RunPass, sessions: sessionmaker[Session], *, tick_seconds: float = 30.0,
                default_zone: str = "Europe/Oslo") -> None:
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler(timezone=dt.UTC)
    Schedule(run_pass, sessions, scheduler, tick_seconds=tick_seconds, default_zone=default_zone)
    scheduler.start()
