"""Transactions on PostgreSQL (storage.db._begin_at_first_write): a unit's transaction begins at its first write, so a
unit that only reads sends no BEGIN or COMMIT; a `logg` whose log is its only write sends that one statement on
its own; and whatever a unit writes still commits or rolls back together. (That logg by a new and then a known
member writes each thing once, on both databases, is in test_members.)"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from storage import projects as project_db
from storage.db import WriteAfterAlone, unit_of_work
from storage.models import Member, ProgressLog, Project, Workspace
from tests.conftest import MEMBER, OTHER


@pytest.fixture
def postgres(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite, in process, begins every unit with BEGIN (IMMEDIATE when it writes)")


def status(session: Session) -> TransactionStatus:
    """Where the unit's connection is: IDLE (no transaction open) or INTRANS."""
    return session.connection().connection.dbapi_connection.info.transaction_status  # type: ignore[union-attr]


@pytest.fixture
def project(sessions: sessionmaker[Session], engine: Engine) -> Iterator[tuple[str, int]]:
    team = f"TTX{uuid.uuid4().hex[:10].upper()}"
    with unit_of_work(sessions, write=True) as session:
        session.add(Workspace(team_id=team, language="nb", timezone="Europe/Oslo", last_project_number=1))
        session.flush()
        made = Project(team_id=team, number=1, name="Tx", name_key="tx", customer="K", kind="avgrenset",
                       channel_id="C0TX000001", pm_user_id="U0PM000001", start=dt.date(2026, 12, 1),
                       deadline=dt.date(2026, 12, 31), created_by="U0PM000001",
                       created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
        session.add(made)
        session.flush()
        project_id = made.id
    yield team, project_id
    with engine.begin() as conn:
        conn.execute(text("delete from projects where team_id = :team"), {"team": team})
        conn.execute(text("delete from workspaces where team_id = :team"), {"team": team})


def log(team: str, project_id: int, user: str = MEMBER) -> dict[str, Any]:
    return {"team_id": team, "project_id": project_id, "user_id": user, "minutes": 30, "description": "",
            "percent": None, "task_id": None, "logged_on": dt.date(2026, 12, 2),
            "created_at": dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC)}


def counts(sessions: sessionmaker[Session], team: str) -> tuple[int, int]:
    """(progress logs, members) of the workspace, read by another connection."""
    with sessions() as other:
        logs = other.scalar(select(func.count()).select_from(ProgressLog).where(ProgressLog.team_id == team))
        members = other.scalar(select(func.count()).select_from(Member).where(Member.team_id == team))
        return int(logs or 0), int(members or 0)


def test_the_transaction_begins_at_the_first_write_and_takes_every_write_with_it(
        postgres: None, sessions: sessionmaker[Session], project: tuple[str, int]) -> None:
    team, project_id = project
    with pytest.raises(RuntimeError), unit_of_work(sessions, write=True) as session:
        assert project_db.project_by_number(session, team, 1) is not None
        assert status(session) == TransactionStatus.IDLE  # a read: no BEGIN yet
        assert project_db.add_member(session, team, project_id, OTHER)
        assert status(session) == TransactionStatus.INTRANS
        project_db.add_log(session, **log(team, project_id, OTHER))  # after a write: in the same transaction
        assert status(session) == TransactionStatus.INTRANS
        raise RuntimeError("the rest of the change failed")
    assert counts(sessions, team) == (0, 0)  # both rolled back


def test_a_log_that_is_the_only_write_commits_on_its_own_and_nothing_may_follow_it(
        postgres: None, sessions: sessionmaker[Session], project: tuple[str, int]) -> None:
    team, project_id = project
    with pytest.raises(WriteAfterAlone), unit_of_work(sessions, write=True) as session:
        assert project_db.add_log(session, **log(team, project_id)) == 30
        assert status(session) == TransactionStatus.IDLE  # committed already: no transaction was opened
        assert counts(sessions, team) == (1, 0)  # another connection sees it before the unit ends
        # refused before it runs: it could not be undone with the log
        project_db.add_member(session, team, project_id, OTHER)
    assert counts(sessions, team) == (1, 0)
    with unit_of_work(sessions, write=True) as session:  # the next unit on that connection starts afresh
        assert project_db.add_member(session, team, project_id, OTHER)
        assert status(session) == TransactionStatus.INTRANS
    assert counts(sessions, team) == (1, 1)


def test_a_connection_asked_for_autocommit_by_name_gets_no_transaction(
        postgres: None, engine: Engine, project: tuple[str, int]) -> None:
    """`ANALYZE` and the like, run on a connection given isolation_level="AUTOCOMMIT" and closed without a commit:
    the statement stands (a BEGIN slipped in before it would have been rolled back at the close)."""
    team, _ = project
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("update projects set customer = 'Ny kunde' where team_id = :team"), {"team": team})
        assert conn.connection.dbapi_connection.info.transaction_status == TransactionStatus.IDLE  # type: ignore[union-attr]
    with engine.connect() as conn:
        assert conn.execute(text("select customer from projects where team_id = :team"),
                            {"team": team}).scalar_one() == "Ny kunde"
