"""The app factory: `create_app(settings, client, session_factory)` builds a Bolt app with no globals."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

import handlers
from bot.services import Services
from bot.settings import Settings
from bot.slack.client import make_client
from storage.db import make_engine, make_session_factory

log = logging.getLogger("prosjektbot")


class _ProvideServices(Middleware):
    """Puts `svc` in every request's context. A Middleware subclass: Bolt calls it directly, where a decorated
    function would have its arguments worked out again on every request."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def process(self, *, req: BoltRequest, resp: BoltResponse,
                next: Callable[[], BoltResponse]) -> BoltResponse | None:  # noqa: A002 - Bolt's name
        req.context["svc"] = self.svc
        return next()


def create_app(
    settings: Settings,
    client: WebClient | None = None,
    session_factory: sessionmaker[Session] | None = None,
    *,
    now: Callable[[], dt.datetime] | None = None,
) -> App:
    """A Bolt app serving `/prosjekt`, the card buttons, the modals and events.

    Listeners run before the response (`process_before_response`): the ack goes out as soon as the listener
    returns, without Bolt's 10 ms ack polling; Slack calls that can wait run on their own pool afterwards."""
    client = client or make_client(settings)
    if session_factory is None:
        session_factory = make_session_factory(make_engine(settings.database_url, pool_size=settings.web_threads))
    executor = ThreadPoolExecutor(max_workers=settings.slack_call_threads, thread_name_prefix="slack-call")
    svc = Services(
        settings=settings, sessions=session_factory, client=client, executor=executor,
        now=now or (lambda: dt.datetime.now(dt.UTC)),
    )
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret,
        process_before_response=True,
        token_verification_enabled=False,
        request_verification_enabled=False,  # bot.web.make_wsgi verifies the signature before Bolt sees a request
        listener_executor=executor,
        name="prosjektbot",
    )

    app.use(_ProvideServices(svc))

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> None:
        log.error("unhandled error in listener: %s", error, exc_info=error)

    handlers.register(app)
    app.services = svc  # type: ignore[attr-defined]  # for the web server's health check and the tests
    return app
