"""The sandbox clock: moves the sandbox's *now* forward and runs the clock's passes as of each moment on the way.

A real clock wakes every 30 seconds and at each workspace's send hour. While now stands still, the sandbox runs a
pass as of it every few seconds (what a change made due goes out, as within a real clock's tick). Between the
moment it was at and the one it moves to, it runs the passes a real clock would have run that mattered: a full
pass at the send hour of every working day in between (reminders, nags, alerts and the Monday summary go out then),
and one as of the new moment (as `prosjektbot clock --once --now` does). Each move's reactions are made before it
answers.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from bot.clock.context import PassReport
from bot.clock.passes import Clock
from bot.domain.rules import FollowupRules, SummarySettings
from bot.domain.workdays import is_working_day
from bot.sandbox.now import SandboxNow, TimeError, target
from storage import outbox
from storage.db import unit_of_work

log = logging.getLogger("prosjektbot.sandbox")
DEFAULT_ZONE = "Europe/Oslo"
TICK_SECONDS = 5.0  # between moves, a pass as of now this often (a real clock ticks every 30 s): what a change made
# due (an hours-frame alert after a `logg`) goes out while the person watches, as it would within the half-minute
# A long jump runs the send-hour passes of its last this-many working days only (each takes up to a few tenths of a
# second): what came due before is caught up by the first of them, as after a clock's downtime.
MAX_DAILY_PASSES = 10


def stops(start: dt.datetime, end: dt.datetime, zone: str, hours: tuple[tuple[int, int], ...]) -> Iterator[dt.datetime]:
    """The (hour, minute) moments of the working days strictly between `start` and `end`, then `end`."""
    tz = ZoneInfo(zone)
    day = start.astimezone(tz).date()
    while day <= end.astimezone(tz).date():
        if is_working_day(day):
            for hour, minute in sorted(set(hours)):
                moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz).astimezone(dt.UTC)
                if start < moment < end:
                    yield moment
        day += dt.timedelta(days=1)
    yield end


class SandboxClock:
    """What the stand-in's `POST /sandbox/time` calls (`FakeSlack.attach_clock`): `now()` and `advance(to)`."""

    def __init__(self, now: SandboxNow, clock: Clock) -> None:
        self._now, self.clock = now, clock
        self._lock = threading.Lock()
        self.passes = 0
        self.closed = False
        self._stopping = threading.Event()
        self._ticker: threading.Thread | None = None

    def now(self) -> dt.datetime:
        return self._now()

    def _timing(self) -> tuple[str, tuple[tuple[int, int], ...]]:
        """The workspace's zone, and the local times its clock sends at (the follow-ups' and the summary's)."""
        with unit_of_work(self.clock.svc.sessions) as session:
            ws = next(iter(outbox.workspaces(session)), None)  # the sandbox has one workspace
            if ws is None:
                return DEFAULT_ZONE, ((9, 0),)
            summary = SummarySettings.from_json(ws.summary)
            return ws.timezone, ((FollowupRules.from_json(ws.rules).send_hour, 0), (summary.hour, summary.minute))

    def zone(self) -> str:
        return self._timing()[0]

    def advance(self, to: str) -> dt.datetime:
        """Move now to what `to` names (refusing the past: `bot.sandbox.now.TimeError`), running the passes."""
        with self._lock:
            if self.closed:
                raise TimeError("The sandbox is stopping.")
            zone, hours = self._timing()
            start = self._now()
            end = target(to, start, zone)
            moments = list(stops(start, end, zone, hours))
            for moment in moments[-(MAX_DAILY_PASSES * len(set(hours)) + 1):]:
                self._now.move_to(moment)
                self.run_pass(moment)
            return end

    def start_ticking(self, every: float = TICK_SECONDS) -> None:
        """Between moves, run a pass as of now every `every` seconds, as the clock's tick does (`stop` ends it)."""
        def tick() -> None:
            while not self._stopping.wait(every):
                if not self._lock.acquire(blocking=False):
                    continue  # a move is running its passes
                try:
                    if not self.closed:
                        self.clock.run_pass(self._now())
                except Exception:  # the next tick tries again, as the scheduler's does
                    log.exception("sandbox clock tick failed")
                finally:
                    self._lock.release()

        self._ticker = threading.Thread(target=tick, name="sandbox-clock", daemon=True)
        self._ticker.start()

    def close(self, timeout: float = 30.0) -> None:
        """Stop ticking; wait for a move in progress to finish its passes (up to `timeout` seconds), and refuse any
        after it."""
        self._stopping.set()
        if self._ticker is not None:
            self._ticker.join(timeout=timeout)
        if self._lock.acquire(timeout=timeout):
            self.closed = True
            self._lock.release()

    def skip_to(self, moment: dt.datetime) -> None:
        """Move now forward within a day without a pass (seeding: the next pass plans what was done meanwhile)."""
        with self._lock:
            self._now.move_to(moment)

    def run_pass(self, moment: dt.datetime | None = None) -> PassReport:
        """One full pass as of `moment` (default: now), its reactions made."""
        report = self.clock.run_pass(moment or self._now(), everything=True)
        self.clock.follow_on.drain(timeout=30)
        self.passes += 1
        if report.sent or report.errors:
            log.info("sandbox clock at %s: %s", (moment or self._now()).isoformat(), report.line())
        return report
