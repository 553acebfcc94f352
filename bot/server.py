"""gunicorn, kept light: the master imports only this; the app is built in the worker it serves from."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.app.base import BaseApplication

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """One gthread worker: its request threads serve acks concurrently (Slack calls run on their own pool)."""

    def __init__(self, build: Callable[[], WSGIApp], *, port: int, threads: int) -> None:
        self.build = build
        self.options = {
            "bind": f"0.0.0.0:{port}",
            "workers": 1,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": 30,
            "graceful_timeout": 10,
            "keepalive": 5,
            "accesslog": None,
            "loglevel": "info",
            "control_socket_disable": True,  # two `web` processes on one host would share one socket otherwise
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIApp:
        return self.build()


def serve(build: Callable[[], WSGIApp], *, port: int, threads: int) -> None:
    logging.getLogger("prosjektbot").info("serving on port %s with %s threads", port, threads)
    GunicornServer(build, port=port, threads=threads).run()
