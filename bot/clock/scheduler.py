"""When the clock wakes (docs/product.md §4): APScheduler runs a pass every tick, and for each (time zone, send hour)
the workspaces have, a full planning pass at five to the hour and a send pass just after it. The pairs are read
again on every tick, so a workspace that changes its zone or send hour, or a new one, has its daily pass from the
next tick on, without a restart."""

from __future__ import annotations

import datetime as dt
import functools
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
SendSlot = tuple[str, int]  # (IANA time zone, send hour)


class Schedule:
    """The clock's jobs on an APScheduler scheduler (started by the caller)."""

    def __init__(self, run_pass: RunPass, sessions: sessionmaker[Session], scheduler: BaseScheduler, *,
                 tick_seconds: float = 30.0) -> None:
        self.run_pass, self.sessions, self.scheduler = run_pass, sessions, scheduler
        self.slots: set[SendSlot] = set()
        scheduler.add_job(self.tick, IntervalTrigger(seconds=tick_seconds), id="tick", coalesce=True,
                          max_instances=1, next_run_time=dt.datetime.now(dt.UTC))
        self.sync()

    def tick(self) -> None:
        try:
            self.sync()
        except Exception:  # the pass goes on; the daily passes stay as they were until a tick reads them
            log.exception("reading the workspaces' send hours failed")
        self.run_pass()

    def sync(self) -> None:
        """A daily pass for each (zone, send hour) the workspaces have now, and none for one they no longer have."""
        with unit_of_work(self.sessions) as session:
            wanted = {(zone, FollowupRules.from_json(rules).send_hour)
                      for zone, rules in outbox.zones_and_rules(session)}
        for slot in sorted(wanted - self.slots):
            self._add(slot)
            log.info("daily pass at %02d:00 in %s", slot[1], slot[0])
        for slot in sorted(self.slots - wanted):
            for job in ("plan", "send"):
                self.scheduler.remove_job(f"{job}:{slot[0]}@{slot[1]}")
            self.slots.discard(slot)
            log.info("no daily pass at %02d:00 in %s any more", slot[1], slot[0])

    def _add(self, slot: SendSlot) -> None:
        zone, hour = slot
        tz = ZoneInfo(zone)
        self.scheduler.add_job(functools.partial(self.run_pass, everything=True),
                               CronTrigger(hour=hour - 1 if hour else 0, minute=55, timezone=tz),
                               id=f"plan:{zone}@{hour}", coalesce=True, max_instances=1, replace_existing=True)
        self.scheduler.add_job(self.run_pass, CronTrigger(hour=hour, minute=0, second=5, timezone=tz),
                               id=f"send:{zone}@{hour}", coalesce=True, max_instances=1, replace_existing=True)
        self.slots.add(slot)


def run_forever(run_pass: RunPass, sessions: sessionmaker[Session], *, tick_seconds: float = 30.0) -> None:
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler(timezone=dt.UTC)
    Schedule(run_pass, sessions, scheduler, tick_seconds=tick_seconds)
    scheduler.start()
