"""The clock: plans follow-ups and delivers the due ones (docs/product.md §4).

APScheduler decides when to wake (bot.clock.scheduler); the database decides what is due and whether it was
sent. Every follow-up is a row with a unique key, so planning is idempotent (bot.clock.planner); delivery claims
due rows atomically with a lease, so several clocks send nothing twice and a dead clock's claims are taken over
when its lease runs out.

Worst case for a duplicate: Slack's chat.postMessage has no idempotency key, so a clock killed after Slack
accepted a message but before it recorded the message's ts will have that one message sent again by the next
clock. Each message is recorded the moment Slack answers, so at most the messages in flight at the kill
(one per channel being served) can be doubled.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.clock import followup_posts, month_reports, nudges, routine_months, weekly_posts
from bot.clock.context import ClaimContext, PassReport
from bot.clock.delivery import FollowOn, Job, deliver
from bot.clock.planner import TIME_BASED, plan_project, plan_time_based, rules_fingerprint
from bot.clock.preparing import Preparer, rounds
from bot.domain.nudges import NUDGE_RULES
from bot.domain.occasion import Rule
from bot.domain.rules import FollowupRules
from bot.services import Services
from storage import claims, outbox
from storage.db import unit_of_work
from storage.models import Followup, Workspace

log = logging.getLogger("prosjektbot.clock")


def _local_date(moment: dt.datetime, tz: str) -> dt.date:
    return moment.astimezone(ZoneInfo(tz)).date()


# Channel posts that belong to no project (e.g. a weekly summary): rule → builds the Job that sends one.
ChannelPost = Callable[[ClaimContext, Workspace, Followup], Job | None]
CHANNEL_POSTS: dict[str, ChannelPost] = {**weekly_posts.SENDERS}


class Clock:
    """One clock process (or thread, in tests): `run_pass` plans, then delivers what is due."""

    def __init__(self, svc: Services, client: WebClient, *, worker: str | None = None,
                 lease: dt.timedelta = dt.timedelta(minutes=5), per_channel: float = 1.0, threads: int = 16,
                 batch: int = 500, prepare_chunk: int = 200, plan_budget: float | None = 20.0) -> None:
        self.svc, self.client = svc, client
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease, self.per_channel, self.threads, self.batch = lease, per_channel, threads, batch
        self.prepare_chunk = prepare_chunk
        # Seconds a pass may spend on marked projects before it delivers what is due: after a change of the rules
        # every project is marked, and planning 100,000 takes minutes. The rest stays marked for the next tick.
        self.plan_budget = plan_budget
        self.follow_on = FollowOn(client)  # the pre-added reactions, made across passes

    def run_pass(self, now: dt.datetime | None = None, *, everything: bool = False) -> PassReport:
        now = now or self.svc.now()
        report = PassReport()
        for ws in self._workspaces():
            try:  # a month's new steps first, so this pass plans their reminders
                report.steps += routine_months.make_months(self.svc.sessions, ws, now, batch=self.batch)
                report.planned += self.plan(ws, now, everything=everything)
                report.planned += weekly_posts.plan_week(self.svc.sessions, ws, now)
                report.planned += month_reports.plan_month(self.svc.sessions, ws, now, batch=self.batch)
                report.planned += nudges.plan_day(self.svc.sessions, ws, now)
            except Exception:  # what is already planned must still go out
                log.exception("planning failed for workspace %s; delivering what is due anyway", ws.team_id)
                report.errors["planning_failed"] = report.errors.get("planning_failed", 0) + 1
        self.deliver(now, report)
        return report

    def _workspaces(self) -> list[Workspace]:
        with unit_of_work(self.svc.sessions) as session:
            return list(outbox.workspaces(session))

    def plan(self, ws: Workspace, now: dt.datetime, *, everything: bool) -> int:
        """Plan the projects a change marked; with `everything` (the daily pass before the send hour) also those
        that time alone may have given a new follow-up (quiet, behind schedule), found in SQL. Deadline reminders
        and frame alerts depend on nothing but the project's rows, which every change marks, so the daily pass
        does not look at the other projects at all."""
        rules, tz = FollowupRules.from_json(ws.rules), ws.timezone
        today = _local_date(now, tz)
        self._mark_all_if_rules_changed(ws.team_id, rules_fingerprint(rules, tz))
        new, after = 0, 0
        stop_at = time.monotonic() + self.plan_budget if self.plan_budget is not None else None
        while stop_at is None or time.monotonic() < stop_at:
            with unit_of_work(self.svc.sessions, write=True) as session:
                batch = outbox.projects_to_plan(session, ws.team_id, after_id=after, limit=self.batch)
                if not batch:
                    break
                new += self._plan_batch(session, ws.team_id, [p for p in batch if p.state == "active"], now,
                                        rules, tz)
                outbox.mark_planned(session, ws.team_id, [p.id for p in batch])
                after = batch[-1].id
        if not everything:
            return new
        with unit_of_work(self.svc.sessions) as session:
            candidates = outbox.time_based_candidates(
                session, ws.team_id, today=today, now=now, quiet_days=rules.quiet_days if rules.quiet else None,
                max_progress=100 - rules.behind_points if rules.time_vs_progress else None, pace=rules.pace)
        for start in range(0, len(candidates), self.batch):
            with unit_of_work(self.svc.sessions, write=True) as session:
                batch = outbox.projects_by_ids(session, ws.team_id, candidates[start:start + self.batch])
                new += self._plan_batch(session, ws.team_id, list(batch), now, rules, tz, only=TIME_BASED)
        return new

    def _plan_batch(self, session: Any, team_id: str, projects: list[Any], now: dt.datetime, rules: FollowupRules,
                    tz: str, *, only: tuple[str, ...] | None = None) -> int:
        month_start = _local_date(now, tz).replace(day=1)
        rows = outbox.planning_rows(session, team_id, projects, month_start, rules=only)
        plan = plan_project if only is None else plan_time_based
        planned = [vars(p) for row in rows for p in plan(row, now, rules, tz)
                   if (p.rule, p.subject, p.occasion) not in row.planned]  # planned before: left alone
        return outbox.insert_planned(session, team_id, planned)

    def _mark_all_if_rules_changed(self, team_id: str, fingerprint: str) -> None:
        with unit_of_work(self.svc.sessions) as session:
            if outbox.planned_with(session, team_id, fingerprint):
                return
        with unit_of_work(self.svc.sessions, write=True) as session:
            outbox.record_rules(session, team_id, fingerprint)

    # --- delivery ---------------------------------------------------------------------------------------------
    def deliver(self, now: dt.datetime, report: PassReport) -> None:
        started = time.monotonic()

        def pass_now() -> dt.datetime:  # `now` moves on with the pass (leases are renewed from it)
            return now + dt.timedelta(seconds=time.monotonic() - started)

        context = ClaimContext(self.svc.sessions, self.worker, self.lease, now, report, pass_now)
        jobs: list[Job] = []
        teams: list[str] = []
        preparers: list[Preparer] = []
        for ws in self._workspaces():
            with unit_of_work(self.svc.sessions, write=True) as session:
                claimed = claims.claim_due(session, ws.team_id, now=now, worker=self.worker, lease=self.lease,
                                           limit=5000)
                targets = {p.id: p for p in outbox.projects_by_ids(
                    session, ws.team_id, sorted({f.project_id for f in claimed if f.project_id is not None}))}
            report.claimed += len(claimed)
            if not claimed:
                continue
            teams.append(ws.team_id)
            mine: list[tuple[int, Job]] = []
            nudging = [f for f in claimed if f.rule in NUDGE_RULES]  # direct messages, prepared a chunk at a time
            if nudging:
                preparer, nudge_jobs = nudges.jobs(context, self.client, ws, nudging, chunk=self.prepare_chunk)
                preparers.append(preparer)
                jobs.extend(nudge_jobs)
            for followup in claimed:
                if followup.rule in NUDGE_RULES:
                    continue
                if followup.project_id is None:
                    builder = CHANNEL_POSTS.get(followup.rule)
                    job = builder(context, ws, followup) if builder else None
                    if job is None:
                        log.warning("no sender for follow-up %s (rule %s)", followup.id, followup.rule)
                        continue
                    jobs.append(job)
                    continue
                project = targets.get(followup.project_id)
                if project is None:
                    continue
                channel = project.pm_user_id if followup.rule == Rule.PL_DM else project.channel_id
                mine.append((followup.id, followup_posts.job(context, self.client, ws, followup.id, followup.rule,
                                                             project.id, channel)))
            # Prepared a chunk at a time in the order the channels will be served (round by round), so a message
            # is built from data read shortly before it is sent (the next chunk is read while this one goes out).
            ordered = rounds(mine)
            preparer = Preparer(context, ws, [fid for fid, _ in ordered], chunk=self.prepare_chunk)
            preparers.append(preparer)
            for fid, job in ordered:
                job.prepare = functools.partial(preparer.prepare, fid)
                jobs.append(job)
        try:
            if jobs:
                result = deliver(self.client, jobs, per_channel=self.per_channel, threads=self.threads,
                                 heartbeat=lambda: self._renew_leases(teams, pass_now()),
                                 heartbeat_every=max(0.5, self.lease.total_seconds() / 3),
                                 follow_on=self.follow_on)
                report.sent += result.sent
                report.errors.update(result.errors)
        finally:
            for preparer in preparers:
                preparer.close()

    def _renew_leases(self, teams: list[str], moment: dt.datetime) -> None:
        with unit_of_work(self.svc.sessions, write=True) as session:
            claims.renew_leases(session, teams, worker=self.worker, until=moment + self.lease)
