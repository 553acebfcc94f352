"""The HTTP endpoint: `POST /slack/events` (Bolt) and `GET /healthz` (served by granian: bot/server.py).

The edge, before Bolt: `verify` checks Slack's signature on the raw bytes (401 when it is missing, wrong or
stale), then `slack_request` reads the body once into Bolt's request (400 when it is not a request Slack sends).
Either refusal is one warning line, with no traceback, and nothing reaches Bolt or the database. Bolt's own
signature check is off (bot.app.create_app): it would compute the same HMAC over the same bytes again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request.internals import build_context
from sqlalchemy import Engine

from storage.db import ping

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
log = logging.getLogger("prosjektbot")

STALE_AFTER = 5 * 60  # seconds either way, as Slack says and Bolt checked
COMMAND_FIELDS = ("command", "team_id", "user_id", "channel_id")  # every slash command has them; the bot reads them
# what reading a body that is not Slack's can raise (JSON, UTF-8, Bolt's build_context on odd shapes, deep nesting)
UNREADABLE = (ValueError, TypeError, LookupError, AttributeError, RecursionError)


def verify(secret: bytes, timestamp: str | None, signature: str | None, body: bytes, now: float) -> str | None:
    """Why the request is not one Slack signed (v0: HMAC-SHA256 of `v0:{timestamp}:{body}`), or None if it is.
    As strict as Bolt's check (slack_sdk's SignatureVerifier), and stricter on the timestamp's form."""
    if not timestamp or not signature:
        return "no signature"
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return "timestamp is not a number"
    if abs(now - int(timestamp)) > STALE_AFTER:
        return "stale timestamp"
    if not (signature.isascii() and signature.startswith("v0=")):
        return "not a v0 signature"
    expected = hmac.new(secret, b"v0:%s:%s" % (timestamp.encode(), body), hashlib.sha256).hexdigest()
    return None if hmac.compare_digest(expected, signature[3:]) else "wrong signature"


def _has_id(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("id"), str)


def parse(text: str, content_type: str | None) -> dict[str, Any]:
    """The body as Bolt reads it, except that a form is an interactive payload only when it has a `payload` field
    (slack-bolt 1.30 takes any form with the word in it for one, so a slash command whose text said "payload" went
    unanswered). Raises ValueError when it lacks what every request of its kind from Slack has."""
    if not text:
        raise ValueError("empty body")
    if content_type == "application/json" or text.startswith("{"):  # Bolt's test: the Events API
        body = json.loads(text)
        if not isinstance(body, dict) or not isinstance(body.get("type"), str):
            raise ValueError("not an event: no type")
        if body["type"] == "event_callback" and not (
                isinstance(body.get("event"), dict) and isinstance(body["event"].get("type"), str)
                and isinstance(body.get("event_id"), str) and isinstance(body.get("team_id"), str)):
            raise ValueError("event_callback without event, event_id or team_id")
        return body
    form = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" not in form:
        if form.get("ssl_check") == "1" or all(form.get(name) for name in COMMAND_FIELDS):
            return form
        raise ValueError("a form that is neither a slash command nor a payload")
    body = json.loads(form["payload"])
    if not (isinstance(body, dict) and isinstance(body.get("type"), str)
            and _has_id(body.get("user")) and _has_id(body.get("team"))):
        raise ValueError("an interactive payload without type, user or team")
    if body["type"] == "block_actions" and not (isinstance(body.get("actions"), list) and body["actions"]
                                                and isinstance(body["actions"][0], dict)):
        raise ValueError("block_actions without actions")
    return body


def slack_request(raw: str, query: str, headers: dict[str, Any]) -> BoltRequest:
    """Bolt's request for a verified body, parsed once (by `parse`, not again by Bolt)."""
    request = BoltRequest(body="", query=query, headers=headers)  # an empty body: Bolt parses nothing
    request.raw_body = raw
    request.body = parse(raw, request.content_type)
    request.context = build_context(request.context, request.body)
    return request


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _refuse(status: int, reason: str, environ: dict[str, Any]) -> BoltResponse:
    log.warning("refused a request to /slack/events from %s with %s: %s", environ.get("REMOTE_ADDR", "?"), status,
                " ".join(reason.split()))
    return BoltResponse(status=status, body={"error": "invalid request" if status == 401 else "malformed request"})


class _Handler(SlackRequestHandler):
    def __init__(self, app: App, secret: str) -> None:
        super().__init__(app, path="/slack/events")
        self.secret = secret.encode()

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        environ = request.environ
        raw = _read_body(environ)
        why = verify(self.secret, environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
                     environ.get("HTTP_X_SLACK_SIGNATURE"), raw, time.time())
        if why:
            return _refuse(401, why, environ)
        try:
            bolt_request = slack_request(raw.decode(), request.query_string, request.get_headers())
        except UNREADABLE as error:
            return _refuse(400, f"{type(error).__name__}: {error}", environ)
        return self.app.dispatch(bolt_request)


def make_wsgi(app: App, engine: Engine) -> WSGIApp:
    """Bolt on /slack/events behind the edge above; /healthz answers 200 only when the database does."""
    secret = app._signing_secret  # what Bolt would verify with; the edge does it instead
    if not secret:
        raise ValueError("the Slack app has no signing secret: every request would be refused")
    slack = _Handler(app, secret)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            healthy = ping(engine)
            status = "200 OK" if healthy else "503 Service Unavailable"
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n" if healthy else b"database unavailable\n"]
        return slack(environ, start_response)

    return wsgi
