"""`prosjektbot web | socket | db upgrade`."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from bot.settings import DatabaseSettings, Settings, SettingsError, load_settings


def _setup_logging() -> None:
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )


def _app(settings: Settings):  # type: ignore[no-untyped-def]
    from bot.app import create_app
    from storage.db import make_engine, make_session_factory, upgrade

    if settings.database_url.startswith("sqlite"):
        upgrade(settings.database_url)  # a newcomer on the embedded default needs no extra step
    engine = make_engine(settings.database_url, pool_size=settings.web_threads)
    return create_app(settings, session_factory=make_session_factory(engine)), engine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="prosjektbot", description="Prosjektbot: project management in Slack")
    sub = parser.add_subparsers(dest="command", required=True)
    web = sub.add_parser("web", help="serve POST /slack/events and GET /healthz (gunicorn)")
    web.add_argument("--port", type=int, help="port (default: $PORT, else 3000)")
    sub.add_parser("socket", help="the same app over Socket Mode (needs SLACK_APP_TOKEN)")
    db = sub.add_parser("db", help="database tasks")
    db.add_argument("action", choices=["upgrade"])
    args = parser.parse_args(argv)
    _setup_logging()
    try:
        if args.command == "db":
            from storage.db import upgrade

            upgrade(load_settings(DatabaseSettings).database_url)
            print("database is up to date")
            return 0
        overrides = {"port": args.port} if getattr(args, "port", None) else {}
        settings = load_settings(**overrides)
        if args.command == "web":
            from bot.web import make_wsgi, serve

            app, engine = _app(settings)
            serve(make_wsgi(app, engine), port=settings.port, threads=settings.web_threads)
        elif args.command == "socket":
            if not settings.slack_app_token:
                raise SettingsError(
                    "Configuration error: SLACK_APP_TOKEN is missing (Socket Mode needs an xapp- token)"
                )
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            app, _engine = _app(settings)
            SocketModeHandler(app, settings.slack_app_token).start()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
