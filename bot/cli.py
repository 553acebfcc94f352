"""`prosjektbot web | socket | clock | sandbox | db upgrade | routines import FILE | routines export NAME`."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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


def web_app():  # type: ignore[no-untyped-def]
    """The WSGI app `prosjektbot web` serves: built in the server's worker process, from the same environment and
    `.env` that the command checked before it started the server."""
    from bot.web import make_wsgi

    _setup_logging()
    return make_wsgi(*_app(load_settings()))


def _clock(settings: Settings, *, once: bool, now: dt.datetime | None) -> int:
    from bot.clock.passes import Clock
    from bot.clock.scheduler import run_forever
    from bot.services import Services
    from bot.slack.client import make_client
    from storage.db import make_engine, make_session_factory, upgrade

    if now is not None and now.tzinfo is None:
        raise SettingsError("--now needs a UTC offset, e.g. 2026-12-07T09:00:00+01:00")
    if settings.database_url.startswith("sqlite"):
        upgrade(settings.database_url)
    sessions = make_session_factory(make_engine(settings.database_url))
    svc = Services(settings=settings, sessions=sessions, client=make_client(settings),
                   executor=ThreadPoolExecutor(max_workers=1),
                   now=(lambda: now) if now else (lambda: dt.datetime.now(dt.UTC)))
    clock = Clock(svc, make_client(settings, rate_limit_retries=False))
    if once:
        print(clock.run_pass(now, everything=True).line())
        clock.follow_on.drain(timeout=60)  # the reactions on what it posted
        return 0
    logging.getLogger("prosjektbot.clock").info("clock %s running", clock.worker)
    run_forever(clock.run_pass, sessions)
    return 0


def _routines(action: str, target: str, team: str | None) -> int:
    """Import a routine file into a workspace (a new version of its routine of that name), or print one (the
    workspace's own, else the built-in) as YAML: an agency keeps its routines in version control."""
    from sqlalchemy import select

    from bot.domain.routines import RoutineError, builtin_routines, dump_routine, load_routine
    from bot.slack.i18n import t
    from storage import routines as routine_db
    from storage.db import make_engine, make_session_factory, upgrade
    from storage.models import Workspace

    url = load_settings(DatabaseSettings).database_url
    if url.startswith("sqlite"):
        upgrade(url)
    engine = make_engine(url)
    try:
        with make_session_factory(engine).begin() as session:
            teams = list(session.scalars(select(Workspace.team_id).order_by(Workspace.team_id)))
            if team is None and len(teams) == 1:
                team = teams[0]
            if team is not None and team not in teams:
                raise SettingsError(f"no workspace {team} in the database (workspaces: {', '.join(teams) or '-'})")
            if action == "export":
                routine = (routine_db.own_routine(session, team, target) if team else None) \
                    or builtin_routines().get(target)
                if routine is None:
                    raise SettingsError(f"no routine {target!r}" + ("" if team else " (give --team T for own ones)"))
                sys.stdout.write(dump_routine(routine))
                return 0
            if team is None:
                raise SettingsError(f"give --team T: the database has {len(teams)} workspaces ({', '.join(teams)})")
            try:
                routine = load_routine(Path(target).read_text(encoding="utf-8"))
            except RoutineError as exc:
                reason = t(exc.key, "en", **exc.params)
                where = t("routine.at_line", "en", line=exc.line, field=exc.field or "-", reason=reason) \
                    if exc.line else reason
                raise SettingsError(f"{target}: {where} Nothing was imported.") from None
            except (OSError, UnicodeDecodeError) as exc:
                raise SettingsError(f"{target}: cannot read the file ({exc}). Nothing was imported.") from None
            saved = routine_db.save_routine(session, team, routine, user_id="cli", at=dt.datetime.now(dt.UTC))
            print(f"imported {saved.name} v{saved.version} ({len(saved.steps)} steps) into {team}")
            return 0
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="prosjektbot", description="Prosjektbot: project management in Slack")
    sub = parser.add_subparsers(dest="command", required=True)
    web = sub.add_parser("web", help="serve POST /slack/events and GET /healthz (granian)")
    web.add_argument("--port", type=int, help="port (default: $PORT, else 3000)")
    sub.add_parser("socket", help="the same app over Socket Mode (needs SLACK_APP_TOKEN)")
    clock = sub.add_parser("clock", help="plan and send follow-ups (APScheduler)")
    clock.add_argument("--once", action="store_true", help="run one full pass (plan, then deliver) and exit")
    clock.add_argument("--now", type=dt.datetime.fromisoformat, help="as if the time were this (ISO 8601, with offset)")
    sandbox = sub.add_parser("sandbox", help="the bot in your browser, with a demo agency and no Slack workspace")
    sandbox.add_argument("--port", type=int, default=8080, help="the page's port on 127.0.0.1 (default 8080; 0: any)")
    sandbox.add_argument("--no-browser", action="store_true", help="do not open the browser")
    sandbox.add_argument("--fresh", action="store_true", help="start over in an empty temporary folder")
    sandbox.add_argument("--data", type=Path, help="the data folder (default: $XDG_DATA_HOME/prosjektbot-sandbox "
                                                   "when set, else .sandbox)")
    db = sub.add_parser("db", help="database tasks")
    db.add_argument("action", choices=["upgrade"])
    routines = sub.add_parser("routines", help="import a routine file into a workspace, or print one as YAML")
    routines.add_argument("action", choices=["import", "export"])
    routines.add_argument("target", help="import: the YAML file; export: the routine's name")
    routines.add_argument("--team", help="the workspace's team id (needed when the database has several)")
    args = parser.parse_args(argv)
    _setup_logging()
    try:
        if args.command == "db":
            from storage.db import upgrade

            upgrade(load_settings(DatabaseSettings).database_url)
            print("database is up to date")
            return 0
        if args.command == "routines":
            return _routines(args.action, args.target, args.team)
        if args.command == "sandbox":  # builds its own settings: nothing from the environment or .env
            from bot.sandbox.run import serve as run_sandbox

            return run_sandbox(port=args.port, browser=not args.no_browser, fresh=args.fresh, data=args.data)
        overrides = {"port": args.port} if getattr(args, "port", None) else {}
        settings = load_settings(**overrides)
        if args.command == "web":
            from bot.server import serve

            serve("bot.cli:web_app", port=settings.port, threads=settings.web_threads)
        elif args.command == "clock":
            return _clock(settings, once=args.once, now=args.now)
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
