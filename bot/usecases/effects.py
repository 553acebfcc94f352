"""Slack calls made after the ack, off the request thread: modals, cards, confirmations.

Retries on rate limits (honouring Retry-After), server errors and dropped connections come from slack_sdk's
retry handlers installed on the one WebClient (see `bot.slack.client.make_client`).
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.services import Services
from bot.slack.errors import CANNOT_POST
from bot.slack.i18n import t
from bot.slack.outcome import (
    Effect,
    Ephemeral,
    OpenModal,
    OpenModalForMessage,
    PostCard,
    RefreshCard,
    RefreshFollowup,
    RefreshHome,
    RefreshHomes,
    Respond,
    SendExport,
    ThreadReply,
    UpdateMessage,
    UpdateModal,
    UploadFile,
)
from bot.slack.render.cards import card_text, render_project_card
from bot.slack.uploads import upload_to_user
from bot.usecases import export, home, projects
from bot.usecases.reactions import followup_message

log = logging.getLogger("prosjektbot")


def after_ack(svc: Services, effects: list[Effect]) -> None:
    """Queue Slack calls to run once the ack is on its way.

    A refresh of a project's card that is queued and not yet started will render the latest state when it runs
    (the change that asks again is already committed), so asking again adds nothing; and a card is refreshed at
    most once per REFRESH_INTERVAL (bot.slack.coalesce): busy projects cost Slack one chat.update a second, not one per
    log."""
    # Whatever changes a project's card changes the App Home of its people (asked for even when the card's own
    # refresh is already queued: the Homes have their own coalescing, see bot.usecases.home).
    homes: set[tuple[str, int | None]] = {(e.team_id, e.project_id) for e in effects
                                          if isinstance(e, RefreshCard | PostCard | RefreshHomes)}
    for team_id, project_id in sorted(homes, key=str):
        home.request_homes(svc, team_id, project_id)
    for effect in effects:
        if isinstance(effect, RefreshHome):
            for user_id in effect.user_ids:
                home.request_home(svc, effect.team_id, user_id)
    now: list[Effect] = []
    for effect in effects:
        if isinstance(effect, RefreshHome | RefreshHomes):
            continue
        if isinstance(effect, RefreshCard) and _is_plain(effect):
            svc.cards.request((effect.team_id, effect.project_id), svc.submit,
                              functools.partial(run_effects, svc, [effect]))
            continue
        now.append(effect)
    if now:
        svc.submit(run_effects, svc, now)


def _is_plain(effect: RefreshCard) -> bool:
    return not (effect.channel_id or effect.ts or effect.response_url)


def run_effects(svc: Services, effects: list[Effect]) -> None:
    """Run effects in order; one failing is logged and does not stop the others."""
    for effect in effects:
        try:
            _run(svc, effect)
        except SlackApiError as exc:
            log.warning("slack call for %s failed: %s", type(effect).__name__, exc.response.get("error"))
        except Exception:
            log.exception("effect %s failed", type(effect).__name__)


def _card(svc: Services, team_id: str, project_id: int) -> tuple[str, list[dict[str, Any]], Any, str] | None:
    with svc.unit(team_id) as unit:
        snap = projects.card_by_id(unit.session, team_id, project_id, today=unit.today)
        if snap is None:
            return None
        return card_text(snap, unit.lang), render_project_card(snap, unit.lang), snap.project, unit.lang


def _run(svc: Services, effect: Effect) -> None:
    client = svc.client
    if isinstance(effect, OpenModal):
        client.views_open(trigger_id=effect.trigger_id, view=effect.view)
    elif isinstance(effect, UpdateModal):
        client.views_update(view_id=effect.view_id, hash=effect.hash, view=effect.view)
    elif isinstance(effect, PostCard):
        _post_card(svc, effect)
    elif isinstance(effect, RefreshCard):
        _refresh_card(svc, effect)
    elif isinstance(effect, Respond):
        sent = WebhookClient(effect.response_url).send(text=effect.text, blocks=effect.blocks,
                                                       response_type="ephemeral",
                                                       replace_original=effect.replace_original or None)
        if sent.status_code != 200:
            log.warning("response_url answered %s: %s", sent.status_code, sent.body)
    elif isinstance(effect, Ephemeral):
        client.chat_postEphemeral(channel=effect.channel_id, user=effect.user_id, text=effect.text,
                                  blocks=effect.blocks)
    elif isinstance(effect, ThreadReply):
        client.chat_postMessage(channel=effect.channel_id, thread_ts=effect.thread_ts, text=effect.text)
    elif isinstance(effect, OpenModalForMessage):
        client.views_open(trigger_id=effect.trigger_id, view=effect.view(_permalink(svc, effect)))
    elif isinstance(effect, UploadFile):
        upload_to_user(client, user_id=effect.user_id, content=effect.content, filename=effect.filename,
                       title=effect.title, comment=effect.comment)
    elif isinstance(effect, SendExport):
        export.send(svc, effect)
    elif isinstance(effect, UpdateMessage):
        client.chat_update(channel=effect.channel_id, ts=effect.ts, **effect.message)
    elif isinstance(effect, RefreshFollowup):
        message = followup_message(svc, effect.team_id, effect.followup_id)
        if message is not None:
            client.chat_update(**message)


def _permalink(svc: Services, effect: OpenModalForMessage) -> str | None:
    try:
        return str(svc.client.chat_getPermalink(channel=effect.channel_id, message_ts=effect.message_ts)["permalink"])
    except SlackApiError as exc:  # the modal opens without the link rather than not at all
        log.warning("chat.getPermalink failed: %s", exc.response.get("error"))
        return None


def _post_card(svc: Services, effect: PostCard) -> None:
    card = _card(svc, effect.team_id, effect.project_id)
    if card is None:
        return
    text, blocks, project, lang = card
    try:
        posted = svc.client.chat_postMessage(channel=effect.channel_id, text=text, blocks=blocks)
    except SlackApiError as exc:
        if exc.response.get("error") not in CANNOT_POST:
            raise
        # The bot is not in the channel: tell the PL how to fix it, with the card, rather than lose it.
        notice = t("card.cannot_post", lang, channel=effect.channel_id, key=project.key)
        if effect.response_url:
            WebhookClient(effect.response_url).send(text=notice, blocks=None, response_type="ephemeral")
        else:
            svc.client.chat_postMessage(channel=project.pm_user_id, text=notice)
        return
    with svc.unit(effect.team_id, write=True) as unit:
        projects.remember_card(unit.session, effect.team_id, effect.project_id, posted["channel"], posted["ts"])
    # A change made while the card was on its way could not update it (its ts was not known yet): catch up.
    fresh = _card(svc, effect.team_id, effect.project_id)
    if fresh is not None and fresh[1] != blocks:
        svc.client.chat_update(channel=posted["channel"], ts=posted["ts"], text=fresh[0], blocks=fresh[1])


def _refresh_card(svc: Services, effect: RefreshCard) -> None:
    card = _card(svc, effect.team_id, effect.project_id)
    if card is None:
        return
    text, blocks, project, _lang = card
    if effect.response_url:
        WebhookClient(effect.response_url).send(text=text, blocks=blocks, replace_original=True)
    targets = {(project.card_channel_id, project.card_ts), (effect.channel_id, effect.ts)}
    for channel, ts in targets:
        if channel and ts:
            svc.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
