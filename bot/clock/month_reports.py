"""The month-end report through the clock's outbox (docs/product.md §10).

On the month's first working day (Norwegian calendar: 1 January is a holiday, so January's report of December goes
out on the 2nd, or the Monday after a weekend), at the workspace's send hour, each løpende project (and, when the
workspace says so, each avgrenset one with hours in the month that ended) gets one outbox row: rule `report`,
subject `project:<id>`, occasion the month it is about (`2026-11`). Planned once per workspace and month, whichever
clock gets there first (a marker in the transaction that inserts the rows; the rows' unique key besides), a batch of
projects at a time (two statements a batch). Sent like every project follow-up (claimed with a lease, prepared a
chunk at a time by bot.clock.preparing), and only within the month after the one it is about: after downtime it
still comes that month, a month later it does not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from bot.domain.months import first_working_day, from_occasion, last_ended, occasion
from bot.domain.occasion import Rule
from bot.domain.periods import month_of, shift
from bot.domain.rules import FollowupRules
from bot.slack.render.month_report import report_blocks, report_title
from bot.usecases.month_reports import reports
from storage import month_reports, outbox
from storage import workspaces as workspace_db
from storage.db import unit_of_work
from storage.models import Followup, Workspace


def report_slot(today: dt.date, send_hour: int, tz: str) -> dt.datetime:
    """When the report of the month before `today`'s goes out, in UTC: the month's first working day at the send
    hour."""
    day = first_working_day(month_of(today).start)
    return dt.datetime.combine(day, dt.time(send_hour), tzinfo=ZoneInfo(tz)).astimezone(dt.UTC)


def still_due(month: dt.date, now: dt.datetime, tz: str) -> bool:
    """A report is sent only in the month after the one it is about (in the workspace's zone)."""
    return month_of(now.astimezone(ZoneInfo(tz)).date()).start == shift(month, 1)


def plan_month(sessions: sessionmaker[Session], ws: Workspace, now: dt.datetime, *, batch: int = 500) -> int:
    """The reports of the month that ended, once their slot has come; how many rows were new."""
    rules = FollowupRules.from_json(ws.rules)
    today = now.astimezone(ZoneInfo(ws.timezone)).date()
    slot = report_slot(today, rules.send_hour, ws.timezone)
    if slot > now:
        return 0
    month = last_ended(today)
    marker = f"month-report:{occasion(month)}"
    with unit_of_work(sessions) as session:  # an idle pass reads one row and takes no write lock
        if workspace_db.was_handled(session, ws.team_id, marker):
            return 0
    new, after = 0, 0
    with unit_of_work(sessions, write=True) as session:
        if not workspace_db.mark_handled(session, ws.team_id, marker):
            return 0  # another clock planned this month meanwhile
        while True:
            found = month_reports.month_end_projects(session, ws.team_id, month,
                                                     with_avgrenset=rules.month_report_avgrenset, after_id=after,
                                                     limit=batch)
            if not found:
                return new
            new += outbox.insert_planned(session, ws.team_id, [
                {"rule": Rule.REPORT, "subject": f"project:{pid}", "occasion": occasion(month), "due_at": slot,
                 "project_id": pid, "task_id": None, "channel_id": channel} for pid, channel in found])
            after = found[-1][0]


def month_report_messages(session: Session, team_id: str, due: Sequence[Followup], facts: outbox.DeliveryFacts, *,
                          today: dt.date, lang: str, tz: str) -> dict[int, dict[str, Any]]:
    """The messages of claimed reports (follow-up id → message), a fixed number of statements per month they are
    about (in practice one month)."""
    by_month: dict[dt.date, list[Followup]] = {}
    for f in due:
        if f.project_id in facts.projects:
            by_month.setdefault(from_occasion(f.occasion), []).append(f)
    out: dict[int, dict[str, Any]] = {}
    for month, followups in by_month.items():
        built = reports(session, team_id, [facts.projects[f.project_id] for f in followups  # type: ignore[index]
                                           ], month, today=today, tz=tz)
        for f in followups:
            report = built[f.project_id]  # type: ignore[index]
            out[f.id] = {"text": report_title(report, lang), "blocks": report_blocks(report, lang, approvable=True),
                         "unfurl_links": False}
    return out
