"""When the weekly summary and the portfolio post go out (docs/product.md §5): pure functions, no Slack, no SQL.

Each is one outbox row per channel per ISO week: rule "summary" (a project channel) or "portfolio" (the leadership
channel), subject "channel:<id>", occasion "<ISO year>-W<week>". The clock plans a week's rows once its slot has
come (so a settings change before then simply takes effect), and sends a row only within its own ISO week: after
downtime the summary still goes out that week, and a week that passed unseen is not posted late.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.domain.occasion import Rule, Week
from bot.domain.rules import SummarySettings
from bot.domain.workdays import is_working_day, next_working_day, previous_working_day


def week_occasion(day: dt.date) -> str:
    """The ISO week a day belongs to, as an occasion: "2026-W49"."""
    return str(Week.of(day))


def week_slot(day: dt.date, settings: SummarySettings, tz: str) -> dt.datetime:
    """When the week of `day` gets its summary, in UTC: the configured weekday and time, moved to the next
    working day when that day is a public holiday (Easter Monday, 2nd Christmas Day), or to the one before when
    the next is in another week (Good Friday)."""
    monday = day - dt.timedelta(days=day.weekday())
    send_on = monday + dt.timedelta(days=settings.weekday)
    if not is_working_day(send_on) and send_on.weekday() < 5:
        later = next_working_day(send_on)
        send_on = later if later < monday + dt.timedelta(days=7) else previous_working_day(send_on)
    local = dt.datetime.combine(send_on, dt.time(settings.hour, settings.minute), tzinfo=ZoneInfo(tz))
    return local.astimezone(dt.UTC)


def due_slot(now: dt.datetime, settings: SummarySettings, tz: str) -> tuple[str, dt.datetime] | None:
    """This week's (occasion, slot) once the slot has come and the week is not over; else None."""
    today = now.astimezone(ZoneInfo(tz)).date()
    slot = week_slot(today, settings, tz)
    if slot > now:
        return None
    return week_occasion(today), slot


def still_this_week(occasion: str, now: dt.datetime, tz: str) -> bool:
    """A weekly post is sent only within its own ISO week (in the workspace's zone)."""
    return week_occasion(now.astimezone(ZoneInfo(tz)).date()) == occasion


def planned_rows(occasion: str, slot: dt.datetime, channels: list[str], settings: SummarySettings
                 ) -> list[dict[str, object]]:
    """The outbox rows for one week: a summary for each channel where it is on, and the portfolio post."""
    rows: list[dict[str, object]] = [
        {"rule": Rule.SUMMARY, "subject": f"channel:{channel}", "occasion": occasion, "due_at": slot,
         "project_id": None, "task_id": None, "channel_id": channel}
        for channel in channels if settings.channel_enabled(channel)]
    if settings.portfolio_channel:
        rows.append({"rule": Rule.PORTFOLIO, "subject": f"channel:{settings.portfolio_channel}", "occasion": occasion,
                     "due_at": slot, "project_id": None, "task_id": None,
                     "channel_id": settings.portfolio_channel})
    return rows
