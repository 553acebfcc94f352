"""Buttons on the project card."""

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.effects import after_ack
from bot.interactions import run_action


def register(app: App) -> None:
    app.action(re.compile(r"^card\."))(card_button)


def card_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    svc = context["svc"]
    after_ack(svc, run_action(svc, body).effects)
