"""Clock benchmark: planning and delivery of follow-ups at scale, on SQLite or PostgreSQL.

A script that prints figures (not a test). Run from the repo root:

    /work/venv/bin/python -m benchmarks.clock            # SQLite file in a temp dir; 100,000 projects
    /work/venv/bin/python -m benchmarks.clock --smoke    # 500 projects, 100 follow-ups over 20 channels (CI)
    /work/venv/bin/python -m benchmarks.clock --database-url postgresql://postgres@127.0.0.1:5432/clockbench
    options: --projects N (100000; tasks 10 x N, logs 20 x N), --channels N (200) and --per-channel N (5): the
             follow-ups delivered, --rate R (1.0 message/s per channel), --keep (keep the database), --reuse
             (use a database kept by an earlier run with the same --projects: no data load), --load-only (load
             the data into a database to keep, and stop: seed once, then measure as often as needed with --reuse)

PostgreSQL: the database named in the URL is CREATED by the script (it must not exist, unless --reuse) and
DROPPED at the end (unless --keep); `test` and `postgres` are refused. SQLite: a new file in a temp dir, or the
file of a `sqlite:///path` URL (same rules). `storage.db.upgrade` runs first.

The data, built with bulk inserts (executemany on SQLite, COPY on PostgreSQL) in a separate process so that
its memory does not count as the clock's: one workspace (Europe/Oslo, default rules), N active projects over
N/20 channels (4 in 5 with a deadline 3 weeks to 10 months ahead, 1 in 5 løpende), 10 tasks each (3 done, 1
without deadline, 6 open with a deadline 2 weeks to 6 months ahead), 20 progress logs each spread over the
project's past (every 5th reports a percentage). "Now" is Tuesday 2026-03-10 06:00 in Oslo: before the send
hour, so the full planning pass plans nothing that is already due.

Measured in this process, with the real `bot.clock.passes.Clock` and a `fakeslack.FakeSlack` (in a process of its own,
as Slack would be) that answers 429 with Retry-After to a second chat.postMessage within 1/R s in a channel
(`FakeSlack.limit_channels`):

    baseline   a unit of work running `select 1` (median of 50): the floor of one database round trip
    plan #1    Clock.plan(ws, now, everything=True) on the fresh data, every project marked for planning (as
               after an import, or a change of the workspace's rules): follow-ups inserted, seconds, and where
               the time went (the outbox queries and plan_project, timed by wrapping them)
               On PostgreSQL `ANALYZE followups` runs every minute meanwhile, as autovacuum would (the test
               server runs without it, and the table grows from nothing to millions of rows)
    plan #2    the same again, the daily full pass: must plan nothing new (idempotent); target < 2 s
    plan #3    the daily full pass the next morning (quiet and behind-schedule alerts that time alone brings)
    month      the clock's first Clock.run_pass(now) of March: February's month-end reports came due on Monday 2
               March while no clock ran, so it plans and sends them (a clock back after downtime still posts them
               that month): checked to be exactly one `report` for 2026-02 per løpende project, at its slot, posted
               once in the project's channel, and nothing else
    idle pass  Clock.run_pass(now) once all is planned, marked and sent, nothing due: median of 20, every one
               checked to plan and claim nothing; target < 50 ms.
               On PostgreSQL twice: with the statistics the planning passes left, then after ANALYZE (what
               autovacuum does some time later)
    delivery   1,000 due follow-ups (5 in each of 200 channels) inserted, then Clock.run_pass(now) with
               per_channel=1/R: wall time against the theoretical minimum (5 per channel at 1/s: 5 s); target
               < 1.2 x. Beside it, the same Slack calls (chat.postMessage and the 3 reactions.add the clock
               adds to each) through bot.clock.delivery.deliver with jobs that do no database work: the floor this
               harness allows. The reactions go from a queue of their own that the pass does not wait for (when
               they were all added is printed too), and so is the CPU both processes spent per follow-up, and
               how many connections the kernel dropped meanwhile for a full listen queue (machine-wide; each
               costs its client a second). Checked: every follow-up posted exactly once, recorded as sent with
               its ts.
    replan     Clock.plan(ws, now, everything=False) for the projects the delivery marked for replanning
    memory     peak RSS of this process in each clock phase (VmHWM, reset between phases); target < 250 MB

Targets are printed as PASS/MISS and never change the exit code; wrong results (a follow-up posted twice or
not at all, a second planning pass that plans something, a planning pass that fails so that follow-ups would
never be planned or sent) make it exit 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from benchmarks.common import (  # noqa: E402
    SECRET,
    TOKEN,
    bulk_engine,
    bulk_insert,
    create_database,
    drop_database,
    normalise,
)

TEAM, TZ = "TCLOCKBENCH", "Europe/Oslo"
UTC = dt.UTC
TODAY = dt.date(2026, 3, 10)  # a Tuesday, a working day in Norway
NOW = dt.datetime(2026, 3, 10, 5, 0, tzinfo=UTC)  # 06:00 in Oslo: before the send hour (09:00)
FEBRUARY, FEBRUARY_END = dt.date(2026, 2, 1), dt.date(2026, 2, 28)  # the month whose reports are due on TODAY
REPORT_SLOT = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 2 March, 09:00 in Oslo (1 March is a Sunday)
TASKS_PER_PROJECT, LOGS_PER_PROJECT, PROJECTS_PER_CHANNEL = 10, 20, 20
TARGET_IDLE_MS, TARGET_PLAN_S, TARGET_RATIO, TARGET_RSS_MB = 50.0, 2.0, 1.2, 250.0


# --- the data (built in a child process) --------------------------------------------------------------------------
def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


def project_rows(n: int, channels: int) -> Iterator[tuple[Any, ...]]:
    for i in range(1, n + 1):
        lopende = i % 5 == 0
        start = TODAY - dt.timedelta(days=30 + (i * 7919) % 370)
        deadline = None if lopende else TODAY + dt.timedelta(days=21 + (i * 104729) % 300)
        frame = None if i % 10 == 3 else 60 * ((10 + i % 150) if lopende else (20 + (i * 31) % 400))
        yield (i, TEAM, i, f"Prosjekt {i}", f"prosjekt {i}", f"Kunde {i % 500}", "lopende" if lopende else "avgrenset",
               "active", channel_of(i, channels), f"UPM{i % 997:06d}", start, deadline, frame, None, None, None,
               True, f"UPM{i % 997:06d}", _at(start, 7))


def channel_of(project_id: int, channels: int) -> str:
    return f"CCLK{(project_id - 1) % channels:06d}"


def task_rows(n: int) -> Iterator[tuple[Any, ...]]:
    for p in range(1, n + 1):
        start = TODAY - dt.timedelta(days=30 + (p * 7919) % 370)
        created = _at(start, 8)
        for j in range(TASKS_PER_PROJECT):
            tid = (p - 1) * TASKS_PER_PROJECT + j + 1
            done_at = deadline = None
            if j < 3:  # done, some of them had a deadline
                deadline = start + dt.timedelta(days=7 * (j + 1)) if j else None
                done_at = _at(start + dt.timedelta(days=7 * (j + 1)), 12)
            elif j > 3:  # open, with a deadline from 2 weeks to 6 months ahead
                deadline = TODAY + dt.timedelta(days=14 + (tid * 7907) % 170)
            owner = None if j == 4 else f"UMB{tid % 2003:06d}"
            yield (tid, TEAM, p, f"Oppgave {j + 1} i prosjekt {p}", owner, deadline, done_at,
                   owner if done_at else None, f"UPM{p % 997:06d}", created)


def log_rows(n: int) -> Iterator[tuple[Any, ...]]:
    for p in range(1, n + 1):
        age = min(365, 30 + (p * 7919) % 370)
        for k in range(LOGS_PER_PROJECT):
            lid = (p - 1) * LOGS_PER_PROJECT + k + 1
            day = TODAY - dt.timedelta(days=1 + (lid * 2654435761) % age)
            percent = min(100, 5 * (k + 1)) if k % 5 == 4 else None
            yield (lid, TEAM, p, f"UMB{lid % 2003:06d}", 15 * (1 + (lid * 13) % 32), "Arbeid", percent, None, day,
                   _at(day, 15))


TABLES: dict[str, tuple[str, ...]] = {
    "projects": ("id", "team_id", "number", "name", "name_key", "customer", "kind", "state", "channel_id",
                 "pm_user_id", "start", "deadline", "frame_minutes", "budget_nok", "card_channel_id", "card_ts",
                 "replan", "created_by", "created_at"),
    "tasks": ("id", "team_id", "project_id", "title", "owner_user_id", "deadline", "done_at", "done_by",
              "created_by", "created_at"),
    "progress_logs": ("id", "team_id", "project_id", "user_id", "minutes", "description", "percent", "task_id",
                      "logged_on", "created_at"),
}


def build(url: str, n: int, channels: int) -> None:
    """Load the data (run in a child process); prints one line per table."""
    engine, sqlite = bulk_engine(url)
    with engine.begin() as conn:
        # The weekly summary is switched off: this script measures the follow-ups (benchmarks/summary.py the
        # summaries); every pass still makes the weekly check.
        conn.execute(text("insert into workspaces (team_id, language, timezone, last_project_number, created_at, "
                          "summary) values (:t, 'nb', :tz, :n, :c, :s)"),
                     {"t": TEAM, "tz": TZ, "n": n, "c": _at(TODAY, 0), "s": '{"enabled": false}'})
    sources: dict[str, Callable[[], Iterator[tuple[Any, ...]]]] = {
        "projects": lambda: project_rows(n, channels), "tasks": lambda: task_rows(n),
        "progress_logs": lambda: log_rows(n)}
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        for table, columns in TABLES.items():
            start = time.perf_counter()
            rows = bulk_insert(driver, sqlite, table, columns, sources[table]())
            took = time.perf_counter() - start
            print(f"  {table:<14} {rows:>10,} rows in {took:6.1f} s ({rows / took:,.0f} rows/s)", flush=True)
        if not sqlite:  # what autovacuum would do after a bulk load, done now so that plans do not depend on timing
            start = time.perf_counter()
            driver.autocommit = True
            driver.execute("VACUUM ANALYZE")
            print(f"  VACUUM ANALYZE in {time.perf_counter() - start:.1f} s", flush=True)
    finally:
        raw.close()
        engine.dispose()


# --- measuring ----------------------------------------------------------------------------------------------------
def cpu_seconds() -> float:
    """CPU time (user + system) of this process so far."""
    times = os.times()
    return times.user + times.system


def listen_overflows() -> int:
    """The kernel's count of connections dropped because a listen queue was full (all of this machine's sockets):
    each such connection is retried by its client only a second later."""
    lines = [line.split() for line in Path("/proc/net/netstat").read_text().splitlines() if line.startswith("TcpExt:")]
    try:
        return int(lines[1][lines[0].index("ListenOverflows")])
    except (IndexError, ValueError):
        return 0


def vm(field: str) -> float:
    """VmRSS / VmHWM of this process, MB."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+)", status, re.MULTILINE)[1]) / 1024  # type: ignore[index]


