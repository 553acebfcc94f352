"""The nudge to log hours (docs/product.md §11): when it goes out and which kind, and which projects its buttons
name. Pure functions, no Slack, no SQL.

Each nudge is one outbox row per person per day: rule `nudge` (the daily "you have logged nothing today") or
`nudge_week` (on the last working day of the week, instead: the week's hours), subject `user:<id>`, occasion the
day (`2026-12-03`). The clock plans a day's rows once its slot has come, for everyone on an active project who has
not switched them off; whether a person logged that day is decided just before sending. A row is sent on its own
day only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.domain.occasion import Day, Rule, parse_occasion
from bot.domain.rules import NudgeSettings
from bot.domain.workdays import is_working_day

BUTTONS = 5  # projects with a button in the nudge at most
RECENT_DAYS = 14  # the buttons name the projects logged on most within these days
NUDGE_RULES = (Rule.NUDGE, Rule.NUDGE_WEEK)


@dataclass(frozen=True)
class NudgeProject:
    """A project of the person's, as a button in their nudge names it."""

    id: int
    number: int
    name: str

    @property
    def key(self) -> str:
        return f"P-{self.number}"


def last_working_day_of_week(day: dt.date) -> dt.date | None:
    """The last working day (Monday–Friday, not a public holiday) of `day`'s week; None for a week without one."""
    friday = day + dt.timedelta(days=4 - day.weekday())
    for back in range(5):
        candidate = friday - dt.timedelta(days=back)
        if is_working_day(candidate):
            return candidate
    return None


def nudge_rule(day: dt.date) -> Rule:
    """The weekly variant on the week's last working day, the daily one on the others."""
    return Rule.NUDGE_WEEK if last_working_day_of_week(day) == day else Rule.NUDGE


def nudge_slot(today: dt.date, settings: NudgeSettings, tz: str) -> dt.datetime | None:
    """When `today`'s nudges go out (UTC), or None: switched off, not one of the days, or not a working day."""
    if not settings.enabled or today.weekday() not in settings.days or not is_working_day(today):
        return None
    local = dt.datetime.combine(today, dt.time(settings.hour, settings.minute), tzinfo=ZoneInfo(tz))
    return local.astimezone(dt.UTC)


def due_day(now: dt.datetime, settings: NudgeSettings, tz: str) -> tuple[dt.date, dt.datetime] | None:
    """Today (in the workspace's zone) and its slot, once the slot has come; else None."""
    today = now.astimezone(ZoneInfo(tz)).date()
    slot = nudge_slot(today, settings, tz)
    return (today, slot) if slot is not None and slot <= now else None


def day_of(rule: str, occasion: str) -> dt.date:
    """The day a nudge is about; ValueError for an occasion that is not one (a row edited by hand)."""
    found = parse_occasion(rule, occasion)
    if not isinstance(found, Day):
        raise ValueError(f"not a nudge's occasion: {rule!r} {occasion!r}")
    return found.day


def still_today(day: dt.date, now: dt.datetime, tz: str) -> bool:
    """A nudge is sent on its own day only (in the workspace's zone)."""
    return now.astimezone(ZoneInfo(tz)).date() == day


def planned_rows(day: dt.date, slot: dt.datetime, people: Sequence[str]) -> list[dict[str, object]]:
    """The outbox rows of one day: one per person, to their direct message (channel = the user id)."""
    rule = nudge_rule(day)
    return [{"rule": rule, "subject": f"user:{person}", "occasion": str(Day(day)), "due_at": slot,
             "project_id": None, "task_id": None, "channel_id": person} for person in people]


def person_of(subject: str) -> str:
    """`user:U123` → `U123`."""
    return subject.removeprefix("user:")


def button_projects(theirs: Sequence[int], logged: Mapping[int, int]) -> list[int]:
    """Up to BUTTONS of a person's projects (`theirs`, in the order they are listed): the ones with the most
    minutes logged within RECENT_DAYS first, then the rest in their order."""
    order = {pid: i for i, pid in enumerate(theirs)}
    return sorted(theirs, key=lambda pid: (-logged.get(pid, 0), order[pid]))[:BUTTONS]
