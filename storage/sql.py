"""Shared pieces of the storage modules' SQL: bind parameters and dialect-aware inserts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BindParameter,
    Insert,
    bindparam,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

T: BindParameter[str] = bindparam("team_id")


P: BindParameter[int] = bindparam("project_id")


def insert_for(session: Session, model: type) -> Any:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def core(session: Session) -> Connection:
    """The session's connection, for a Core statement on rows the session does not hold as entities: no ORM
    bookkeeping per statement (several times the cost of a small statement). The session's pending changes are
    flushed first, as `session.execute` would, so the statement sees them."""
    session.flush()
    return session.connection()


_INSERT_IGNORE: dict[tuple[str, type], Insert] = {}


def insert_ignore(session: Session, model: type, **values: object) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row was inserted."""
    dialect = session.get_bind().dialect.name
    stmt = _INSERT_IGNORE.get((dialect, model))
    if stmt is None:  # one statement per table and dialect; the values are bound when it runs
        # RETURNING, not rowcount: the driver's rowcount is not reliable for ON CONFLICT through the ORM session.
        table = model.__table__  # type: ignore[attr-defined]
        stmt = (postgresql if dialect == "postgresql" else sqlite).insert(table).on_conflict_do_nothing()
        stmt = _INSERT_IGNORE.setdefault((dialect, model), stmt.returning(next(iter(table.primary_key.columns))))
    return core(session).execute(stmt, values).first() is not None
