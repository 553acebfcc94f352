"""The nudge to log hours, from the person's side (docs/product.md §11): `varsler av|på` (`notifications off|on`),
and the nudge's own buttons: a project's button opens the `logg` modal (the card's *Logg* path,
bot.usecases.interactions), *Ingen timer i dag* dismisses it for the day, *Slå av/på påminnelser* switches them.
A person's choice is theirs: nothing shows it to anyone else."""

from __future__ import annotations

from typing import Any

from bot.domain.errors import UserError
from bot.domain.nudges import NUDGE_RULES, person_of
from bot.domain.rules import NudgeSettings
from bot.services import Services, Unit
from bot.slack.i18n import t
from bot.slack.outcome import Outcome, UpdateMessage
from bot.slack.render.nudges import NudgeAction, answered_message
from bot.usecases import projects
from bot.usecases.command_request import Request
from bot.usecases.interactions import run_action
from bot.usecases.runner import clicked_channel, ephemeral_to, run_request
from storage import nudges as nudge_db
from storage import outbox
from storage import workspaces as workspace_db

OFF_WORDS = {"av", "off"}
ON_WORDS = {"på", "pa", "on"}


def _workspace_note(unit: Unit) -> str:
    """A note when the workspace sends no nudges at all (the person's choice waits for it)."""
    workspace = workspace_db.workspace_row(unit.session, unit.team_id)
    return "" if NudgeSettings.from_json(workspace.nudges if workspace else None).enabled else \
        t("nudge.workspace_off", unit.lang)


def command(req: Request, rest: str) -> Outcome:
    """`varsler` (where you stand), `varsler av`, `varsler på`."""
    word = rest.strip().casefold()
    unit, user_id = req.unit, req.actor.user_id
    if not word:
        off = nudge_db.nudges_off(unit.session, unit.team_id, user_id)
        return req.say("nudge.status_off" if off else "nudge.status_on")
    if word not in OFF_WORDS | ON_WORDS:
        raise UserError("nudge.usage", value=rest.strip()[:40])
    off = word in OFF_WORDS
    changed = nudge_db.set_nudges_off(unit.session, unit.team_id, user_id, off, req.actor.at)
    key = ("nudge.turned_off" if off else "nudge.turned_on") if changed else \
        ("nudge.already_off" if off else "nudge.already_on")
    note = "" if off else _workspace_note(unit)
    return Outcome(ack={"response_type": "ephemeral", "text": t(key, req.lang) + note})


def on_button(svc: Services, body: dict[str, Any]) -> Outcome:
    """A click in a nudge: a project's button opens its `logg` modal; the others answer in the message itself."""
    action = body["actions"][0]
    action_id = str(action.get("action_id") or "")
    if action_id.startswith(f"{NudgeAction.LOG}."):
        return run_action(svc, body)
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    container = body.get("container") or {}
    channel = clicked_channel(body)
    ts = container.get("message_ts") or ""

    def click(unit: Unit, actor: projects.Actor) -> Outcome:
        followup = outbox.followup_by_message(unit.session, team_id, channel, ts) if channel and ts else None
        if followup is None or followup.rule not in NUDGE_RULES or person_of(followup.subject) != user_id:
            return Outcome()  # not a nudge of theirs (the buttons are in their own direct message)
        if action_id == NudgeAction.NONE_TODAY:
            nudge_db.dismiss(unit.session, team_id, followup.id, user_id)
            off = nudge_db.nudges_off(unit.session, team_id, user_id)
            message = answered_message("nudge.dismissed", unit.lang, nudges_off=off)
        elif action_id in (NudgeAction.OFF, NudgeAction.ON):
            off = action_id == NudgeAction.OFF
            nudge_db.set_nudges_off(unit.session, team_id, user_id, off, actor.at)
            message = answered_message("nudge.turned_off" if off else "nudge.turned_on", unit.lang, nudges_off=off)
        else:
            return Outcome()
        return Outcome(effects=[UpdateMessage(channel, ts, message)])

    return run_request(svc, team_id, user_id, click, ephemeral_to(channel, user_id), write=True)


def on_user_change(svc: Services, body: dict[str, Any]) -> Outcome:
    """Slack's `user_change` event: an account deactivated (or reactivated) is known at once, so its nudges stop
    (or start again) the next time without waiting for the weekly users.info. Anything else in it is not ours."""
    user = (body.get("event") or {}).get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str) or not isinstance(body.get("team_id"), str):
        return Outcome()
    with svc.unit(body["team_id"], write=True) as unit:
        nudge_db.remember_accounts(unit.session, unit.team_id, {user["id"]: bool(user.get("deleted"))}, svc.now())
    return Outcome()
