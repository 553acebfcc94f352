"""The sandbox's *now*: one moment kept in the data folder, moved only forward (docs/sandbox.md).

`target` reads what the page asks for ("+1h", "next_workday_09", "monday_09", an ISO datetime) as a moment after
the current one; `SandboxNow` keeps the moment (a small JSON file, written atomically) and refuses to go back.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.workdays import is_working_day, next_working_day

_STEP = re.compile(r"^\+\s*(\d{1,4})\s*(m|min|h|t|d)$", re.IGNORECASE)
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "t": "hours", "d": "days"}
HOW = ('write "+1h", "+30m", "+2d", "next_workday_09", "monday_09", or an ISO date and time such as '
       '2026-12-07T09:00+01:00')


class TimeError(ValueError):
    """A moment the sandbox will not move to; the message says why and how to write it."""


def _at(day: dt.date, hour: int, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=zone)


def target(text: str, now: dt.datetime, zone: str) -> dt.datetime:
    """The moment `text` names, seen from `now` in the workspace's `zone`; a moment not after `now` is refused."""
    tz = ZoneInfo(zone)
    spec = (text or "").strip()
    local = now.astimezone(tz)
    step = _STEP.match(spec)
    if step:
        moment = now + dt.timedelta(**{_UNITS[step.group(2).lower()]: int(step.group(1))})
    elif spec == "next_workday_09":  # the next Norwegian working day at 09:00 (today's, when still to come)
        today = local.date()
        day = today if is_working_day(today) and local < _at(today, 9, tz) else next_working_day(today)
        moment = _at(day, 9, tz)
    elif spec == "monday_09":  # the next Monday at 09:00 (today's, when today is a Monday before nine)
        days = (7 - local.weekday()) % 7
        day = local.date() + dt.timedelta(days=days)
        moment = _at(day, 9, tz)
        if moment <= now:
            moment = _at(day + dt.timedelta(days=7), 9, tz)
    else:
        try:
            moment = dt.datetime.fromisoformat(spec)
        except ValueError:
            raise TimeError(f"Cannot read the time {spec!r}: {HOW}.") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=tz)  # a time as the page's date picker gives it: in the workspace zone
    if moment <= now:
        raise TimeError(f"Time only moves forward: {moment.astimezone(tz).isoformat(timespec='minutes')} is not "
                        f"after now ({local.isoformat(timespec='minutes')}). Start over with --fresh.")
    return moment.astimezone(dt.UTC)


class SandboxNow:
    """The moment the whole sandbox sees as now (the bot's requests and the clock's passes), kept in `path`."""

    def __init__(self, path: Path, *, start: dt.datetime | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        kept = self._read()
        self._now = kept or (start or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
        if kept is None:
            self._write(self._now)

    def _read(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(json.loads(self.path.read_text(encoding="utf-8"))["now"])
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError) as exc:
            raise TimeError(f"{self.path} is not the sandbox's time ({exc}); delete it or use --fresh") from None

    def _write(self, moment: dt.datetime) -> None:
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps({"now": moment.isoformat()}), encoding="utf-8")
        os.replace(partial, self.path)

    def __call__(self) -> dt.datetime:
        return self._now

    def move_to(self, moment: dt.datetime) -> dt.datetime:
        """Move forward to `moment` (a moment not after now is refused) and keep it."""
        with self._lock:
            if moment.tzinfo is None:
                raise TimeError("a moment needs its UTC offset")
            if moment <= self._now:
                raise TimeError(f"Time only moves forward: {moment.isoformat()} is not after {self._now.isoformat()}")
            self._write(moment.astimezone(dt.UTC))
            self._now = moment.astimezone(dt.UTC)
            return self._now
