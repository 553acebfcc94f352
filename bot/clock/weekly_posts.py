"""The weekly summary and the portfolio post through the clock's outbox (docs/product.md §5).

Planning: once a workspace's weekly slot has come (`bot.domain.weekly`), one row per channel with active projects (and
one for the portfolio channel) is inserted — once per ISO week, whichever clock gets there first. Delivery: the
post is rendered when its turn comes, from the data of that moment; a long one goes out in parts (the first in
the channel, the rest in its thread, then the portfolio's chart), each paced like any post and counted in the
row (`parts_sent`), so a clock that takes over after a crash goes on from the part that was in flight.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.clock.context import ClaimContext
from bot.clock.delivery import Job
from bot.domain.occasion import Rule
from bot.domain.rules import SummarySettings
from bot.domain.weekly import due_slot, planned_rows, still_this_week
from bot.slack.i18n import t
from bot.slack.render.summary import channel_summary_messages, chart_png, portfolio_messages
from bot.slack.uploads import upload_png
from bot.usecases import summary
from storage import claims, outbox
from storage import workspaces as workspace_db
from storage.db import unit_of_work
from storage.models import Followup, Workspace

log = logging.getLogger("prosjektbot.clock")
CHART = "chart"  # the part after the portfolio's text: its chart image


def plan_week(sessions: sessionmaker[Session], ws: Workspace, now: dt.datetime) -> int:
    """This week's summary rows, once its slot has come; how many were new."""
    settings = SummarySettings.from_json(ws.summary)
    due = due_slot(now, settings, ws.timezone)
    if due is None:
        return 0
    occasion, slot = due
    marker = f"weekly:{occasion}"
    with unit_of_work(sessions) as session:
        if workspace_db.was_handled(session, ws.team_id, marker):
            return 0
    with unit_of_work(sessions, write=True) as session:
        if not workspace_db.mark_handled(session, ws.team_id, marker):
            return 0  # another clock planned this week meanwhile
        channels = summary.channels_with_active_projects(session, ws.team_id)
        return outbox.insert_planned(session, ws.team_id, planned_rows(occasion, slot, channels, settings))


def _parts(session: Session, ws: Workspace, f: Followup, now: dt.datetime) -> list[dict[str, Any]] | str:
    """The post's parts as it reads now, or why it no longer applies."""
    tz, settings = ws.timezone, SummarySettings.from_json(ws.summary)
    if not still_this_week(f.occasion, now, tz):
        return "stale: its week is over"
    today = now.astimezone(ZoneInfo(tz)).date()
    channel = f.channel_id or ""
    if f.rule == Rule.PORTFOLIO:
        if settings.portfolio_channel != channel:
            return "off: not the portfolio channel any more"
        found = summary.portfolio(session, ws.team_id, today, tz)
        if not found.totals.projects:
            return "empty: no active projects"
        return [*portfolio_messages(found, ws.language), {CHART: found}]
    if not settings.channel_enabled(channel):
        return "off: the summary is switched off for this channel"
    channel_summary = summary.channel_summary(session, ws.team_id, channel, today, tz)
    if not channel_summary.projects:
        return "empty: no active projects in the channel"
    return channel_summary_messages(channel_summary, ws.language)


