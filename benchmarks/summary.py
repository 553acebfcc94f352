"""Weekly summary benchmark: every channel's summary and the portfolio at scale, on SQLite or PostgreSQL.

A script that prints figures (not a test). Run from the repo root:

    /work/venv/bin/python -m benchmarks.summary            # SQLite file in a temp dir; 10,000 projects
    /work/venv/bin/python -m benchmarks.summary --smoke    # 500 projects in 50 channels (CI)
    /work/venv/bin/python -m benchmarks.summary --database-url postgresql://postgres@127.0.0.1:5432/summarybench
    options: --projects N (10000; N/10 channels, 50 logs, 8 tasks and 2 goals a project), --keep, --reuse
             (as in benchmarks.clock: the PostgreSQL database is created and dropped by the script)

The data, bulk-inserted (executemany on SQLite, COPY on PostgreSQL): one workspace, N active projects, 10 in
each channel (1 in 5 løpende), 50 progress logs each over the last 70 days by 40 people (every 5th reports a
percentage; since 2026-12-03 every other one is logged against one of the project's tasks, `logg … oppgave:`),
8 tasks (2 done, 5 open with deadlines from 2 weeks ago to 5 weeks ahead, 1 undated; since 2026-12-03 each with
an estimate as a routine's steps have, 15 h, the 4th 2 h: about 2 a project have used more, and are listed), 2 goals,
and 1 history entry for a third of the projects in the reported week. "Today" is Monday 2026-11-30, the day of
the weekly post: the summaries report week 48.

Measured, in this process, with the real functions the clock will call:

    baseline    a unit of work running `select 1` (median of 50): one database round trip
    channels    for each channel, in its own unit of work: bot.usecases.summary.channel_summary +
                bot.slack.render.summary.channel_summary_messages: total wall time (target < 10 s), per channel
                median and max, and the
                SQL statements per channel (min = max: constant), counted with a before_cursor_execute listener
    batched     the same channels through bot.usecases.summary.channel_summaries, 100 channels a unit of work
    portfolio   bot.usecases.summary.portfolio (all N projects) + portfolio_messages, and chart_png (top 25)
    checks      every message of every summary passes fakeslack.validation.check_message (what Slack accepts);
                a rejected one makes the script exit 1. Targets print PASS/MISS and never change the exit code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from benchmarks.common import (  # noqa: E402
    Statements,
    bulk_engine,
    bulk_insert,
    create_database,
    drop_database,
    normalise,
)

TEAM, TZ = "TSUMMARYBENCH", "Europe/Oslo"
UTC = dt.UTC
TODAY = dt.date(2026, 11, 30)  # Monday: the weekly post reports week 48
PER_CHANNEL, LOGS, TASKS, GOALS = 10, 50, 8, 2
TARGET_S = 10.0


# --- the data -----------------------------------------------------------------------------------------------------
def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


def channel_of(project: int) -> str:
    return f"CSUM{(project - 1) // PER_CHANNEL:06d}"


def project_rows(n: int) -> Iterator[tuple[Any, ...]]:
    for i in range(1, n + 1):
        lopende = i % 5 == 0
        start = TODAY - dt.timedelta(days=70 + i % 200)
        deadline = None if lopende else TODAY + dt.timedelta(days=-3 + (i * 7919) % 120)
        frame = None if i % 10 == 3 else 60 * ((20 + i % 40) if lopende else (60 + (i * 31) % 300))
        pm = f"UPM{i % 97:06d}"
        yield (i, TEAM, i, f"Prosjekt {i} for kunden", f"prosjekt {i}", f"Kunde {i % 500} AS",
               "lopende" if lopende else "avgrenset", "active", channel_of(i), pm, start, deadline, frame, None, None,
               None, False, pm, _at(start, 7))


def log_rows(n: int) -> Iterator[tuple[Any, ...]]:
    for p in range(1, n + 1):
        for k in range(LOGS):
            lid = (p - 1) * LOGS + k + 1
            day = TODAY - dt.timedelta(days=(lid * 2654435761) % 70)
            percent = min(100, 2 * (k + 1)) if k % 5 == 4 else None
            task = (p - 1) * TASKS + k % TASKS + 1 if k % 2 else None
            yield (lid, TEAM, p, f"UMB{(p + k) % 40:06d}", 15 * (1 + (lid * 13) % 16), "Arbeid", percent, task, day,
                   _at(day, 15))


def task_rows(n: int) -> Iterator[tuple[Any, ...]]:
    for p in range(1, n + 1):
        for j in range(TASKS):
            tid = (p - 1) * TASKS + j + 1
            deadline = None if j == 7 else TODAY + dt.timedelta(days=-14 + (tid * 7907) % 50)
            done_at = _at(TODAY - dt.timedelta(days=3 + j), 12) if j < 2 else None
            owner, estimate = f"UMB{tid % 40:06d}", 120 if j == 3 else 900
            yield (tid, TEAM, p, f"Oppgave {j + 1} i prosjekt {p}", owner, deadline, done_at,
                   owner if done_at else None, owner, _at(TODAY - dt.timedelta(days=60), 8), estimate)


def goal_rows(n: int) -> Iterator[tuple[Any, ...]]:
    for p in range(1, n + 1):
        for g in range(GOALS):
            gid = (p - 1) * GOALS + g + 1
            title = f"Mål {g + 1} for prosjekt {p}"
            yield (gid, TEAM, p, title, title.casefold(), 1000.0 * (g + 1), 37.5 * (p % 40), _at(TODAY, 6),
                   _at(TODAY, 6))


def history_rows(n: int) -> Iterator[tuple[Any, ...]]:
    for p in range(1, n + 1, 3):
        yield (p, TEAM, p, f"UPM{p % 97:06d}", _at(TODAY - dt.timedelta(days=4), 10), "frame_changed",
               "deadline", None, None)


TABLES: dict[str, tuple[tuple[str, ...], Callable[[int], Iterator[tuple[Any, ...]]]]] = {
    "projects": (("id", "team_id", "number", "name", "name_key", "customer", "kind", "state", "channel_id",
                  "pm_user_id", "start", "deadline", "frame_minutes", "budget_nok", "card_channel_id", "card_ts",
                  "replan", "created_by", "created_at"), project_rows),
    "tasks": (("id", "team_id", "project_id", "title", "owner_user_id", "deadline", "done_at", "done_by",
               "created_by", "created_at", "estimate_minutes"), task_rows),
    # after the tasks: a log's task_id refers to one (PostgreSQL checks it during COPY)
    "progress_logs": (("id", "team_id", "project_id", "user_id", "minutes", "description", "percent", "task_id",
                       "logged_on", "created_at"), log_rows),
    "goals": (("id", "team_id", "project_id", "title", "title_key", "target_value", "current_value", "created_at",
               "updated_at"), goal_rows),
    "history": (("id", "team_id", "project_id", "user_id", "at", "action", "field", "old_value", "new_value"),
                history_rows),
}


def build(url: str, n: int) -> None:
    """Bulk-load the data; one line per table."""
    engine, sqlite = bulk_engine(url)
    with engine.begin() as conn:
        conn.execute(text("insert into workspaces (team_id, language, timezone, last_project_number, created_at) "
                          "values (:t, 'nb', :tz, :n, :c)"), {"t": TEAM, "tz": TZ, "n": n, "c": _at(TODAY, 0)})
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        for table, (columns, rows) in TABLES.items():
            start = time.perf_counter()
            count = bulk_insert(driver, sqlite, table, columns, rows(n))
            took = time.perf_counter() - start
            print(f"  {table:<14} {count:>10,} rows in {took:6.1f} s", flush=True)
        if sqlite:
            driver.execute("ANALYZE")
        else:  # what autovacuum would do after a bulk load, done now so that plans do not depend on timing
            driver.autocommit = True
            driver.execute("VACUUM ANALYZE")
    finally:
        raw.close()
        engine.dispose()


# --- measuring ----------------------------------------------------------------------------------------------------
def peak_rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+)", status, re.MULTILINE)[1]) / 1024  # type: ignore[index]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def run(url: str, n: int) -> bool:
    from bot.slack.render.summary import channel_summary_messages, chart_png, portfolio_messages
    from bot.usecases import summary
    from fakeslack.validation import check_message
    from storage.db import make_engine, make_session_factory, unit_of_work

    engine = make_engine(url)
    sessions = make_session_factory(engine)
    statements = Statements(engine, begin=False)

    def one_trip() -> float:
        start = time.perf_counter()
        with unit_of_work(sessions) as session:
            session.execute(text("select 1"))
        return time.perf_counter() - start

    for _ in range(5):
        one_trip()
    baseline = statistics.median(one_trip() for _ in range(50))
    print(f"baseline      select 1 in a unit of work: {baseline * 1000:.2f} ms")

    channels = sorted({channel_of(i) for i in range(1, n + 1)})
    per_channel, counts, rendered, over = [], [], [], 0
    start = time.perf_counter()
    for channel in channels:
        began, before = time.perf_counter(), statements.count
        with unit_of_work(sessions) as session:
            found = summary.channel_summary(session, TEAM, channel, TODAY, TZ)
        counts.append(statements.count - before)
        over += sum(len(p.over_estimate) for p in found.projects)
        rendered.append(channel_summary_messages(found, "nb"))
        per_channel.append(time.perf_counter() - began)
    total = time.perf_counter() - start
    messages = [m for ms in rendered for m in ms]
    print(f"channels      {len(channels):,} summaries ({n:,} projects) in {total:.2f} s "
          f"({total / baseline:,.0f} x baseline) — target < {TARGET_S:.0f} s: {verdict(total < TARGET_S)}")
    print(f"              per channel: median {statistics.median(per_channel) * 1000:.1f} ms, "
          f"max {max(per_channel) * 1000:.1f} ms; SQL statements per channel: min {min(counts)}, max {max(counts)} "
          f"({'constant' if min(counts) == max(counts) else 'NOT constant'})")
    print(f"              {len(messages):,} messages, {max(len(ms) for ms in rendered)} at most per channel, "
          f"{max(len(m['blocks']) for m in messages)} blocks at most per message; {over:,} steps over their "
          "estimate listed")

    start, before = time.perf_counter(), statements.count
    batches = 0
    for i in range(0, len(channels), 100):
        with unit_of_work(sessions) as session:
            found_all = summary.channel_summaries(session, TEAM, channels[i:i + 100], TODAY, TZ)
        for found in found_all.values():
            channel_summary_messages(found, "nb")
        batches += 1
    batched = time.perf_counter() - start
    print(f"batched       the same, 100 channels a unit of work: {batched:.2f} s "
          f"({(statements.count - before) / batches:.0f} statements a batch; {batched / total:.2f} x one by one)")

    start = time.perf_counter()
    with unit_of_work(sessions) as session:
        whole = summary.portfolio(session, TEAM, TODAY, TZ)
    loaded = time.perf_counter() - start
    shown = portfolio_messages(whole, "nb")
    drawn = time.perf_counter() - start - loaded
    start = time.perf_counter()
    png = chart_png(whole, "nb")
    charted = time.perf_counter() - start
    print(f"portfolio     {whole.totals.projects:,} projects: data {loaded:.2f} s, render {drawn:.2f} s "
          f"({len(shown)} messages); chart {charted:.2f} s ({len(png) / 1024:.0f} KiB PNG, first call includes "
          f"loading matplotlib)")

    rejected = [problem for m in [*messages, *shown] if (problem := check_message(m)) is not None]
    print(f"checks        {len(messages) + len(shown):,} messages: {len(rejected)} Slack would reject")
    print(f"memory        peak RSS {peak_rss_mb():.0f} MB")
    engine.dispose()
    return not rejected and min(counts) == max(counts)


def main() -> int:
    parser = argparse.ArgumentParser(description="Prosjektbot weekly summary benchmark (see the module docstring)")
    parser.add_argument("--database-url", help="postgresql://…/NAME (created and dropped) or sqlite:///PATH; "
                                               "default: SQLite in a temp dir")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--smoke", action="store_true", help="500 projects in 50 channels")
    parser.add_argument("--keep", action="store_true", help="keep the database (for --reuse)")
    parser.add_argument("--reuse", action="store_true", help="use the database of an earlier --keep run")
    args = parser.parse_args()
    if args.smoke:
        args.projects = 500
    with tempfile.TemporaryDirectory(prefix="prosjektbot-summary-") as tmp:
        url = normalise(args.database_url or f"sqlite:///{tmp}/summary.db")
        reused = create_database(url, args.reuse)
        try:
            from storage.db import upgrade

            if not reused:
                upgrade(url)
                print(f"data ({args.projects:,} projects, {args.projects // PER_CHANNEL:,} channels, "
                      f"{args.projects * LOGS:,} logs) on {url.split(':', 1)[0]}:")
                build(url, args.projects)
            ok = run(url, args.projects)
        finally:
            if not args.keep:
                drop_database(url)
    print(f"\nresult: {'ok' if ok else 'WRONG RESULTS'} (exit {int(not ok)}); pid {os.getpid()}")
    return int(not ok)


if __name__ == "__main__":
    sys.exit(main())