class Timers:
    """Wall time spent in named functions, by wrapping them where the clock looks them up."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self._undo: list[Callable[[], None]] = []

    def wrap(self, owner: Any, name: str, label: str | None = None) -> None:
        original = getattr(owner, name)
        label = label or name

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start
                self.calls[label] += 1

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()

    def line(self, total: float) -> str:
        parts = [f"{label} {s:.2f} s ({100 * s / total:.0f} %, {self.calls[label]:,} calls)"
                 for label, s in sorted(self.seconds.items(), key=lambda kv: -kv[1])]
        return "; ".join(parts)

    def restore(self) -> None:
        while self._undo:
            self._undo.pop()()


@dataclass
class PlanRun:
    projects: int = 0  # planned because a change marked them
    candidates: int = 0  # looked at because time alone may have given them a follow-up
    planned: int = 0
    seconds: float = 0.0
    error: str = ""
    where: str = ""

    def line(self, base_ms: float) -> str:
        head = (f"{self.seconds:.2f} s ({1000 * self.seconds / base_ms:,.0f} x baseline); {self.projects:,} projects "
                f"marked for planning")
        if self.projects:
            head += f" ({1e6 * self.seconds / self.projects:,.0f} µs/project)"
        head += f", {self.candidates:,} time-based candidates; {self.planned:,} follow-ups new"
        if self.error:
            head += f"\n    FAILED: {self.error}"
        return head + (f"\n    where: {self.where}" if self.where else "")


class Planner:
    """Runs Clock.plan(everything=True), timing its parts (the outbox queries and plan_project, by wrapping
    them where the clock looks them up) and counting the projects it planned."""

    def __init__(self, outbox: Any, clock_module: Any) -> None:
        self.outbox, self.clock_module = outbox, clock_module

    def run(self, clock: Any, ws: Any, timers: Timers, now: dt.datetime) -> PlanRun:
        run = PlanRun()
        timers.reset()
        mark, candidates = self.outbox.mark_planned, self.outbox.time_based_candidates

        def mark_planned(session: Any, team_id: str, project_ids: Any) -> None:
            mark(session, team_id, project_ids)
            run.projects += len(project_ids)

        def time_based_candidates(*args: Any, **kwargs: Any) -> Any:
            found = candidates(*args, **kwargs)
            run.candidates += len(found)
            return found

        self.outbox.mark_planned, self.outbox.time_based_candidates = mark_planned, time_based_candidates
        for name in ("projects_to_plan", "time_based_candidates", "planning_rows", "insert_planned", "mark_planned",
                     "projects_by_ids"):
            timers.wrap(self.outbox, name, f"outbox.{name}")
        timers.wrap(self.clock_module, "plan_project")
        start = time.perf_counter()
        try:
            run.planned = clock.plan(ws, now, everything=True)
        except Exception as exc:
            detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:300]
            run.error = f"{type(exc).__name__}: {detail}"
        run.seconds = time.perf_counter() - start
        run.where = timers.line(run.seconds)
        timers.restore()
        self.outbox.mark_planned, self.outbox.time_based_candidates = mark, candidates
        return run


def _fake_main(conn: Any) -> None:
    """The fake Slack in its own process (so that its CPU and GIL are not the clock's), driven over a pipe."""
    from fakeslack import FakeSlack

    fake = FakeSlack(token=TOKEN, team_id=TEAM).start()
    conn.send(fake.url)
    while True:
        command, arg = conn.recv()
        if command == "limit":
            fake.limit_channels(arg)
            conn.send(None)
        elif command == "reset":
            fake.reset()
            conn.send(None)
        elif command == "posts":  # every chat.postMessage: (status, ok, channel, ts, block ids, monotonic time)
            conn.send([(c.status, bool(c.response.get("ok")), c.response.get("channel"), c.response.get("ts"),
                        [str(b.get("block_id", "")) for b in c.args.get("blocks") or [] if isinstance(b, dict)],
                        c.at) for c in fake.calls_to("chat.postMessage")])
        elif command == "count":
            conn.send(len(fake.calls_to(arg)))
        elif command == "cpu":  # CPU time (user + system) of the fake's process so far
            conn.send(cpu_seconds())
        else:
            fake.stop()
            conn.send(None)
            return


class RemoteFake:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_fake_main, args=(child,), daemon=True)
        self.process.start()
        self.url: str = self.conn.recv()

    def __call__(self, command: str, arg: Any = None) -> Any:
        self.conn.send((command, arg))
        return self.conn.recv()

    def stop(self) -> None:
        self("stop")
        self.process.join(timeout=10)


