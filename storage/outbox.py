"""The clock's queries: what to plan from (set-based, a batch of projects at a time), planned follow-ups
(insert once), and what deciding and building the due ones needs (their delivery is in storage.claims). All per
workspace."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import and_, case, delete, exists, func, or_, select, text, update
from sqlalchemy.orm import Session

from bot.domain.followups import FollowupState
from bot.domain.health import frame_period
from bot.domain.occasion import Rule
from bot.domain.readmodels import GoalLine, LogLine, ProjectView, TaskView
from storage.cards import CardData, task_order
from storage.models import Followup, Goal, HandledRequest, ProgressLog, Project, Task, Workspace
from storage.retainers import carried
from storage.sql import insert_for
from storage.tasks import LOGGED_AGAINST
from storage.workspaces import mark_handled

M = TypeVar("M", Followup, Task, ProgressLog)
# A log's cost as log_days sums it (migration 0012): minutes × its rate (none: 0), summed over billable logs.
_COST = ProgressLog.minutes * func.coalesce(ProgressLog.rate_nok, 0)


@dataclass
class PlanningRow:
    """One active project and what planning needs to know of it."""

    project: Project
    open_deadlines: list[Any]  # the open tasks with a deadline: id, deadline, created_at
    tasks_total: int
    tasks_done: int
    logged_total: int
    logged_month: int
    reported_percent: int | None
    last_log_on: dt.date | None
    overdue: list[Any]  # the overdue nags planned so far (sent or not): subject, occasion, sent_at, ...
    last_sent: dict[str, dt.datetime]  # rule → when one of the project's follow-ups by that rule was last sent
    planned: set[tuple[str, str, str]]  # (rule, subject, occasion) of every follow-up planned for it so far
    estimate_total: int = 0  # minutes: the estimates of its tasks (routine steps), and of the done ones
    estimate_done: int = 0
    cost_total: int = 0  # Σ minutes × rate of its billable logs (kroner = / 60), and of this month's
    cost_month: int = 0
    carried: int = 0  # løpende with roll-over: minutes carried into this month (storage.retainers)


def workspaces(session: Session) -> Sequence[Workspace]:
    return session.scalars(select(Workspace).order_by(Workspace.team_id)).all()


def zones_and_rules(session: Session) -> list[tuple[str, str | None]]:
    """The distinct (time zone, follow-up rules as stored) of the workspaces: what the clock's daily passes are
    timed by (most workspaces share a few, so this is a handful of rows)."""
    return [(zone, rules) for zone, rules in session.execute(select(Workspace.timezone, Workspace.rules).distinct())]


def projects_to_plan(session: Session, team_id: str, *, after_id: int = 0, limit: int = 1000) -> Sequence[Project]:
    """Projects marked for planning (in any state: the caller plans the active ones and clears every mark), in id
    order from `after_id`. Found through a partial index that holds only the marked ones."""
    stmt = (select(Project).where(Project.team_id == team_id, Project.replan, Project.id > after_id)
            .order_by(Project.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        # Locked until planned, so a change committed meanwhile cannot have its replan mark cleared unseen,
        # and clocks planning at once take different projects.
        stmt = stmt.with_for_update(skip_locked=True)
    return session.scalars(stmt).all()


PENDING = (FollowupState.PLANNED, FollowupState.CLAIMED)


def _no_recent(team_id: str, rule: str, week_ago: dt.datetime) -> Any:
    """No follow-up by `rule` for the project is waiting to go out, or went out (or failed) within the week."""
    return ~exists().where(
        Followup.team_id == team_id, Followup.project_id == Project.id, Followup.rule == rule,
        or_(Followup.state.in_(PENDING), Followup.sent_at > week_ago, Followup.failed_at > week_ago))


def time_based_candidates(session: Session, team_id: str, *, today: dt.date, now: dt.datetime, quiet_days: int | None,
                          max_progress: int | None, pace: bool = False) -> list[int]:
    """Active projects that time alone may have given a new follow-up since they were last planned, in id order:
    quiet for `quiet_days` (None: the rule is off), or with progress at most `max_progress` % (None: off), past
    their start, and no alert by that rule waiting or sent within the week. A superset, decided by the planner;
    everything else a project needs is planned when a change marks it for planning. With `pace`: løpende projects
    with a monthly frame, past their start, without both this month's pace alerts."""
    if session.get_bind().dialect.name == "postgresql":
        # Its cost estimate (a probe per project) makes PostgreSQL compile the query first: 0.4 s of JIT for a
        # query that runs in 0.3 s.
        session.execute(text("SET LOCAL jit = off"))
    week_ago = now - dt.timedelta(days=7)
    logs = ProgressLog.team_id == team_id, ProgressLog.project_id == Project.id
    active = select(Project.id).where(Project.team_id == team_id, Project.state == "active")
    found: set[int] = set()
    if quiet_days is not None:
        cutoff = today - dt.timedelta(days=quiet_days)
        # The planner counts from the creation day in the workspace's zone: a day's margin covers every zone.
        created_before = dt.datetime.combine(cutoff + dt.timedelta(days=2), dt.time(), tzinfo=dt.UTC)
        found.update(session.scalars(active.where(
            Project.start <= cutoff, ~exists().where(*logs, ProgressLog.logged_on > cutoff),
            or_(Project.created_at < created_before, exists().where(*logs)),
            _no_recent(team_id, Rule.QUIET, week_ago))))
    if max_progress is not None:
        reported = (select(ProgressLog.percent).where(*logs, ProgressLog.percent.is_not(None))
                    .order_by(ProgressLog.id.desc()).limit(1).scalar_subquery())
        tasks = Task.team_id == team_id, Task.project_id == Project.id
        done = Task.done_at.is_not(None)
        estimated = 100.0 * func.sum(case((done, Task.estimate_minutes), else_=0)) \
            / func.nullif(func.sum(Task.estimate_minutes), 0)
        counted = 100.0 * func.sum(case((done, 1), else_=0)) / func.nullif(func.count(), 0)
        # as bot.domain.health: the share of the estimated hours done, else of the tasks
        share = select(func.coalesce(estimated, counted)).where(*tasks).scalar_subquery()
        found.update(session.scalars(active.where(
            Project.start <= today, or_(Project.kind == "lopende", Project.deadline.is_not(None)),
            func.coalesce(reported, share) <= max_progress, _no_recent(team_id, Rule.BEHIND, week_ago))))
    if pace:
        month = today.isoformat()[:7]

        def no_pace(rule: str) -> Any:
            return ~exists().where(Followup.team_id == team_id, Followup.project_id == Project.id,
                                   Followup.rule == rule, Followup.occasion.startswith(month))

        found.update(session.scalars(active.where(
            Project.kind == "lopende", Project.frame_minutes > 0, Project.start <= today,
            or_(no_pace(Rule.PACE_HIGH), no_pace(Rule.PACE_LOW)))))
    return sorted(found)


