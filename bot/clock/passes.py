"""The clock: plans follow-ups and delivers the due ones (docs/product.md §4).

APScheduler decides when to wake (a short interval tick, and each workspace's send hour in its time zone);
the database decides what is due and whether it was sent. Every follow-up is a row with a unique key, so
planning is idempotent; delivery claims due rows atomically with a lease, so several clocks send nothing twice
and a dead clock's claims are taken over when its lease runs out.

Worst case for a duplicate: Slack's chat.postMessage has no idempotency key, so a clock killed after Slack
accepted a message but before it recorded the message's ts will have that one message sent again by the next
clock. Each message is recorded the moment Slack answers, so at most the messages in flight at the kill
(one per channel being served) can be doubled.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import update

from bot.clock import weekly_posts
from bot.clock.delivery import FollowOn, Job, deliver
from bot.clock.preparing import Preparer, rounds
from bot.domain import followups as fu
from bot.domain.health import FrameInputs, frame_figures
from bot.domain.rules import FollowupRules
from bot.services import Services
from bot.slack.errors import CANNOT_POST
from bot.slack.i18n import t
from storage import outbox
from storage import projects as project_db
from storage import workspaces as workspace_db
from storage.db import unit_of_work
from storage.models import Followup, Workspace

log = logging.getLogger("prosjektbot.clock")
REACTIONS = ("white_check_mark", "alarm_clock", "eyes")


@dataclass
class PassReport:
    planned: int = 0
    claimed: int = 0
    sent: int = 0
    cancelled: int = 0
    postponed: int = 0
    failed: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        return (f"planned {self.planned}, due {self.claimed}, sent {self.sent}, no longer applied {self.cancelled}, "
                f"postponed {self.postponed}, failed {self.failed}")


def _local_date(moment: dt.datetime, tz: str) -> dt.date:
    return moment.astimezone(ZoneInfo(tz)).date()


def plan_project(row: outbox.PlanningRow, now: dt.datetime, rules: FollowupRules, tz: str) -> list[fu.Planned]:
    """Every follow-up one active project needs now (planning it again plans nothing new)."""
    p = row.project
    deadlines = [fu.Deadline(f"project:{p.id}", p.id, None, p.deadline, _local_date(p.created_at, tz))] \
        if p.deadline else []
    deadlines += [fu.Deadline(f"task:{t.id}", p.id, t.id, t.deadline, _local_date(t.created_at, tz))
                  for t in row.open_deadlines if t.deadline]
    planned: list[fu.Planned] = []
    for item in deadlines:
        planned += fu.plan_deadline(item, _nag_state(row.overdue, item, tz), rules, tz)
    return planned + _plan_frame(row, now, rules, tz)


TIME_BASED = (fu.BEHIND, fu.QUIET)  # the rules time alone can bring about (the daily pass looks for them)


def plan_time_based(row: outbox.PlanningRow, now: dt.datetime, rules: FollowupRules, tz: str) -> list[fu.Planned]:
    """What plan_project plans by the time-based rules (for a project no change marked: the rest is planned)."""
    return [p for p in _plan_frame(row, now, rules, tz) if p.rule in TIME_BASED]


def _plan_frame(row: outbox.PlanningRow, now: dt.datetime, rules: FollowupRules, tz: str) -> list[fu.Planned]:
    p = row.project
    today = _local_date(now, tz)
    inputs = FrameInputs(
        today=today, kind=p.kind, state=p.state, start=p.start, deadline=p.deadline,  # type: ignore[arg-type]
        frame_minutes=p.frame_minutes, logged_minutes=row.logged_month if p.kind == "lopende" else row.logged_total,
        reported_progress=row.reported_percent, tasks_total=row.tasks_total, tasks_done=row.tasks_done,
        last_activity=row.last_log_on or _local_date(p.created_at, tz),
    )
    return fu.plan_frame(p.id, inputs, frame_figures(inputs), p.frame_minutes, now, rules, tz, row.last_sent)


def _nag_state(overdue: list[Any], item: fu.Deadline, tz: str) -> fu.NagState | None:
    mine = [f for f in overdue if f.subject == item.subject and f.occasion.startswith(item.deadline.isoformat())]
    if not mine:
        return None
    # A nag that could not be posted (the bot was removed from the channel) counts as given: the series goes on
    # from it, so the nags resume once the channel is fixed instead of stopping for good.
    given = [f.sent_at or f.failed_at for f in mine if f.sent_at is not None or f.failed_at is not None]
    holds = [f.hold_until for f in mine if f.hold_until is not None]
    return fu.NagState(sent=len(given), last_sent_on=_local_date(max(given), tz) if given else None,
                       hold_until=max(holds) if holds else None,
                       closed=any(f.resolution in ("closed", "done") for f in mine))


def rules_fingerprint(rules: FollowupRules, tz: str) -> str:
    """Names the rules and zone a workspace was planned with: when they change, every project is planned again."""
    return "planned-with:" + hashlib.sha256(f"{rules.model_dump_json()}|{tz}".encode()).hexdigest()[:32]


# Channel posts that belong to no project (e.g. a weekly summary): rule → builds the Job that sends one.
ChannelPost = Callable[["Clock", Workspace, Followup, dt.datetime, "PassReport"], Job | None]
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
            try:
                report.planned += self.plan(ws, now, everything=everything)
                report.planned += weekly_posts.plan_week(self.svc.sessions, ws, now)
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
                max_progress=100 - rules.behind_points if rules.time_vs_progress else None)
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

        jobs: list[Job] = []
        teams: list[str] = []
        preparers: list[Preparer] = []
        for ws in self._workspaces():
            with unit_of_work(self.svc.sessions, write=True) as session:
                claimed = outbox.claim_due(session, ws.team_id, now=now, worker=self.worker, lease=self.lease,
                                           limit=5000)
                targets = {p.id: p for p in outbox.projects_by_ids(
                    session, ws.team_id, sorted({f.project_id for f in claimed if f.project_id is not None}))}
            report.claimed += len(claimed)
            if not claimed:
                continue
            teams.append(ws.team_id)
            mine: list[tuple[int, Job]] = []
            for followup in claimed:
                if followup.project_id is None:
                    builder = CHANNEL_POSTS.get(followup.rule)
                    job = builder(self, ws, followup, now, report) if builder else None
                    if job is None:
                        log.warning("no sender for follow-up %s (rule %s)", followup.id, followup.rule)
                        continue
                    jobs.append(job)
                    continue
                project = targets.get(followup.project_id)
                if project is None:
                    continue
                channel = project.pm_user_id if followup.rule == fu.PL_DM else project.channel_id
                mine.append((followup.id, self._job(ws, followup.id, followup.rule, project.id, channel, now,
                                                    report)))
            # Prepared a chunk at a time in the order the channels will be served (round by round), so a message
            # is built from data read shortly before it is sent (the next chunk is read while this one goes out).
            ordered = rounds(mine)
            preparer = Preparer(self, ws, [fid for fid, _ in ordered], now, report, pass_now)
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
            outbox.renew_leases(session, teams, worker=self.worker, until=moment + self.lease)

    def _job(self, ws: Workspace, followup_id: int, rule: str, project_id: int, channel: str, now: dt.datetime,
             report: PassReport) -> Job:
        team_id = ws.team_id

        # Only a nag has a successor that depends on it going out (the next nag is planned from it); the weekly
        # alerts come again through the daily pass, the rest have none.
        successor = rule == fu.OVERDUE

        def on_sent(response: dict[str, Any]) -> None:
            with unit_of_work(self.svc.sessions, write=True) as session:
                # The project row before the follow-up, in the planner's order (it locks projects, then inserts
                # their follow-ups): the other order deadlocks with a clock planning meanwhile on PostgreSQL, and
                # losing that here left a posted message unrecorded, to be sent again after the lease.
                if successor:
                    project_db.request_replan(session, team_id, [project_id])
                session.execute(update(Followup).where(Followup.team_id == team_id, Followup.id == followup_id)
                                .values(state="sent", channel_id=response["channel"], message_ts=response["ts"],
                                        sent_at=now, lease_until=None))

        def then(response: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
            # pre-added so people can just click; from a queue of their own, never holding the channel's turn
            return [("reactions.add", {"channel": response["channel"], "timestamp": response["ts"], "name": name})
                    for name in REACTIONS]

        def on_failed(error: str) -> None:
            with unit_of_work(self.svc.sessions, write=True) as session:
                if successor:
                    project_db.request_replan(session, team_id, [project_id])  # the series goes on (see _nag_state)
                session.execute(update(Followup).where(Followup.team_id == team_id, Followup.id == followup_id)
                                .values(state="failed", error=error[:200], lease_until=None, failed_at=now))
                first = error in CANNOT_POST and workspace_db.mark_handled(session, team_id, f"cannot-post:{channel}")
                project = project_db.project_by_id(session, team_id, project_id)
            report.failed += 1
            if first and project is not None:  # the PL hears of it once per channel
                text = t("followup.channel_failed", ws.language, channel=channel, key=project.key, error=error)
                try:
                    self.client.chat_postMessage(channel=project.pm_user_id, text=text)
                except Exception as exc:
                    log.warning("could not tell the PL about %s: %s", channel, exc)

        def on_gave_up(error: str) -> None:
            with unit_of_work(self.svc.sessions, write=True) as session:
                outbox.retry_later(session, team_id, followup_id, worker=self.worker, now=now, error=error)

        return Job(channel=channel, prepare=lambda: None, on_sent=on_sent, on_failed=on_failed,
                   on_gave_up=on_gave_up, then=then)


def run_forever(clock: Clock, *, tick_seconds: float = 30.0) -> None:
    """APScheduler decides when to wake: every `tick_seconds`, and at each workspace's send hour in its own
    time zone (with a full planning pass just before it)."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    scheduler = BlockingScheduler(timezone=dt.UTC)
    scheduler.add_job(clock.run_pass, IntervalTrigger(seconds=tick_seconds), id="tick", coalesce=True,
                      max_instances=1, next_run_time=dt.datetime.now(dt.UTC))
    zones = {ws.timezone for ws in clock._workspaces()} or {clock.svc.settings.prosjekt_timezone}
    for zone in sorted(zones):
        hour = FollowupRules().send_hour
        scheduler.add_job(lambda: clock.run_pass(everything=True),
                          CronTrigger(hour=hour - 1 if hour else 0, minute=55, timezone=ZoneInfo(zone)),
                          id=f"plan:{zone}", coalesce=True, max_instances=1)
        scheduler.add_job(clock.run_pass, CronTrigger(hour=hour, minute=0, second=5, timezone=ZoneInfo(zone)),
                          id=f"send:{zone}", coalesce=True, max_instances=1)
    log.info("clock %s running: tick every %ss, send hour in %s", clock.worker, tick_seconds, ", ".join(sorted(zones)))
    scheduler.start()
