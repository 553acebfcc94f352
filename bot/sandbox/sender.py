"""Slack's side of the HTTP conversation for seeding, until the stand-in's `fakeslack.sender.Sender` lands: signed
requests in Slack's shapes (a slash command, a modal submission), sent to the bot as Slack would send them."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode, urlsplit

_ids = itertools.count(1000)


class Sender:
    def __init__(self, url: str, secret: str, team_id: str, fake: Any) -> None:
        self.url, self.secret, self.team_id, self.fake = urlsplit(url), secret.encode(), team_id, fake
        self.connection = http.client.HTTPConnection(self.url.netloc, timeout=30)  # kept alive: one sender, one thread

    def _post(self, body: str, content_type: str) -> dict[str, Any]:
        ts = str(int(time.time()))  # Slack signs with the real time, whatever the sandbox's now
        signature = "v0=" + hmac.new(self.secret, f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
        self.connection.request("POST", self.url.path, body=body.encode(), headers={
            "Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature})
        answer = self.connection.getresponse()
        text = answer.read().decode()
        if answer.status != 200:
            raise RuntimeError(f"the bot answered {answer.status}: {text[:200]}")
        return json.loads(text) if text else {}

    def close(self) -> None:
        self.connection.close()

    def command(self, user: str, channel: str, text: str) -> dict[str, Any]:
        body = urlencode({
            "token": "unused", "team_id": self.team_id, "team_domain": "demo", "channel_id": channel,
            "channel_name": "kanal", "user_id": user, "user_name": user.lower(), "command": "/prosjekt", "text": text,
            "api_app_id": "A0PROSJEKT", "is_enterprise_install": "false", "response_url": self.fake.response_url(),
            "trigger_id": f"{next(_ids)}.{next(_ids)}.{uuid.uuid4().hex}"})
        return self._post(body, "application/x-www-form-urlencoded")

    def submit(self, user: str, view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        payload = {
            "type": "view_submission", "team": {"id": self.team_id, "domain": "demo"},
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": self.team_id},
            "api_app_id": "A0PROSJEKT", "token": "unused", "trigger_id": f"{next(_ids)}.{uuid.uuid4().hex}",
            "view": {**view, "team_id": self.team_id, "state": {"values": fill_state(view, values)},
                     "app_id": "A0PROSJEKT", "bot_id": "BPROSJEKT", "root_view_id": view.get("id"),
                     "previous_view_id": None},
            "response_urls": [], "is_enterprise_install": False, "enterprise": None,
        }
        return self._post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")


def fill_state(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """`view.state.values` as Slack builds it: what was given per block id, else the input's initial value."""
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element, given = block["element"], values.get(block["block_id"])
        kind = element["type"]
        entry: dict[str, Any] = {"type": kind}
        if kind in ("plain_text_input", "number_input"):
            entry["value"] = given if given is not None else element.get("initial_value")
        elif kind == "datepicker":
            entry["selected_date"] = given if given is not None else element.get("initial_date")
        elif kind == "timepicker":
            entry["selected_time"] = given if given is not None else element.get("initial_time")
        elif kind == "users_select":
            entry["selected_user"] = given if given is not None else element.get("initial_user")
        elif kind == "multi_users_select":
            entry["selected_users"] = given if given is not None else element.get("initial_users", [])
        elif kind == "conversations_select":
            entry["selected_conversation"] = given if given is not None else element.get("initial_conversation")
        elif kind in ("checkboxes", "multi_static_select"):
            chosen = given if given is not None else [o["value"] for o in element.get("initial_options", [])]
            entry["selected_options"] = [o for o in element.get("options", []) if o["value"] in chosen]
        elif kind in ("static_select", "radio_buttons"):
            value = given if given is not None else (element.get("initial_option") or {}).get("value")
            entry["selected_option"] = next((o for o in element.get("options", []) if o["value"] == value), None)
        state[block["block_id"]] = {element["action_id"]: entry}
    return state