def projects_by_ids(session: Session, team_id: str, ids: Sequence[int]) -> Sequence[Project]:
    return session.scalars(select(Project).where(Project.team_id == team_id, Project.id.in_(ids))
                           .order_by(Project.id)).all()


def planning_rows(session: Session, team_id: str, batch: Sequence[Project], month_start: dt.date, *,
                  rules: Sequence[str] | None = None) -> list[PlanningRow]:
    """Everything planning needs for a batch, in a fixed number of queries whatever the batch size. With `rules`:
    what planning by those frame rules needs (counts of tasks, not the tasks; only those rules' follow-ups)."""
    ids = [p.id for p in batch]
    if not ids:
        return []
    in_batch = and_(ProgressLog.team_id == team_id, ProgressLog.project_id.in_(ids))
    this_month = ProgressLog.logged_on >= month_start
    logged = {
        row.project_id: row for row in session.execute(
            select(ProgressLog.project_id, func.sum(ProgressLog.minutes).label("total"),
                   func.sum(case((this_month, ProgressLog.minutes), else_=0)).label("month"),
                   func.max(ProgressLog.logged_on).label("last"),
                   func.sum(case((ProgressLog.billable, _COST), else_=0)).label("cost_total"),
                   func.sum(case((and_(this_month, ProgressLog.billable), _COST), else_=0)).label("cost_month"))
            .where(in_batch).group_by(ProgressLog.project_id))
    }
    latest = (select(ProgressLog.project_id, func.max(ProgressLog.id).label("id"))
              .where(in_batch, ProgressLog.percent.is_not(None)).group_by(ProgressLog.project_id).subquery())
    percents = dict(session.execute(
        select(ProgressLog.project_id, ProgressLog.percent).join(latest, ProgressLog.id == latest.c.id)).all())
    tasks_by_project: dict[int, list[Any]] = defaultdict(list)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tasks, done, minutes estimated, done
    in_tasks = and_(Task.team_id == team_id, Task.project_id.in_(ids))
    if rules is not None:
        estimated_done = func.sum(case((Task.done_at.is_not(None), Task.estimate_minutes), else_=0))
        for project_id, total, done, estimated, finished in session.execute(
                select(Task.project_id, func.count(), func.count(Task.done_at), func.sum(Task.estimate_minutes),
                       estimated_done).where(in_tasks).group_by(Task.project_id)):
            counts[project_id] = [int(total), int(done), int(estimated or 0), int(finished or 0)]
    else:
        for task in session.execute(select(Task.id, Task.project_id, Task.deadline, Task.done_at, Task.created_at,
                                           Task.estimate_minutes).where(in_tasks)):
            tally = counts[task.project_id]
            tally[0] += 1
            tally[2] += task.estimate_minutes or 0
            if task.done_at is None:
                if task.deadline is not None:
                    tasks_by_project[task.project_id].append(task)
            else:
                tally[1] += 1
                tally[3] += task.estimate_minutes or 0
    overdue: dict[int, list[Any]] = defaultdict(list)
    last_sent: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
    planned: dict[int, set[tuple[str, str, str]]] = defaultdict(set)
    followups = select(Followup.project_id, Followup.rule, Followup.subject, Followup.occasion, Followup.sent_at,
                       Followup.failed_at, Followup.hold_until, Followup.resolution) \
        .where(Followup.team_id == team_id, Followup.project_id.in_(ids))
    for f in session.execute(followups if rules is None else followups.where(Followup.rule.in_(rules))):
        planned[f.project_id].add((f.rule, f.subject, f.occasion))
        if f.rule == Rule.OVERDUE:
            overdue[f.project_id].append(f)
        attempted = f.sent_at or f.failed_at  # a post that failed counts: its series goes on from then
        if f.rule in (Rule.QUIET, Rule.BEHIND) and attempted is not None:
            known = last_sent[f.project_id].get(f.rule)
            last_sent[f.project_id][f.rule] = attempted if known is None else max(known, attempted)
    carried_in = carried(session, team_id, batch, month_start)
    return [
        PlanningRow(
            project=p, open_deadlines=tasks_by_project.get(p.id, []), tasks_total=counts[p.id][0],
            tasks_done=counts[p.id][1], logged_total=int(logged[p.id].total) if p.id in logged else 0,
            logged_month=int(logged[p.id].month) if p.id in logged else 0, reported_percent=percents.get(p.id),
            last_log_on=logged[p.id].last if p.id in logged else None, overdue=overdue.get(p.id, []),
            last_sent=last_sent.get(p.id, {}), planned=planned.get(p.id, set()),
            estimate_total=counts[p.id][2], estimate_done=counts[p.id][3],
            cost_total=int(logged[p.id].cost_total or 0) if p.id in logged else 0,
            cost_month=int(logged[p.id].cost_month or 0) if p.id in logged else 0,
            carried=carried_in.get(p.id, 0),
        )
        for p in batch
    ]


