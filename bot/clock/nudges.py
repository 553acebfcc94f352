"""The nudge to log hours through the clock's outbox (docs/product.md §11; the rows in bot.domain.nudges).

Planning: once a workspace's nudge slot has come on a working day it has chosen, one row per person on an active
project who has not switched nudges off (two statements, whatever the number of people: who, and the rows'
INSERT), once per day whichever clock gets there first (a marker in the same transaction; the rows' unique key
besides). Preparing: a chunk of claimed rows at a time (bot.clock.preparing's Preparer, a fixed number of
statements per chunk), just before they are sent, so someone who logged at 15:29 gets nothing. A person whose
Slack account was not looked at within ACCOUNT_CHECK is looked up (users.info) just before their nudge goes; a
deactivated account gets none. Delivery: paced by bot.clock.delivery like every post (each person's direct
message is a channel of its own).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.clock.context import ClaimContext
from bot.clock.delivery import Job
from bot.clock.preparing import GONE, Prepared, Preparer
from bot.domain.followups import Cancel, Send, Verdict
from bot.domain.my_week import monday_of
from bot.domain.nudges import (
    RECENT_DAYS,
    button_projects,
    day_of,
    due_day,
    nudge_slot,
    person_of,
    planned_rows,
    still_today,
)
from bot.domain.occasion import Rule
from bot.domain.rules import NudgeSettings
from bot.slack.i18n import fmt_hours, t
from bot.slack.render.my_week import week_blocks, week_text
from bot.slack.render.nudges import nudge_message, week_message
from storage import claims, outbox
from storage import my_week as my_week_db
from storage import nudges as nudge_db
from storage import workspaces as workspace_db
from storage.db import unit_of_work
from storage.models import Followup, Workspace
from storage.nudges import NudgeFacts

log = logging.getLogger("prosjektbot.clock")
ACCOUNT_CHECK = dt.timedelta(days=7)  # users.info is asked about a person at most this often
GONE_ACCOUNTS = {"user_not_found", "user_disabled", "account_inactive"}  # a users.info answer: no account to DM


def plan_day(sessions: sessionmaker[Session], ws: Workspace, now: dt.datetime) -> int:
    """Today's nudges, once their slot has come; how many rows were new."""
    due = due_day(now, NudgeSettings.from_json(ws.nudges), ws.timezone)
    if due is None:
        return 0
    day, slot = due
    marker = f"nudges:{day.isoformat()}"
    with unit_of_work(sessions) as session:  # an idle pass reads one row and takes no write lock
        if workspace_db.was_handled(session, ws.team_id, marker):
            return 0
    with unit_of_work(sessions, write=True) as session:
        if not workspace_db.mark_handled(session, ws.team_id, marker):
            return 0  # another clock planned today meanwhile
        people = nudge_db.people_to_nudge(session, ws.team_id, checked_since=now - ACCOUNT_CHECK)
        return outbox.insert_planned(session, ws.team_id, planned_rows(day, slot, people))


def still_applies(f: Followup, facts: NudgeFacts, now: dt.datetime, settings: NudgeSettings, tz: str) -> Verdict:
    """Send the nudge, or cancel it (and why). Pure: `facts` holds what the database said of the person."""
    person = person_of(f.subject)
    try:
        day = day_of(f.rule, f.occasion)
    except ValueError:
        return Cancel("unreadable_occasion")  # nothing the bot writes; a row edited by hand
    if nudge_slot(day, settings, tz) is None:
        return Cancel("switched_off")  # the workspace turned nudges off (or left the day out) after they were planned
    if not still_today(day, now, tz):
        return Cancel("stale: its day is over")
    if person in facts.off:
        return Cancel("nudges_off")
    if person in facts.deactivated:
        return Cancel("deactivated")
    if not facts.projects.get(person):
        return Cancel("no_active_project")
    if f.rule == Rule.NUDGE and person in facts.logged_today:
        return Cancel("logged")
    return Send()


