"""The demo's people at the page: the page's own API (docs/sandbox.md) over HTTP, as a person's browser uses it.

The stand-in turns each action into the signed request Slack would send (its `Sender`), shows the bot's answer as
Slack would (an ephemeral ack, a modal on the person's screen, closed when the bot accepts the submission), so what
the seeding did looks on the page exactly as if someone had done it there."""

from __future__ import annotations

import time
from typing import Any

import requests

from fakeslack.sender import fill_state


class PageError(RuntimeError):
    """The page's API refused an action, or the bot refused what the seeding typed."""


class Page:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.session = requests.Session()
        self.actions = 0

    def _post(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        self.actions += 1
        answer: dict[str, Any] = self.session.post(f"{self.base}/sandbox/{action}", json=body, timeout=60).json()
        if not answer.get("ok"):
            raise PageError(f"{action} {body}: {answer.get('error')}")
        return answer

    def command(self, user: str, channel: str, text: str) -> None:
        """`/prosjekt <text>` typed in `channel` by `user`."""
        self._post("command", {"user": user, "channel": channel, "text": text})

    def form(self, user: str, channel: str, text: str, values: dict[str, Any]) -> None:
        """A command that opens a form, filled in (`values` by block id, the rest as the form starts) and sent."""
        self.command(user, channel, text)
        view = self._opened(user)
        answer = self._post("submit", {"user": user, "view_id": view["id"], "values": fill_state(view, values)})
        if answer.get("errors"):
            raise PageError(f"the form for {text!r} was refused: {answer['errors']}")

    def _opened(self, user: str, timeout: float = 10.0) -> dict[str, Any]:
        """The modal on top of `user`'s screen, once the bot has opened it (views.open follows the ack)."""
        until = time.monotonic() + timeout
        while True:
            stack = self.session.get(f"{self.base}/sandbox/modal", params={"user": user}, timeout=10).json()["stack"]
            if stack:
                view: dict[str, Any] = stack[-1]
                return view
            if time.monotonic() > until:
                raise PageError(f"no form opened for {user} within {timeout:.0f} s")
            time.sleep(0.005)

    def close(self) -> None:
        self.session.close()
