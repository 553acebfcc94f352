"""What the person does on the sandbox page, sent to the bot as Slack sends it (``fakeslack.sender``), and the bot's
HTTP answer applied as Slack shows it: a slash command's ack as an ephemeral (or in-channel) message, a
view_submission's ``response_action`` on the modal stack. Each action answers ``{"ok": true, ...}`` or
``{"ok": false, "error": ...}`` (docs/sandbox.md)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import requests

from . import validation, views
from .state import Workspace

if TYPE_CHECKING:
    from .sender import Sender
    from .server import FakeSlack


class PageError(Exception):
    def __init__(self, error: str, status: int = 400) -> None:
        super().__init__(error)
        self.error, self.status = error, status


def _need(body: dict, name: str) -> Any:
    value = body.get(name)
    if value in (None, ""):
        raise PageError(f"missing_{name}")
    return value


def _mapping(body: dict, name: str) -> dict[str, Any]:
    value = body.get(name) or {}
    if not isinstance(value, dict):
        raise PageError(f"invalid_{name}")
    return value


def _answer(response: requests.Response) -> dict:
    """The bot's JSON answer ({} for an empty ack); a plain-text body is a text answer."""
    if not response.content:
        return {}
    try:
        body = response.json()
    except ValueError:
        return {"text": response.text}
    return body if isinstance(body, dict) else {}