class NudgePreparer(Preparer):
    """Claimed nudges, built a chunk at a time (three statements a chunk, the week's hours besides on the week's
    last working day), each checked just before it is sent; the person's account looked up first when due."""

    def __init__(self, context: ClaimContext, ws: Workspace, order: list[int], *, chunk: int,
                 client: WebClient) -> None:
        super().__init__(context, ws, order, chunk=chunk)
        self.client = client
        self.settings = NudgeSettings.from_json(ws.nudges)
        self.to_check: dict[int, str] = {}  # follow-up id → the person whose account to look up before sending
        self.answers: dict[str, bool] = {}  # person → deactivated, as users.info said during this pass

    def _build(self, ids: list[int]) -> dict[int, Prepared]:
        team_id, tz, lang = self.ws.team_id, self.ws.timezone, self.ws.language
        today = self.now.astimezone(ZoneInfo(tz)).date()
        with unit_of_work(self.context.sessions) as session:
            followups = outbox.followups_by_ids(session, team_id, ids)
            people = sorted({person_of(f.subject) for f in followups})
            facts = nudge_db.nudge_facts(session, team_id, people, day=today, recent_days=RECENT_DAYS)
            stale = {p for p in people if facts.checked.get(p) is None or facts.checked[p] < self.now - ACCOUNT_CHECK}
            facts.deactivated -= stale  # asked again just before sending (an account can be reactivated)
            verdicts = {f.id: still_applies(f, facts, self.now, self.settings, tz) for f in followups}
            weekly = [person_of(f.subject) for f in followups
                      if f.rule == Rule.NUDGE_WEEK and isinstance(verdicts[f.id], Send)]
            weeks = week_messages(session, team_id, weekly, today, lang) if weekly else {}
        out: dict[int, Prepared] = {fid: (GONE, None) for fid in ids}
        for f in followups:
            verdict, person = verdicts[f.id], person_of(f.subject)
            message: dict[str, Any] | None = None
            if isinstance(verdict, Send):
                if f.rule == Rule.NUDGE_WEEK:
                    message = weeks[person]
                else:
                    theirs = {p.id: p for p in facts.projects[person]}
                    chosen = button_projects(list(theirs), facts.recent.get(person, {}))
                    message = nudge_message([theirs[pid] for pid in chosen], lang)
                if person in stale:
                    self.to_check[f.id] = person
            out[f.id] = (verdict, message)
        return out

    def prepare(self, followup_id: int) -> dict[str, Any] | None:
        verdict, message = self._load(followup_id)
        person = self.to_check.get(followup_id)
        if isinstance(verdict, Send) and person is not None and self._deactivated(person):
            verdict, message = Cancel("deactivated"), None
        return self.settle(followup_id, verdict, message)

    def _deactivated(self, person: str) -> bool:
        """Ask Slack whether the person's account is deactivated, and remember the answer (not a failed ask)."""
        try:
            found = self.client.users_info(user=person)["user"]
            gone = bool(found.get("deleted"))
        except SlackApiError as exc:
            error = str(exc.response.get("error"))
            if error not in GONE_ACCOUNTS:
                log.warning("users.info failed for %s: %s; nudging anyway", person, error)
                return False
            gone = True
        with self.lock:
            self.answers[person] = gone
        return gone

    def close(self) -> None:
        """The accounts Slack told about, remembered in one statement (lost with a clock that dies: asked again)."""
        super().close()
        with self.lock:
            answers, self.answers = self.answers, {}
        if answers:
            with unit_of_work(self.context.sessions, write=True) as session:
                nudge_db.remember_accounts(session, self.ws.team_id, answers, self.context.pass_now())


def week_messages(session: Session, team_id: str, people: Sequence[str], today: dt.date,
                  lang: str) -> dict[str, dict[str, Any]]:
    """The weekly variant's messages (person → message): their week's hours by day and by project, the working days
    without hours marked (bot.slack.render.my_week, the same blocks as App Home's *Mine timer*); two statements."""
    found = my_week_db.weeks(session, team_id, people, monday_of(today), through=today)
    return {person: week_message(week_text(week, lang), week_blocks(week, lang, title=t(
        "nudge.week_title", lang, total=fmt_hours(week.total_minutes, lang))), lang) for person, week in found.items()}


def jobs(context: ClaimContext, client: WebClient, ws: Workspace, claimed: Sequence[Followup], *,
         chunk: int) -> tuple[Preparer, list[Job]]:
    """The jobs that send claimed nudges, in the order delivery serves their channels (each person's own), and
    the preparer that builds them."""
    ordered = sorted(claimed, key=lambda f: (f.channel_id or "", f.id))
    preparer = NudgePreparer(context, ws, [f.id for f in ordered], chunk=chunk, client=client)
    return preparer, [_job(context, ws, f, functools.partial(preparer.prepare, f.id)) for f in ordered]


def _job(context: ClaimContext, ws: Workspace, followup: Followup, prepare: Any) -> Job:
    team_id, followup_id, now = ws.team_id, followup.id, context.now

    def on_sent(response: dict[str, Any]) -> None:
        with unit_of_work(context.sessions, write=True) as session:
            claims.mark_sent(session, team_id, followup_id, channel_id=response["channel"],
                             message_ts=response["ts"], at=now)

    def on_failed(error: str) -> None:
        with unit_of_work(context.sessions, write=True) as session:
            claims.mark_failed(session, team_id, followup_id, error=error, at=now)
        context.report.failed += 1
        log.warning("nudge %s failed: %s", followup_id, error)

    def on_gave_up(error: str) -> None:
        with unit_of_work(context.sessions, write=True) as session:
            claims.retry_later(session, team_id, followup_id, worker=context.worker, now=now, error=error)

    return Job(channel=followup.channel_id or person_of(followup.subject), prepare=prepare, on_sent=on_sent,
               on_failed=on_failed, on_gave_up=on_gave_up)
