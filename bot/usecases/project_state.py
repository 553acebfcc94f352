"""Deliver, pause, reopen: the state a sub-command (or a project picked for it) asks for, and its confirmation."""

from __future__ import annotations

from bot.services import Unit
from bot.slack.i18n import t
from bot.slack.outcome import Effect, RefreshCard
from bot.slack.render import escape
from bot.usecases import projects

STATES = {"done": "delivered", "pause": "paused", "reopen": "active"}  # sub-command -> the state it sets


def change_state(unit: Unit, actor: projects.Actor, project: projects.Project, state: str) -> tuple[str, list[Effect]]:
    """Set the state; the message to confirm it with and the card refresh it needs."""
    changed = projects.set_state(unit.session, actor, project, state)
    message = t(f"state.{'changed' if changed else 'already'}.{state}", unit.lang, key=project.key,
                name=escape(project.name))
    return message, [RefreshCard(actor.team_id, project.id)] if changed else []