class Autoanalyze:
    """ANALYZE followups every `every` seconds in a thread of its own, standing in for autovacuum (off on the test
    server): without it PostgreSQL plans the queries of a table grown from 0 to millions of rows as if it were
    empty, which no production database with autovacuum on does for long."""

    def __init__(self, db: Engine, every: float = 60.0) -> None:
        self.db, self.every, self.runs = db, every, 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.done.wait(self.every):
            with self.db.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE followups"))
            self.runs += 1

    def stop(self) -> None:
        self.done.set()
        self.thread.join()
        with self.db.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE followups"))
        self.runs += 1


class Memory:
    """Peak RSS per phase: the kernel's high-water mark (VmHWM), reset before each phase (clear_refs 5)."""

    def __init__(self) -> None:
        self.peaks: dict[str, float] = {}

    @staticmethod
    def reset() -> None:
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            pass  # then each figure is the peak so far

    def record(self, phase: str) -> float:
        self.peaks[phase] = vm("VmHWM")
        return self.peaks[phase]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def scalar(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql), {"team": TEAM, **params}).scalar()


def month_catch_up(clock: Any, sessions: Any, fake: RemoteFake, n: int, channels: int) -> bool:
    """The clock's first pass in March: February's month-end reports (slot: Monday 2 March at the send hour) came
    due while no clock ran, so this pass plans and sends them (docs/product.md §10: a clock back after downtime
    still posts them that month), one for each løpende project running in February, and nothing else. Checked by
    rule, occasion, project and message; the passes after it must do nothing."""
    from sqlalchemy import func, select

    from storage.db import unit_of_work
    from storage.models import Followup

    expected = {row[0] for row in project_rows(n, channels) if row[6] == "lopende" and row[10] <= FEBRUARY_END
                and (row[11] is None or row[11] >= FEBRUARY)}
    with unit_of_work(sessions) as session:
        before = session.scalar(select(func.max(Followup.id)).where(Followup.team_id == TEAM)) or 0
    start = time.perf_counter()
    report = clock.run_pass(NOW)
    took = time.perf_counter() - start
    with unit_of_work(sessions) as session:
        rows = session.execute(select(Followup.rule, Followup.occasion, Followup.state, Followup.due_at,
                                      Followup.project_id, Followup.channel_id)
                               .where(Followup.team_id == TEAM, Followup.id > before)).all()
    by_rule = Counter((r.rule, r.occasion) for r in rows)
    posts = [c for c in fake("posts") if c[0] == 200 and c[1]]
    print(f"\nthe month's first pass (Clock.run_pass(now)): {took:.1f} s; {report.line()}\n  planned by rule: "
          + (", ".join(f"{rule} {occ}: {k}" for (rule, occ), k in sorted(by_rule.items())) or "nothing")
          + f"; {len(expected)} løpende projects ran in February; fake Slack: {len(posts)} messages")
    reports = [r for r in rows if r.rule == "report"]
    problems = [
        f"planned {dict(by_rule)}, not only February's reports" if set(by_rule) - {("report", "2026-02")} else "",
        f"reports for {len(reports)} projects, not the {len(expected)} løpende ones"
        if {r.project_id for r in reports} != expected or len(reports) != len(expected) else "",
        "a report not due at its slot" if any(r.due_at != REPORT_SLOT for r in reports) else "",
        f"{sum(r.state != 'sent' for r in reports)} reports not sent" if any(r.state != "sent" for r in reports)
        else "",
        f"{len(posts)} messages in Slack for {len(expected)} reports" if len(posts) != len(expected) else "",
        "messages not in the projects' channels" if sorted(c[2] for c in posts) != sorted(
            channel_of(pid, channels) for pid in expected) else "",
        f"the pass reported {report.line()}" if (report.planned, report.claimed, report.sent, report.steps) != (
            len(expected), len(expected), len(expected), 0) else ""]
    fake("reset")
    if any(problems):
        print("  WRONG: " + "; ".join(filter(None, problems)))
        return False
    return True


