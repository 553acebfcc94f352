"""Fixtures: a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL), the fake Slack Web API on
loopback, and the bot served over real HTTP on 127.0.0.1."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import json
import os
import shutil
import socketserver
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from zoneinfo import ZoneInfo

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.app import create_app
from bot.clock.context import PassReport
from bot.clock.passes import Clock as FollowupClock
from bot.domain.rules import SummarySettings
from bot.services import Services
from bot.settings import Settings
from bot.slack.client import make_client
from bot.web import make_wsgi
from fakeslack import FakeSlack, Sender
from storage import workspaces as workspace_db
from storage.db import make_engine, make_session_factory, upgrade

SECRET = "test-signing-secret-0123456789"
TOKEN = "xoxb-test-token"
OSLO = ZoneInfo("Europe/Oslo")
PM, MEMBER, ADMIN, OTHER = "UKARI0001", "UOLA00001", "UADMIN001", "UPER00001"


def flat(value: object) -> str:
    """Blocks (or text) as one string, with no-break spaces as plain spaces, for `in` checks."""
    return (value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)).replace("\u00a0", " ")


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def serve(wsgi: Any) -> tuple[str, _ThreadingServer]:
    server = make_server("127.0.0.1", 0, wsgi, server_class=_ThreadingServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        upgrade(url)
        yield url
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/test.db"
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, pool_size=20)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture(scope="session")
def fake_session() -> Iterator[FakeSlack]:
    fake = FakeSlack(token=TOKEN, team_id="T0001", bot_user_id="UBOT", bot_id="BBOT")
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def fake(fake_session: FakeSlack) -> FakeSlack:
    fake_session.reset()
    for user_id, name in ((PM, "kari"), (MEMBER, "ola"), (OTHER, "per")):
        fake_session.add_user(user_id, name=name)
    fake_session.add_user(ADMIN, name="admin", is_admin=True)
    return fake_session


class Clock:
    """The bot's notion of now; tests move it."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, day: dt.date, hour: int = 10) -> None:
        self.now = dt.datetime(day.year, day.month, day.day, hour, tzinfo=OSLO)

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(OSLO).date()


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 11, 26, 10, 0, tzinfo=OSLO))  # a Thursday


def settings_for(fake: FakeSlack, database_url: str, **extra: Any) -> Settings:
    return Settings(slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=fake.url,
                    database_url=database_url, **extra)


@dataclass
class Bot:
    """The bot under test, served over HTTP, and Slack's side of the conversation (`slack`)."""

    url: str
    svc: Services
    slack: Sender
    fake: FakeSlack

    @property
    def team_id(self) -> str:
        return self.slack.team_id

    def run(self, text: str, *, user: str = PM, channel: str | None = None) -> dict[str, Any]:
        """Send `/prosjekt <text>`; return the ack's JSON body (the ephemeral answer), or {} for an empty ack."""
        response = self.slack.command(text, user=user, channel=channel)
        assert response.status_code == 200, (response.status_code, response.text)
        return response.json() if response.text else {}

    def settle(self) -> None:
        """Wait until every Slack call queued after the acks so far has been made."""
        self.svc.drain()

    def opened_view(self) -> dict[str, Any]:
        call = self.fake.wait_for("views.open", count=1)[-1]
        return call.response["view"]

    def card(self, channel: str | None = None) -> dict[str, Any]:
        self.settle()
        cards = [m for m in self.fake.messages(channel or self.slack.channel_id)
                 if any(b.get("type") == "actions" for b in m.get("blocks") or [])]
        assert cards, "no card in the channel"
        return cards[-1]


@pytest.fixture
def bot(request: pytest.FixtureRequest, fake: FakeSlack, database_url: str, clock: Clock) -> Iterator[Bot]:
    """The bot on the session's database; on a database of the test's own when the test runs the clock, because
    a clock serves every workspace in its database (on the shared one it would also plan for every other test),
    and in a module marked `own_database` (every test of a clock's story). There the workspace has the weekly
    summary switched off, unless the test is marked `weekly_posts`."""
    if "follow" in request.fixturenames or "clocks" in request.fixturenames \
            or request.node.get_closest_marker("own_database") is not None:
        weekly = request.node.get_closest_marker("weekly_posts") is not None
        with fresh_database(make_url(database_url).get_backend_name()) as url, \
                running_bot(fake, url, clock, weekly=weekly) as own:
            yield own
        return
    engine: Engine = request.getfixturevalue("engine")
    with running_bot(fake, database_url, clock, engine=engine) as shared:
        yield shared


PG_SERVER = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test"



def _pg_admin() -> str:
    """libpq conninfo for the `postgres` maintenance database on the test server."""
    url = make_url(PG_SERVER).set(drivername="postgresql", database="postgres")
    return url.render_as_string(hide_password=False)


_templates: dict[str, str] = {}
_TMP = tempfile.TemporaryDirectory()


