"""Project rules: create, log, tasks, goals, frames, state. Keyword-only functions over one session. Every function
takes an `Actor` (verified team and user) and raises `UserError` for anything the user must fix; the caller's unit
of work rolls everything back on an error, so nothing half-written stays."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.domain.errors import NotAllowed, NotFound, UserError
from bot.domain.health import Kind, frame_figures, frame_health, frame_inputs
from bot.domain.readmodels import ProjectView, Snapshot
from bot.usecases import rates
from storage import cards as card_db
from storage import outbox
from storage import projects as project_db
from storage.models import Goal, HistoryEntry, Member, Project, Task
from storage.views import project_view

NAME_MAX = 120
TEXT_MAX = 2000
KEY_RE = re.compile(r"^\s*p-?(\d{1,9})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Actor:
    """Who is acting, from the verified request. `is_admin` is only asked when a rule needs it."""

    team_id: str
    user_id: str
    at: dt.datetime  # when the act happens (the app's clock), stamped on every row it writes
    is_admin: Callable[[], bool] = field(default=lambda: False, compare=False)


@dataclass(frozen=True)
class Origin:
    """The routine a project is made from, as its row stores it (bot.usecases.routines): answers and roles as
    JSON, a løpende routine's first month (made with the project), whether it was a built-in."""

    routine_name: str
    routine_version: int
    routine_answers: str
    routine_roles: str
    routine_month: dt.date | None = None
    routine_builtin: bool | None = None


@dataclass(frozen=True)
class ProjectDraft:
    name: str
    customer: str
    channel_id: str
    pm_user_id: str
    start: dt.date
    deadline: dt.date | None
    kind: Kind = "avgrenset"
    frame_minutes: int | None = None
    budget_nok: int | None = None
    member_ids: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    origin: Origin | None = None
    rate_nok: int | None = None  # hourly rate (None: the workspace default)
    person_rates: tuple[tuple[str, int], ...] = ()  # (user id, rate): the PL's or a member's own


@dataclass(frozen=True)
class FrameChange:
    """New values for the frames; None leaves a value as it is."""

    start: dt.date | None = None
    deadline: dt.date | None = None
    frame_minutes: int | None = None
    budget_nok: int | None = None


def _clean(text: str, field_name: str, *, required: bool, limit: int = NAME_MAX) -> str:
    """One line of user text: control characters and lone surrogates dropped (PostgreSQL refuses NUL), spaces
    folded, length checked."""
    value = " ".join(_printable(text).split())
    if required and not value:
        raise UserError("project.empty", field=field_name)
    if len(value) > limit:
        raise UserError("project.too_long", field=field_name, limit=limit)
    return value


