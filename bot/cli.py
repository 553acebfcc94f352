"""`prosjektbot web | socket | clock | sandbox | db upgrade | routines import FILE | routines export NAME | export`."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import DatabaseSettings, Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session


def _setup_logging() -> None:
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )


def _database(url: str, **engine_options: int) -> Engine:
    """The operator's database, as every sub-command opens it: the embedded SQLite default is upgraded first (a
    newcomer needs no extra step); PostgreSQL is upgraded by `prosjektbot db upgrade`."""
    from storage.db import make_engine, upgrade

    if url.startswith("sqlite"):
        upgrade(url)
    return make_engine(url, **engine_options)


@contextmanager
def _operator_session() -> Iterator[Session]:
    """One transaction on the operator's database (from DATABASE_URL alone), committed when the block ends."""
    from storage.db import make_session_factory

    engine = _database(load_settings(DatabaseSettings).database_url)
    try:
        with make_session_factory(engine).begin() as session:
            yield session
    finally:
        engine.dispose()


def _app(settings: Settings):  # type: ignore[no-untyped-def]
    from bot.app import create_app
    from storage.db import make_session_factory

    engine = _database(settings.database_url, pool_size=settings.web_threads)
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
    from storage.db import make_session_factory

    if now is not None and now.tzinfo is None:
        raise SettingsError("--now needs a UTC offset, e.g. 2026-12-07T09:00:00+01:00")
    sessions = make_session_factory(_database(settings.database_url))
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
    from bot.domain.routines import RoutineError, builtin_routines, dump_routine, load_routine
    from bot.slack.i18n import t
    from storage import routines as routine_db

    with _operator_session() as session:
        if action == "export":  # with several workspaces and no --team: the built-in routines
            known = _known_team(session, team)
            routine = (routine_db.own_routine(session, known, target) if known else None) \
                or builtin_routines().get(target)
            if routine is None:
                raise SettingsError(f"no routine {target!r}" + ("" if known else " (give --team T for own ones)"))
            sys.stdout.write(dump_routine(routine))
            return 0
        team = _one_team(session, team)
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


def _export(args: argparse.Namespace) -> int:
    """The hours export for the operator or the accountant: the same rows and writers as `/prosjekt eksport`,
    everything the filter holds (no per-person rights: the operator has the database)."""
    from bot.domain.errors import UserError
    from bot.domain.periods import parse_period
    from bot.slack.i18n import t
    from bot.usecases import export, people
    from storage import export as export_db
    from storage.models import Workspace

    with _operator_session() as session:
        team = _one_team(session, args.team)
        workspace = session.get(Workspace, team)
        lang = args.lang or (workspace.language if workspace else "nb")
        try:
            period = parse_period(args.month or "", dt.date.today())
            f = export.operator_filter(session, team, period, project=args.project, customer=args.customer)
        except UserError as exc:
            raise SettingsError(t(exc.key, "en", **exc.params).replace("/prosjekt export", "prosjektbot export")
                                ) from None
        names = {}
        if os.environ.get("SLACK_BOT_TOKEN"):  # real names from Slack when the bot's token is at hand
            from bot.slack.client import make_client

            names = people.real_names(make_client(load_settings()), export_db.people(session, f))
        out = Path(args.output)
        paths = {"csv_path": out} if args.format == "csv" else {"xlsx_path": out}
        totals = export.write_export(session, f, lang, names, **paths)
    print(f"wrote {totals.rows} rows to {out}")
    return 0


def _one_team(session: Session, team: str | None) -> str:
    """The workspace a command is about: --team (which must exist), else the database's only one."""
    found = _known_team(session, team)
    if found is None:
        teams = _teams(session)
        raise SettingsError(f"give --team T: the database has {len(teams)} workspaces ({', '.join(teams) or '-'})")
    return found


def _known_team(session: Session, team: str | None) -> str | None:
    """--team (which must exist), else the database's only workspace; None when it has several or none."""
    teams = _teams(session)
    if team is None:
        return teams[0] if len(teams) == 1 else None
    if team not in teams:
        raise SettingsError(f"no workspace {team} in the database (workspaces: {', '.join(teams) or '-'})")
    return team


def _teams(session: Session) -> list[str]:
    from sqlalchemy import select

    from storage.models import Workspace

    return list(session.scalars(select(Workspace.team_id).order_by(Workspace.team_id)))


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
    export = sub.add_parser("export", help="the hours export (CSV for Norwegian Excel, or Excel) of a month")
    export.add_argument("--month", help="2026-11, november, uke 48 (default: this month so far)")
    export.add_argument("--project", help="one project: P-3 or its name")
    export.add_argument("--customer", help="the projects of one customer")
    export.add_argument("--team", help="the workspace's team id (needed when the database has several)")
    export.add_argument("--lang", choices=["nb", "en"], help="headers and Ja/Nei (default: the workspace's)")
    export.add_argument("--format", choices=["csv", "xlsx"], required=True)
    export.add_argument("-o", "--output", required=True, help="the file to write")
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
        if args.command == "export":
            return _export(args)
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