INSERT_CHUNK = 1000  # rows per INSERT on SQLite (its multi-row INSERTs stay far below any parameter limit)
PG_CHUNK = 5000  # rows per INSERT on PostgreSQL (one array per column, so no limit on bind parameters)

# One array a column, unnested: one small statement for thousands of rows, about twice as fast as a multi-row
# VALUES list (parsed anew each time, with a bind parameter for every value).
_PG_INSERT = text("""
INSERT INTO followups (team_id, project_id, task_id, rule, subject, occasion, due_at, channel_id, state, attempts,
                       created_at)
SELECT :team_id, p, t, r, s, o, d, c, 'planned', 0, :stamp
FROM unnest(CAST(:p AS integer[]), CAST(:t AS integer[]), CAST(:r AS varchar[]), CAST(:s AS varchar[]),
            CAST(:o AS varchar[]), CAST(:d AS timestamptz[]), CAST(:c AS varchar[])) AS v(p, t, r, s, o, d, c)
ON CONFLICT DO NOTHING RETURNING id""")


def insert_planned(session: Session, team_id: str, rows: Iterable[dict[str, object]]) -> int:
    """Insert follow-ups; those planned before (same rule, subject, occasion) are left alone. How many were new."""
    stamp = dt.datetime.now(dt.UTC)
    rows = list(rows)
    new = 0
    if session.get_bind().dialect.name == "postgresql":
        for start in range(0, len(rows), PG_CHUNK):
            chunk = rows[start:start + PG_CHUNK]
            columns = {key: [row.get(name) for row in chunk] for key, name in (
                ("p", "project_id"), ("t", "task_id"), ("r", "rule"), ("s", "subject"), ("o", "occasion"),
                ("d", "due_at"), ("c", "channel_id"))}
            new += len(session.execute(_PG_INSERT, {"team_id": team_id, "stamp": stamp, **columns}).all())
        return new
    # SQLite: one cached Core statement run as executemany (SQLAlchemy sends multi-row INSERTs with RETURNING).
    values = [{"task_id": None, **row, "team_id": team_id, "state": FollowupState.PLANNED, "attempts": 0,
               "created_at": stamp} for row in rows]
    table = Followup.__table__
    stmt = insert_for(session, table).on_conflict_do_nothing().returning(table.c.id)  # type: ignore[arg-type]
    for start in range(0, len(values), INSERT_CHUNK):
        new += len(session.execute(stmt, values[start:start + INSERT_CHUNK]).all())
    return new


