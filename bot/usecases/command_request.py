"""One slash command as its sub-command handlers see it (bot.usecases.commands, bot.usecases.routine_commands)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.services import Unit
from bot.slack.i18n import t
from bot.slack.outcome import Outcome
from bot.usecases import projects


@dataclass(frozen=True)
class Request:
    """One slash command, from the verified payload."""

    unit: Unit
    actor: projects.Actor
    channel_id: str
    trigger_id: str
    response_url: str | None

    @property
    def lang(self) -> str:
        return self.unit.lang

    def say(self, message: str, /, **params: Any) -> Outcome:
        return Outcome(ack={"response_type": "ephemeral", "text": t(message, self.lang, **params)})
