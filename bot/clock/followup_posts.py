"""Sending one claimed project follow-up (part of the clock): what is recorded when Slack takes the post, refuses it,
or has trouble, and the reactions added to it."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient

from bot.clock.context import ClaimContext
from bot.clock.delivery import Job
from bot.domain.occasion import Rule
from bot.slack.errors import CANNOT_POST
from bot.slack.i18n import t
from storage import claims
from storage import projects as project_db
from storage import workspaces as workspace_db
from storage.db import unit_of_work
from storage.models import Workspace

log = logging.getLogger("prosjektbot.clock")
PRE_ADDED_REACTIONS = ("white_check_mark", "alarm_clock", "eyes")  # so people can just click them


def job(context: ClaimContext, client: WebClient, ws: Workspace, followup_id: int, rule: str, project_id: int,
        channel: str) -> Job:
    """The job that posts follow-up `followup_id` (its message is built by whoever sets `prepare`)."""
    team_id, now = ws.team_id, context.now

    # Only a nag has a successor that depends on it going out (the next nag is planned from it); the weekly
    # alerts come again through the daily pass, the rest have none.
    successor = rule == Rule.OVERDUE

    def on_sent(response: dict[str, Any]) -> None:
        with unit_of_work(context.sessions, write=True) as session:
            # The project row before the follow-up, in the planner's order (it locks projects, then inserts
            # their follow-ups): the other order deadlocks with a clock planning meanwhile on PostgreSQL, and
            # losing that here left a posted message unrecorded, to be sent again after the lease.
            if successor:
                project_db.request_replan(session, team_id, [project_id])
            claims.mark_sent(session, team_id, followup_id, channel_id=response["channel"],
                             message_ts=response["ts"], at=now)

    def then(response: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        # from a queue of their own, never holding the channel's turn (a report has its button instead)
        if rule == Rule.REPORT:
            return []
        return [("reactions.add", {"channel": response["channel"], "timestamp": response["ts"], "name": name})
                for name in PRE_ADDED_REACTIONS]

    def on_failed(error: str) -> None:
        with unit_of_work(context.sessions, write=True) as session:
            if successor:
                project_db.request_replan(session, team_id, [project_id])  # the series goes on (see planner._nag_state)
            claims.mark_failed(session, team_id, followup_id, error=error, at=now)
            first = error in CANNOT_POST and workspace_db.mark_handled(session, team_id, f"cannot-post:{channel}")
            project = project_db.project_by_id(session, team_id, project_id)
        context.report.failed += 1
        if first and project is not None:  # the PL hears of it once per channel
            text = t("followup.channel_failed", ws.language, channel=channel, key=project.key, error=error)
            try:
                client.chat_postMessage(channel=project.pm_user_id, text=text)
            except Exception as exc:
                log.warning("could not tell the PL about %s: %s", channel, exc)

    def on_gave_up(error: str) -> None:
        with unit_of_work(context.sessions, write=True) as session:
            claims.retry_later(session, team_id, followup_id, worker=context.worker, now=now, error=error)

    return Job(channel=channel, prepare=lambda: None, on_sent=on_sent, on_failed=on_failed,
               on_gave_up=on_gave_up, then=then)
