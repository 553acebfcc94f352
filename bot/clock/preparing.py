"""Deciding, just before sending, whether claimed follow-ups still apply, and building their messages a chunk at a
time (part of the clock). `still_applies` is pure: it gets what the database said in `DeliveryFacts`."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.clock.delivery import Job
from bot.domain import followups as fu
from bot.domain.rules import FollowupRules
from bot.domain.workdays import add_working_days
from bot.slack.render.followups import render_followup
from bot.usecases import projects
from storage import outbox
from storage.db import unit_of_work
from storage.models import Followup, Workspace
from storage.views import followup_view, task_view

if TYPE_CHECKING:
    from bot.clock.passes import Clock, PassReport

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _local_date(moment: dt.datetime, tz: str) -> dt.date:
    return moment.astimezone(ZoneInfo(tz)).date()


def rounds(jobs: list[tuple[int, Job]]) -> list[tuple[int, Job]]:
    """The jobs in the order delivery serves them: the first of every channel, then the second of every one, …"""
    by_channel: dict[str, list[tuple[int, Job]]] = {}
    for item in jobs:
        by_channel.setdefault(item[1].channel, []).append(item)
    queues = list(by_channel.values())
    return [queue[i] for i in range(max((len(q) for q in queues), default=0)) for queue in queues if i < len(queue)]


Prepared = tuple[bool | str | dt.datetime, dict[str, Any] | None]  # still_applies' verdict, the message


class Preparer:
    """Builds the messages of claimed follow-ups a chunk at a time (a fixed number of queries per chunk; the next
    chunk is built in the background while this one is sent), and checks each one's claim just before it is
    sent."""

    def __init__(self, clock: Clock, ws: Workspace, order: list[int], now: dt.datetime, report: PassReport,
                 pass_now: Callable[[], dt.datetime]) -> None:
        self.clock, self.ws, self.now, self.report, self.pass_now = clock, ws, now, report, pass_now
        self.rules = FollowupRules.from_json(ws.rules)
        self.position = {fid: i for i, fid in enumerate(order)}
        self.order = order
        self.chunks: dict[int, Future[dict[int, Prepared]]] = {}
        self.builder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare")
        self.lock = threading.Lock()

    def close(self) -> None:
        self.builder.shutdown(wait=True, cancel_futures=True)

    def _chunk(self, index: int) -> Future[dict[int, Prepared]]:
        with self.lock:
            size = self.clock.prepare_chunk
            for i in (index, index + 1):  # this one, and the next one ahead of time
                if i not in self.chunks and i * size < len(self.order):
                    self.chunks[i] = self.builder.submit(self._build, self.order[i * size:(i + 1) * size])
            return self.chunks[index]

    def _load(self, followup_id: int) -> Prepared:
        # Kept (not popped): a post that is retried (429, a server error) is prepared again.
        return self._chunk(self.position[followup_id] // self.clock.prepare_chunk).result().get(
            followup_id, ("gone", None))

    def _build(self, ids: list[int]) -> dict[int, Prepared]:
        team_id, tz, lang = self.ws.team_id, self.ws.timezone, self.ws.language
        today = _local_date(self.now, tz)
        with unit_of_work(self.clock.svc.sessions) as session:
            followups = outbox.followups_by_ids(session, team_id, ids)
            facts = outbox.delivery_facts(session, team_id, followups)
            verdicts = {f.id: still_applies(f, facts, self.now, self.rules, tz) for f in followups}
            sending = [f for f in followups if verdicts[f.id] is True]
            snaps = projects.snapshots(session, team_id, [facts.projects[f.project_id] for f in sending
                                                          if f.project_id is not None], today=today)
            out: dict[int, Prepared] = {}
            for f in followups:
                message = None
                if verdicts[f.id] is True:
                    task = facts.tasks.get(f.task_id) if f.task_id else None
                    text, blocks = render_followup(followup_view(f), snaps[f.project_id],  # type: ignore[index]
                                                   task_view(task) if task else None, today, lang)
                    message = {"text": text, "blocks": blocks, "unfurl_links": False}
                out[f.id] = (verdicts[f.id], message)
        for fid in ids:
            out.setdefault(fid, ("gone", None))
        return out

    def prepare(self, followup_id: int) -> dict[str, Any] | None:
        verdict, message = self._load(followup_id)
        team_id, worker = self.ws.team_id, self.clock.worker
        if verdict is True:
            # Still ours? (Our lease may have run out and another clock taken it over.) The heartbeat keeps our
            # leases at least two thirds of a lease ahead, so reading it is enough; a lease that is not (a missed
            # heartbeat) is renewed here first. Either way no other clock can take it while we post it.
            with unit_of_work(self.clock.svc.sessions) as session:
                lease = outbox.my_lease(session, team_id, followup_id, worker=worker)
            if lease is None:
                return None
            if lease >= self.pass_now() + self.clock.lease / 2:
                return message
        with unit_of_work(self.clock.svc.sessions, write=True) as session:
            if verdict is True:
                mine = outbox.confirm_claim(session, team_id, followup_id, worker=worker,
                                            until=self.pass_now() + self.clock.lease)
                return message if mine else None
            if isinstance(verdict, dt.datetime):
                if outbox.release_claim(session, team_id, followup_id, worker=worker, due_at=verdict):
                    self.report.postponed += 1
            elif outbox.cancel_claim(session, team_id, followup_id, worker=worker, reason=str(verdict)):
                self.report.cancelled += 1
            return None


def still_applies(f: Followup, facts: outbox.DeliveryFacts, now: dt.datetime, rules: FollowupRules,
                  tz: str) -> bool | str | dt.datetime:
    """True to send; a datetime to wait until (a hold); else why it no longer applies. Pure: `facts` holds what
    the database said about the follow-up's project, task, subject and logs."""
    project = facts.projects.get(f.project_id) if f.project_id is not None else None
    if project is None or project.state != "active":
        return "project_not_active"
    if not _switched_on(f, rules):
        return "switched_off"  # the workspace turned the rule off (or changed its days) after it was planned
    if f.rule in fu.DEADLINE_RULES:
        task = facts.tasks.get(f.task_id) if f.task_id else None
        if task is not None and task.done_at is not None:
            return "done"
        current = task.deadline if task is not None else project.deadline
        occasion = DATE.search(f.occasion)
        if current is None or occasion is None or current.isoformat() != occasion.group(0):
            return "deadline_changed"
        today, warn = _local_date(now, tz), fu.warn_day(current)
        series = [x for x in facts.subjects.get(f.subject, []) if x.rule in fu.DEADLINE_RULES
                  and (found := DATE.search(x.occasion)) is not None and found.group(0) == current.isoformat()]
        if f.rule == fu.TODAY and today != warn:
            return "too_late"
        if f.rule == fu.AHEAD:
            # "n working days left" is true on its day only: after downtime, or for a deadline moved closer than
            # n days, a reminder whose day has passed would say a stale count (the later reminders still come).
            days = int(f.occasion.split(":", 1)[0])
            if today != add_working_days(warn, -days):
                return "too_late"
        if f.rule in (fu.AHEAD, fu.TODAY):
            # ⏰ on anything about this deadline holds the reminders too: the snoozed reminder (or the nag) that
            # comes at the end of the hold says what is true then.
            snoozed = max((x.hold_until for x in series if x.resolution == "snoozed" and x.hold_until is not None),
                          default=None)
            if snoozed is not None and snoozed > now:
                return "snoozed"
        if f.rule in (fu.OVERDUE, fu.PL_DM):
            nags = [x for x in series if x.rule == fu.OVERDUE]
            if any(x.resolution in ("closed", "done") for x in nags):
                return "closed"
            hold = max((x.hold_until for x in nags if x.hold_until is not None), default=None)
            if hold is not None and hold > now:
                return hold
    elif f.rule == fu.HOURS and f.occasion.split(":")[1] != str(project.frame_minutes):
        return "frame_changed"
    elif f.rule == fu.QUIET:
        last = facts.last_log.get(project.id)
        if last is not None and last.isoformat() > f.occasion.split(":", 1)[0]:
            return "logged_since"
    return True


def _switched_on(f: Followup, rules: FollowupRules) -> bool:
    if f.rule == fu.AHEAD:
        return rules.deadline_ahead and int(f.occasion.split(":", 1)[0]) in rules.ahead_days
    return {fu.TODAY: rules.deadline_today, fu.OVERDUE: rules.overdue, fu.PL_DM: rules.overdue,
            fu.HOURS: rules.hours_frame, fu.BEHIND: rules.time_vs_progress, fu.QUIET: rules.quiet}.get(f.rule, True)
