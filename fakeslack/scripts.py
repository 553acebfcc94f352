"""Scripted failures: errors, rate limits, HTTP errors and slow answers a test queues for the next calls."""

from __future__ import annotations

import collections
import json
import math
import threading
import time
from dataclasses import dataclass
from typing import Any

from .state import Workspace


@dataclass
class Script:
    kind: str  # "error" | "ratelimit" | "http"
    times: int
    error: str = ""
    fields: dict | None = None
    retry_after: int = 1
    status: int = 500


class ScriptedFailures:
    """FIFO per method; each matching call consumes one of ``times``. Mixed into FakeSlack."""

    _cond: threading.Condition
    _ws: Workspace

    def _init_scripts(self) -> None:
        self._scripts: dict[str, collections.deque[Script]] = collections.defaultdict(collections.deque)
        self._delays: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self._channel_interval = 0.0  # limit_channels: seconds between two messages to one channel
        self._last_post: dict[str, float] = {}

    def _clear_scripts(self) -> None:
        self._scripts.clear()
        self._delays.clear()
        self._last_post.clear()

    def fail_next(self, method: str, error: str = "internal_error", times: int = 1, **fields: Any) -> None:
        """Reply HTTP 200 ``{"ok": false, "error": error, **fields}``."""
        self._script(method, Script("error", times, error=error, fields=fields))

    def rate_limit_next(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """Reply HTTP 429 with ``Retry-After`` and ``{"ok": false, "error": "ratelimited"}``."""
        self._script(method, Script("ratelimit", times, retry_after=retry_after))

    def http_error_next(self, method: str, status: int = 500, times: int = 1) -> None:
        """Reply HTTP ``status`` with an HTML body (what a load balancer error looks like)."""
        self._script(method, Script("http", times, status=status))

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Handle the next ``times`` calls of ``method`` normally as they arrive, but send each answer only after
        ``seconds`` (a slow Slack, or a slow network back from it)."""
        with self._cond:
            self._delays[method].extend([seconds] * times)

    def limit_channels(self, per_second: float | None = 1.0) -> None:
        """Enforce Slack's posting limit: a chat.postMessage to a channel less than ``1/per_second`` after the
        last one accepted there is answered HTTP 429 with ``Retry-After`` (whole seconds, at least 1) and not
        posted. ``None`` turns the limit off."""
        with self._cond:
            self._channel_interval = 1.0 / per_second if per_second else 0.0
            self._last_post.clear()

    def _take_delay(self, name: str) -> float:
        with self._cond:
            delays = self._delays.get(name)
            return delays.popleft() if delays else 0.0

    def _rate_limited(self, name: str, args: dict) -> Script | None:
        """A 429 for a chat.postMessage that comes too soon after the last one in its channel (under the lock)."""
        if not self._channel_interval or name != "chat.postMessage":
            return None
        channel = self._ws.resolve_channel(args.get("channel"))
        wait = self._last_post.get(channel, -math.inf) + self._channel_interval - time.monotonic()
        return Script("ratelimit", 1, retry_after=max(1, math.ceil(wait))) if wait > 0 else None

    def _posted(self, name: str, args: dict, response: dict) -> None:
        if self._channel_interval and name == "chat.postMessage" and response.get("ok"):
            self._last_post[self._ws.resolve_channel(args.get("channel"))] = time.monotonic()

    def _script(self, method: str, script: Script) -> None:
        if script.times < 1:
            raise ValueError("times must be >= 1")
        with self._cond:
            self._scripts[method].append(script)

    def _take_script(self, method: str) -> Script | None:
        queue = self._scripts.get(method)
        if not queue:
            return None
        script = queue[0]
        script.times -= 1
        if script.times == 0:
            queue.popleft()
        return script

    @staticmethod
    def _scripted(script: Script, kind: str) -> tuple[int, dict, bytes, dict]:
        json_type = {"Content-Type": "application/json; charset=utf-8"}
        if script.kind == "ratelimit":
            response = {"ok": False, "error": "ratelimited"}
            headers = {**json_type, "Retry-After": str(script.retry_after)}
            return 429, headers, json.dumps(response).encode(), response
        if script.kind == "http":
            html = f"<html><body><h1>{script.status} Server Error</h1></body></html>".encode()
            response = {"ok": False, "error": f"http_{script.status}"}
            return script.status, {"Content-Type": "text/html"}, html, response
        response = {"ok": False, "error": script.error, **(script.fields or {})}
        if kind == "response_url":  # response_url errors come back as plain text, e.g. 404 expired_url
            return 404, {"Content-Type": "text/plain"}, script.error.encode(), response
        return 200, json_type, json.dumps(response).encode(), response
