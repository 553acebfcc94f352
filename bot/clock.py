"""The clock: plans follow-ups and delivers the due ones (SPEC §4).

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
import logging
import os
import re
import socket
import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import func, select, update

from bot import followups as fu
from bot import projects
from bot.delivery import CANNOT_POST, Job, deliver
from bot.health import FrameInputs, frame_figures, frame_period
from bot.i18n import t
from bot.render.followups import render_followup
from bot.rules import FollowupRules
from bot.services import Services
from bot.workdays import add_working_days
from storage import outbox
from storage import queries as q
from storage.db import unit_of_work
from storage.models import Followup, Workspace

log = logging.getLogger("prosjektbot.clock")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
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
    today = _local_date(now, tz)
    deadlines = [fu.Deadline(f"project:{p.id}", p.id, None, p.deadline, _local_date(p.created_at, tz))] \
        if p.deadline else []
    deadlines += [fu.Deadline(f"task:{t.id}", p.id, t.id, t.deadline, _local_date(t.created_at, tz))
                  for t in row.open_deadlines if t.deadline]
    planned: list[fu.Planned] = []
    for item in deadlines:
        planned += fu.plan_deadline(item, _nag_state(row.overdue, item, tz), rules, tz)
    period_start, _ = frame_period(p.kind, p.start, p.deadline, today)  # type: ignore[arg-type]
    inputs = FrameInputs(
        today=today, kind=p.kind, state=p.state, start=p.start, deadline=p.deadline,  # type: ignore[arg-type]
        frame_minutes=p.frame_minutes, logged_minutes=row.logged_month if p.kind == "lopende" else row.logged_total,
        reported_progress=row.reported_percent, tasks_total=row.tasks_total, tasks_done=row.tasks_done,
        last_activity=row.last_log_on or _local_date(p.created_at, tz),
    )
    return planned + fu.plan_frame(p.id, inputs, frame_figures(inputs), p.frame_minutes, now, rules, tz,
                                   row.last_sent)


def _nag_state(overdue: list[Followup], item: fu.Deadline, tz: str) -> fu.NagState | None:
    mine = [f for f in overdue if f.subject == item.subject and f.occasion.startswith(item.deadline.isoformat())]
    if not mine:
        return None
    sent = [f.sent_at for f in mine if f.sent_at is not None]
    holds = [f.hold_until for f in mine if f.hold_until is not None]
    return fu.NagState(sent=len(sent), last_sent_on=_local_date(max(sent), tz) if sent else None,
                       hold_until=max(holds) if holds else None,
                       closed=any(f.resolution in ("closed", "done") for f in mine))


class Clock:
    """One clock process (or thread, in tests): `run_pass` plans, then delivers what is due."""

    def __init__(self, svc: Services, client: WebClient, *, worker: str | None = None,
                 lease: dt.timedelta = dt.timedelta(minutes=5), per_channel: float = 1.0, threads: int = 16,
                 batch: int = 500) -> None:
        self.svc, self.client = svc, client
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease, self.per_channel, self.threads, self.batch = lease, per_channel, threads, batch

    def run_pass(self, now: dt.datetime | None = None, *, everything: bool = False) -> PassReport:
        now = now or self.svc.now()
        report = PassReport()
        for ws in self._workspaces():
            try:
                report.planned += self.plan(ws, now, everything=everything)
            except Exception:  # what is already planned must still go out
                log.exception("planning failed for workspace %s; delivering what is due anyway", ws.team_id)
                report.errors["planning_failed"] = report.errors.get("planning_failed", 0) + 1
        self.deliver(now, report)
        return report

    def _workspaces(self) -> list[Workspace]:
        with unit_of_work(self.svc.sessions) as session:
            return list(outbox.workspaces(session))

    def plan(self, ws: Workspace, now: dt.datetime, *, everything: bool) -> int:
        rules, tz = FollowupRules.from_json(ws.rules), ws.timezone
        month_start = _local_date(now, tz).replace(day=1)
        after, new = 0, 0
        while True:
            with unit_of_work(self.svc.sessions, write=True) as session:
                batch = outbox.projects_to_plan(session, ws.team_id, everything=everything, after_id=after,
                                                limit=self.batch)
                if not batch:
                    return new
                rows = outbox.planning_rows(session, ws.team_id, batch, month_start)
                planned = [vars(p) for row in rows for p in plan_project(row, now, rules, tz)]
                new += outbox.insert_planned(session, ws.team_id, planned)
                outbox.mark_planned(session, ws.team_id, [p.id for p in batch])
                after = batch[-1].id

    def deliver(self, now: dt.datetime, report: PassReport) -> None:
        jobs: list[Job] = []
        for ws in self._workspaces():
            with unit_of_work(self.svc.sessions, write=True) as session:
                claimed = outbox.claim_due(session, ws.team_id, now=now, worker=self.worker, lease=self.lease,
                                           limit=5000)
                targets = {p.id: p for p in q.projects_by_ids(session, ws.team_id, {f.project_id for f in claimed})}
            report.claimed += len(claimed)
            for followup in claimed:
                project = targets.get(followup.project_id)
                if project is None:
                    continue
                channel = project.pm_user_id if followup.rule == fu.PL_DM else project.channel_id
                jobs.append(self._job(ws, followup.id, project.id, channel, now, report))
        if jobs:
            result = deliver(self.client, jobs, per_channel=self.per_channel, threads=self.threads)
            report.sent += result.sent
            report.errors.update(result.errors)

    def _job(self, ws: Workspace, followup_id: int, project_id: int, channel: str, now: dt.datetime,
             report: PassReport) -> Job:
        team_id, tz = ws.team_id, ws.timezone
        rules = FollowupRules.from_json(ws.rules)

        def prepare() -> dict[str, Any] | None:
            with unit_of_work(self.svc.sessions, write=True) as session:
                followup = outbox.followup_by_id(session, team_id, followup_id)
                if followup is None or followup.state != "claimed" or followup.claimed_by != self.worker:
                    return None  # another clock took it over (our lease ran out)
                verdict = still_applies(session, followup, now, rules, tz)
                if verdict is not True:
                    if isinstance(verdict, dt.datetime):
                        followup.state, followup.due_at, followup.claimed_by = "planned", verdict, None
                        report.postponed += 1
                    else:
                        followup.state, followup.error = "cancelled", str(verdict)
                        report.cancelled += 1
                    return None
                project = q.project_by_id(session, team_id, followup.project_id)
                assert project is not None
                task = q.task_by_id(session, team_id, project.id, followup.task_id) if followup.task_id else None
                today = _local_date(now, tz)
                snap = projects.snapshot(session, team_id, project, today=today)
                text, blocks = render_followup(followup, snap, task, today, ws.language)
                return {"text": text, "blocks": blocks, "unfurl_links": False}

        def on_sent(response: dict[str, Any]) -> None:
            with unit_of_work(self.svc.sessions, write=True) as session:
                # The project row before the follow-up, in the planner's order (it locks projects, then inserts
                # their follow-ups): the other order deadlocks with a clock planning meanwhile on PostgreSQL, and
                # losing that here left a posted message unrecorded, to be sent again after the lease.
                q.request_replan(session, team_id, [project_id])
                session.execute(update(Followup).where(Followup.id == followup_id).values(
                    state="sent", channel_id=response["channel"], message_ts=response["ts"], sent_at=now,
                    lease_until=None))
            for name in REACTIONS:  # pre-added so people can just click
                try:
                    self.client.reactions_add(channel=response["channel"], timestamp=response["ts"], name=name)
                except Exception as exc:  # a missing reaction is no reason to fail the follow-up
                    log.info("reactions.add %s failed: %s", name, exc)

        def on_failed(error: str) -> None:
            with unit_of_work(self.svc.sessions, write=True) as session:
                session.execute(update(Followup).where(Followup.id == followup_id).values(
                    state="failed", error=error[:200], lease_until=None))
                first = error in CANNOT_POST and q.mark_handled(session, team_id, f"cannot-post:{channel}")
                project = q.project_by_id(session, team_id, project_id)
            report.failed += 1
            if first and project is not None:  # the PL hears of it once per channel
                text = t("followup.channel_failed", ws.language, channel=channel, key=project.key, error=error)
                try:
                    self.client.chat_postMessage(channel=project.pm_user_id, text=text)
                except Exception as exc:
                    log.warning("could not tell the PL about %s: %s", channel, exc)

        def on_gave_up(error: str) -> None:
            with unit_of_work(self.svc.sessions, write=True) as session:
                followup = outbox.followup_by_id(session, team_id, followup_id)
                if followup is not None:
                    followup.attempts += 1
                    followup.state, followup.claimed_by, followup.error = "planned", None, error[:200]
                    followup.due_at = now + dt.timedelta(minutes=min(60, 2 ** followup.attempts))

        return Job(channel=channel, prepare=prepare, on_sent=on_sent, on_failed=on_failed, on_gave_up=on_gave_up)


def still_applies(session: Any, f: Followup, now: dt.datetime, rules: FollowupRules,
                  tz: str) -> bool | str | dt.datetime:
    """True to send; a datetime to wait until (a hold); else why it no longer applies."""
    project = q.project_by_id(session, f.team_id, f.project_id)
    if project is None or project.state != "active":
        return "project_not_active"
    if f.rule in fu.DEADLINE_RULES:
        task = q.task_by_id(session, f.team_id, project.id, f.task_id) if f.task_id else None
        if task is not None and task.done_at is not None:
            return "done"
        current = task.deadline if task is not None else project.deadline
        occasion = DATE.search(f.occasion)
        if current is None or occasion is None or current.isoformat() != occasion.group(0):
            return "deadline_changed"
        today, warn = _local_date(now, tz), fu.warn_day(current)
        if f.rule == fu.TODAY and today != warn:
            return "too_late"
        if f.rule == fu.AHEAD:
            # "n working days left" holds until the next reminder's day (a smaller n, or the day itself): after
            # downtime only the latest reminder that came due is sent, never a stale count beside it.
            days = int(f.occasion.split(":", 1)[0])
            later = max((n for n in rules.ahead_days if n < days), default=0)
            if today >= add_working_days(warn, -later):
                return "too_late"
        if f.rule in (fu.OVERDUE, fu.PL_DM):
            series = select(Followup).where(
                Followup.team_id == f.team_id, Followup.subject == f.subject, Followup.rule == fu.OVERDUE,
                Followup.occasion.startswith(current.isoformat()))
            earlier = session.scalars(series).all()
            if any(x.resolution in ("closed", "done") for x in earlier):
                return "closed"
            hold = max((x.hold_until for x in earlier if x.hold_until is not None), default=None)
            if hold is not None and hold > now:
                return hold
    elif f.rule == fu.HOURS and f.occasion.split(":")[1] != str(project.frame_minutes):
        return "frame_changed"
    elif f.rule == fu.QUIET:
        last = session.scalar(select(func.max(q.ProgressLog.logged_on)).where(
            q.ProgressLog.team_id == f.team_id, q.ProgressLog.project_id == project.id))
        if last is not None and last.isoformat() > f.occasion.split(":", 1)[0]:
            return "logged_since"
    return True


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