class PageActions:
    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.ws: Workspace = fake._ws
        self.cond = fake._cond
        self.handlers: dict[str, Callable[[dict], dict]] = {
            "command": self.command, "message": self.message, "action": self.action, "submit": self.submit,
            "close": self.close, "react": self.react, "shortcut": self.shortcut, "home": self.home,
            "time": self.time}

    def run(self, name: str, body: dict) -> dict:
        handler = self.handlers.get(name)
        if handler is None:
            raise PageError("unknown_action", 404)
        try:
            return handler(body)
        except requests.RequestException as exc:  # the bot is down or did not answer in time
            raise PageError("bot_unreachable", 502) from exc

    def _sender(self) -> Sender:
        if self.fake.sender is None:
            raise PageError("not_connected", 409)
        return self.fake.sender

    def _changed(self) -> None:
        with self.cond:
            self.ws.bump()

    def _acted_in(self, user: str, channel: str) -> str:
        with self.cond:
            cid = self.ws.resolve_channel(channel)
            self.ws.last_channel[user] = cid
            return cid

    @staticmethod
    def _failed(response: requests.Response) -> dict | None:
        return None if response.status_code == 200 else {"ok": False, "error": f"http_{response.status_code}"}

    # -- composer ---------------------------------------------------------------------------------------------
    def command(self, body: dict) -> dict:
        """``/prosjekt <text>``; the ack's text/blocks are shown as Slack shows them."""
        user, text = _need(body, "user"), str(body.get("text") or "")
        channel = self._acted_in(user, _need(body, "channel"))
        response = self._sender().command(text, user=user, channel=channel)
        if response.status_code != 200:  # what Slack shows when the app's answer fails
            error = {"ok": False, "error": f"http_{response.status_code}"}
            shown = {"text": f'/prosjekt failed with the error "http_{response.status_code}"'}
        else:
            error, shown = None, _answer(response)
        with self.cond:
            if shown.get("text") or shown.get("blocks"):
                problem = validation.check_message(shown)
                if problem:
                    self.ws.reject(channel, user, "command_ack", shown, problem)
                elif shown.get("response_type") == "in_channel":
                    self.ws.add_message(channel, {"user": self.ws.bot_user_id, "bot_id": self.ws.bot_id,
                                                  "text": shown.get("text") or "", "blocks": shown.get("blocks") or []})
                else:
                    self.ws.add_ephemeral(channel, user, shown)
        return error or {"ok": True}

    def message(self, body: dict) -> dict:
        """A plain message by the person (``app_mention`` goes to the bot when it mentions the bot)."""
        user, text = _need(body, "user"), str(_need(body, "text"))
        channel = self._acted_in(user, _need(body, "channel"))
        with self.cond:
            posted = copy.deepcopy(self.ws.add_message(channel, {"user": user, "text": text,
                                                                 "thread_ts": body.get("thread_ts") or None}))
            mentioned = f"<@{self.ws.bot_user_id}>" in text
        if mentioned:
            failed = self._failed(self._sender().mention(posted, channel=channel))
            if failed:
                return failed
        return {"ok": True, "ts": posted["ts"]}

    # -- Block Kit and modals ---------------------------------------------------------------------------------
    def action(self, body: dict) -> dict:
        """``block_actions`` from an element of a message, a modal or the App Home."""
        user, source = _need(body, "user"), _need(body, "source")
        block_id, action_id = str(body.get("block_id") or ""), str(_need(body, "action_id"))
        chosen: dict[str, Any] = _mapping(body, "action")
        values = _mapping(_mapping(body, "state"), "values")
        sender = self._sender()
        if not isinstance(source, dict):
            raise PageError("invalid_source")
        where: dict[str, Any]
        if source.get("channel"):
            channel = self._acted_in(user, source["channel"])
            with self.cond:
                ts = str(_need(source, "ts"))
                message = self.ws.find_message(channel, ts)
                ephemeral = message is None
                message = copy.deepcopy(message or self.ws.find_ephemeral(channel, ts, user))
            if message is None:
                raise PageError("message_not_found", 404)
            blocks, where = message["blocks"], {"message": message, "channel": channel, "ephemeral": ephemeral}
        else:
            view = self._view(user, source)
            blocks, where = view["blocks"], {"view": view}
        try:
            response = sender.block_action(blocks, block_id, action_id, chosen, user=user, state=values, **where)
        except LookupError as exc:
            raise PageError("element_not_found", 404) from exc
        return self._failed(response) or {"ok": True}

    def _view(self, user: str, source: dict) -> dict:
        with self.cond:
            vid = self.ws.homes.get(user) if source.get("home") else source.get("view_id")
            if not vid or vid not in self.ws.views:
                raise PageError("view_not_found", 404)
            return copy.deepcopy(self.ws.views[vid])

    def _open_view(self, user: str, vid: str) -> dict:
        with self.cond:
            if vid not in self.ws.stacks.get(user, []):
                raise PageError("view_not_open", 404)
            return copy.deepcopy(self.ws.views[vid])

    def submit(self, body: dict) -> dict:
        """``view_submission`` of an open modal; the bot's ``response_action`` applied to the stack."""
        user, vid = _need(body, "user"), _need(body, "view_id")
        view = self._open_view(user, vid)
        values = _mapping(body, "values")
        response = self._sender().view_submission(view, values, user=user)
        failed = self._failed(response)
        if failed:
            return failed
        with self.cond:
            if vid not in self.ws.stacks.get(user, []):  # the bot closed or replaced it meanwhile
                return {"ok": True}
            result = views.apply_submission_answer(self.ws, user, vid, _answer(response))
        return result

    def close(self, body: dict) -> dict:
        """The person closes a modal (and the ones pushed over it; all of them for ``clear_on_close``);
        ``view_closed`` goes to the bot when the view asked for it."""
        user, vid = _need(body, "user"), _need(body, "view_id")
        view = self._open_view(user, vid)
        with self.cond:
            views.close(self.ws, user, vid, everything=view["clear_on_close"])
        if view["notify_on_close"]:
            failed = self._failed(self._sender().view_closed(view, user=user, is_cleared=view["clear_on_close"]))
            if failed:
                return failed
        return {"ok": True}

    # -- reactions, shortcuts, App Home, time ----------------------------------------------------------------
    def react(self, body: dict) -> dict:
        """Add or remove the person's reaction; ``reaction_added`` / ``reaction_removed`` to the bot."""
        user, name, ts = _need(body, "user"), str(_need(body, "name")).strip(":"), str(_need(body, "ts"))
        add = body.get("add", True) is not False
        channel = self._acted_in(user, _need(body, "channel"))
        with self.cond:
            message = self.ws.find_message(channel, ts)
            if message is None:
                raise PageError("message_not_found", 404)
            if not self.ws.react(channel, ts, name, user, add=add):
                return {"ok": False, "error": "already_reacted" if add else "no_reaction"}
            author = message.get("user")
        response = self._sender().reaction(ts, name, user=user, channel=channel, added=add, item_user=author)
        return self._failed(response) or {"ok": True}

    def shortcut(self, body: dict) -> dict:
        """A message shortcut (``message_action``) on a message."""
        user, ts = _need(body, "user"), str(_need(body, "ts"))
        channel = self._acted_in(user, _need(body, "channel"))
        with self.cond:
            message = copy.deepcopy(self.ws.find_message(channel, ts))
        if message is None:
            raise PageError("message_not_found", 404)
        response = self._sender().message_shortcut(message, user=user, channel=channel,
                                                   callback_id=str(_need(body, "callback_id")))
        return self._failed(response) or {"ok": True}

    def home(self, body: dict) -> dict:
        """The person opens the App Home: ``app_home_opened`` (with the published view)."""
        response = self._sender().home_opened(_need(body, "user"))
        return self._failed(response) or {"ok": True}

    def time(self, body: dict) -> dict:
        """Move *now* forward and run the clock as of it (the attached sandbox clock does both)."""
        clock = self.fake.sandbox_clock
        if clock is None:
            raise PageError("no_clock", 409)
        try:
            now = clock.advance(str(_need(body, "to")))
        except ValueError as exc:
            return {"ok": False, "error": str(exc) or "invalid_time"}
        self._changed()
        return {"ok": True, "now": now.isoformat()}

