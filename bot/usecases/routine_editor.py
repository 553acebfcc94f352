"""`/prosjekt rutine rediger NAVN` (docs/product.md §9): a modal to change a routine's steps, questions, roles and
defaults. Every save is a new version of the workspace's own routine (editing a built-in saves the workspace's
own copy, v1, which shadows it); a project keeps the version it was made from. Submitting it unchanged saves
nothing. Workspace admins and PLs only, as for `rutine lagre`.

The text is read by bot.domain.routines.lines and checked by the one routine model; the modal is
bot.slack.render.routine_editor.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.domain.errors import NotAllowed, UserError
from bot.domain.parsing import unescape_slack
from bot.domain.routines import RoutineError
from bot.domain.routines.lines import routine_from_lines
from bot.services import Services, Unit
from bot.slack.i18n import t
from bot.slack.outcome import Ephemeral, OpenModal, Outcome
from bot.slack.render import escape
from bot.slack.render.routine_editor import routine_editor_modal, step_fields
from bot.usecases import projects, routines
from bot.usecases.command_request import Request
from storage import projects as project_db

EDIT = frozenset({"rediger", "endre", "edit"})


def require_editor(session: Session, actor: projects.Actor) -> None:
    """A workspace admin, or the PL of one of its projects (the people who may `rutine lagre`)."""
    if not project_db.leads_a_project(session, actor.team_id, actor.user_id) and not actor.is_admin():
        raise NotAllowed("routine.edit_not_allowed")


def open_editor(req: Request, name: str) -> Outcome:
    """`rutine rediger seo-oppstart`: the editor, filled in with the routine's latest version."""
    name = unescape_slack(name.strip().strip('"«»'))
    if not name:
        raise UserError("routine.edit_name_missing", field="routine")
    require_editor(req.unit.session, req.actor)
    found = routines.find(req.unit.session, req.actor.team_id, name)
    view = routine_editor_modal(lang=req.lang, routine=found.routine, builtin=found.builtin,
                                channel_id=req.channel_id)
    if view is None:
        raise UserError("routine.edit_too_big", name=found.routine.name)
    return Outcome(effects=[OpenModal(req.trigger_id, view)])


def submit_editor(svc: Services, unit: Unit, actor: projects.Actor, values: dict[str, Any],
                  meta: dict[str, Any]) -> Outcome:
    """The editor submitted: a new version when something changed; errors on their field, nothing stored."""
    require_editor(unit.session, actor)
    name, version, builtin = str(meta.get("n") or ""), int(meta.get("v") or 0), bool(meta.get("b"))
    current = routines.find(unit.session, unit.team_id, name)
    if (current.builtin, current.routine.version) != (builtin, version):  # saved by someone else meanwhile
        raise UserError("routine.edit_stale", field="title", name=name, version=current.routine.version)
    steps = [(field, values.get(field)) for field in step_fields(int(meta.get("s") or 0))]
    try:
        edited = routine_from_lines(name, version, values, steps)
    except RoutineError as exc:
        raise _on_its_line(exc) from None
    channel = str(meta.get("c") or actor.user_id)
    if edited == current.routine:
        text = t("routine.edit_unchanged", unit.lang, title=escape(edited.title), version=version)
        return Outcome(effects=[Ephemeral(channel, actor.user_id, text)])
    saved = routines.save_edited(unit.session, actor, current, edited)
    text = t("routine.edit_copied" if builtin else "routine.edit_saved", unit.lang, title=escape(saved.title),
             name=saved.name, version=saved.version, steps=len(saved.steps))
    return Outcome(effects=[Ephemeral(channel, actor.user_id, text)])


def _on_its_line(error: RoutineError) -> UserError:
    """`Linje 4: …` for an error in a field that holds lines."""
    if error.line is None:
        return error
    return UserError("routine.edit.at_line", field=error.field, line=error.line, reason=error)
