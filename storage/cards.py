"""The project card's one statement: the project with its hours, latest %, newest logs, tasks and goals.

The statement is built once per dialect and kept (building costs more CPU than running it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    SQLColumnExpression,
    and_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from bot.domain.readmodels import GoalLine, LogLine, ProjectView, TaskView
from bot.domain.routines import builtin_routines
from storage import retainers, sql
from storage.models import (
    Goal,
    LogDay,
    ProgressLog,
    Project,
    ProjectRate,
    RoutineRow,
    Task,
    Workspace,
)
from storage.tasks import LOGGED_AGAINST
from storage.views import PROJECT_VIEW_COLUMNS, project_view


def in_frame_period(day: SQLColumnExpression[dt.date]) -> ColumnElement[bool]:
    """`day` lies in the hours frame's period of the Project row in scope: `bot.domain.health.frame_period` in SQL
    (start..deadline; for løpende also this month, the bind parameters month_start and month_end: month_bounds)."""
    return and_(
        day >= Project.start, or_(Project.deadline.is_(None), day <= Project.deadline),
        or_(Project.kind != "lopende", and_(day >= bindparam("month_start"), day <= bindparam("month_end"))),
    )


def month_bounds(today: dt.date) -> dict[str, dt.date]:
    """The bind parameters of `in_frame_period`: the first and last day of today's month."""
    first = today.replace(day=1)
    return {"month_start": first, "month_end": (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)}


class CardData(NamedTuple):
    """What a project card shows of its logs, tasks and goals (see `project_card`; `storage.outbox.card_data` reads
    the same for many projects at once)."""

    period: int  # minutes logged in the frame's period (in_frame_period)
    percent: int | None  # the latest reported %: of the last log saved with one
    latest: list[LogLine]  # the newest logs, newest first
    tasks: list[TaskView]  # open first, then by deadline (undated last), then as added
    goals: list[GoalLine]  # as added
    routine: str | None = None  # `SEO-oppstart v3`: the routine the project was made from (its title, version)
    cost: int = 0  # cost used in the frame's period: Σ minutes × rate of billable logs (kroner = cost / 60)
    rate_known: bool = False  # a rate is set for it: its own, a person's on it, or the workspace default
    carried: int = 0  # løpende with roll-over: minutes carried into this month (storage.retainers)


def task_order(task: TaskView) -> tuple[bool, bool, dt.date, int]:
    """The card's order of tasks: open first, then by deadline (undated last), then as added."""
    return task.done, task.deadline is None, task.deadline or dt.date.min, task.id


def _json_rows(dialect: str, inner: Select[*tuple[Any, ...]]) -> Any:
    """A scalar subquery: the rows of `inner` as one JSON array of arrays (PostgreSQL and SQLite spell it
    differently). The order inside it is not relied on: callers sort (an aggregate keeps its input's order only
    in practice)."""
    sub = inner.subquery()
    rows: ColumnElement[Any]
    if dialect == "postgresql":
        rows = func.coalesce(func.json_agg(func.json_build_array(*sub.c)), literal_column("'[]'::json"))
    else:
        rows = func.json_group_array(func.json_array(*sub.c))
    return select(type_coerce(rows, JSON)).scalar_subquery()


