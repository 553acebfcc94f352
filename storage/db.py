"""Engine and session setup for SQLite (embedded default) and PostgreSQL, and migrations."""

from __future__ import annotations

import contextlib
import re
import select
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

_WRITE = "prosjekt_write"
_READ_ONLY = "prosjekt_read_only"


class ReadOnlyUnitWrote(RuntimeError):
    """A unit of work opened with `read_only=True` tried to write: a bug in its caller, refused before it runs."""


class WriteAfterAlone(RuntimeError):
    """A unit of work wrote after a write that ran on its own (ALONE): a bug in its caller, refused before it runs."""


ALONE = "prosjekt_alone"  # execution option of a write that may be its unit's only one (see _begin_at_first_write)
_WROTE_ALONE = "prosjekt_wrote_alone"


def make_engine(url: str, *, pool_size: int = 16) -> Engine:
    """An engine tuned for the dialect: SQLite gets WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE
    for writes (so concurrent writers queue instead of failing); PostgreSQL gets a pool sized to the threads.

    Waits are bounded at 2 s so that a locked or unreachable database still lets us answer within Slack's 3 s."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 2},
                               pool_size=pool_size, max_overflow=pool_size, pool_timeout=2)
        _tune_sqlite(engine)
        return engine
    engine = create_engine(
        url, pool_size=pool_size, max_overflow=pool_size, pool_timeout=2, connect_args={"connect_timeout": 2},
        isolation_level="AUTOCOMMIT",  # the transaction begins at a unit's first write: _begin_at_first_write
    )
    event.listen(engine, "checkout", _on_checkout)
    event.listen(engine, "before_cursor_execute", _begin_at_first_write)
    return engine


_LOCKING = re.compile(r"\bFOR (UPDATE|NO KEY UPDATE|SHARE|KEY SHARE)\b")
_WRITES: dict[str, bool] = {}  # statement -> whether it writes: a few dozen statements, each seen many times


def _writes(statement: str, context: Any) -> bool:
    """The statement writes, or takes row locks (which last only as long as a transaction)."""
    known = _WRITES.get(statement)
    if known is None:
        known = (context is None or context.isinsert or context.isupdate or context.isdelete
                 or not statement.lstrip()[:6].upper().startswith(("SELECT", "WITH"))
                 or _LOCKING.search(statement) is not None)
        if len(_WRITES) >= 1000:  # (text() statements with literals would be new each time)
            _WRITES.clear()
        _WRITES[statement] = known
    return known


def _begin_at_first_write(conn: Any, cursor: Any, statement: str, _params: Any, context: Any, _many: bool) -> None:
    """PostgreSQL connections are in autocommit: a unit's reads run each on its own (under READ COMMITTED each
    statement has its own snapshot anyway), and BEGIN goes out just before its first write, so that everything it
    writes commits or rolls back together (psycopg's commit and rollback act on the open transaction). A unit that
    only reads makes no BEGIN or COMMIT round trip; a read-only one refuses to write. A write marked ALONE that comes
    first runs on its own, a statement being atomic by itself: a unit whose only write it is (`logg` by a known
    member) costs two round trips fewer, and any write after it is refused (it could not be rolled back with it).
    A connection given `isolation_level="AUTOCOMMIT"` by name gets no BEGIN at all."""
    if not _writes(statement, context):
        return
    options = conn.get_execution_options()
    if options.get(_READ_ONLY):
        raise ReadOnlyUnitWrote(statement[:80])
    if options.get("isolation_level") == "AUTOCOMMIT":  # asked for by name (ANALYZE, say): each statement alone
        return
    if conn.info.get(_WROTE_ALONE):
        raise WriteAfterAlone(statement[:80])
    from psycopg.pq import TransactionStatus  # (here: a process on SQLite does not load psycopg, ~9 MB)

    dbapi_conn = cursor.connection
    if dbapi_conn.info.transaction_status != TransactionStatus.IDLE:
        return
    if context is not None and context.execution_options.get(ALONE):
        conn.info[_WROTE_ALONE] = True
        return
    dbapi_conn.execute("BEGIN")


def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
    record.info.pop(_WROTE_ALONE, None)  # a new unit of work
    _closed_by_server(dbapi_conn)


def _closed_by_server(dbapi_conn: Any) -> None:
    """A pre-ping without the round trip: nothing is in flight on a pooled connection, so its socket has something
    to read only when the server closed it (a restart, or a terminated backend, says why and hangs up). Then the
    pool drops it and connects anew, as `pool_pre_ping` would, for a few microseconds instead of a `select 1`."""
    if dbapi_conn.closed:
        raise DisconnectionError("this connection was closed")
    readable = select.poll()  # (not select.select: it refuses file descriptors above 1023)
    readable.register(dbapi_conn.fileno(), select.POLLIN)
    if readable.poll(0):
        raise DisconnectionError("the database server closed this connection")


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=2000", "synchronous=NORMAL",
                       "cache_size=-512"):  # 512 KiB a connection: memory stays flat as the pool fills
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


# SQLite lets one writer in at a time, and its busy handler polls: under many concurrent writers a waiting one can
# lose the race for longer than the busy timeout. Writers of one process therefore queue on a lock first (fair
# enough, and bounded by the same 2 s), so only writers of other processes ever meet the busy handler.
_sqlite_writers: dict[str, threading.Lock] = {}
_registry = threading.Lock()


def _writer_lock(session: Session) -> threading.Lock | None:
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return None
    with _registry:
        return _sqlite_writers.setdefault(str(bind.engine.url), threading.Lock())


@contextlib.contextmanager
def unit_of_work(sessions: sessionmaker[Session], *, write: bool = False, read_only: bool = False) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back whole on any error. (On PostgreSQL it begins at
    the block's first write: see _begin_at_first_write.)

    `read_only`: the block only reads; on PostgreSQL a write in it is refused (ReadOnlyUnitWrote) before it runs.
    `write`: the block will write; on SQLite it then takes the write lock at once (BEGIN IMMEDIATE)."""
    session = sessions()
    if read_only and session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={_READ_ONLY: True})
    lock = _writer_lock(session) if write else None
    if lock is not None and not lock.acquire(timeout=2):
        session.close()
        raise OperationalError("BEGIN IMMEDIATE", {}, TimeoutError("waited 2 s for the SQLite write lock"))
    try:
        if write:
            session.connection(execution_options={_WRITE: True})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
        if lock is not None:
            lock.release()


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query."""
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception:
        return False


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    here = Path(__file__).parent
    config = Config()
    config.set_main_option("script_location", str(here / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Run Alembic migrations up to `revision`."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)
