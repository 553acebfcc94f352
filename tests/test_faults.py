"""The database down, locked or failing mid-write: a friendly answer, an error id in the log, nothing half-written."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.app import create_app
from bot.web import make_wsgi
from fakeslack import FakeSlack, Sender
from storage.db import ReadOnlyUnitWrote, make_engine, make_session_factory, unit_of_work
from storage.models import HistoryEntry, Member, Project, Workspace
from tests.conftest import PM, SECRET, Bot, Clock, serve, settings_for

NEW = 'ny Kampanje kunde:Tine frist:15.12.2026 timer:40 medlemmer:<@UOLA00001>'


def error_id(text: str) -> str:
    found = re.search(r"\((?:feil-id|error id) ([0-9a-f]{8})\)", text)
    assert found, text
    return found.group(1)


@pytest.fixture
def unreachable(fake: FakeSlack, clock: Clock) -> Iterator[Sender]:
    """A bot whose database (PostgreSQL on a closed port) does not answer."""
    url = "postgresql+psycopg://nobody@127.0.0.1:9/none"
    engine = make_engine(url)
    app = create_app(settings_for(fake, url), session_factory=make_session_factory(engine), now=clock)
    base, server = serve(make_wsgi(app, engine))
    yield Sender(url=f"{base}/slack/events", secret=SECRET, team_id="T0DBDOWN", fake=fake)
    server.shutdown()
    server.server_close()


def test_database_down_gives_a_friendly_answer_and_an_error_id_in_the_log(
        unreachable: Sender, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="prosjektbot")
    response = unreachable.command(NEW, user=PM)
    assert response.status_code == 200
    answer = response.json()
    assert answer["response_type"] == "ephemeral"
    assert answer["text"].startswith("Databasen svarer ikke akkurat nå")
    assert "Du skrev: `/prosjekt ny Kampanje" in answer["text"]  # what they typed is not lost
    logged = [r for r in caplog.records if error_id(answer["text"]) in r.getMessage()]
    assert logged and logged[0].levelno == logging.ERROR
    health = unreachable.session.get(unreachable.url.replace("/slack/events", "/healthz"), timeout=10)
    assert health.status_code == 503


def test_a_failure_in_the_middle_of_a_write_leaves_nothing_half_written(
        bot: Bot, engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    """The project row is written, then adding its members fails: the project must not remain."""

    def fail_on_members(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO MEMBERS"):
            raise OperationalError(statement, {}, sqlite3.OperationalError("disk I/O error"))

    event.listen(engine, "before_cursor_execute", fail_on_members)
    try:
        answer = bot.run(NEW)
    finally:
        event.remove(engine, "before_cursor_execute", fail_on_members)
    assert "Databasen svarer ikke" in answer["text"] and error_id(answer["text"])
    with bot.svc.sessions() as session:
        for model in (Project, Member, HistoryEntry):
            rows = session.scalar(select(func.count()).select_from(model).where(model.team_id == bot.team_id))
            assert rows == 0, model
    bot.settle()
    assert bot.fake.calls_to("chat.postMessage") == []
    # and the next attempt, with the database healthy again, gets P-1: the failed one used up nothing
    assert "P-1" in bot.run(NEW)["text"]


def test_a_locked_sqlite_database_answers_try_again(
        fake: FakeSlack, clock: Clock, tmp_path: Any, caplog: pytest.LogCaptureFixture) -> None:
    """SQLite waits at most 2 s for a lock (storage.db), and the answer after a failure does not wait again."""
    caplog.set_level(logging.ERROR, logger="prosjektbot")
    url = f"sqlite:///{tmp_path}/locked.db"
    from storage.db import upgrade

    upgrade(url)
    engine = make_engine(url)
    sessions: sessionmaker[Session] = make_session_factory(engine)
    app = create_app(settings_for(fake, url), session_factory=sessions, now=clock)
    base, server = serve(make_wsgi(app, engine))
    slack = Sender(url=f"{base}/slack/events", secret=SECRET, team_id="T0LOCKED", fake=fake)
    holder = sqlite3.connect(f"{tmp_path}/locked.db", isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        answer = slack.command(NEW, user=PM).json()
        assert "Databasen svarer ikke" in answer["text"]
        logged = [r.getMessage() for r in caplog.records]
        assert logged == [f"database error [{error_id(answer['text'])}]: OperationalError"]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "P-1" in slack.command(NEW, user=PM).json()["text"]
    server.shutdown()
    server.server_close()
    engine.dispose()


def test_after_the_database_server_closed_every_connection_the_next_command_is_answered_normally(
        bot: Bot, engine: Engine) -> None:
    """A PostgreSQL restart (or terminated backends) leaves the pool's connections dead: the pool must notice before
    it hands one out, so nobody gets "try again" for it. (SQLite has no server to restart.)"""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: an embedded SQLite database has no connections to lose")
    assert "P-1" in bot.run(NEW)["text"]
    for _ in range(3):  # every pooled connection has served a request
        assert bot.run("status P-1")["text"].startswith("P-1 ")
    with engine.connect() as conn:
        killed = conn.execute(text(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity "
            "where datname = current_database() and pid <> pg_backend_pid()")).scalar_one()
    assert killed >= 1
    time.sleep(0.2)  # the backends exit and their sockets close
    for _ in range(3):
        answer = bot.run("status P-1")
        assert answer["text"].startswith("P-1 "), answer["text"]
    assert "Logget" in bot.run("logg P-1 1t etter omstart")["text"]


def test_a_read_only_unit_refuses_to_write_and_leaves_nothing(engine: Engine, sessions: sessionmaker[Session]) -> None:
    """Read-only units (`status`, `liste`, …) run without a transaction on PostgreSQL: a write there could not be
    rolled back, so it must never run."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: on SQLite a read-only unit keeps its transaction")
    team = "T0READONLY"
    with pytest.raises(ReadOnlyUnitWrote), unit_of_work(sessions, read_only=True) as session:
        session.add(Workspace(team_id=team, language="nb", timezone="Europe/Oslo", last_project_number=0))
        session.flush()
    with unit_of_work(sessions, read_only=True) as session:
        assert session.get(Workspace, team) is None


def test_the_first_command_of_a_new_workspace_may_be_a_read(bot: Bot) -> None:
    """A read-only unit does not create the workspace's row: it reads the defaults, and the first write creates it."""
    assert bot.run("hjelp")["blocks"]  # a read that succeeds (and would have committed a new row)
    answer = bot.run("status")
    assert "prosjekt" in answer["text"].lower(), answer
    assert "Databasen svarer ikke" not in answer["text"]
    with bot.svc.sessions() as session:
        assert session.get(Workspace, bot.team_id) is None
    assert "P-1" in bot.run(NEW)["text"]
    with bot.svc.sessions() as session:
        assert session.get(Workspace, bot.team_id) is not None
    assert bot.run("status P-1")["text"].startswith("P-1 ")


def test_the_connection_check_works_in_a_process_with_many_open_files(engine: Engine) -> None:
    """A busy process may hold over 1,024 descriptors; the check before handing out a connection must still work
    (select.select refuses descriptors above 1023)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: the check is made on a pooled connection's socket")
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    own = make_engine(engine.url.render_as_string(hide_password=False), pool_size=1)
    try:
        for _ in range(3):  # the first checkout connects; the next ones check the pooled connection
            with own.connect() as conn:
                assert conn.execute(text("select 1")).scalar_one() == 1
                assert conn.connection.dbapi_connection.fileno() > 1023  # type: ignore[union-attr]
    finally:
        own.dispose()
        for fd in held:
            os.close(fd)