def planned_with(session: Session, team_id: str, fingerprint: str) -> bool:
    """Whether the workspace's projects were planned with the rules `fingerprint` names. (Kept in handled_requests:
    a purge of that table must keep the `planned-with:` rows, or every project is planned again once.)"""
    return session.get(HandledRequest, (team_id, fingerprint)) is not None


def record_rules(session: Session, team_id: str, fingerprint: str) -> None:
    """The rules changed (or were never recorded): every project of the workspace is planned again."""
    prefix = fingerprint.split(":", 1)[0] + ":"
    session.execute(delete(HandledRequest).where(HandledRequest.team_id == team_id,
                                                 HandledRequest.request_id.startswith(prefix)))
    if mark_handled(session, team_id, fingerprint):  # another clock may have seen the change first
        session.execute(update(Project).where(Project.team_id == team_id, Project.state == "active",
                                              Project.replan.is_not(True)).values(replan=True))


def mark_planned(session: Session, team_id: str, project_ids: Sequence[int]) -> None:
    if project_ids:
        session.execute(update(Project).where(Project.team_id == team_id, Project.id.in_(project_ids))
                        .values(replan=False))


@dataclass
class DeliveryFacts:
    """What deciding whether claimed follow-ups still apply needs, read in a fixed number of queries."""

    projects: dict[int, Project]
    tasks: dict[int, Task]
    subjects: dict[str, list[Any]]  # subject → its follow-ups: rule, occasion, hold_until, resolution
    last_log: dict[int, dt.date]  # project → the day of its last log


def _by_ids(session: Session, model: type[M], team_id: str, ids: Sequence[int]) -> list[M]:
    """The workspace's rows of `model` with these ids, by primary key, the workspace checked on the rows found.
    Not `team_id = ? AND id IN (…)`: SQLite, without statistics, walks the workspace's whole index for that."""
    if not ids:
        return []
    return [row for row in session.scalars(select(model).where(model.id.in_(ids))) if row.team_id == team_id]


def followups_by_ids(session: Session, team_id: str, ids: Sequence[int]) -> Sequence[Followup]:
    return _by_ids(session, Followup, team_id, ids)


def delivery_facts(session: Session, team_id: str, followups: Sequence[Followup]) -> DeliveryFacts:
    project_ids = sorted({f.project_id for f in followups if f.project_id is not None})
    task_ids = sorted({f.task_id for f in followups if f.task_id is not None})
    subjects = sorted({f.subject for f in followups})
    found = session.scalars(select(Project).where(Project.team_id == team_id, Project.id.in_(project_ids))).all() \
        if project_ids else []
    tasks = _by_ids(session, Task, team_id, task_ids)
    series: dict[str, list[Any]] = defaultdict(list)
    if subjects:
        for row in session.execute(select(Followup.subject, Followup.rule, Followup.occasion, Followup.hold_until,
                                          Followup.resolution)
                                   .where(Followup.team_id == team_id, Followup.subject.in_(subjects))):
            series[row.subject].append(row)
    quiet = sorted({f.project_id for f in followups if f.rule == Rule.QUIET and f.project_id is not None})
    last_log = dict(session.execute(
        select(ProgressLog.project_id, func.max(ProgressLog.logged_on))
        .where(ProgressLog.team_id == team_id, ProgressLog.project_id.in_(quiet))
        .group_by(ProgressLog.project_id)).all()) if quiet else {}
    return DeliveryFacts(projects={p.id: p for p in found}, tasks={t.id: t for t in tasks}, subjects=dict(series),
                         last_log=last_log)