def _template(kind: str) -> str:
    """A migrated database made once per test session, copied for each test (migrating takes a second or more)."""
    if kind not in _templates:
        if kind == "sqlite":
            path = f"{_TMP.name}/template.db"
            upgrade(f"sqlite:///{path}")
            _templates[kind] = path
        else:
            name = f"prosjekt_clock_template_{os.getpid()}"
            _drop_database(name)
            with psycopg.connect(_pg_admin(), autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            upgrade(make_url(PG_SERVER).set(drivername="postgresql+psycopg", database=name).render_as_string(
                hide_password=False))
            _templates[kind] = name
            atexit.register(_drop_database, name)
    return _templates[kind]


def _drop_database(name: str) -> None:
    with psycopg.connect(_pg_admin(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')



@contextlib.contextmanager
def fresh_database(kind: str, *, migrated: bool = True) -> Iterator[str]:
    """A new database: a SQLite file, or a PostgreSQL database created (and dropped) on the test server
    (127.0.0.1:5432 in CI), named so it never clashes with conftest's `test` database. Migrated ones are copies of
    a template migrated once per session; `migrated=False` gives an empty one (to test a migration)."""
    template = _template(kind) if migrated else None
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            if template:
                shutil.copyfile(template, f"{tmp}/clock.db")
            yield f"sqlite:///{tmp}/clock.db"
        return
    name = f"prosjekt_clock_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(_pg_admin(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield make_url(PG_SERVER).set(drivername="postgresql+psycopg", database=name).render_as_string(
            hide_password=False)
    finally:
        _drop_database(name)


@contextlib.contextmanager
def running_bot(fake: FakeSlack, url: str, now: Clock, *, engine: Engine | None = None,
                weekly: bool = True) -> Iterator[Bot]:
    """The bot served over HTTP on `url`'s database (on `engine` when given, else an engine of its own).
    `weekly=False`: its workspace has the weekly summary switched off (clock tests about follow-ups count posts)."""
    own = engine is None
    engine = engine or make_engine(url, pool_size=20)
    app = create_app(settings_for(fake, url), session_factory=make_session_factory(engine), now=now)
    server = make_server("127.0.0.1", 0, make_wsgi(app, engine), server_class=_ThreadingServer,
                         handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    svc: Services = app.services  # type: ignore[attr-defined]
    team = f"T{uuid.uuid4().hex[:10].upper()}"
    if not weekly:
        without_weekly_posts(svc, team)
    try:
        yield Bot(url=base, svc=svc, slack=Sender(url=f"{base}/slack/events", secret=SECRET, team_id=team,
                                                    fake=fake), fake=fake)
    finally:
        server.shutdown()
        server.server_close()
        with contextlib.suppress(TimeoutError):  # Slack calls still waiting (paced refreshes) end in this test
            svc.drain()
        svc.executor.shutdown(wait=True)
        if own:
            engine.dispose()


def without_weekly_posts(svc: Services, team_id: str) -> None:
    """The workspace, made as its first request makes it, with the weekly summary switched off."""
    with svc.sessions.begin() as session:
        workspace = workspace_db.ensure_workspace(session, team_id, language=svc.settings.prosjekt_language,
                                       timezone=svc.settings.prosjekt_timezone)
        workspace.summary = SummarySettings(enabled=False).model_dump_json()


def at(day: str, hour: int = 9, minute: int = 0) -> dt.datetime:
    """`day` (ISO) at `hour`:`minute` Oslo time."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=OSLO)


class SettledClock(FollowupClock):
    """The clock as a test runs it: a pass starts once the Slack calls that the commands so far queued are made.
    (One of them writes the posted card's ts on the project, and on PostgreSQL a pass skips a project whose row
    another transaction holds, until its next pass: right for a clock that passes every 30 s, a flake for a test
    that runs one pass and looks.)"""

    def __init__(self, *args: Any, settle: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settle = settle

    def run_pass(self, now: dt.datetime | None = None, *, everything: bool = False) -> PassReport:
        self.settle()
        return super().run_pass(now, everything=everything)


class Clocks:
    """Builds clocks as `prosjektbot clock` does; `separate=True` gives one its own engine (like a process)."""

    def __init__(self, bot: Bot) -> None:
        self.bot, self.engines = bot, []  # type: ignore[var-annotated]

    def close(self) -> None:
        for engine in self.engines:
            engine.dispose()

    def __call__(self, *, worker: str | None = None, lease: dt.timedelta = dt.timedelta(minutes=5),
                 per_channel: float = 0.0, separate: bool = False, client: Any = None) -> FollowupClock:
        svc = self.bot.svc
        if separate:
            engine = make_engine(svc.settings.database_url)
            self.engines.append(engine)
            svc = Services(settings=svc.settings, sessions=make_session_factory(engine), client=svc.client,
                           executor=ThreadPoolExecutor(max_workers=1), now=svc.now)
        client = client or make_client(svc.settings, rate_limit_retries=False)
        return SettledClock(svc, client, worker=worker, lease=lease, per_channel=per_channel, settle=self.bot.settle)


@pytest.fixture
def clocks(bot: Bot) -> Iterator[Clocks]:
    """Clocks on the test's own database (asking for them gives the test one)."""
    made = Clocks(bot)
    yield made
    made.close()


@pytest.fixture
def follow(bot: Bot) -> FollowupClock:
    """The clock, in-process, on the bot's store and fake Slack; no pacing, a short lease."""
    return SettledClock(bot.svc, make_client(bot.svc.settings, rate_limit_retries=False), per_channel=0.0,
                        lease=dt.timedelta(seconds=30), settle=bot.settle)
