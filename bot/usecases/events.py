"""Events API deliveries. Each event id takes effect once, however often Slack retries it."""

from __future__ import annotations

from typing import Any

from bot.services import Services
from bot.slack.i18n import t
from bot.slack.outcome import Outcome, ThreadReply
from storage import workspaces as workspace_db


def first_delivery(svc: Services, team_id: str, event_id: str) -> bool:
    """Record the event id; False when it was handled before (Slack's retry with X-Slack-Retry-Num)."""
    with svc.unit(team_id, write=True) as unit:
        return workspace_db.mark_handled(unit.session, team_id, f"event:{event_id}")


def on_mention(svc: Services, body: dict[str, Any]) -> Outcome:
    """Someone @-mentioned the bot: answer in the thread with how to use it."""
    team_id, event = body["team_id"], body["event"]
    if not first_delivery(svc, team_id, body["event_id"]):
        return Outcome()
    lang = svc.language(team_id)
    thread = event.get("thread_ts") or event["ts"]
    return Outcome(effects=[ThreadReply(event["channel"], thread, t("mention.reply", lang))])
