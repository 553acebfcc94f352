"""Events API."""

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.effects import after_ack
from bot.events import on_mention


def register(app: App) -> None:
    app.event("app_mention")(mention)


def mention(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    svc = context["svc"]
    after_ack(svc, on_mention(svc, body).effects)
