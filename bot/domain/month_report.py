"""The month-end report (docs/product.md §10) as a read model: one project's month, built from its logs. Pure.

Internal means not billable: a log marked `intern` counts as hours spent (against the hours frame), never as cost,
and it and its text are left out of the customer's version, as are the health and the rates unless asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from bot.domain.health import Health
from bot.domain.readmodels import GoalLine, ProjectView


class LogRow(NamedTuple):
    """One log of the month, as storage reads it."""

    id: int
    user_id: str
    task_id: int | None
    logged_on: dt.date
    minutes: int
    billable: bool
    rate_nok: int | None
    description: str | None


@dataclass(frozen=True)
class Approval:
    by: str  # user id
    at: dt.datetime


@dataclass(frozen=True)
class PersonHours:
    user_id: str
    billable: int  # minutes
    internal: int
    amount_kr: int  # billable minutes × their rates
    rates: tuple[int, ...]  # the rates their billable hours were logged at


@dataclass(frozen=True)
class LogText:
    day: dt.date
    user_id: str
    minutes: int
    text: str
    billable: bool


@dataclass(frozen=True)
class TaskHours:
    title: str | None  # None: hours logged to no task
    billable: int
    internal: int
    logs: tuple[LogText, ...]  # the logs with a text, oldest first


@dataclass(frozen=True)
class MonthReport:
    project: ProjectView
    month: dt.date  # its first day
    people: tuple[PersonHours, ...]  # most hours first
    tasks: tuple[TaskHours, ...]  # most hours first; no task last
    billable: int  # minutes in the month
    internal: int
    frame_minutes: int | None  # the month's frame (løpende), or the whole frame (avgrenset)
    frame_used: int  # minutes against it: the month's (løpende), all up to the month's end (avgrenset)
    frame_used_billable: int  # of those, the billable ones (what the customer's version counts)
    rollover_minutes: int | None  # carried into the month (løpende with roll-over; None: not known here)
    cost_kr: int | None  # billable hours × their rates: the month's (løpende), up to its end (avgrenset); None: no rate
    budget_nok: int | None
    goals: tuple[GoalLine, ...]
    health: Health | None  # None in the customer's version
    approval: Approval | None
    customer: bool = False  # the customer's version: no internal hours or texts, no health
    with_rates: bool = True

    @property
    def total(self) -> int:
        return self.billable + self.internal


def _sum(logs: Iterable[LogRow], billable: bool) -> int:
    return sum(log.minutes for log in logs if log.billable is billable)


def build_report(project: ProjectView, month: dt.date, logs: Sequence[LogRow], task_titles: dict[int, str], *,
                 goals: Sequence[GoalLine], approval: Approval | None, health: Health | None,
                 frame_used: tuple[int, int], cost_kr: int | None, rollover_minutes: int | None = None) -> MonthReport:
    """The report from the month's logs (any order) and what else storage read for the project; `frame_used`:
    (all, billable) minutes against the frame."""
    by_person: dict[str, list[LogRow]] = {}
    by_task: dict[int | None, list[LogRow]] = {}
    for log in sorted(logs, key=lambda r: (r.logged_on, r.id)):
        by_person.setdefault(log.user_id, []).append(log)
        by_task.setdefault(log.task_id if log.task_id in task_titles else None, []).append(log)
    people = [PersonHours(user, _sum(rows, True), _sum(rows, False),
                          sum(r.minutes * (r.rate_nok or 0) for r in rows if r.billable) // 60,
                          tuple(sorted({r.rate_nok for r in rows if r.billable and r.rate_nok})))
              for user, rows in by_person.items()]
    tasks = [TaskHours(task_titles[task_id] if task_id is not None else None, _sum(rows, True), _sum(rows, False),
                       tuple(LogText(r.logged_on, r.user_id, r.minutes, (r.description or "").strip(), r.billable)
                             for r in rows if (r.description or "").strip()))
             for task_id, rows in by_task.items()]
    people.sort(key=lambda p: (-(p.billable + p.internal), p.user_id))
    tasks.sort(key=lambda k: (k.title is None, -(k.billable + k.internal), k.title or ""))
    return MonthReport(project=project, month=month, people=tuple(people), tasks=tuple(tasks),
                       billable=_sum(logs, True), internal=_sum(logs, False),
                       frame_minutes=project.frame_minutes, frame_used=frame_used[0], frame_used_billable=frame_used[1],
                       rollover_minutes=rollover_minutes,
                       cost_kr=cost_kr, budget_nok=project.budget_nok, goals=tuple(goals), health=health,
                       approval=approval)


def customer_version(report: MonthReport, *, with_rates: bool) -> MonthReport:
    """What the customer sees: billable hours and their texts only, no health; amounts only `with_rates`."""
    people = tuple(sorted((replace(p, internal=0) for p in report.people if p.billable),
                          key=lambda p: (-p.billable, p.user_id)))
    tasks = tuple(sorted((replace(k, internal=0, logs=tuple(x for x in k.logs if x.billable))
                          for k in report.tasks if k.billable), key=lambda k: (k.title is None, -k.billable)))
    return replace(report, people=people, tasks=tasks, internal=0, health=None, customer=True,
                   with_rates=with_rates, frame_used=report.frame_used_billable)
