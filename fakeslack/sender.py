"""Sender: plays Slack's side of the HTTP conversation with the bot — slash commands, block actions, modal
submissions and closes, message shortcuts and Events API deliveries, shaped as Slack sends them and signed.

The sandbox's page acts through it (``FakeSlack.connect``), and so do the tests. Trigger ids and response_urls come
from the fake, which then knows whose screen a modal opens on and where an answer to a response_url is shown.
"""

from __future__ import annotations

import copy
import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import requests
from slack_sdk.signature import SignatureVerifier

if TYPE_CHECKING:
    from .server import FakeSlack

_ids = itertools.count(1000)
APP_ID = "A0PROSJEKT"
# What an element's action carries besides type/action_id/block_id, and its state entry (by element type).
SELECTED = {"static_select": "selected_option", "external_select": "selected_option", "overflow": "selected_option",
            "radio_buttons": "selected_option", "multi_static_select": "selected_options",
            "multi_external_select": "selected_options", "checkboxes": "selected_options",
            "datepicker": "selected_date", "timepicker": "selected_time", "datetimepicker": "selected_date_time",
            "users_select": "selected_user", "multi_users_select": "selected_users",
            "conversations_select": "selected_conversation", "multi_conversations_select": "selected_conversations",
            "channels_select": "selected_channel", "multi_channels_select": "selected_channels"}
INITIAL = {"selected_date": "initial_date", "selected_time": "initial_time", "selected_user": "initial_user",
           "selected_users": "initial_users", "selected_conversation": "initial_conversation",
           "selected_conversations": "initial_conversations", "selected_channel": "initial_channel",
           "selected_channels": "initial_channels", "selected_date_time": "initial_date_time"}


def slack_id(prefix: str) -> str:
    return f"{prefix}{next(_ids):08X}"


