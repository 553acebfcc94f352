"""What a request needs besides its payload: settings, the store, the Slack client, the clock.

Built once per app by `create_app` (no globals, so tests build as many apps as they like).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, wait
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.slack.coalesce import Coalescer
from storage import workspaces as workspace_db
from storage.db import unit_of_work

# How long a process trusts its copy of a workspace's language and time zone: every request needs them, and they
# change rarely (a change made here is seen at once: `forget_workspace`; one made by another process within this).
WORKSPACE_TTL = 30.0  # seconds
# A card or a Home is rendered again at most once a second after changes (see bot.slack.coalesce): Slack rate-limits
# chat.update and views.publish, and each rendering costs queries; the next one shows every change made meanwhile.
REFRESH_INTERVAL = 1.0  # seconds


@dataclass(frozen=True)
class Unit:
    """One unit of work for one workspace: the open session and what the rules need to know."""

    session: Session
    team_id: str
    lang: str
    tz: str
    today: dt.date


@dataclass
class Services:
    settings: Settings
    sessions: sessionmaker[Session]
    client: WebClient
    executor: Executor
    now: Callable[[], dt.datetime]
    _in_flight: set[Future[object]] = field(default_factory=set)
    cards: Coalescer = field(default_factory=lambda: Coalescer(REFRESH_INTERVAL))  # card refreshes, per project
    homes: Coalescer = field(default_factory=lambda: Coalescer(REFRESH_INTERVAL))  # App Home publishes, per user
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _workspaces: dict[str, tuple[float, str, str]] = field(default_factory=dict)  # team -> (read at, lang, tz)
    _changing: dict[str, int] = field(default_factory=dict)  # workspace -> thread whose transaction changes it

    @contextlib.contextmanager
    def unit(self, team_id: str, *, write: bool = False, read_only: bool = False) -> Iterator[Unit]:
        """A transaction scoped to the verified workspace (created on first use; a `read_only` unit, which may not
        write, reads a workspace not yet created with the defaults)."""
        try:
            with unit_of_work(self.sessions, write=write, read_only=read_only) as session:
                lang, tz = self._workspace(session, team_id, create=not read_only)
                today = self.now().astimezone(ZoneInfo(tz)).date()
                yield Unit(session=session, team_id=team_id, lang=lang, tz=tz, today=today)
        finally:
            if self._changing.get(team_id) == threading.get_ident():  # its change committed or rolled back:
                del self._changing[team_id]  # from now on, read (and remember) what the store says
                self._workspaces.pop(team_id, None)

    def _workspace(self, session: Session, team_id: str, *, create: bool) -> tuple[str, str]:
        """(language, time zone) of the workspace, remembered for WORKSPACE_TTL; its row is created on first use
        (with `create`; else a workspace without a row reads as the defaults)."""
        cached = self._workspaces.get(team_id)
        if cached is not None and time.monotonic() - cached[0] < WORKSPACE_TTL:
            return cached[1], cached[2]
        found = workspace_db.workspace_locale(session, team_id)
        if found is None and not create:
            return self.settings.prosjekt_language, self.settings.prosjekt_timezone
        if found is None:  # created in this transaction, which may yet roll back: remembered once it is read back
            ws = workspace_db.ensure_workspace(
                session, team_id, language=self.settings.prosjekt_language, timezone=self.settings.prosjekt_timezone
            )
            return ws.language, ws.timezone
        if team_id not in self._changing:
            self._workspaces[team_id] = (time.monotonic(), *found)
        return found

    def forget_workspace(self, team_id: str) -> None:
        """Call in the unit of work that changes a workspace's language or time zone: this process reads them
        again once that transaction ends (other processes within WORKSPACE_TTL)."""
        self._changing[team_id] = threading.get_ident()  # a unit of work runs on one thread
        self._workspaces.pop(team_id, None)

    def submit(self, fn: Callable[..., object], *args: object, delay: float = 0.0) -> None:
        """Run `fn` on the Slack-call pool (after `delay` seconds); `drain` waits for everything submitted so far."""
        if delay > 0:
            self._submit_later(delay, fn, *args)
            return
        future = self.executor.submit(fn, *args)
        with self._lock:
            self._in_flight.add(future)
        future.add_done_callback(self._done)

    def _submit_later(self, delay: float, fn: Callable[..., object], *args: object) -> None:
        waiting: Future[object] = Future()  # stands for the call until it is on the pool, so `drain` waits for it

        def fire() -> None:
            try:
                self.submit(fn, *args)
            except RuntimeError:  # the pool is shut down (the process is stopping): run it here, not lose it
                fn(*args)
            finally:
                waiting.set_result(None)

        with self._lock:
            self._in_flight.add(waiting)
        waiting.add_done_callback(self._done)
        timer = threading.Timer(delay, fire)
        timer.daemon = False  # a stopping process waits for it, as it does for the pool's work
        timer.start()

    def _done(self, future: Future[object]) -> None:
        with self._lock:
            self._in_flight.discard(future)

    def drain(self, timeout: float = 10.0) -> None:
        """Wait until all submitted work is done (graceful shutdown, tests)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                pending = list(self._in_flight)
            if not pending:
                return
            wait(pending, timeout=max(0.0, deadline - time.monotonic()))
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{len(pending)} Slack calls still running")

    def language(self, team_id: str, failure: BaseException | None = None) -> str:
        """The workspace's language, or the default when the store cannot tell (or just failed: no second wait)."""
        if isinstance(failure, DBAPIError | PoolTimeout):
            return self.settings.prosjekt_language
        try:
            with self.unit(team_id) as unit:
                return unit.lang
        except Exception:
            return self.settings.prosjekt_language

