"""Message shortcuts."""

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.usecases.effects import after_ack
from bot.usecases.shortcuts import CALLBACK_ID, on_message_shortcut


def register(app: App) -> None:
    app.message_shortcut(CALLBACK_ID)(log_message)


def log_message(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """*Logg som fremdrift* on a message: the log modal, pre-filled with the message."""
    ack()
    svc = context["svc"]
    after_ack(svc, on_message_shortcut(svc, body).effects)
