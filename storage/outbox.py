"""The clock's queries: what to plan from (set-based, a batch of projects at a time), planned follow-ups
(insert once), and the outbox of due follow-ups (claimed atomically with a lease). All per workspace."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Followup, ProgressLog, Project, Task, Workspace
from storage.queries import _insert


@dataclass
class PlanningRow:
    """One active project and what planning needs to know of it."""

    project: Project
    open_deadlines: list[Task]
    tasks_total: int
    tasks_done: int
    logged_total: int
    logged_month: int
    reported_percent: int | None
    last_log_on: dt.date | None
    overdue: list[Followup]  # the overdue nags planned so far (sent or not)
    last_sent: dict[str, dt.datetime]  # rule → when one of the project's follow-ups by that rule was last sent


def workspaces(session: Session) -> Sequence[Workspace]:
    return session.scalars(select(Workspace).order_by(Workspace.team_id)).all()


def projects_to_plan(session: Session, team_id: str, *, everything: bool, after_id: int = 0,
                     limit: int = 1000) -> Sequence[Project]:
    """Active projects marked for planning (or all of them), in id order from `after_id`."""
    stmt = select(Project).where(Project.team_id == team_id, Project.state == "active", Project.id > after_id)
    if not everything:
        stmt = stmt.where(Project.replan.is_(True))
    stmt = stmt.order_by(Project.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        # Locked until planned, so a change committed meanwhile cannot have its replan mark cleared unseen,
        # and clocks planning at once take different projects.
        stmt = stmt.with_for_update(skip_locked=True)
    return session.scalars(stmt).all()


def planning_rows(session: Session, team_id: str, batch: Sequence[Project], month_start: dt.date) -> list[PlanningRow]:
    """Everything planning needs for a batch, in a fixed number of queries whatever the batch size."""
    ids = [p.id for p in batch]
    if not ids:
        return []
    in_batch = and_(ProgressLog.team_id == team_id, ProgressLog.project_id.in_(ids))
    logged = {
        row.project_id: row for row in session.execute(
            select(ProgressLog.project_id, func.sum(ProgressLog.minutes).label("total"),
                   func.sum(case((ProgressLog.logged_on >= month_start, ProgressLog.minutes), else_=0)).label("month"),
                   func.max(ProgressLog.logged_on).label("last"))
            .where(in_batch).group_by(ProgressLog.project_id))
    }
    latest = (select(ProgressLog.project_id, func.max(ProgressLog.id).label("id"))
              .where(in_batch, ProgressLog.percent.is_not(None)).group_by(ProgressLog.project_id).subquery())
    percents = dict(session.execute(
        select(ProgressLog.project_id, ProgressLog.percent).join(latest, ProgressLog.id == latest.c.id)).all())
    tasks_by_project: dict[int, list[Task]] = defaultdict(list)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for task in session.scalars(select(Task).where(Task.team_id == team_id, Task.project_id.in_(ids))):
        counts[task.project_id][0] += 1
        if task.done_at is None:
            if task.deadline is not None:
                tasks_by_project[task.project_id].append(task)
        else:
            counts[task.project_id][1] += 1
    overdue: dict[int, list[Followup]] = defaultdict(list)
    for followup in session.scalars(select(Followup).where(
            Followup.team_id == team_id, Followup.project_id.in_(ids), Followup.rule == "overdue")):
        overdue[followup.project_id].append(followup)
    last_sent: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
    for project_id, rule, sent in session.execute(
            select(Followup.project_id, Followup.rule, func.max(Followup.sent_at))
            .where(Followup.team_id == team_id, Followup.project_id.in_(ids), Followup.rule.in_(("quiet", "behind")),
                   Followup.sent_at.is_not(None))
            .group_by(Followup.project_id, Followup.rule)):
        if sent is not None:
            last_sent[project_id][rule] = sent
    return [
        PlanningRow(
            project=p, open_deadlines=tasks_by_project.get(p.id, []), tasks_total=counts[p.id][0],
            tasks_done=counts[p.id][1], logged_total=int(logged[p.id].total) if p.id in logged else 0,
            logged_month=int(logged[p.id].month) if p.id in logged else 0, reported_percent=percents.get(p.id),
            last_log_on=logged[p.id].last if p.id in logged else None, overdue=overdue.get(p.id, []),
            last_sent=last_sent.get(p.id, {}),
        )
        for p in batch
    ]


INSERT_CHUNK = 1000  # rows per INSERT: 13 columns each stays far below PostgreSQL's 65,535 bind parameters


def insert_planned(session: Session, team_id: str, rows: Iterable[dict[str, object]]) -> int:
    """Insert follow-ups; those planned before (same rule, subject, occasion) are left alone. How many were new."""
    values = [{**row, "team_id": team_id, "state": "planned", "attempts": 0} for row in rows]
    new = 0
    for start in range(0, len(values), INSERT_CHUNK):
        chunk = values[start:start + INSERT_CHUNK]
        stmt = _insert(session, Followup).values(chunk).on_conflict_do_nothing().returning(Followup.id)
        new += len(session.execute(stmt).all())
    return new


def mark_planned(session: Session, team_id: str, project_ids: Sequence[int]) -> None:
    if project_ids:
        session.execute(update(Project).where(Project.team_id == team_id, Project.id.in_(project_ids))
                        .values(replan=False))


def claim_due(session: Session, team_id: str, *, now: dt.datetime, worker: str, lease: dt.timedelta,
              limit: int) -> Sequence[Followup]:
    """Claim due follow-ups for this worker: planned and due, or claimed by a worker whose lease ran out.

    PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent clocks claim disjoint rows. SQLite: the caller's unit of
    work is an immediate (write-locked) transaction, which serialises claims."""
    due = and_(Followup.team_id == team_id, Followup.due_at <= now,
               or_(Followup.state == "planned", and_(Followup.state == "claimed", Followup.lease_until < now)))
    pick = select(Followup.id).where(due).order_by(Followup.due_at, Followup.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = list(session.scalars(pick))
    if not ids:
        return []
    session.execute(update(Followup).where(Followup.id.in_(ids))
                    .values(state="claimed", claimed_by=worker, lease_until=now + lease))
    return session.scalars(select(Followup).where(Followup.id.in_(ids)).order_by(Followup.due_at, Followup.id)).all()


def followup_by_message(session: Session, team_id: str, channel_id: str, ts: str) -> Followup | None:
    return session.scalar(select(Followup).where(Followup.team_id == team_id, Followup.channel_id == channel_id,
                                                 Followup.message_ts == ts))


def followup_by_id(session: Session, team_id: str, followup_id: int) -> Followup | None:
    return session.scalar(select(Followup).where(Followup.team_id == team_id, Followup.id == followup_id))


def followups_for_subject(session: Session, team_id: str, subject: str) -> Sequence[Followup]:
    """Every follow-up about one project deadline or task ("project:12", "task:34"), oldest first."""
    return session.scalars(select(Followup).where(Followup.team_id == team_id, Followup.subject == subject)
                           .order_by(Followup.id)).all()