def _card(dialect: str, *, by_number: bool) -> Select[Any]:
    """The project's columns (by number or by id) and, in scalar subqueries on its row each answered by one index,
    what its card shows: the hours and cost (log_days' key), whether any rate applies, the latest %
    (ix_logs_project_percent), the newest logs, the tasks and the goals."""
    mine = {model: and_(model.team_id == sql.T, model.project_id == Project.id)
            for model in (LogDay, ProgressLog, Task, Goal)}
    minutes = func.coalesce(func.sum(LogDay.minutes), 0)
    cost = func.coalesce(func.sum(LogDay.cost_kr_minutes), 0)
    any_rate = func.coalesce(
        Project.rate_nok,
        select(Workspace.default_rate_nok).where(Workspace.team_id == sql.T).scalar_subquery(),
        select(ProjectRate.rate_nok).where(ProjectRate.team_id == sql.T, ProjectRate.project_id == Project.id)
        .limit(1).correlate(Project).scalar_subquery())
    percent = (
        select(ProgressLog.percent)
        .where(mine[ProgressLog], ProgressLog.percent.is_not(None))
        .order_by(ProgressLog.id.desc())
        .limit(1)
    )
    newest_first = (ProgressLog.created_at.desc(), ProgressLog.id.desc())
    latest = (
        select(func.row_number().over(order_by=newest_first), ProgressLog.user_id, ProgressLog.minutes,
               ProgressLog.logged_on, ProgressLog.description)
        .where(mine[ProgressLog])
        .order_by(*newest_first)
        .limit(bindparam("limit"))
    )
    tasks = select(Task.id, Task.title, Task.owner_user_id, Task.deadline, Task.done_at.is_not(None),
                   Task.estimate_minutes, LOGGED_AGAINST).where(mine[Task])
    routine_title = (select(RoutineRow.title)
                     .where(RoutineRow.team_id == sql.T, RoutineRow.name == Project.routine_name,
                            RoutineRow.version == Project.routine_version, Project.routine_builtin.is_not(True))
                     .correlate(Project).scalar_subquery())
    goals = select(Goal.id, Goal.title, Goal.target_value, Goal.current_value).where(mine[Goal])
    return select(  # type: ignore[return-value]  # (a row of columns and scalars)
        *PROJECT_VIEW_COLUMNS,
        select(minutes).where(mine[LogDay], in_frame_period(LogDay.logged_on)).scalar_subquery().label("period"),
        select(cost).where(mine[LogDay], in_frame_period(LogDay.logged_on)).scalar_subquery().label("cost"),
        any_rate.label("any_rate"),
        percent.scalar_subquery().label("percent"),
        _json_rows(dialect, latest.correlate(Project)).label("latest"),
        _json_rows(dialect, tasks.correlate(Project)).label("tasks"),
        _json_rows(dialect, goals.correlate(Project)).label("goals"),
        routine_title.label("routine_title"),
    ).where(Project.team_id == sql.T, Project.number == bindparam("number") if by_number else Project.id == sql.P)


_CARD: dict[tuple[str, bool], Select[Any]] = {}


def project_card(
    session: Session, team_id: str, *, today: dt.date, number: int | None = None, project_id: int | None = None,
    latest: int = 3,
) -> tuple[ProjectView, CardData] | None:
    """A project, by its number or its id, and what its card shows of its logs, tasks and goals: one statement
    (the card is the most frequent read; a lookup and then the card cost a round trip and its statement's CPU
    more). None when the workspace has no such project."""
    key = (session.get_bind().dialect.name, number is not None)
    stmt = _CARD.get(key)
    if stmt is None:
        stmt = _CARD.setdefault(key, _card(key[0], by_number=key[1]))
    params = {"team_id": team_id, "number": number, "project_id": project_id, "limit": latest, **month_bounds(today)}
    row = session.execute(stmt, params).one_or_none()
    if row is None:
        return None
    day = dt.date.fromisoformat
    tasks = [TaskView(i, title, owner, day(deadline) if deadline else None, bool(done), estimate, int(logged or 0))
             for i, title, owner, deadline, done, estimate, logged in row.tasks]
    tasks.sort(key=task_order)
    view = project_view(row)
    return view, CardData(
        period=int(row.period), percent=row.percent,
        latest=[LogLine(user, minutes, day(on), text) for _, user, minutes, on, text in sorted(row.latest)],
        tasks=tasks,
        goals=[GoalLine(title, target, current) for _, title, target, current in sorted(row.goals)],
        routine=_routine_label(row.routine_name, row.routine_version, row.routine_title),
        cost=int(row.cost), rate_known=row.any_rate is not None,
        carried=retainers.carried(session, team_id, [view], today).get(view.id, 0),  # two statements if it rolls over
    )


def _routine_label(name: str | None, version: int | None, own_title: str | None) -> str | None:
    """`SEO-oppstart v3`: an own routine's title (read with the card), a built-in's from its file."""
    if name is None:
        return None
    builtin = builtin_routines().get(name)
    title = own_title or (builtin.title if builtin is not None else name)
    return f"{title} v{version}"
