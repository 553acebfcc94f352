"""Plays Slack's side of the HTTP conversation: signed requests with payloads shaped as Slack sends them."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests
from slack_sdk.signature import SignatureVerifier

_ids = itertools.count(1000)


def slack_id(prefix: str) -> str:
    return f"{prefix}{next(_ids):08X}"


@dataclass
class SlackSim:
    """Sends commands, clicks, modal submissions and events to the bot at `url`, signed with `secret`."""

    url: str
    secret: str
    team_id: str
    fake: Any  # fakeslack.FakeSlack, for response_url and the views it saw opened
    channel_id: str = field(default_factory=lambda: slack_id("C"))
    session: requests.Session = field(default_factory=requests.Session)

    def signed_post(self, body: str, content_type: str, *, timestamp: int | None = None,
                    signature: str | None = None, headers: dict[str, str] | None = None) -> requests.Response:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        sig = signature or SignatureVerifier(self.secret).generate_signature(timestamp=ts, body=body)
        all_headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig,
                       **(headers or {})}
        return self.session.post(self.url, data=body.encode(), headers=all_headers, timeout=10)

    # --- slash commands -------------------------------------------------------------------------------------
    def command_body(self, text: str, *, user: str, channel: str | None = None) -> str:
        return urlencode({
            "token": "verification-token-unused", "team_id": self.team_id, "team_domain": "byraa",
            "channel_id": channel or self.channel_id, "channel_name": "kunde", "user_id": user, "user_name": "u",
            "command": "/prosjekt", "text": text, "api_app_id": "A0PROSJEKT", "is_enterprise_install": "false",
            "response_url": self.fake.response_url(), "trigger_id": f"{next(_ids)}.{next(_ids)}.{uuid.uuid4().hex}",
        })

    def command(self, text: str, *, user: str, channel: str | None = None) -> requests.Response:
        body = self.command_body(text, user=user, channel=channel)
        return self.signed_post(body, "application/x-www-form-urlencoded")

    # --- interactivity ---------------------------------------------------------------------------------------
    def _interactive(self, payload: dict[str, Any]) -> requests.Response:
        return self.signed_post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def click(self, message: dict[str, Any], action_id: str, *, user: str, channel: str | None = None,
              ephemeral: bool = False) -> requests.Response:
        """Click the button `action_id` in a message (as stored by the fake, or an ack's blocks)."""
        button, block_id = _find_button(message["blocks"], action_id)
        channel = channel or self.channel_id
        payload = {
            "type": "block_actions", "user": {"id": user, "username": "u", "name": "u", "team_id": self.team_id},
            "api_app_id": "A0PROSJEKT", "token": "unused",
            "container": {"type": "message", "message_ts": message.get("ts", "1.000001"), "channel_id": channel,
                          "is_ephemeral": ephemeral},
            "trigger_id": f"{next(_ids)}.{uuid.uuid4().hex}", "team": {"id": self.team_id, "domain": "byraa"},
            "enterprise": None, "is_enterprise_install": False, "channel": {"id": channel, "name": "kunde"},
            "message": {"type": "message", "ts": message.get("ts", "1.000001"), "blocks": message["blocks"]},
            "state": {"values": {}}, "response_url": self.fake.response_url(),
            "actions": [{"action_id": action_id, "block_id": block_id, "text": button["text"],
                         "value": button.get("value"), "type": "button", "action_ts": f"{time.time():.6f}"}],
        }
        return self._interactive(payload)

    def submit(self, view: dict[str, Any], values: dict[str, Any], *, user: str,
               view_id: str | None = None) -> requests.Response:
        """Submit a modal the bot opened, with `values` typed into its inputs (by block id)."""
        payload = {
            "type": "view_submission", "team": {"id": self.team_id, "domain": "byraa"},
            "user": {"id": user, "username": "u", "name": "u", "team_id": self.team_id},
            "api_app_id": "A0PROSJEKT", "token": "unused", "trigger_id": f"{next(_ids)}.{uuid.uuid4().hex}",
            "view": {**view, "id": view_id or view.get("id") or slack_id("V"), "team_id": self.team_id,
                     "state": {"values": fill_state(view, values)}, "hash": uuid.uuid4().hex[:20],
                     "app_id": "A0PROSJEKT", "bot_id": "BBOT", "root_view_id": view.get("id"),
                     "previous_view_id": None},
            "response_urls": [], "is_enterprise_install": False, "enterprise": None,
        }
        return self._interactive(payload)

    def click_in_home(self, view: dict[str, Any], action_id: str, *, user: str) -> requests.Response:
        """Click a button on a published App Home view (a `block_actions` from a view: no channel, no response_url)."""
        button, block_id = _find_button(view["blocks"], action_id)
        payload: dict[str, Any] = {
            "type": "block_actions", "user": {"id": user, "username": "u", "name": "u", "team_id": self.team_id},
            "api_app_id": "A0PROSJEKT", "token": "unused", "container": {"type": "view", "view_id": view["id"]},
            "trigger_id": f"{next(_ids)}.{uuid.uuid4().hex}", "team": {"id": self.team_id, "domain": "byraa"},
            "enterprise": None, "is_enterprise_install": False, "view": view, "state": {"values": {}},
            "actions": [{"action_id": action_id, "block_id": block_id, "text": button["text"],
                         "value": button.get("value"), "type": "button", "action_ts": f"{time.time():.6f}"}],
        }
        return self._interactive(payload)

    def change_in_modal(self, view: dict[str, Any], block_id: str, value: Any, *, user: str,
                        values: dict[str, Any] | None = None) -> requests.Response:
        """Change a dispatching input (`dispatch_action`) of an open modal (as stored by the fake: id, hash): the
        `block_actions` Slack sends at once, with the whole state so far (`values` typed elsewhere)."""
        state = fill_state(view, {**(values or {}), block_id: value})
        [(action_id, entry)] = state[block_id].items()
        payload: dict[str, Any] = {
            "type": "block_actions", "user": {"id": user, "username": "u", "name": "u", "team_id": self.team_id},
            "api_app_id": "A0PROSJEKT", "token": "unused", "container": {"type": "view", "view_id": view["id"]},
            "trigger_id": f"{next(_ids)}.{uuid.uuid4().hex}", "team": {"id": self.team_id, "domain": "byraa"},
            "enterprise": None, "is_enterprise_install": False,
            "view": {**view, "state": {"values": state}, "team_id": self.team_id},
            "actions": [{**entry, "action_id": action_id, "block_id": block_id,
                         "action_ts": f"{time.time():.6f}"}],
        }
        return self._interactive(payload)

    def message_shortcut(self, message: dict[str, Any], *, user: str, channel: str | None = None,
                         callback_id: str = "log_message") -> requests.Response:
        """Use a message shortcut on `message` (as a user wrote it: `text`, `user`, `ts`, optional `thread_ts`)."""
        channel = channel or self.channel_id
        shown = {"client_msg_id": str(uuid.uuid4()), "type": "message", "team": self.team_id,
                 "blocks": [{"type": "rich_text", "block_id": uuid.uuid4().hex[:5], "elements": [
                     {"type": "rich_text_section", "elements": [{"type": "text", "text": message["text"]}]}]}],
                 **message}
        payload = {
            "type": "message_action", "token": "unused", "action_ts": f"{time.time():.6f}",
            "team": {"id": self.team_id, "domain": "byraa"},
            "user": {"id": user, "username": "u", "name": "u", "team_id": self.team_id},
            "channel": {"id": channel, "name": "kunde"}, "is_enterprise_install": False, "enterprise": None,
            "callback_id": callback_id, "trigger_id": f"{next(_ids)}.{uuid.uuid4().hex}",
            "response_url": self.fake.response_url(), "message_ts": message["ts"], "message": shown,
        }
        return self._interactive(payload)

    # --- events ------------------------------------------------------------------------------------------------
    def event(self, event: dict[str, Any], *, event_id: str | None = None,
              retry: int | None = None) -> requests.Response:
        envelope = {
            "token": "unused", "team_id": self.team_id, "api_app_id": "A0PROSJEKT", "event": event,
            "type": "event_callback", "event_id": event_id or slack_id("Ev"), "event_time": int(time.time()),
            "authorizations": [{"enterprise_id": None, "team_id": self.team_id, "user_id": "UBOT", "is_bot": True,
                                "is_enterprise_install": False}],
            "is_ext_shared_channel": False, "event_context": uuid.uuid4().hex,
        }
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.signed_post(json.dumps(envelope), "application/json", headers=headers)

    def home_opened(self, user: str, *, tab: str = "home", event_id: str | None = None,
                    retry: int | None = None) -> requests.Response:
        """The user opens the app's Home (or Messages) tab; `view` is included once a Home was published."""
        event: dict[str, Any] = {"type": "app_home_opened", "user": user, "channel": "D" + user[1:], "tab": tab,
                                 "event_ts": f"{time.time():.6f}"}
        published = self.fake.home_view(user)
        if tab == "home" and published is not None:
            event["view"] = published
        return self.event(event, event_id=event_id, retry=retry)


def _find_button(blocks: list[dict[str, Any]], action_id: str) -> tuple[dict[str, Any], str]:
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return element, block.get("block_id", "")
    raise AssertionError(f"no button {action_id} in the message")


def fill_state(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """`view.state.values` as Slack builds it from what the user entered in each input."""
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind, block_id = element["type"], block["block_id"]
        given = values.get(block_id)
        entry: dict[str, Any] = {"type": kind}
        if kind == "plain_text_input":
            entry["value"] = given if given is not None else element.get("initial_value")
        elif kind == "datepicker":
            entry["selected_date"] = given if given is not None else element.get("initial_date")
        elif kind == "users_select":
            entry["selected_user"] = given if given is not None else element.get("initial_user")
        elif kind == "multi_users_select":
            entry["selected_users"] = given or []
        elif kind == "conversations_select":
            entry["selected_conversation"] = given if given is not None else element.get("initial_conversation")
        elif kind == "timepicker":
            entry["selected_time"] = given if given is not None else element.get("initial_time")
        elif kind == "checkboxes":
            chosen_all = given if given is not None else [o["value"] for o in element.get("initial_options", [])]
            by_value = {o["value"]: o for o in element["options"]}
            if set(chosen_all) - by_value.keys():
                raise AssertionError(f"{chosen_all!r} are not all options of {block_id}")
            entry["selected_options"] = [by_value[v] for v in chosen_all]
        elif kind in ("static_select", "radio_buttons"):
            chosen = given if given is not None else (element.get("initial_option") or {}).get("value")
            options = {o["value"]: o for o in element.get("options", [])}
            if chosen is not None and chosen not in options:
                raise AssertionError(f"{chosen!r} is not an option of {block_id}")
            entry["selected_option"] = options.get(chosen) if chosen is not None else None
        state[block_id] = {element["action_id"]: entry}
    return state
