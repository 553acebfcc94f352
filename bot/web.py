"""The HTTP endpoint: `POST /slack/events` (Bolt) and `GET /healthz` (served by granian: bot/server.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request.internals import build_context
from sqlalchemy import Engine

from storage.db import ping

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def slack_request(body: str, query: Any, headers: dict[str, Any]) -> BoltRequest:
    """Bolt's request, except that a form body is read as an interactive payload only when it has a `payload`
    field: slack-bolt (1.30) takes any form body with the word "payload" in it for one, so a slash command whose
    text said "payload" (`/prosjekt logg 2t payload-sporing`) went unanswered."""
    request = BoltRequest(body=body, query=query, headers=headers)
    if not request.body and body and not body.startswith("{"):
        form = dict(parse_qsl(body, keep_blank_values=True))
        if "payload" not in form:
            request.body = form
            request.context = build_context(BoltContext({}), form)
    return request


class _Handler(SlackRequestHandler):
    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        return self.app.dispatch(slack_request(request.get_body(), request.query_string, request.get_headers()))


def make_wsgi(app: App, engine: Engine) -> WSGIApp:
    """Bolt on /slack/events; /healthz answers 200 only when the database does."""
    slack = _Handler(app, path="/slack/events")

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            healthy = ping(engine)
            status = "200 OK" if healthy else "503 Service Unavailable"
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n" if healthy else b"database unavailable\n"]
        return slack(environ, start_response)

    return wsgi
