"""What the benchmark scripts share: the `--database-url` argument and the database it names, the real app on it
with the fake Slack, and counting SQL statements.

Two ways to get a database:
- `fresh_database` / `fresh_app`: an emptied, migrated database (PostgreSQL: schema `public` DROPPED and
  recreated; default: a SQLite file in a temp dir), for scripts that fill it in seconds;
- `create_database` / `drop_database`: a database of the script's own, created at the start and dropped at the end
  (`test` and `postgres` refused), or kept and reused by a later run, for scripts whose data takes minutes to load.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from slack_bolt import App

    from fakeslack import FakeSlack

SECRET, TOKEN = "bench-signing-secret-0123456789", "xoxb-bench"
TEAM, CHANNEL, PM = "TPROFILE01", "CPROFILE01", "UPROFILEPM"


# --- the database -------------------------------------------------------------------------------------------------
def add_database_argument(parser: argparse.ArgumentParser) -> None:
    """`--database-url` for the scripts on an emptied database (`fresh_database`)."""
    parser.add_argument("--database-url", help="postgresql://… (its schema public is dropped!); default: SQLite")


def normalise(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def fresh_database(url: str) -> Engine:
    """An engine on `url` emptied (PostgreSQL: schema `public` dropped and recreated) and migrated."""
    from storage.db import make_engine, upgrade

    url = normalise(url)
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade(url)
    return engine


def create_database(url: str, reuse: bool) -> bool:
    """Create the database of a PostgreSQL URL or check the SQLite file; True when an existing one is reused."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if path.exists() and not reuse:
            raise SystemExit(f"{path} exists: remove it, or pass --reuse to use the data of an earlier --keep run")
        return path.exists()
    name = parsed.database or ""
    if name in ("", "test", "postgres") or name.startswith("template"):
        raise SystemExit(f"refusing database {name!r}: name a database for this script to create and drop")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("select 1 from pg_database where datname = :n"), {"n": name}) is not None
        if exists and not reuse:
            raise SystemExit(f"database {name!r} exists: drop it, or pass --reuse to use the data of a --keep run")
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return exists


def drop_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def bulk_engine(url: str) -> tuple[Engine, bool]:
    """A plain engine for `bulk_insert` (raw_connection().driver_connection), and whether it is SQLite; there dates
    and times are adapted as SQLAlchemy stores them: naive UTC text with microseconds, ISO dates."""
    engine = create_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        import sqlite3

        sqlite3.register_adapter(dt.datetime, lambda v: v.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f"))
        sqlite3.register_adapter(dt.date, lambda v: v.isoformat())
    return engine, sqlite


def bulk_insert(driver: Any, sqlite: bool, table: str, columns: tuple[str, ...],
                rows: Iterable[tuple[Any, ...]]) -> int:
    """Rows into `table` on the driver's own connection (sqlite3 or psycopg), in one transaction: executemany on
    SQLite (synchronous off), COPY on PostgreSQL (the id sequence set past the rows); how many rows it then holds."""
    if sqlite:
        driver.execute("PRAGMA synchronous=OFF")
        driver.execute("BEGIN")
        marks = ", ".join("?" * len(columns))
        driver.executemany(f"insert into {table} ({', '.join(columns)}) values ({marks})", rows)
        driver.commit()
        return int(driver.execute(f"select count(*) from {table}").fetchone()[0])
    with driver.cursor() as cur:
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute(f"select setval(pg_get_serial_sequence('{table}', 'id'), max(id)) from {table}")
        count = int(cur.execute(f"select count(*) from {table}").fetchone()[0])
    driver.commit()
    return count


# --- the app ------------------------------------------------------------------------------------------------------
def fresh_app(url: str, fake: FakeSlack) -> tuple[Engine, App]:
    """The real app on an empty, migrated database (PostgreSQL: schema `public` dropped first), talking to `fake`."""
    from bot.app import create_app
    from bot.settings import Settings
    from storage.db import make_session_factory

    settings = Settings(slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=fake.url,
                        database_url=url)
    engine = fresh_database(settings.database_url)
    return engine, create_app(settings, session_factory=make_session_factory(engine))


@contextlib.contextmanager
def app_on_fake_slack(url: str | None, name: str) -> Iterator[tuple[Engine, App, FakeSlack]]:
    """The fake Slack (the channel CHANNEL, the user PM) and the real app on a fresh database (`url`, else a SQLite
    file in a temp dir named after the script); all of it shut down at the end."""
    import tempfile

    from fakeslack import FakeSlack

    fake = FakeSlack(token=TOKEN, team_id=TEAM).start()
    fake.add_channel(CHANNEL, name="kunde")
    fake.add_user(PM, name="pm")
    try:
        with tempfile.TemporaryDirectory(prefix=f"prosjektbot-{name}-") as tmp:
            engine, app = fresh_app(url or f"sqlite:///{tmp}/{name}.db", fake)
            try:
                yield engine, app, fake
            finally:
                app.services.executor.shutdown(wait=True)  # type: ignore[attr-defined]
                engine.dispose()
    finally:
        fake.stop()


# --- SQL statements -----------------------------------------------------------------------------------------------
class Statements:
    """Counts the SQL statements `engine` runs: `count` all of them, `request` those on the request thread and
    `after` those on the Slack-call pool (after an ack). `begin=False` leaves out the bare `BEGIN`s."""

    def __init__(self, engine: Engine, *, begin: bool = True) -> None:
        self.count = self.request = self.after = 0
        self.begin = begin
        self.lock = threading.Lock()
        event.listen(engine, "before_cursor_execute", self)

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not self.begin and statement.strip().upper() == "BEGIN":
            return
        with self.lock:
            self.count += 1
            if threading.current_thread().name.startswith("slack-call"):
                self.after += 1
            else:
                self.request += 1