def card_data(session: Session, team_id: str, projects: Sequence[Project] | Sequence[ProjectView], *, today: dt.date,
              until: dt.datetime | None = None, carried_in: Mapping[int, int] | None = None) -> dict[int, CardData]:
    """What `cards.project_card` reads of each project's logs, tasks and goals, for many projects at once (the clock
    renders a chunk of follow-ups at a time): at most four statements, whatever the number of projects, and what
    roll-over carried into `today`'s month unless `carried_in` holds it. With `until` (the end of `today`, a past
    day: the month-end report's health), as it was then: logs dated after `today`, tasks made after it left out,
    and tasks done after it not done."""
    ids = sorted({p.id for p in projects})
    logs: dict[int, list[Any]] = {i: [] for i in ids}
    tasks: dict[int, list[TaskView]] = {i: [] for i in ids}
    goals: dict[int, list[GoalLine]] = {i: [] for i in ids}
    if not ids:
        return {}
    for row in session.execute(select(ProgressLog.project_id, ProgressLog.id, ProgressLog.logged_on,
                                      ProgressLog.minutes, ProgressLog.percent, ProgressLog.created_at,
                                      ProgressLog.billable, ProgressLog.rate_nok)
                               .where(ProgressLog.team_id == team_id, ProgressLog.project_id.in_(ids),
                                      *(() if until is None else (ProgressLog.logged_on <= today,)))):
        logs[row.project_id].append(row)
    for rows in logs.values():
        rows.sort(key=lambda r: (r.created_at, r.id), reverse=True)  # as the card orders its newest logs
    newest = [r.id for rows in logs.values() for r in rows[:3]]
    latest = {log.id: LogLine(log.user_id, log.minutes, log.logged_on, log.description)
              for log in _by_ids(session, ProgressLog, team_id, newest)}
    done_then = Task.done_at.is_not(None) if until is None else and_(Task.done_at.is_not(None), Task.done_at < until)
    for project_id, task_id, title, owner, deadline, done, estimate, logged in session.execute(
            select(Task.project_id, Task.id, Task.title, Task.owner_user_id, Task.deadline, done_then,
                   Task.estimate_minutes, LOGGED_AGAINST)
            .where(Task.team_id == team_id, Task.project_id.in_(ids),
                   *(() if until is None else (Task.created_at < until,)))):
        tasks[project_id].append(TaskView(task_id, title, owner, deadline, bool(done), estimate, int(logged)))
    for items in tasks.values():
        items.sort(key=task_order)
    for project_id, title, target, current in session.execute(
            select(Goal.project_id, Goal.title, Goal.target_value, Goal.current_value)
            .where(Goal.team_id == team_id, Goal.project_id.in_(ids)).order_by(Goal.id)):
        goals[project_id].append(GoalLine(title, target, current))
    if carried_in is None:
        carried_in = carried(session, team_id, projects, today)
    return {p.id: _card_of(p, logs[p.id], latest, tasks[p.id], goals[p.id], today)._replace(
        carried=carried_in.get(p.id, 0)) for p in projects}


def _card_of(project: Project | ProjectView, logs: list[Any], latest: dict[int, LogLine], tasks: list[TaskView],
             goals: list[GoalLine], today: dt.date) -> CardData:
    """A project's card from its logs (newest first): the hours in the frame's period, the last % saved."""
    since, until = frame_period(project.kind, project.start, project.deadline, today)  # type: ignore[arg-type]
    reported = max((r for r in logs if r.percent is not None), key=lambda r: r.id, default=None)
    period = [r for r in logs if r.logged_on >= since and (until is None or r.logged_on <= until)]
    return CardData(
        period=sum(r.minutes for r in period),
        percent=reported.percent if reported else None, latest=[latest[r.id] for r in logs[:3]],
        tasks=tasks, goals=goals, cost=sum(r.minutes * (r.rate_nok or 0) for r in period if r.billable),
        rate_known=project.rate_nok is not None or any(r.rate_nok is not None for r in logs),
    )


def followup_by_message(session: Session, team_id: str, channel_id: str, ts: str) -> Followup | None:
    return session.scalar(select(Followup).where(Followup.team_id == team_id, Followup.channel_id == channel_id,
                                                 Followup.message_ts == ts))


def followup_by_id(session: Session, team_id: str, followup_id: int) -> Followup | None:
    return session.scalar(select(Followup).where(Followup.team_id == team_id, Followup.id == followup_id))


def followups_for_subject(session: Session, team_id: str, subject: str) -> Sequence[Followup]:
    """Every follow-up about one project deadline or task ("project:12", "task:34"), oldest first."""
    return session.scalars(select(Followup).where(Followup.team_id == team_id, Followup.subject == subject)
                           .order_by(Followup.id)).all()
