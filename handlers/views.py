"""Modal submissions."""

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.usecases.effects import after_ack
from bot.usecases.interactions import SUBMISSIONS, run_submission


def register(app: App) -> None:
    for callback_id in SUBMISSIONS:
        app.view(callback_id)(submitted)


def submitted(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    svc = context["svc"]
    outcome = run_submission(svc, body)
    ack(**outcome.ack)
    after_ack(svc, outcome.effects)
