"""The `ny` modal: opened with the workspace's routines to pick from; updated in place (views.update, after the
ack) when a routine, the start, the deadline, an answer or a role changes, so its preview of dated steps follows;
and what its submission asks of a routine (`routine_use`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from bot.domain.errors import NotFound, UserError
from bot.domain.routines import Plan, Routine, plan_steps
from bot.domain.routines.model import PL
from bot.services import Services, Unit
from bot.slack.outcome import Outcome, UpdateModal
from bot.slack.render.modals import NO_ROUTINE, metadata, new_project_modal, submitted_values
from bot.slack.render.routine_preview import routine_blocks
from bot.usecases import projects, routines
from bot.usecases.runner import describe_failure, run_request


def open_view(session: Session, team_id: str, *, lang: str, channel_id: str | None, user_id: str,
              today: dt.date) -> dict[str, Any]:
    """The modal as first opened: no routine chosen yet."""
    return new_project_modal(lang=lang, channel_id=channel_id, user_id=user_id, today=today,
                             routines=_choices(session, team_id))


def _choices(session: Session, team_id: str) -> list[tuple[str, str]]:
    return [(x.routine.name, x.routine.title) for x in routines.available(session, team_id)]


def on_change(svc: Services, body: dict[str, Any]) -> Outcome:
    """A dispatching input changed in the open modal: the modal again, with everything typed kept."""
    view = body["view"]

    def update(unit: Unit, actor: projects.Actor) -> Outcome:
        values = submitted_values(view)
        meta = metadata(view)
        updated = _view(unit, values, channel_id=meta.get("c") or None, user_id=actor.user_id)
        return Outcome(effects=[UpdateModal(view["id"], view.get("hash"), updated)])

    def failed(exc: BaseException, lang: str) -> Outcome:
        describe_failure(exc, lang)  # logged; the modal stays as it is, and its submission reports the problem
        return Outcome()

    return run_request(svc, body["team"]["id"], body["user"]["id"], update, failed, read_only=True)


def _view(unit: Unit, values: Mapping[str, Any], *, channel_id: str | None, user_id: str) -> dict[str, Any]:
    choices = _choices(unit.session, unit.team_id)
    routine = _chosen(unit, values.get("routine"))
    extra: list[dict[str, Any]] = []
    if routine is not None:
        plan, problem = _plan(unit, routine, values, pm=values.get("pm") or user_id)
        base = new_project_modal(lang=unit.lang, channel_id=channel_id, user_id=user_id, today=unit.today,
                                 routines=choices, filled=values)
        extra = routine_blocks(routine, filled=values, plan=plan, problem=problem, lang=unit.lang,
                               used=len(base["blocks"]))
    return new_project_modal(lang=unit.lang, channel_id=channel_id, user_id=user_id, today=unit.today,
                             routines=choices, filled=values, routine_blocks=extra)


def _chosen(unit: Unit, name: str | None) -> Routine | None:
    if not name or name == NO_ROUTINE:
        return None
    try:
        return routines.find(unit.session, unit.team_id, name).routine
    except NotFound:  # removed while the modal was open: as if none was chosen
        return None


def _plan(unit: Unit, routine: Routine, values: Mapping[str, Any], *, pm: str) -> tuple[Plan | None, str | None]:
    """The plan for what the modal holds now, or the message that says why there is none (no deadline…)."""
    answers = {key: value for key, value in _prefixed(values, "answers.").items()
               if (question := routine.question(key)) is not None and question.canonical(value) is not None}
    roles = {key: value for key, value in _prefixed(values, "roles.").items() if key in routine.roles}
    try:
        start = _day(values.get("start")) or unit.today
        plan = plan_steps(routine, start=start, deadline=_day(values.get("deadline")), answers=answers,
                          roles={PL: pm, **roles})
    except UserError as exc:
        return None, describe_failure(exc, unit.lang)[0]
    return plan, None


def routine_use(values: Mapping[str, Any]) -> routines.FromRoutine | None:
    """The routine a submitted `ny` modal asks for, with its answers and roles (None: no routine)."""
    name = values.get("routine")
    if not name or name == NO_ROUTINE:
        return None
    return routines.FromRoutine(name=name, answers=_prefixed(values, "answers."), roles=_prefixed(values, "roles."))


def _prefixed(values: Mapping[str, Any], prefix: str) -> dict[str, str]:
    return {key.removeprefix(prefix): value for key, value in values.items() if key.startswith(prefix) and value}


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None  # a date picker's: always ISO
