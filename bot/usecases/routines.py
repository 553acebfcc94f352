"""Routine rules (docs/product.md §9): which routines a workspace has, making a project from one, saving a
project as one. Keyword-only functions over one session; `UserError` for what the user must fix, and the caller's
unit of work rolls everything back on one, so a project is made with all its steps or not at all.

A løpende project gets its start and deadline steps and its first month's monthly steps (those on or after the
start) when it is made. Each later month's steps are the clock's job (`steps_for_month`, once per month whichever
clock runs it): NOT BUILT YET (issue 11) — until then a løpende project has only its first month's steps.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.domain.errors import NotFound, UserError
from bot.domain.routines import (
    Plan,
    Routine,
    SourceTask,
    builtin_routines,
    plan_steps,
    routine_from_tasks,
)
from bot.usecases import projects
from storage import projects as project_db
from storage import routines as routine_db
from storage import tasks as task_db
from storage.models import HistoryEntry, Project

PL = "pl"


@dataclass(frozen=True)
class Listed:
    """A routine as the workspace sees it: an own routine shadows the built-in of the same name."""

    routine: Routine
    builtin: bool


def available(session: Session, team_id: str) -> list[Listed]:
    """The workspace's routines by name: the built-ins and its own (the latest version of each)."""
    found = {name: Listed(routine, True) for name, routine in builtin_routines().items()}
    for row in routine_db.latest_routines(session, team_id):
        routine = routine_db.own_routine(session, team_id, row.name, row.version)
        if routine is not None:
            found[row.name] = Listed(routine, False)
    return [found[name] for name in sorted(found)]


def find(session: Session, team_id: str, name: str, version: int | None = None) -> Listed:
    """The routine of that name (own first, then built-in; a version when given); NotFound lists close names."""
    key = name.strip().casefold()
    own = routine_db.own_routine(session, team_id, key, version)
    if own is not None:
        return Listed(own, False)
    builtin = builtin_routines().get(key)
    if builtin is not None and (version is None or version == builtin.version):
        return Listed(builtin, True)
    names = [listed.routine.name for listed in available(session, team_id)]
    close = difflib.get_close_matches(key, names, n=3, cutoff=0.5) or names[:6]
    raise NotFound("routine.unknown", field="routine", name=name.strip(), close=", ".join(close) or "–")


@dataclass(frozen=True)
class FromRoutine:
    """What `ny … rutine:` adds to a project draft: the routine and how it is adapted to this customer."""

    name: str
    answers: Mapping[str, str]
    roles: Mapping[str, str]  # role key -> Slack user id


def create_from_routine(
    session: Session, actor: projects.Actor, draft: projects.ProjectDraft, use: FromRoutine, *, today: dt.date,
) -> tuple[Project, Plan, Routine]:
    """The project with the routine's steps as tasks with real dates (owner: the role's person, else the PL);
    the hours frame is the draft's when given, else the plan's. Records the routine, its version, answers and
    roles; in the caller's unit of work, so a failure stores nothing."""
    found = find(session, actor.team_id, use.name)
    routine = found.routine
    roles = {PL: draft.pm_user_id, **use.roles}
    plan = plan_steps(routine, start=draft.start, deadline=draft.deadline, answers=use.answers, roles=roles)
    goals = tuple(dict.fromkeys([*draft.goals, *(goal.name for goal in routine.goals)]))
    members = tuple(dict.fromkeys([*draft.member_ids, *use.roles.values()]))
    adapted = projects.ProjectDraft(
        name=draft.name, customer=draft.customer, channel_id=draft.channel_id, pm_user_id=draft.pm_user_id,
        start=draft.start, deadline=draft.deadline, kind=routine.kind,
        frame_minutes=draft.frame_minutes or plan.frame_minutes, budget_nok=draft.budget_nok or routine.cost_frame,
        member_ids=members, goals=goals, rate_nok=draft.rate_nok, person_rates=draft.person_rates,
    )
    project = projects.create_project(session, actor, adapted, today=today)
    project.routine_name, project.routine_version = routine.name, routine.version
    project.routine_builtin = found.builtin  # an own copy of a built-in may share its name and version
    project.routine_answers = json.dumps(dict(plan.answers), ensure_ascii=False)
    project.routine_roles = json.dumps(roles, ensure_ascii=False)
    if routine.kind == "lopende" and any(step.date.monthly for step in routine.steps):
        project.routine_month = draft.start.replace(day=1)  # made here; the clock makes the later months
    task_db.add_tasks(session, [  # one statement for all the steps, not one per task
        {"team_id": actor.team_id, "project_id": project.id, "title": step.title, "owner_user_id": step.owner,
         "deadline": step.date, "estimate_minutes": step.minutes or None, "description": step.description,
         "created_by": actor.user_id, "created_at": actor.at}
        for step in plan.steps
    ])
    _history(session, actor, project.id, "routine_used", f"{routine.name} v{routine.version}")
    session.flush()
    return project, plan, routine


def save_from_project(session: Session, actor: projects.Actor, project: Project, title: str) -> Routine:
    """The project's tasks as a new routine, or a new version of the workspace's own routine of that name (PL or
    admin); recorded in the project's history."""
    projects.require_pm_or_admin(project, actor)
    tasks = project_db.tasks(session, actor.team_id, project.id)
    if not tasks:
        raise UserError("routine.save_no_tasks", key=project.key)
    owners = {project.pm_user_id: PL}
    recorded = json.loads(project.routine_roles or "{}")
    for role, person in recorded.items():
        owners.setdefault(person, role)
    for task in tasks:  # another owner becomes a role of their own, named by their place in the list
        if task.owner_user_id and task.owner_user_id not in owners:
            owners[task.owner_user_id] = f"rolle{len(owners)}"
    ordered = sorted(tasks, key=lambda task: (task.deadline or project.start, task.id))
    routine = routine_from_tasks(
        " ".join(title.split()),
        [SourceTask(task.title, task.deadline, task.owner_user_id, task.estimate_minutes, task.description)
         for task in ordered],
        start=project.start, deadline=project.deadline, owners_to_roles=owners,
        kind="lopende" if project.kind == "lopende" else "avgrenset", frame_minutes=project.frame_minutes,
    )
    # (named as a built-in, it is the workspace's own copy from now on: it shadows the built-in)
    saved = routine_db.save_routine(session, actor.team_id, routine, user_id=actor.user_id, at=actor.at)
    _history(session, actor, project.id, "routine_saved", f"{saved.name} v{saved.version}")
    return saved


def save_edited(session: Session, actor: projects.Actor, base: Listed, edited: Routine) -> Routine:
    """The edited routine as the next version of the workspace's own (v1 of its own copy when `base` is a
    built-in, which it shadows from now on); recorded in the workspace's history. Projects keep their version."""
    saved = routine_db.save_routine(session, actor.team_id, edited, user_id=actor.user_id, at=actor.at)
    session.add(HistoryEntry(team_id=actor.team_id, project_id=None, user_id=actor.user_id, at=actor.at,
                             action="routine_copied" if base.builtin else "routine_edited", field="routine",
                             old_value=f"{base.routine.name} v{base.routine.version}",
                             new_value=f"{saved.name} v{saved.version}"))
    session.flush()
    return saved


def _history(session: Session, actor: projects.Actor, project_id: int, action: str, value: str) -> None:
    session.add(HistoryEntry(team_id=actor.team_id, project_id=project_id, user_id=actor.user_id, at=actor.at,
                             action=action, field="routine", new_value=value))
