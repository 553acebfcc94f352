"""Planning a project from a routine (pure): the dated steps it gets, who owns them, and its hours frame.

Dates outside the project (before the start, after the deadline) are moved to its edge and flagged `clamped`
(*komprimert* in the preview). A løpende project gets its start/deadline steps and its first month's monthly
steps at creation, each later month's when that month begins (`steps_for_month`, run by the clock).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.domain.errors import UserError
from bot.domain.health import Kind
from bot.domain.routines.daterules import DateRule, first_working_day, last_working_day
from bot.domain.routines.model import PL, Routine, Step

__all__ = ["Plan", "PlannedStep", "plan_steps", "resolve_answers", "resolve_roles", "steps_for_month"]


@dataclass(frozen=True, slots=True)
class PlannedStep:
    title: str
    description: str | None
    role: str
    owner: str | None  # the role's person, else the PL's (None only when no PL was given)
    minutes: int  # the estimate; 0 when the step has none
    date: dt.date
    rule: DateRule
    clamped: bool = False  # the rule's date fell outside the project and was moved to its edge


@dataclass(frozen=True, slots=True)
class Plan:
    routine: str
    version: int
    kind: Kind
    answers: Mapping[str, str]  # every question, the given answer or its default
    steps: tuple[PlannedStep, ...]  # by date, then in the routine's order
    frame_minutes: int | None  # avgrenset: the estimates of these steps; løpende: the routine's monthly frame
    skipped: int  # steps left out because their condition does not hold

    @property
    def clamped(self) -> int:
        return sum(step.clamped for step in self.steps)


def resolve_answers(routine: Routine, answers: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every question's answer, spelled as in the routine: the given one, else the default."""
    given = dict(answers or {})
    for key in given:
        if routine.question(key) is None:
            raise UserError("routine.answer_unknown_question", field=f"answers.{key}", question=key,
                            known=", ".join(q.key for q in routine.questions) or "–")
    resolved: dict[str, str] = {}
    for question in routine.questions:
        value = given.get(question.key, question.default)
        canonical = question.canonical(value)
        if canonical is None:
            raise UserError("routine.answer_invalid", field=f"answers.{question.key}", question=question.text,
                            value=value, choices=" / ".join(question.answers))
        resolved[question.key] = canonical
    return resolved


def resolve_roles(routine: Routine, roles: Mapping[str, str] | None = None) -> dict[str, str]:
    """Role -> person for the roles that have one; a role the routine does not have is refused."""
    for role in roles or {}:
        if role not in routine.roles:
            raise UserError("routine.role_unknown", field="roles", role=role, known=", ".join(routine.roles))
    return {role: person for role, person in (roles or {}).items() if person}


def plan_steps(
    routine: Routine,
    *,
    start: dt.date,
    deadline: dt.date | None,
    answers: Mapping[str, str] | None = None,
    roles: Mapping[str, str] | None = None,
) -> Plan:
    """The project's steps with real dates; UserError on `deadline` when a step counts from a deadline there
    is not, on `answers.<key>` for a bad answer, on `roles` for a role the routine lacks."""
    if deadline is not None and deadline < start:
        raise UserError("project.deadline_before_start", field="deadline", start=start)
    given = resolve_answers(routine, answers)
    people = resolve_roles(routine, roles)
    chosen = [step for step in routine.steps if step.condition is None or step.condition.holds(given)]
    once = [step for step in chosen if not step.date.monthly]
    if deadline is None and any(step.date.anchor == "deadline" for step in once):
        raise UserError("routine.deadline_needed", field="deadline", routine=routine.title)
    low, high = _window(start, deadline)
    first, last = first_working_day(start), None if deadline is None else last_working_day(deadline)
    planned = [_planned(step, step.date.date_from(first, last), low, high, people) for step in once]
    if routine.kind == "lopende":
        planned += _month(chosen, start.year, start.month, start, deadline, people)
        frame = routine.frame_minutes
    else:
        frame = sum(step.minutes for step in chosen) or None
    planned.sort(key=lambda step: step.date)  # stable: a day's steps keep the routine's order
    return Plan(routine.name, routine.version, routine.kind, given, tuple(planned), frame,
                skipped=len(routine.steps) - len(chosen))


def steps_for_month(
    routine: Routine,
    year: int,
    month: int,
    *,
    start: dt.date,
    deadline: dt.date | None = None,
    answers: Mapping[str, str] | None = None,
    roles: Mapping[str, str] | None = None,
) -> list[PlannedStep]:
    """A løpende project's monthly steps for that month: those on or after the start, none after the deadline's
    month (one in the deadline's month after it is moved to it, flagged)."""
    given = resolve_answers(routine, answers)
    chosen = [step for step in routine.steps if step.condition is None or step.condition.holds(given)]
    planned = _month(chosen, year, month, start, deadline, resolve_roles(routine, roles))
    return sorted(planned, key=lambda step: step.date)


def _month(steps: Iterable[Step], year: int, month: int, start: dt.date, deadline: dt.date | None,
           people: Mapping[str, str]) -> list[PlannedStep]:
    if (year, month) < (start.year, start.month) or (deadline is not None and dt.date(year, month, 1) > deadline):
        return []
    low, high = _window(start, deadline)
    planned = []
    for step in steps:
        if step.date.monthly and (day := step.date.date_in_month(year, month)) >= start:
            planned.append(_planned(step, day, low, high, people))
    return planned


def _window(start: dt.date, deadline: dt.date | None) -> tuple[dt.date, dt.date | None]:
    """The first and last working day of the project (no working day in it at all: the deadline)."""
    low = first_working_day(start)
    if deadline is None:
        return low, None
    high = last_working_day(deadline)
    return (low, high) if high >= low else (deadline, deadline)


def _planned(step: Step, day: dt.date, low: dt.date, high: dt.date | None,
             people: Mapping[str, str]) -> PlannedStep:
    moved = max(day, low) if high is None else min(max(day, low), high)
    return PlannedStep(step.title, step.description, step.role, people.get(step.role) or people.get(PL),
                       step.minutes, moved, step.date, clamped=moved != day)
