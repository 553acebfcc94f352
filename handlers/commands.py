"""`/prosjekt` slash command."""

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.usecases.commands import run_command
from bot.usecases.effects import after_ack


def register(app: App) -> None:
    app.command("/prosjekt")(prosjekt)


def prosjekt(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    svc = context["svc"]
    outcome = run_command(svc, {**command, "team_id": context.team_id or command["team_id"]})
    ack(**outcome.ack)
    after_ack(svc, outcome.effects)