def job(context: ClaimContext, ws: Workspace, followup: Followup) -> Job:
    """The job that sends a claimed weekly post: its next part; the parts after it follow through `more`."""
    team_id, followup_id, channel = ws.team_id, followup.id, followup.channel_id or ""
    sessions, now = context.sessions, context.now
    state: dict[str, Any] = {}  # the parts rendered for the first job, shared with the ones that follow

    def prepare_first() -> dict[str, Any] | None:
        with unit_of_work(sessions, write=True) as session:
            if not claims.confirm_claim(session, team_id, followup_id, worker=context.worker,
                                        until=now + context.lease):
                return None  # another clock took it over
        with unit_of_work(sessions) as session:  # read and render without holding SQLite's write lock
            row = outbox.followup_by_id(session, team_id, followup_id)
            assert row is not None
            parts, sent, thread_ts = _parts(session, ws, row, now), row.parts_sent, row.message_ts
        if isinstance(parts, str):
            with unit_of_work(sessions, write=True) as session:
                if claims.cancel_claim(session, team_id, followup_id, worker=context.worker, reason=parts):
                    context.report.cancelled += 1
            return None
        if sent >= len(parts):  # everything is out (it re-rendered shorter after a restart)
            with unit_of_work(sessions, write=True) as session:
                claims.mark_all_parts_sent(session, team_id, followup_id)
            return None
        state.update(parts=parts, first=sent, thread_ts=thread_ts)
        return _message(state, sent)

    return _part_job(context, ws, followup_id, channel, state, index=None, prepare=prepare_first)


def _message(state: dict[str, Any], index: int) -> dict[str, Any]:
    part = state["parts"][index]
    if CHART in part:
        return part
    message = {"text": part["text"], "blocks": part["blocks"], "unfurl_links": False}
    return {**message, "thread_ts": state["thread_ts"]} if index > 0 else message


def _part_job(context: ClaimContext, ws: Workspace, followup_id: int, channel: str, state: dict[str, Any], *,
              index: int | None, prepare: Callable[[], dict[str, Any] | None] | None = None) -> Job:
    """The job for part `index` (None: whichever part is next, decided by `prepare`)."""
    team_id, sessions, now, worker = ws.team_id, context.sessions, context.now, context.worker

    def which() -> int:
        return state["first"] if index is None else index

    def prepare_next() -> dict[str, Any] | None:
        with unit_of_work(sessions, write=True) as session:
            if not claims.confirm_claim(session, team_id, followup_id, worker=worker, until=now + context.lease):
                return None
        return _message(state, which())

    def on_sent(response: dict[str, Any]) -> None:
        i = which()
        if i == 0:
            state["thread_ts"] = response["ts"]
        with unit_of_work(sessions, write=True) as session:
            claims.mark_part_sent(session, team_id, followup_id, part=i, last=i + 1 >= len(state["parts"]), at=now,
                                  message=(response["channel"], response["ts"]) if i == 0 else None)

    def more(_response: dict[str, Any]) -> list[Job]:
        i = which()
        if index is not None or i + 1 >= len(state["parts"]):
            return []  # only the first job lays out the rest
        return [_part_job(context, ws, followup_id, channel, state, index=k)
                for k in range(i + 1, len(state["parts"]))]

    def on_failed(error: str) -> None:
        with unit_of_work(sessions, write=True) as session:
            claims.mark_failed(session, team_id, followup_id, error=error, at=now)
        context.report.failed += 1
        log.warning("weekly post %s to %s failed: %s", followup_id, channel, error)

    def on_gave_up(error: str) -> None:
        with unit_of_work(sessions, write=True) as session:
            claims.retry_later(session, team_id, followup_id, worker=worker, now=now, error=error)

    def send(client: WebClient, message: dict[str, Any]) -> dict[str, Any]:
        if CHART not in message:
            return client.chat_postMessage(channel=channel, **message).data  # type: ignore[return-value]
        upload_png(client, channel_id=channel, png=chart_png(message[CHART], ws.language), filename="portefolje.png",
                   title=t("chart.title", ws.language, week=message[CHART].week.number),
                   thread_ts=state["thread_ts"])  # without files:write the text stands on its own
        return {"channel": channel, "ts": state["thread_ts"]}

    return Job(channel=channel, prepare=prepare or prepare_next, on_sent=on_sent, on_failed=on_failed,
               on_gave_up=on_gave_up, more=more, send=send)


SENDERS: dict[str, Callable[[ClaimContext, Workspace, Followup], Job]] = {Rule.SUMMARY: job, Rule.PORTFOLIO: job}
