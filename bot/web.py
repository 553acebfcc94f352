"""The HTTP endpoint: `POST /slack/events` (Bolt) and `GET /healthz`, served by gunicorn in production."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine

from storage.db import ping

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def make_wsgi(app: App, engine: Engine) -> WSGIApp:
    """Bolt on /slack/events; /healthz answers 200 only when the database does."""
    slack = SlackRequestHandler(app, path="/slack/events")

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            healthy = ping(engine)
            status = "200 OK" if healthy else "503 Service Unavailable"
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n" if healthy else b"database unavailable\n"]
        return slack(environ, start_response)

    return wsgi


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """gunicorn with threads: one process holds the app; its threads serve acks concurrently."""

    def __init__(self, wsgi: WSGIApp, *, port: int, threads: int, workers: int = 1) -> None:
        self.application = wsgi
        self.options = {
            "bind": f"0.0.0.0:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": 30,
            "graceful_timeout": 10,
            "keepalive": 5,
            "accesslog": None,
            "loglevel": "info",
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIApp:
        return self.application


def serve(wsgi: WSGIApp, *, port: int, threads: int) -> None:
    logging.getLogger("prosjektbot").info("serving on port %s with %s threads", port, threads)
    GunicornServer(wsgi, port=port, threads=threads).run()