def run(args: argparse.Namespace, url: str, reused: bool) -> bool:
    from bot.clock import followup_posts
    from bot.clock import passes as clock_module
    from bot.clock.delivery import FollowOn, Job, deliver
    from bot.clock.passes import Clock
    from bot.services import Services
    from bot.settings import Settings
    from bot.slack.client import make_client
    from storage import outbox
    from storage.db import make_engine, make_session_factory, unit_of_work, upgrade
    from storage.models import Followup

    n, n_channels = args.projects, max(args.channels, args.projects // PROJECTS_PER_CHANNEL)
    upgrade(url)
    db = make_engine(url)
    dialect = db.dialect.name
    print(f"Prosjektbot clock benchmark: {dialect}, {n:,} projects, {TASKS_PER_PROJECT * n:,} tasks, "
          f"{LOGS_PER_PROJECT * n:,} logs over {n_channels:,} channels; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; now = {NOW.astimezone().isoformat()} ({TODAY:%A})")
    ok = True
    if reused:
        found = scalar(db, "select count(*) from projects where team_id = :team")
        if found != n:
            raise SystemExit(f"--reuse: the database holds {found} projects, not {n} (pass the same --projects)")
        with db.begin() as conn:
            conn.execute(text("delete from followups"))
            conn.execute(text("update projects set replan = :t"), {"t": True})
        print("data: reused (follow-ups deleted, every project marked for planning)")
    else:
        print("data load (bulk inserts in a child process, indexes in place):")
        start = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(target=build, args=(url, n, n_channels))
        child.start()
        child.join()
        if child.exitcode:
            raise SystemExit(f"the data load failed (exit {child.exitcode})")
        print(f"  total {time.perf_counter() - start:.1f} s")
    if args.load_only:
        db.dispose()
        return True

    fake, memory = RemoteFake(), Memory()
    settings = Settings(database_url=url, slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=fake.url)
    sessions = make_session_factory(db)
    client = make_client(settings, rate_limit_retries=False)
    svc = Services(settings=settings, sessions=sessions, client=client, executor=None,  # type: ignore[arg-type]
                   now=lambda: NOW)
    clock = Clock(svc, client, per_channel=1.0 / args.rate, plan_budget=None)  # plan #1 measures it all
    rss_start = vm("VmRSS")
    memory.reset()

    # baseline: one round trip
    samples = []
    for _ in range(50):
        start = time.perf_counter()
        with unit_of_work(sessions) as session:
            session.execute(text("select 1"))
        samples.append(time.perf_counter() - start)
    base_ms = 1000 * statistics.median(samples)
    print(f"\nbaseline: unit of work with `select 1`: median {base_ms:.2f} ms over 50")

    # 1. full planning: first (every project new), again (the daily pass: nothing new), and the next morning
    timers, planner = Timers(), Planner(outbox, clock_module)
    analyzer = Autoanalyze(db) if dialect == "postgresql" else None
    ws = clock._workspaces()[0]
    results: list[tuple[str, bool]] = []
    for attempt, (label, moment) in enumerate([
            ("first (every project marked: inserting)", NOW), ("again (the daily pass: nothing new)", NOW),
            ("the next morning (the daily pass a day later)", NOW + dt.timedelta(days=1))], start=1):
        print(f"\nfull planning pass, {label}:", flush=True)
        memory.reset()
        real = planner.run(clock, ws, timers, moment)
        print("  " + real.line(base_ms) + f"\n    peak RSS {memory.record(f'plan #{attempt}'):.0f} MB", flush=True)
        total = scalar(db, "select count(*) from followups where team_id = :team")
        print(f"  follow-ups in the table: {total:,}")
        if attempt == 1 and analyzer is not None:
            analyzer.stop()
            print(f"  ANALYZE followups while planning, every {analyzer.every:.0f} s as autovacuum would (it is "
                  f"off on this server): {analyzer.runs} times")
        if real.error:
            print("  WRONG: planning failed, so these projects would get no follow-ups")
            ok = False
        if attempt == 2:
            if real.planned:
                print(f"  WRONG: planning the same state again planned {real.planned} new follow-ups")
                ok = False
            figure = "failed" if real.error else f"{real.seconds:.2f} s"
            results.append((f"full planning pass (again) < {TARGET_PLAN_S:.0f} s: {figure}",
                            not real.error and real.seconds < TARGET_PLAN_S))

    # 2. the month's first pass, then passes with nothing due
    ok = month_catch_up(clock, sessions, fake, n, n_channels) and ok
    due = scalar(db, "select count(*) from followups where team_id = :team and due_at <= :now and state = 'planned'",
                 now=NOW if dialect == "postgresql" else NOW.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f"))
    replan = scalar(db, "select count(*) from projects where team_id = :team and replan = :t", t=True)
    print(f"\nidle pass (Clock.run_pass(now); {due} due, {replan} marked for planning):")
    memory.reset()
    for stats in ("as the planning passes left them", "after ANALYZE") if dialect == "postgresql" else ("",):
        if stats == "after ANALYZE":
            start = time.perf_counter()
            with db.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE projects"))
                conn.execute(text("ANALYZE followups"))
            print(f"  ANALYZE projects, followups (as autovacuum would after this many changes): "
                  f"{time.perf_counter() - start:.1f} s")
        times, reports = [], []
        for _ in range(21):
            start = time.perf_counter()
            reports.append(clock.run_pass(NOW))
            times.append(time.perf_counter() - start)
        first, times = times[0], times[1:]  # the first one also warms statement caches (checked all the same)
        median_ms, worst_ms = 1000 * statistics.median(times), 1000 * max(times)
        label = f" (statistics {stats})" if stats else ""
        print(f"  {label[2:-1] + ': ' if stats else ''}median {median_ms:.1f} ms, max {worst_ms:.1f} ms over 20 "
              f"({median_ms / base_ms:.1f} x baseline); first {1000 * first:.1f} ms")
        busy = [r for r in reports if r.planned or r.claimed or r.steps]
        if busy:
            print(f"  WRONG: {len(busy)} idle passes did something: {busy[0].line()}")
            ok = False
        results.append((f"idle pass{label} < {TARGET_IDLE_MS:.0f} ms: median {median_ms:.1f} ms",
                        median_ms < TARGET_IDLE_MS))
    print(f"  peak RSS {memory.record('idle'):.0f} MB")

    # 3. delivery
    per, chans = args.per_channel, args.channels
    count = per * chans
    minimum = per / args.rate
    targets = [(c + 1 + k * n_channels, channel_of(c + 1, n_channels)) for c in range(chans) for k in range(per)]
    if targets[-1][0] > n:
        raise SystemExit(f"{per} follow-ups in {chans} channels need more projects")
    occasion = f"after:{NOW - dt.timedelta(days=8):%Y-%m-%dT%H:%M}"
    due_at = NOW - dt.timedelta(minutes=1)
    with unit_of_work(sessions, write=True) as session:
        session.add_all([Followup(team_id=TEAM, project_id=pid, rule="behind", subject=f"project:{pid}",
                                  occasion=occasion, due_at=due_at, state="planned", attempts=0, created_at=NOW)
                         for pid, _ in targets])
    with unit_of_work(sessions) as session:
        ids = {fid: pid for fid, pid in session.execute(
            text("select id, project_id from followups where team_id = :team and occasion = :o"),
            {"team": TEAM, "o": occasion})}
    print(f"\ndelivery: {count:,} follow-ups due, {per} in each of {chans} channels; fake Slack allows "
          f"{args.rate:g} message/s per channel (429 + Retry-After); theoretical minimum {minimum:.1f} s")

    fake("limit", args.rate)

    def bare_job(channel: str) -> Job:
        def then(response: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
            return [("reactions.add", {"channel": response["channel"], "timestamp": response["ts"], "name": name})
                    for name in followup_posts.PRE_ADDED_REACTIONS]
        return Job(channel=channel, prepare=lambda: {"text": "bare", "unfurl_links": False}, on_sent=lambda r: None,
                   on_failed=lambda e: None, on_gave_up=lambda e: None, then=then)

    start, cpu, fake_cpu, overflows = time.perf_counter(), cpu_seconds(), fake("cpu"), listen_overflows()
    reactions = FollowOn(client)  # as the clock makes them: from a queue of their own, not waited for
    bare = deliver(client, [bare_job(ch) for _, ch in targets], per_channel=1.0 / args.rate, threads=clock.threads,
                   follow_on=reactions)
    bare_s, bare_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    reactions.drain(timeout=300)
    bare_all = time.perf_counter() - start
    bare_fake_cpu = fake("cpu") - fake_cpu
    print(f"  bare (same Slack calls, no database): {bare_s:.2f} s = {bare_s / minimum:.2f} x minimum; sent "
          f"{bare.sent}, 429s {bare.rate_limited}; shortest gap between two messages in a channel "
          f"{_gaps([c for c in fake('posts') if c[1]]):.2f} s; CPU {1000 * bare_cpu / count:.1f} ms per message; "
          f"the reactions all added after {bare_all:.2f} s; the fake's CPU {1000 * bare_fake_cpu / count:.1f} ms per "
          f"message (its 4 calls); listen queue overflows {listen_overflows() - overflows}")
    fake("reset")
    time.sleep(1.0 / args.rate)

    memory.reset()
    start, cpu, fake_cpu, overflows = time.perf_counter(), cpu_seconds(), fake("cpu"), listen_overflows()
    report = clock.run_pass(NOW)
    took, used = time.perf_counter() - start, cpu_seconds() - cpu
    clock.follow_on.drain(timeout=300)
    took_all = time.perf_counter() - start
    used_all, fake_used, overflows = cpu_seconds() - cpu, fake("cpu") - fake_cpu, listen_overflows() - overflows
    memory.record("delivery")
    calls = fake("posts")
    posts = [c for c in calls if c[0] == 200 and c[1]]
    limited = [c for c in calls if c[0] == 429]
    posted = Counter(int(b.split(":")[1]) for c in posts for b in c[4] if b.startswith("followup:"))
    with unit_of_work(sessions) as session:
        rows = session.execute(text("select id, state, channel_id, message_ts from followups where id in "
                                    f"({', '.join(map(str, ids))})")).all()
    recorded = {(r.channel_id, r.message_ts) for r in rows if r.state == "sent"}
    in_fake = {(c[2], c[3]) for c in posts}
    twice = {fid: k for fid, k in posted.items() if k > 1}
    lost = [fid for fid in ids if posted.get(fid, 0) == 0]
    wrong = [r.id for r in rows if r.state != "sent" or (r.channel_id, r.message_ts) not in in_fake]
    print(f"  clock: {took:.2f} s = {took / minimum:.2f} x minimum ({took / bare_s:.2f} x bare); {report.line()}; "
          f"CPU {1000 * used / count:.1f} ms per follow-up ({100 * used / took:.0f} % of one core), "
          f"{1000 * used_all / count:.1f} ms with the reactions; the reactions all added after {took_all:.2f} s; "
          f"the fake's CPU {1000 * fake_used / count:.1f} ms per follow-up; listen queue overflows {overflows}; "
          f"peak RSS {memory.peaks['delivery']:.0f} MB")
    print(f"  fake Slack: {len(posts)} messages posted, {len(limited)} answered 429, {fake('count', 'reactions.add')} "
          f"reactions.add; shortest gap between two messages in a channel {_gaps(posts):.2f} s")
    print(f"  posted exactly once: {sum(1 for k in posted.values() if k == 1)} of {count}; twice or more: "
          f"{len(twice)}; never: {len(lost)}; recorded as sent with a ts Slack gave: {len(recorded & in_fake)}; "
          f"wrong state or ts: {len(wrong)}")
    if twice or lost or wrong or len(posts) != count:
        problems = [f"posted more than once: {sorted(twice)[:10]}" if twice else "",
                    f"never posted: {sorted(lost)[:10]}" if lost else "",
                    f"not recorded as sent: {sorted(wrong)[:10]}" if wrong else "",
                    f"{len(posts)} messages for {count} follow-ups" if len(posts) != count else ""]
        print("  WRONG: " + "; ".join(filter(None, problems)))
        ok = False
    results.append((f"delivery < {TARGET_RATIO} x minimum: {took / minimum:.2f} x", took / minimum < TARGET_RATIO))

    # 4. replanning what delivery marked
    replan = scalar(db, "select count(*) from projects where team_id = :team and replan = :t", t=True)
    memory.reset()
    start = time.perf_counter()
    try:
        planned, failure = clock.plan(ws, NOW, everything=False), ""
    except Exception as exc:
        planned, failure = 0, f"{type(exc).__name__}: {str(getattr(exc, 'orig', None) or exc).splitlines()[0][:300]}"
    took = time.perf_counter() - start
    print(f"\nreplanning the {replan} projects delivery marked (the clock as it is): {1000 * took:.0f} ms, "
          f"{planned} follow-ups planned; peak RSS {memory.record('replan'):.0f} MB")
    if failure:
        print(f"  FAILED: {failure}\n  WRONG: Clock.run_pass plans before it delivers, so every pass would fail "
              "here and deliver nothing")
        ok = False

    # 5. memory
    phase, peak = max(memory.peaks.items(), key=lambda kv: kv[1])
    print(f"\nmemory of the clock (this process; the fake Slack runs in its own): RSS {rss_start:.0f} MB after "
          f"start-up; peak per phase: " + ", ".join(f"{k} {v:.0f} MB" for k, v in memory.peaks.items())
          + f"; now {vm('VmRSS'):.0f} MB (memory a phase leaves allocated counts in the later phases' peaks)")
    results.append((f"clock RSS < {TARGET_RSS_MB:.0f} MB: peak {peak:.0f} MB ({phase})", peak < TARGET_RSS_MB))

    print("\ntargets:")
    for line, passed in results:
        print(f"  {verdict(passed)}  {line}")
    fake.stop()
    db.dispose()
    return ok


def _gaps(posts: list[Any]) -> float:
    """The shortest time between two accepted messages in one channel, as the fake saw them."""
    by_channel: dict[str, list[float]] = defaultdict(list)
    for _status, _ok, channel, _ts, _blocks, at in posts:
        by_channel[channel].append(at)
    gaps = [b - a for times in by_channel.values() for a, b in zip(sorted(times), sorted(times)[1:], strict=False)]
    return min(gaps, default=float("nan"))


def main() -> int:
    parser = argparse.ArgumentParser(description="Prosjektbot clock benchmark (see the module docstring)")
    parser.add_argument("--database-url", help="postgresql://…/NAME (created and dropped) or sqlite:///PATH; "
                                               "default: SQLite in a temp dir")
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--channels", type=int, default=200, help="channels with follow-ups to deliver")
    parser.add_argument("--per-channel", type=int, default=5, help="follow-ups to deliver per channel")
    parser.add_argument("--rate", type=float, default=1.0, help="messages per second per channel")
    parser.add_argument("--smoke", action="store_true", help="500 projects, 100 follow-ups over 20 channels")
    parser.add_argument("--keep", action="store_true", help="keep the database (for --reuse)")
    parser.add_argument("--reuse", action="store_true", help="use the database of an earlier --keep run")
    parser.add_argument("--load-only", action="store_true",
                        help="load the data into a database to keep, and stop (then measure with --reuse)")
    args = parser.parse_args()
    args.keep = args.keep or args.load_only
    if args.smoke:
        args.projects, args.channels = 500, 20
    with tempfile.TemporaryDirectory(prefix="prosjektbot-clock-") as tmp:
        url = normalise(args.database_url or f"sqlite:///{tmp}/clock.db")
        reused = create_database(url, args.reuse)
        try:
            ok = run(args, url, reused)
        finally:
            if not args.keep:
                drop_database(url)
    print(f"\nresult: {'ok' if ok else 'WRONG RESULTS'} (exit {int(not ok)})")
    return int(not ok)


if __name__ == "__main__":
    sys.exit(main())