@dataclass
class Sender:
    """Sends commands, clicks, modal submissions and events to the bot at ``url`` (its request URL), signed with
    ``secret``, as workspace ``team_id`` of ``fake``."""

    url: str
    secret: str
    team_id: str
    fake: FakeSlack
    channel_id: str = field(default_factory=lambda: slack_id("C"))
    session: requests.Session = field(default_factory=requests.Session)

    def signed_post(self, body: str, content_type: str, *, timestamp: int | None = None,
                    signature: str | None = None, headers: dict[str, str] | None = None) -> requests.Response:
        ts = str(timestamp if timestamp is not None else int(time.time()))  # checked against the real clock
        sig = signature or SignatureVerifier(self.secret).generate_signature(timestamp=ts, body=body) or ""
        all_headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig,
                       **(headers or {})}
        return self.session.post(self.url, data=body.encode(), headers=all_headers, timeout=30)

    def _now(self) -> str:
        return f"{self.fake.now():.6f}"

    def _user(self, user: str) -> dict[str, Any]:
        return {"id": user, "username": "u", "name": "u", "team_id": self.team_id}

    def _team(self) -> dict[str, Any]:
        return {"id": self.team_id, "domain": "byraa"}

    # --- slash commands -------------------------------------------------------------------------------------
    def command_body(self, text: str, *, user: str, channel: str | None = None) -> str:
        channel = channel or self.channel_id
        return urlencode({
            "token": "verification-token-unused", "team_id": self.team_id, "team_domain": "byraa",
            "channel_id": channel, "channel_name": self.fake.channel_name(channel), "user_id": user,
            "user_name": "u", "command": "/prosjekt", "text": text, "api_app_id": APP_ID,
            "is_enterprise_install": "false", "response_url": self.fake.response_url(user=user, channel=channel),
            "trigger_id": self.fake.trigger(user),
        })

    def command(self, text: str, *, user: str, channel: str | None = None) -> requests.Response:
        body = self.command_body(text, user=user, channel=channel)
        return self.signed_post(body, "application/x-www-form-urlencoded")

    # --- interactivity ---------------------------------------------------------------------------------------
    def _interactive(self, payload: dict[str, Any]) -> requests.Response:
        return self.signed_post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def block_action(self, blocks: list[dict[str, Any]], block_id: str, action_id: str, action: dict[str, Any], *,
                     user: str, message: dict[str, Any] | None = None, channel: str | None = None,
                     ephemeral: bool = False, view: dict[str, Any] | None = None,
                     state: dict[str, Any] | None = None) -> requests.Response:
        """The ``block_actions`` Slack sends when ``user`` uses element ``action_id`` (any type) in ``blocks`` of
        a message (``message``: the message as stored, in ``channel``) or of a view (``view``: a modal or App Home
        as stored, with id and hash). ``action`` holds what was chosen (``selected_option``, ``selected_date``,
        …; a button needs nothing); ``state`` is ``state.values`` so far."""
        element, found_block = find_element(blocks, action_id, block_id)
        fields = {"type": element["type"], "action_id": action_id, "block_id": found_block}
        if element["type"] == "button":
            fields.update({k: element[k] for k in ("text", "value", "style") if k in element})
        payload: dict[str, Any] = {
            "type": "block_actions", "user": self._user(user), "api_app_id": APP_ID, "token": "unused",
            "trigger_id": self.fake.trigger(user), "team": self._team(), "enterprise": None,
            "is_enterprise_install": False, "actions": [{**fields, **action, "action_ts": self._now()}],
        }
        values = state or {}
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view["id"]}
            payload["view"] = {**view, "team_id": self.team_id, "state": {"values": values}}
            return self._interactive(payload)
        channel = channel or self.channel_id
        ts = (message or {}).get("ts", "1.000001")
        payload.update({
            "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": ephemeral},
            "channel": {"id": channel, "name": self.fake.channel_name(channel)}, "state": {"values": values},
            "response_url": self.fake.response_url(user=user, channel=channel, ts=ts, ephemeral=ephemeral),
        })
        if not ephemeral:  # Slack leaves the message out for an ephemeral one
            shown = {k: v for k, v in (message or {}).items()
                     if k not in ("channel", "to", "reactions") and v is not None}
            payload["message"] = {"type": "message", "ts": ts, "blocks": blocks, **shown}
        return self._interactive(payload)

    def click(self, message: dict[str, Any], action_id: str, *, user: str, channel: str | None = None,
              ephemeral: bool = False) -> requests.Response:
        """Click the button ``action_id`` in a message (as stored by the fake, or an ack's blocks)."""
        return self.block_action(message["blocks"], "", action_id, {}, user=user, message=message, channel=channel,
                                 ephemeral=ephemeral)

    def click_in_home(self, view: dict[str, Any], action_id: str, *, user: str) -> requests.Response:
        """Click a button on a published App Home view (a ``block_actions`` from a view: no channel, no
        response_url)."""
        return self.block_action(view["blocks"], "", action_id, {}, user=user, view=view)

    def change_in_modal(self, view: dict[str, Any], block_id: str, value: Any, *, user: str,
                        values: dict[str, Any] | None = None) -> requests.Response:
        """Change a dispatching input (``dispatch_action``) of an open modal (as stored by the fake: id, hash): the
        ``block_actions`` Slack sends at once, with the whole state so far (``values`` typed elsewhere)."""
        state = fill_state(view, {**(values or {}), block_id: value})
        [(action_id, entry)] = state[block_id].items()
        chosen = {k: v for k, v in entry.items() if k != "type"}
        return self.block_action(view["blocks"], block_id, action_id, chosen, user=user, view=view, state=state)

    def submit(self, view: dict[str, Any], values: dict[str, Any], *, user: str,
               view_id: str | None = None) -> requests.Response:
        """Submit a modal the bot opened, with ``values`` typed into its inputs (by block id)."""
        view = {**view, "id": view_id or view.get("id") or slack_id("V")}
        return self.view_submission(view, fill_state(view, values), user=user)

    def view_submission(self, view: dict[str, Any], values: dict[str, Any], *, user: str) -> requests.Response:
        """Submit a modal (as stored: id, hash) with ``values`` as Slack's ``view.state.values``."""
        payload = {
            "type": "view_submission", "team": self._team(), "user": self._user(user), "api_app_id": APP_ID,
            "token": "unused", "trigger_id": self.fake.trigger(user), "view": self._view(view, values),
            "response_urls": [], "is_enterprise_install": False, "enterprise": None,
        }
        return self._interactive(payload)

    def view_closed(self, view: dict[str, Any], *, user: str, is_cleared: bool = False) -> requests.Response:
        """The user closed a modal that asked for it (``notify_on_close``)."""
        payload = {"type": "view_closed", "team": self._team(), "user": self._user(user), "api_app_id": APP_ID,
                   "token": "unused", "view": self._view(view, {}), "is_cleared": is_cleared,
                   "is_enterprise_install": False, "enterprise": None}
        return self._interactive(payload)

    def _view(self, view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        return {**view, "team_id": self.team_id, "state": {"values": values},
                "hash": view.get("hash") or uuid.uuid4().hex[:20], "app_id": view.get("app_id") or APP_ID,
                "bot_id": view.get("bot_id") or "BBOT", "root_view_id": view.get("root_view_id") or view.get("id"),
                "previous_view_id": view.get("previous_view_id")}

    def message_shortcut(self, message: dict[str, Any], *, user: str, channel: str | None = None,
                         callback_id: str = "log_message") -> requests.Response:
        """Use a message shortcut on ``message`` (as a user wrote it: ``text``, ``user``, ``ts``, optional
        ``thread_ts``)."""
        channel = channel or self.channel_id
        shown = {"client_msg_id": str(uuid.uuid4()), "type": "message", "team": self.team_id,
                 "blocks": [{"type": "rich_text", "block_id": uuid.uuid4().hex[:5], "elements": [
                     {"type": "rich_text_section", "elements": [{"type": "text", "text": message["text"]}]}]}],
                 **{k: v for k, v in message.items() if k not in ("channel", "to", "reactions") and v is not None}}
        payload = {
            "type": "message_action", "token": "unused", "action_ts": self._now(), "team": self._team(),
            "user": self._user(user), "channel": {"id": channel, "name": self.fake.channel_name(channel)},
            "is_enterprise_install": False, "enterprise": None, "callback_id": callback_id,
            "trigger_id": self.fake.trigger(user), "message_ts": message["ts"], "message": shown,
            "response_url": self.fake.response_url(user=user, channel=channel),
        }
        return self._interactive(payload)

    # --- events ------------------------------------------------------------------------------------------------
    def event(self, event: dict[str, Any], *, event_id: str | None = None,
              retry: int | None = None) -> requests.Response:
        envelope = {
            "token": "unused", "team_id": self.team_id, "api_app_id": APP_ID, "event": event,
            "type": "event_callback", "event_id": event_id or slack_id("Ev"), "event_time": int(self.fake.now()),
            "authorizations": [{"enterprise_id": None, "team_id": self.team_id, "user_id": "UBOT", "is_bot": True,
                                "is_enterprise_install": False}],
            "is_ext_shared_channel": False, "event_context": uuid.uuid4().hex,
        }
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.signed_post(json.dumps(envelope), "application/json", headers=headers)

    def reaction(self, ts: str, name: str, *, user: str, channel: str | None = None, added: bool = True,
                 item_user: str | None = None, event_id: str | None = None,
                 retry: int | None = None) -> requests.Response:
        """``reaction_added`` (or, ``added=False``, ``reaction_removed``) on the message ``ts``; ``item_user`` is
        who wrote it (left out, as Slack does, for messages no user wrote)."""
        channel = channel or self.channel_id
        event: dict[str, Any] = {
            "type": "reaction_added" if added else "reaction_removed", "user": user, "reaction": name,
            "item": {"type": "message", "channel": channel, "ts": ts}, "event_ts": self._now()}
        if item_user:
            event["item_user"] = item_user
        return self.event(event, event_id=event_id, retry=retry)

    def mention(self, message: dict[str, Any], *, channel: str | None = None) -> requests.Response:
        """``app_mention``: ``message`` (``user``, ``text``, ``ts``, optional ``thread_ts``) mentions the bot."""
        event = {"type": "app_mention", "channel": channel or self.channel_id, "event_ts": message["ts"],
                 **{k: message[k] for k in ("user", "text", "ts", "thread_ts") if message.get(k)}}
        return self.event(event)

    def home_opened(self, user: str, *, tab: str = "home", event_id: str | None = None,
                    retry: int | None = None) -> requests.Response:
        """The user opens the app's Home (or Messages) tab; ``view`` is included once a Home was published."""
        event: dict[str, Any] = {"type": "app_home_opened", "user": user, "channel": "D" + user[1:], "tab": tab,
                                 "event_ts": self._now()}
        published = self.fake.home_view(user)
        if tab == "home" and published is not None:
            event["view"] = published
        return self.event(event, event_id=event_id, retry=retry)


def find_element(blocks: list[dict[str, Any]], action_id: str, block_id: str = "") -> tuple[dict[str, Any], str]:
    """The interactive element ``action_id`` (in block ``block_id`` when given) and its block's id: in an actions
    block, a section's accessory or an input block."""
    for block in blocks:
        if block_id and block.get("block_id") != block_id:
            continue
        elements = [*block.get("elements", []), block.get("accessory"), block.get("element")]
        for element in elements:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return copy.deepcopy(element), block.get("block_id", "")
    raise LookupError(f"no element {action_id!r} in the blocks")


def fill_state(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """``view.state.values`` as Slack builds it from what the user entered in each input (by block id: text, a date,
    a user id, an option's value or a list of them); an input left alone keeps its initial value."""
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind, block_id = element["type"], block["block_id"]
        given = values.get(block_id)
        entry: dict[str, Any] = {"type": kind}
        key = SELECTED.get(kind, "value")
        if key in ("selected_option", "selected_options"):
            options = {o["value"]: o for group in element.get("option_groups", [{"options": element.get("options")}])
                       for o in group.get("options") or []}
            initial = element.get("initial_options") if key == "selected_options" else element.get("initial_option")
            if given is None:
                entry[key] = initial
            else:
                chosen = given if isinstance(given, list) else [given]
                if set(chosen) - options.keys():
                    raise LookupError(f"{chosen!r} are not all options of {block_id}")
                entry[key] = [options[v] for v in chosen] if key == "selected_options" else options[given]
            if key == "selected_options" and entry[key] is None:
                entry[key] = []
        elif key in ("selected_users", "selected_conversations", "selected_channels"):
            entry[key] = given if given is not None else element.get(INITIAL[key]) or []
        else:
            entry[key] = given if given is not None else element.get(INITIAL.get(key, "initial_value"))
        state[block_id] = {element["action_id"]: entry}
    return state
