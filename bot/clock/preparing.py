"""Deciding, just before sending, whether claimed follow-ups still apply, and building their messages a chunk at a
time (part of the clock). `still_applies` is pure: it gets what the database said in `DeliveryFacts`."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock.context import ClaimContext
from bot.clock.delivery import Job
from bot.clock.month_reports import month_report_messages, still_due
from bot.domain import followups as fu
from bot.domain.followups import Cancel, Hold, Resolution, Send, Verdict
from bot.domain.months import from_occasion
from bot.domain.occasion import (
    DEADLINE_RULES,
    Ahead,
    CostCrossed,
    HoursCrossed,
    Month,
    Occasion,
    Quiet,
    Rule,
    deadline_of,
    parse_occasion,
)
from bot.domain.rules import FollowupRules
from bot.domain.workdays import add_working_days
from bot.slack.render.followups import render_followup
from bot.usecases import projects
from storage import claims, outbox
from storage.db import unit_of_work
from storage.models import Followup, Workspace
from storage.views import followup_view, task_view


def _local_date(moment: dt.datetime, tz: str) -> dt.date:
    return moment.astimezone(ZoneInfo(tz)).date()


def rounds(jobs: list[tuple[int, Job]]) -> list[tuple[int, Job]]:
    """The jobs in the order delivery serves them: the first of every channel, then the second of every one, …"""
    by_channel: dict[str, list[tuple[int, Job]]] = {}
    for item in jobs:
        by_channel.setdefault(item[1].channel, []).append(item)
    queues = list(by_channel.values())
    return [queue[i] for i in range(max((len(q) for q in queues), default=0)) for queue in queues if i < len(queue)]


Prepared = tuple[Verdict, dict[str, Any] | None]  # still_applies' verdict, the message
GONE = Cancel("gone")  # claimed, then not found when its chunk was built


class Preparer:
    """Builds the messages of claimed follow-ups a chunk at a time (a fixed number of queries per chunk; the next
    chunk is built in the background while this one is sent), and checks each one's claim just before it is
    sent."""

    def __init__(self, context: ClaimContext, ws: Workspace, order: list[int], *, chunk: int) -> None:
        self.context, self.ws, self.now, self.chunk = context, ws, context.now, chunk
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
            size = self.chunk
            for i in (index, index + 1):  # this one, and the next one ahead of time
                if i not in self.chunks and i * size < len(self.order):
                    self.chunks[i] = self.builder.submit(self._build, self.order[i * size:(i + 1) * size])
            return self.chunks[index]

    def _load(self, followup_id: int) -> Prepared:
        # Kept (not popped): a post that is retried (429, a server error) is prepared again.
        return self._chunk(self.position[followup_id] // self.chunk).result().get(followup_id, (GONE, None))

    def _build(self, ids: list[int]) -> dict[int, Prepared]:
        team_id, tz, lang = self.ws.team_id, self.ws.timezone, self.ws.language
        today = _local_date(self.now, tz)
        with unit_of_work(self.context.sessions) as session:
            followups = outbox.followups_by_ids(session, team_id, ids)
            facts = outbox.delivery_facts(session, team_id, followups)
            verdicts = {f.id: still_applies(f, facts, self.now, self.rules, tz) for f in followups}
            sending = [f for f in followups if isinstance(verdicts[f.id], Send)]
            snaps = projects.snapshots(session, team_id, [facts.projects[f.project_id] for f in sending
                                                          if f.project_id is not None and f.rule != Rule.REPORT],
                                       today=today)
            out: dict[int, Prepared] = {}
            reports = month_report_messages(session, team_id, [f for f in sending if f.rule == Rule.REPORT], facts,
                                            today=today, lang=lang, tz=tz)
            for f in followups:
                message = reports.get(f.id)
                if isinstance(verdicts[f.id], Send) and message is None:
                    task = facts.tasks.get(f.task_id) if f.task_id else None
                    text, blocks = render_followup(followup_view(f), snaps[f.project_id],  # type: ignore[index]
                                                   task_view(task) if task else None, today, lang)
                    message = {"text": text, "blocks": blocks, "unfurl_links": False}
                out[f.id] = (verdicts[f.id], message)
        for fid in ids:
            out.setdefault(fid, (GONE, None))
        return out

    def prepare(self, followup_id: int) -> dict[str, Any] | None:
        return self.settle(followup_id, *self._load(followup_id))

    def settle(self, followup_id: int, verdict: Verdict, message: dict[str, Any] | None) -> dict[str, Any] | None:
        """The message to send if the verdict is Send and the claim is still ours; else record the verdict."""
        team_id, worker, lease = self.ws.team_id, self.context.worker, self.context.lease
        if isinstance(verdict, Send):
            # Still ours? (Our lease may have run out and another clock taken it over.) The heartbeat keeps our
            # leases at least two thirds of a lease ahead, so reading it is enough; a lease that is not (a missed
            # heartbeat) is renewed here first. Either way no other clock can take it while we post it.
            with unit_of_work(self.context.sessions) as session:
                held = claims.my_lease(session, team_id, followup_id, worker=worker)
            if held is None:
                return None
            if held >= self.context.pass_now() + lease / 2:
                return message
        with unit_of_work(self.context.sessions, write=True) as session:
            match verdict:
                case Send():
                    mine = claims.confirm_claim(session, team_id, followup_id, worker=worker,
                                                until=self.context.pass_now() + lease)
                    return message if mine else None
                case Hold(until):
                    if claims.release_claim(session, team_id, followup_id, worker=worker, due_at=until):
                        self.context.report.postponed += 1
                case Cancel(reason):
                    if claims.cancel_claim(session, team_id, followup_id, worker=worker, reason=reason):
                        self.context.report.cancelled += 1
            return None


def still_applies(f: Followup, facts: outbox.DeliveryFacts, now: dt.datetime, rules: FollowupRules,
                  tz: str) -> Verdict:
    """Send it, hold it until then, or cancel it (and why). Pure: `facts` holds what the database said about the
    follow-up's project, task, subject and logs."""
    project = facts.projects.get(f.project_id) if f.project_id is not None else None
    if f.rule == Rule.REPORT:  # about a month, whatever the project's state since
        if project is None:
            return Cancel("gone")
        return Send() if still_due(from_occasion(f.occasion), now, tz) else Cancel("stale: its month is over")
    if project is None or project.state != "active":
        return Cancel("project_not_active")
    try:
        occasion = parse_occasion(f.rule, f.occasion)
    except ValueError:
        return Cancel("unreadable_occasion")  # nothing the bot writes; a row edited by hand
    if not _switched_on(f.rule, occasion, rules):
        return Cancel("switched_off")  # the workspace turned the rule off (or changed its days) after it was planned
    if f.rule in DEADLINE_RULES:
        task = facts.tasks.get(f.task_id) if f.task_id else None
        if task is not None and task.done_at is not None:
            return Cancel("done")
        current = task.deadline if task is not None else project.deadline
        if current is None or current != deadline_of(f.rule, f.occasion):
            return Cancel("deadline_changed")
        today, warn = _local_date(now, tz), fu.warn_day(current)
        series = [x for x in facts.subjects.get(f.subject, []) if deadline_of(x.rule, x.occasion) == current]
        if f.rule == Rule.TODAY and today != warn:
            return Cancel("too_late")
        if isinstance(occasion, Ahead) and today != add_working_days(warn, -occasion.days):
            # "n working days left" is true on its day only: after downtime, or for a deadline moved closer than
            # n days, a reminder whose day has passed would say a stale count (the later reminders still come).
            return Cancel("too_late")
        if f.rule in (Rule.AHEAD, Rule.TODAY):
            # ⏰ on anything about this deadline holds the reminders too: the snoozed reminder (or the nag) that
            # comes at the end of the hold says what is true then.
            snoozed = max((x.hold_until for x in series
                           if x.resolution == Resolution.SNOOZED and x.hold_until is not None), default=None)
            if snoozed is not None and snoozed > now:
                return Cancel("snoozed")
        if f.rule in (Rule.OVERDUE, Rule.PL_DM):
            nags = [x for x in series if x.rule == Rule.OVERDUE]
            if any(x.resolution in (Resolution.CLOSED, Resolution.DONE) for x in nags):
                return Cancel("closed")
            hold = max((x.hold_until for x in nags if x.hold_until is not None), default=None)
            if hold is not None and hold > now:
                return Hold(hold)
    elif isinstance(occasion, HoursCrossed) and occasion.frame_minutes != project.frame_minutes:
        return Cancel("frame_changed")
    elif isinstance(occasion, CostCrossed) and occasion.budget_nok != project.budget_nok:
        return Cancel("frame_changed")
    elif isinstance(occasion, Quiet):
        last = facts.last_log.get(project.id)
        if last is not None and last > occasion.last_activity:
            return Cancel("logged_since")
    elif isinstance(occasion, Month) and occasion.month != _local_date(now, tz).replace(day=1):
        return Cancel("too_late")  # a month's pace after the month (the clock was down): stale
    return Send()


def _switched_on(rule: str, occasion: Occasion, rules: FollowupRules) -> bool:
    if isinstance(occasion, Ahead):
        return rules.deadline_ahead and occasion.days in rules.ahead_days
    switches: dict[str, bool] = {
        Rule.TODAY: rules.deadline_today, Rule.OVERDUE: rules.overdue, Rule.PL_DM: rules.overdue,
        Rule.HOURS: rules.hours_frame, Rule.COST: rules.hours_frame, Rule.BEHIND: rules.time_vs_progress,
        Rule.QUIET: rules.quiet, Rule.PACE_HIGH: rules.pace, Rule.PACE_LOW: rules.pace}
    return switches.get(rule, True)
