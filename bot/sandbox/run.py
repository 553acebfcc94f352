"""`prosjektbot sandbox`: the stand-in, the bot and the sandbox clock in one process (docs/sandbox.md).

- The stand-in (`fakeslack.FakeSlack`) serves the page and the fake Web API on 127.0.0.1:PORT.
- The bot is `bot.app.create_app` + `bot.web.make_wsgi`, unchanged, on a free 127.0.0.1 port in a threaded WSGI
  server, talking to the stand-in. Its settings are built here, explicitly, from nothing in the environment or
  `.env`: a token and signing secret made up for this run, the stand-in's URL, the data folder's SQLite file.
  The one sandbox-specific input is `now`, the sandbox clock's moment.
- The sandbox clock (`bot.sandbox.clock`) moves now forward and runs the clock's passes; the stand-in's
  `POST /sandbox/time` calls it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import secrets
import shutil
import signal
import socketserver
import sys
import tempfile
import threading
import time
import webbrowser
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from zoneinfo import ZoneInfo

from pydantic_settings import BaseSettings, PydanticBaseSettingsSource
from slack_bolt import App
from sqlalchemy import Engine

from bot.app import create_app
from bot.clock.passes import Clock
from bot.sandbox import agency, snapshot
from bot.sandbox.clock import SandboxClock
from bot.sandbox.now import SandboxNow
from bot.sandbox.page import Page
from bot.settings import Settings, SettingsError
from bot.slack.client import make_client
from bot.web import make_wsgi
from fakeslack import FakeSlack
from storage.db import make_engine, make_session_factory, upgrade

log = logging.getLogger("prosjektbot.sandbox")
BOT_USER, BOT_ID = "U0PROSJEKT", "B0PROSJEKT"
SNAPSHOT = "standin.json"  # what the page showed, kept across restarts


class SandboxSettings(Settings):
    """The bot's settings in the sandbox: only what is passed in. Nothing is read from the environment or a `.env`
    file, so a real SLACK_BOT_TOKEN, SLACK_API_URL or DATABASE_URL there can never be used by the sandbox."""

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass


@dataclass
class Sandbox:
    """A running sandbox: `url` is the page; `stop()` ends it (threads stopped, database closed)."""

    folder: Path
    fake: FakeSlack
    app: App
    engine: Engine
    server: _ThreadingServer
    now: SandboxNow
    clock: SandboxClock
    bot_url: str
    seeded: dict[str, Any] = field(default_factory=dict)  # what this start seeded (empty on a restart)
    restored: bool = False  # a restart put back what the page showed (bot.sandbox.snapshot)
    started_in: float = 0.0  # seconds from start() to ready
    _stopped: bool = False

    @property
    def url(self) -> str:
        return self.fake.base + "/"

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.clock.close()  # a move in progress finishes its passes
        self.server.shutdown()  # the bot takes no new request
        self.server.server_close()
        svc = self.app.services  # type: ignore[attr-defined]
        with contextlib.suppress(TimeoutError):
            svc.drain(timeout=5)  # the Slack calls queued after the acks so far are made (the stand-in still answers)
        svc.executor.shutdown(wait=True, cancel_futures=True)
        self.clock.clock.follow_on.drain(timeout=5)
        try:
            snapshot.save(self.fake, self.folder / SNAPSHOT)
        except (OSError, TypeError) as exc:
            log.warning("could not keep what the page showed (%s): after a restart the channels start empty", exc)
        self.fake.stop()
        self.engine.dispose()


def _load_charts() -> None:
    import matplotlib.backends.backend_agg  # noqa: F401 - what bot.slack.render.summary.chart_png uses
    import matplotlib.figure  # noqa: F401


def _serve(wsgi: Any) -> tuple[str, _ThreadingServer]:
    server = make_server("127.0.0.1", 0, wsgi, server_class=_ThreadingServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="sandbox-bot", daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/slack/events", server


def _add_people(fake: FakeSlack) -> None:
    for person in agency.PEOPLE:
        fake.add_user(person.id, person.name, real_name=person.real_name, is_admin=person.is_admin, title=person.title)
    for channel_id, name in agency.CHANNELS:
        fake.add_channel(channel_id, name)


@contextlib.contextmanager
def _on_failure(action: Any) -> Iterator[None]:
    try:
        yield
    except BaseException:
        action()
        raise


def start(folder: Path, *, port: int = 8080) -> Sandbox:
    """Start a sandbox on `folder` (created if missing); seed the demo agency when the folder is new."""
    began = time.monotonic()
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / "seeded.json"
    first = not (folder / "now.json").exists()
    if not first and not marker.exists():
        raise SettingsError(f"{folder} holds a sandbox whose seeding did not finish: delete the folder, or use --fresh")
    token, secret = f"xoxb-sandbox-{secrets.token_hex(12)}", secrets.token_hex(24)
    fake = FakeSlack(token=token, team_id=agency.TEAM_ID, bot_user_id=BOT_USER, bot_id=BOT_ID,
                     team_name=agency.TEAM_NAME, clock=lambda: now().timestamp())
    fake.start(port)  # first: a port in use stops it before anything is written to the folder
    with _on_failure(fake.stop):
        if first:  # the seeding's portfolio draws a chart: load matplotlib meanwhile
            threading.Thread(target=_load_charts, name="sandbox-charts", daemon=True).start()
        end = dt.datetime.now(dt.UTC).replace(microsecond=0)
        now = SandboxNow(folder / "now.json", start=agency.beginning(end) if first else None)
        url = f"sqlite:///{(folder / 'prosjektbot.db').resolve()}"
        upgrade(url)
        _add_people(fake)
        restored = not first and snapshot.load(fake, folder / SNAPSHOT)
        settings = SandboxSettings(slack_bot_token=token, slack_signing_secret=secret, slack_api_url=fake.url,
                                   database_url=url, prosjekt_timezone="Europe/Oslo", prosjekt_language="nb")
        engine = make_engine(url, pool_size=settings.web_threads)
        app = create_app(settings, make_client(settings), make_session_factory(engine), now=now)
        bot_url, server = _serve(make_wsgi(app, engine))
        clock = SandboxClock(now, Clock(app.services, make_client(settings, rate_limit_retries=False),  # type: ignore[attr-defined]
                                        per_channel=0.0, threads=4, plan_budget=None))
        sandbox = Sandbox(folder, fake, app, engine, server, now, clock, bot_url, restored=restored)
    with _on_failure(sandbox.stop):
        fake.connect(bot_url, secret)
        fake.attach_clock(clock)
        if first:
            sandbox.seeded = _seed(sandbox, end)
            marker.write_text(json.dumps(sandbox.seeded, indent=1), encoding="utf-8")
        clock.start_ticking()
    sandbox.started_in = time.monotonic() - began
    return sandbox


def _seed(sandbox: Sandbox, end: dt.datetime) -> dict[str, Any]:
    began = time.monotonic()
    page = Page(sandbox.url)
    try:
        seeding = agency.seed(sandbox.clock, page, end=end)
    finally:
        page.close()
    sandbox.app.services.drain(timeout=10)  # type: ignore[attr-defined]  # the cards' last refreshes
    return {"at": end.isoformat(), "actions": seeding.requests, "passes": sandbox.clock.passes,
            "seconds": round(time.monotonic() - began, 2)}


def _has_browser() -> bool:
    """A graphical browser can be opened (or $BROWSER names one): on a Linux console without a display, Python's
    webbrowser would start a text browser (lynx, w3m) in the terminal the sandbox prints to."""
    if os.environ.get("BROWSER") or not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def default_folder() -> Path:
    """`$XDG_DATA_HOME/prosjektbot-sandbox` when that is set, else `.sandbox` in the working directory."""
    xdg = os.environ.get("XDG_DATA_HOME")
    return Path(xdg) / "prosjektbot-sandbox" if xdg else Path(".sandbox")


def serve(*, port: int, browser: bool, fresh: bool, data: Path | None) -> int:
    """The command: start, print the URL, open the browser, run until Ctrl-C or SIGTERM, stop cleanly."""
    folder = Path(tempfile.mkdtemp(prefix="prosjektbot-sandbox-")) if fresh else (data or default_folder())
    for name in [name for name in os.environ if name.startswith("SLACK_")]:  # no library of ours may read a real
        del os.environ[name]  # token from the environment (Bolt reads SLACK_BOT_TOKEN when given none)
    if "LOG_LEVEL" not in os.environ:  # the page shows what happens; the terminal only what went wrong
        logging.getLogger().setLevel(logging.WARNING)
    stopping = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            sandbox = start(folder, port=port)
        except OSError as exc:
            raise SettingsError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}): use --port N "
                                "(0: any free port)") from None
        try:
            seeded = (f", the demo agency seeded in {sandbox.seeded['seconds']:.1f} s" if sandbox.seeded
                      else ", as it was left" if sandbox.restored
                      else ", with its projects and now (the channels start empty; --fresh: the whole demo again)")
            print(f"Prosjektbot sandbox: {sandbox.url}\n  ready in {sandbox.started_in:.1f} s{seeded}; now is "
                  f"{sandbox.now().astimezone(ZoneInfo(agency.ZONE.key)).isoformat(timespec='minutes')}; data in "
                  f"{'a temporary folder' if fresh else folder}. Ctrl-C stops it.", flush=True)
            if browser and _has_browser():
                threading.Thread(target=webbrowser.open, args=(sandbox.url,), daemon=True).start()
            while not stopping.wait(0.5):
                pass
        finally:
            sandbox.stop()
        print("Prosjektbot sandbox stopped.", flush=True)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if fresh:
            shutil.rmtree(folder, ignore_errors=True)
