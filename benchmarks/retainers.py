"""Retainer roll-over benchmark: what a batch of roll-over projects costs the clock's planning, on SQLite or PostgreSQL.

A script that prints figures (not a test). Run from the repo root:

    /work/main/.venv/bin/python -m benchmarks.retainers                 # SQLite file in a temp dir; 2,000 projects
    /work/main/.venv/bin/python -m benchmarks.retainers --smoke         # 200 projects (CI)
    /work/main/.venv/bin/python -m benchmarks.retainers --database-url sqlite:////tmp/r.db [--reuse]  # keep the file
    /work/main/.venv/bin/python -m benchmarks.retainers --database-url postgresql://postgres@127.0.0.1:5432/rbench
    (PostgreSQL: the database is created by the script (benchmarks.common) and dropped at the end; a SQLite file
    you name is kept.)

The data: one workspace, N løpende projects with 20 h a month and roll-over on, started 24 months ago, each with a
log_days row on every working day since (~500 rows a project). "Today" is 2026-12-15.

Measured (median of 5, in one unit of work each):

    baseline   storage.outbox.planning_rows for a batch of 1,000 of them (what planning reads anyway)
    months     storage.retainers.carried for the same batch: two statements (the minutes of each month before this
               one, summed from log_days; the changes to the projects' terms, from the history), then
               bot.domain.retainer.carried_by_month per project, each month with its own terms; its SQL statements
               counted (2 whatever the batch size); ratio to the baseline
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable

from sqlalchemy import insert, select

from benchmarks.common import Statements, create_database, drop_database, normalise
from bot.domain.workdays import is_working_day
from storage import outbox, retainers
from storage.db import make_engine, make_session_factory, upgrade
from storage.models import LogDay, Project, Workspace

TEAM = "TBENCH"
TODAY = dt.date(2026, 12, 15)


def load(url: str, n: int) -> None:
    engine = make_engine(url)
    start = dt.date(2024, 12, 1)
    every = [start + dt.timedelta(days=i) for i in range((TODAY - start).days)]
    days = [day for day in every if is_working_day(day)]
    now = dt.datetime(2024, 12, 1, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(insert(Workspace), [{"team_id": TEAM, "timezone": "Europe/Oslo", "language": "nb"}])
        conn.execute(insert(Project), [
            {"team_id": TEAM, "number": i + 1, "name": f"Retainer {i}", "name_key": f"retainer {i}",
             "customer": "Tine", "kind": "lopende", "state": "active", "channel_id": f"C{i % 100:08d}",
             "pm_user_id": "UPM000001", "created_by": "UPM000001", "start": start, "frame_minutes": 20 * 60,
             "created_at": now, "rollover": True} for i in range(n)])
        ids = list(conn.scalars(select(Project.id).where(Project.team_id == TEAM)))
        rows = [{"team_id": TEAM, "project_id": pid, "logged_on": day, "minutes": 30 + (pid + k) % 90}
                for pid in ids for k, day in enumerate(days)]
        for chunk in range(0, len(rows), 50_000):
            conn.execute(insert(LogDay), rows[chunk:chunk + 50_000])
    engine.dispose()


def median_of(fn: Callable[[], object], times: int = 5) -> tuple[float, float]:
    """Median wall time and CPU time of this process (the CPU stands when other work shares the machine; SQLite
    runs in this process, PostgreSQL does not)."""
    taken, cpu = [], []
    for _ in range(times):
        began, began_cpu = time.perf_counter(), time.process_time()
        fn()
        taken.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return statistics.median(taken), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--database-url")
    parser.add_argument("--reuse", action="store_true", help="the database was loaded by an earlier run")
    parser.add_argument("--smoke", action="store_true", help="--projects 200: seconds")
    args = parser.parse_args()
    if args.smoke:
        args.projects = 200
    with tempfile.TemporaryDirectory(prefix="prosjektbot-retainers-") as tmp:
        url = normalise(args.database_url or f"sqlite:///{tmp}/retainers.db")
        create_database(url, args.reuse)
        try:
            measure(url, args)
        finally:
            if args.database_url is None or not url.startswith("sqlite"):  # a file of your own is kept
                drop_database(url)


def measure(url: str, args: argparse.Namespace) -> None:
    began = time.perf_counter()
    if not args.reuse:
        upgrade(url)
        load(url, args.projects)
    if not args.reuse:
        print(f"loaded {args.projects} projects with ~{args.projects * 500:,} log_days rows "
              f"in {time.perf_counter() - began:.1f} s")
    engine = make_engine(url)
    statements = Statements(engine)
    sessions = make_session_factory(engine)
    with sessions() as session:
        batch = list(session.scalars(select(Project).where(Project.team_id == TEAM).order_by(Project.id)
                                     .limit(1000)))
        base = median_of(lambda: outbox.planning_rows(session, TEAM, batch, TODAY.replace(day=1)))
        statements.count = 0
        found = retainers.carried(session, TEAM, batch, TODAY)
        counted = statements.count
        months = median_of(lambda: retainers.carried(session, TEAM, batch, TODAY))
    print(f"baseline  planning_rows, 1,000 projects: {base[0] * 1000:.1f} ms (CPU {base[1] * 1000:.1f} ms)")
    print(f"months    carried, 1,000 projects: {months[0] * 1000:.1f} ms (CPU {months[1] * 1000:.1f} ms; "
          f"{months[0] / base[0]:.2f} x the baseline), {counted} SQL statement(s); carried into December: "
          f"{sorted(set(found.values()))[:5]} minutes")
    engine.dispose()


if __name__ == "__main__":
    main()