def _printable(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs"))


def _key(text: str) -> str:
    """The case-insensitive form names are compared by (also for what users type to find them). casefold() may
    lengthen text (ﬃ → ffi): key columns are three times as wide as the text they come from."""
    return " ".join(_printable(text).split()).casefold()


def record(session: Session, actor: Actor, project: Project, action: str, field_name: str | None = None,
            old: object = None, new: object = None) -> None:
    session.add(HistoryEntry(team_id=actor.team_id, project_id=project.id, user_id=actor.user_id, at=actor.at,
                             action=action, field=field_name, old_value=None if old is None else str(old),
                             new_value=None if new is None else str(new)))
    project.replan = True  # the clock plans this project's follow-ups again


def require_pm_or_admin(project: Project, actor: Actor) -> None:
    if actor.user_id != project.pm_user_id and not actor.is_admin():
        raise NotAllowed("rights.pm_only", pm=project.pm_user_id)


def _check_dates(start: dt.date, deadline: dt.date | None, kind: str) -> None:
    if kind == "avgrenset" and deadline is None:
        raise UserError("project.deadline_required", field="deadline")
    if deadline is not None and deadline < start:
        raise UserError("project.deadline_before_start", field="deadline", start=start)


def create_project(session: Session, actor: Actor, draft: ProjectDraft, *, today: dt.date) -> Project:
    """Create a project with its PL, members, goals and the routine it is made from; recorded in history."""
    name = _clean(draft.name, "name", required=True)
    if KEY_RE.match(name):
        raise UserError("project.name_like_key", field="name")
    customer = _clean(draft.customer, "customer", required=True)
    _check_dates(draft.start, draft.deadline, draft.kind)
    if draft.deadline is not None and draft.deadline < today:
        raise UserError("project.deadline_past", field="deadline")
    existing = project_db.project_by_name_key(session, actor.team_id, _key(name))
    if existing is not None:
        raise UserError("project.name_taken", field="name", key=existing.key)
    goals = [_clean(g, "goals", required=False, limit=300) for g in draft.goals]
    project = Project(
        team_id=actor.team_id, number=project_db.next_project_number(session, actor.team_id), name=name,
        name_key=_key(name),
        customer=customer, kind=draft.kind, state="active", channel_id=draft.channel_id,
        pm_user_id=draft.pm_user_id, start=draft.start, deadline=draft.deadline,
        frame_minutes=draft.frame_minutes, budget_nok=draft.budget_nok, created_by=actor.user_id,
        created_at=actor.at, rate_nok=draft.rate_nok,
        **(vars(draft.origin) if draft.origin else {}),
    )
    session.add(project)
    session.flush()
    session.add(Member(team_id=actor.team_id, project_id=project.id, user_id=draft.pm_user_id, role="pm"))
    for user_id in dict.fromkeys(draft.member_ids):
        if user_id != draft.pm_user_id:
            session.add(Member(team_id=actor.team_id, project_id=project.id, user_id=user_id, role="member"))
    rates.add_people(session, project, draft.person_rates, {draft.pm_user_id, *draft.member_ids})
    for title in dict.fromkeys(g for g in goals if g):
        session.add(Goal(team_id=actor.team_id, project_id=project.id, title=title, title_key=_key(title),
                         created_at=actor.at, updated_at=actor.at))
    record(session, actor, project, "created", new=project.name)
    if draft.origin:  # in the same flush as the rest
        used = f"{draft.origin.routine_name} v{draft.origin.routine_version}"
        record(session, actor, project, "routine_used", "routine", new=used)
    session.flush()
    return project


def resolve_project(session: Session, team_id: str, ref: str | None, channel_id: str) -> Project:
    """A project named by key (`P-12`), by a unique name prefix, or the channel's only active project."""
    if ref is None or not ref.strip():
        in_channel = project_db.active_projects_in_channel(session, team_id, channel_id)
        if len(in_channel) == 1:
            return in_channel[0]
        if not in_channel:  # e.g. `gjenåpne` in the channel of a delivered project
            any_state = project_db.projects_in_channel(session, team_id, channel_id, limit=2)
            if len(any_state) == 1:
                return any_state[0]
        raise UserError("project.which", choices=", ".join(p.key for p in in_channel[:8]) or "–")
    key = KEY_RE.match(ref)
    if key:
        project = project_db.project_by_number(session, team_id, int(key.group(1)))
        if project is None:
            raise NotFound("project.unknown", ref=ref.strip())
        return project
    exact = project_db.project_by_name_key(session, team_id, _key(ref))
    if exact is not None:
        return exact
    found = project_db.projects_with_name_prefix(session, team_id, _key(ref))
    active = [p for p in found if p.state == "active"]
    candidates = active or list(found)
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise NotFound("project.unknown", ref=ref.strip())
    raise UserError("project.ambiguous", ref=ref.strip(), choices=", ".join(f"{p.key} {p.name}" for p in candidates))


def _require_open(project: Project) -> None:
    if project.state == "delivered":
        raise UserError("project.is_delivered", key=project.key)


def mark_task_done(session: Session, actor: Actor, project: Project, task: Task) -> None:
    task.done_at = actor.at
    task.done_by = actor.user_id
    record(session, actor, project, "task_done", "task", None, task.title)


def complete_task(session: Session, actor: Actor, project: Project, task: Task) -> bool:
    """Mark a task done (recorded in history); False when it already was."""
    if task.done_at is not None:
        return False
    mark_task_done(session, actor, project, task)
    session.flush()
    return True


def reopen_task(session: Session, actor: Actor, project: Project, task: Task) -> bool:
    """Open a done task again (recorded in history); False when it was open."""
    if task.done_at is None:
        return False
    task.done_at, task.done_by = None, None
    record(session, actor, project, "task_reopened", "task", None, task.title)
    session.flush()
    return True


def take_task(session: Session, actor: Actor, project: Project, task: Task) -> bool:
    """The actor becomes the owner of a task that has none (recorded in history); False when it had one."""
    if task.owner_user_id is not None:
        return False
    task.owner_user_id = actor.user_id
    record(session, actor, project, "task_taken", "task", None, task.title)
    session.flush()
    return True


def add_task(
    session: Session, actor: Actor, project: Project, *, title: str, owner_user_id: str | None,
    deadline: dt.date | None, today: dt.date,
) -> Task:
    """Add a dated step with an owner; members and the PL may do this."""
    _require_open(project)
    clean = _clean(title, "title", required=True, limit=300)
    if deadline is not None and deadline < today:
        raise UserError("task.deadline_past", field="deadline")
    task = Task(
        team_id=actor.team_id, project_id=project.id, title=clean, owner_user_id=owner_user_id, deadline=deadline,
        created_by=actor.user_id, created_at=actor.at,
    )
    session.add(task)
    session.flush()
    record(session, actor, project, "task_added", "task", None, clean)
    return task


def change_frame(session: Session, actor: Actor, project: Project, change: FrameChange, *, today: dt.date) -> int:
    """Change deadline or frames (PL or admin); each changed field goes to history as old → new.

    Returns how many fields changed (0 when the values were already so)."""
    require_pm_or_admin(project, actor)
    if change == FrameChange():
        raise UserError("frame.nothing")
    if change.deadline is not None and change.deadline < today and change.deadline != project.deadline:
        raise UserError("project.deadline_past", field="deadline")
    start = change.start or project.start
    deadline = change.deadline or project.deadline
    _check_dates(start, deadline, project.kind)
    changed = 0
    for name in ("start", "deadline", "frame_minutes", "budget_nok"):
        new = getattr(change, name)
        old = getattr(project, name)
        if new is not None and new != old:
            setattr(project, name, new)
            record(session, actor, project, "frame_changed", name, old, new)
            changed += 1
    session.flush()
    return changed


def set_goal(
    session: Session, actor: Actor, project: Project, *, title: str, target: float | None, current: float | None
) -> tuple[Goal, bool]:
    """Add a goal, or update its target/current value when one with that title exists. True when created."""
    _require_open(project)
    clean = _clean(title, "title", required=True, limit=300)
    goal = project_db.goal_by_title_key(session, actor.team_id, project.id, _key(clean))
    created = goal is None
    if goal is None:
        goal = Goal(team_id=actor.team_id, project_id=project.id, title=clean, title_key=_key(clean),
                    created_at=actor.at)
        session.add(goal)
        record(session, actor, project, "goal_added", "goal", None, clean)
    for name, value in (("target_value", target), ("current_value", current)):
        old = getattr(goal, name)
        if value is not None and value != old:
            setattr(goal, name, value)
            if not created:
                record(session, actor, project, "goal_changed", name, old, value)
    goal.updated_at = actor.at
    session.flush()
    return goal, created


def set_state(session: Session, actor: Actor, project: Project, state: str) -> bool:
    """Deliver, pause or reopen (PL or admin). False when the project already was in that state."""
    require_pm_or_admin(project, actor)
    if project.state == state:
        return False
    record(session, actor, project, "state", "state", project.state, state)
    project.state = state
    session.flush()
    return True


def remember_card(session: Session, team_id: str, project_id: int, channel_id: str, ts: str) -> None:
    project = project_db.project_by_id(session, team_id, project_id)
    if project is not None:
        project.card_channel_id, project.card_ts = channel_id, ts


def snapshot(session: Session, team_id: str, project: Project, *, today: dt.date) -> Snapshot:
    """Read what the card of a project in hand shows (one statement) and compute the frame figures and health."""
    found = card_db.project_card(session, team_id, today=today, project_id=project.id)
    assert found is not None, "a project in hand is in its workspace"
    return snapshot_of(*found, today=today)


def card(session: Session, team_id: str, ref: str | None, channel_id: str, *, today: dt.date) -> Snapshot:
    """The card of the project `ref` names (as resolve_project reads it); a key (`P-12`) is read with its card
    in one statement."""
    key = KEY_RE.match(ref) if ref else None
    found = card_db.project_card(session, team_id, today=today, number=int(key.group(1))) if key else None
    if found is None:
        found = card_db.project_card(session, team_id, today=today,
                               project_id=resolve_project(session, team_id, ref, channel_id).id)
        assert found is not None
    return snapshot_of(*found, today=today)


def card_by_id(session: Session, team_id: str, project_id: int, *, today: dt.date) -> Snapshot | None:
    """The card of a project by its id (a button, a refresh); None when the workspace has none such."""
    found = card_db.project_card(session, team_id, today=today, project_id=project_id)
    return snapshot_of(*found, today=today) if found is not None else None


def snapshot_of(project: ProjectView, data: card_db.CardData, *, today: dt.date) -> Snapshot:
    """The frame figures and health of a project from what its card read (as of `today`)."""
    tasks_done = sum(1 for t in data.tasks if t.done)
    inputs = frame_inputs(
        project, today=today, logged_minutes=data.period, reported_progress=data.percent,
        tasks_total=len(data.tasks), tasks_done=tasks_done,
        last_log_on=data.latest[0].logged_on if data.latest else None, created_on=project.created_at.date(),
        estimate_total=sum(t.estimate_minutes or 0 for t in data.tasks),
        estimate_done=sum(t.estimate_minutes or 0 for t in data.tasks if t.done), cost_kr_minutes=data.cost,
        carried_minutes=data.carried)
    figures = frame_figures(inputs)
    return Snapshot(project=project, figures=figures, health=frame_health(inputs, figures), logged_minutes=data.period,
                    goals=data.goals, open_tasks=[t for t in data.tasks if not t.done], tasks_done=tasks_done,
                    latest_logs=data.latest, routine=data.routine, cost_kr_minutes=data.cost,
                    rate_known=data.rate_known, over_estimate=[t for t in data.tasks if t.over_estimate],
                    carried_minutes=inputs.carried_minutes)


def snapshots(session: Session, team_id: str, projects: list[Project], *, today: dt.date) -> dict[int, Snapshot]:
    """`snapshot` for many projects in a fixed number of queries (the clock renders follow-ups a chunk at a time)."""
    cards = outbox.card_data(session, team_id, projects, today=today)
    return {p.id: snapshot_of(project_view(p), cards[p.id], today=today) for p in projects}
