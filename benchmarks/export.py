"""What the hours export costs: a month of N logs (default 50,000) written as CSV and Excel, against a plain SELECT
of the same rows in the same run.

A script that prints figures, not a test. It fills a fresh database directly (20 projects of 5 customers, 30
people, tasks on a third of the logs, half the projects' November approved), then times, one after the other:

baseline   `SELECT` of the same logs (the same columns of progress_logs, no joins) with every row fetched into a list
           (`.all()`): what reading the rows costs at the least, and what holding them costs in memory
stream     the export's one statement (storage.export.stream: joined with projects, tasks, approvals) iterated to
           the end without writing: the query and the streaming
export     bot.usecases.export.write_export, the path `/prosjekt eksport` and `prosjektbot export` take: the rows
           streamed and written as CSV and Excel in one pass (then CSV alone, Excel alone)

Time is wall time without tracing (median of --repeat runs), with this process's CPU time beside it (on a shared
machine the wall time also counts waiting for a core; the database server's CPU is not in it). Peak memory is
measured in a second, traced run (tracemalloc: Python's own allocations, which tracing slows several times), for N
logs and for N/5 logs: a bounded export's peak does not grow with the rows, the baseline's does.

    /work/venv/bin/python -m benchmarks.export [--database-url postgresql://…] [--logs 50000] [--repeat 3]
    /work/venv/bin/python -m benchmarks.export --smoke          # a CI smoke run of seconds

PostgreSQL: schema `public` is DROPPED and recreated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select, text  # noqa: E402

from benchmarks.common import add_database_argument, fresh_database  # noqa: E402
from bot.domain.export import ExportFilter  # noqa: E402
from bot.domain.periods import month_of  # noqa: E402
from bot.usecases.export import write_export  # noqa: E402
from storage import export as export_db  # noqa: E402
from storage.db import make_session_factory, unit_of_work  # noqa: E402
from storage.models import MonthApproval, ProgressLog, Project, Task, Workspace  # noqa: E402

TEAM = "TBENCHEXP"
NOVEMBER = dt.date(2026, 11, 1)
PEOPLE = [f"UPERSON{i:03d}" for i in range(30)]
WORDS = "Skrev annonsetekster, justerte budsjett; møte med kunden om «neste steg» og rapport".split()


def fill(engine: Any, logs: int, *, team: str = TEAM) -> None:
    """The workspace, 20 projects with 5 tasks each, `logs` logs spread over November, half the approvals."""
    at = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(insert(Workspace), {"team_id": team, "language": "nb", "timezone": "Europe/Oslo",
                                         "last_project_number": 20, "created_at": at})
        conn.execute(insert(Project), [{
            "team_id": team, "number": i, "name": f"Prosjekt {i}", "name_key": f"prosjekt {i}",
            "customer": f"Kunde {i % 5}", "kind": "lopende", "state": "active", "channel_id": "CBENCH",
            "pm_user_id": PEOPLE[i % 5], "start": dt.date(2026, 1, 1), "replan": False, "created_by": PEOPLE[0],
            "created_at": at, "rate_nok": 1000 + 50 * i} for i in range(1, 21)])
        projects = dict(conn.execute(select(Project.number, Project.id).where(Project.team_id == team)).all())
        conn.execute(insert(Task), [{"team_id": team, "project_id": projects[p], "title": f"Oppgave {p}.{k}",
                                     "created_by": PEOPLE[0], "created_at": at}
                                    for p in range(1, 21) for k in range(5)])
        tasks = [i for (i,) in conn.execute(select(Task.id).where(Task.team_id == team).order_by(Task.id))]
        conn.execute(insert(MonthApproval), [{"team_id": team, "project_id": projects[p], "month": NOVEMBER,
                                              "approved_by": PEOPLE[0], "approved_at": at} for p in range(1, 21, 2)])
        batch: list[dict[str, Any]] = []
        for i in range(logs):
            p = 1 + i % 20
            batch.append({
                "team_id": team, "project_id": projects[p], "user_id": PEOPLE[i % 30], "minutes": 15 * (1 + i % 16),
                "description": " ".join(WORDS[: 3 + i % 9]), "task_id": tasks[(p - 1) * 5 + i % 5] if i % 3 == 0
                else None, "logged_on": NOVEMBER + dt.timedelta(days=i % 30), "created_at": at,
                "rate_nok": 1000 + 50 * p, "billable": i % 7 != 0})
            if len(batch) == 5000:
                conn.execute(insert(ProgressLog), batch)
                batch = []
        if batch:
            conn.execute(insert(ProgressLog), batch)
    with engine.connect() as conn:  # statistics, as autovacuum would gather them after a load like this
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def baseline(sessions: Any, f: ExportFilter) -> int:
    stmt = select(ProgressLog.logged_on, ProgressLog.project_id, ProgressLog.user_id, ProgressLog.task_id,
                  ProgressLog.minutes, ProgressLog.billable, ProgressLog.rate_nok, ProgressLog.description).where(
        ProgressLog.team_id == f.team_id, ProgressLog.logged_on >= f.period.start,
        ProgressLog.logged_on <= f.period.end)
    with unit_of_work(sessions, read_only=True) as session:
        return len(session.execute(stmt).all())


def stream_only(sessions: Any, f: ExportFilter) -> int:
    with unit_of_work(sessions, read_only=True) as session:
        return sum(1 for _ in export_db.stream(session, f))


def exporter(folder: Path, *, csv: bool, xlsx: bool) -> Callable[[Any, ExportFilter], int]:
    def run(sessions: Any, f: ExportFilter) -> int:
        with unit_of_work(sessions, read_only=True) as session:
            totals = write_export(session, f, "nb", {}, csv_path=folder / "x.csv" if csv else None,
                                  xlsx_path=folder / "x.xlsx" if xlsx else None)
        return totals.rows

    return run


def timed(work: Callable[[Any, ExportFilter], int], sessions: Any, f: ExportFilter,
          repeat: int) -> tuple[float, float, int]:
    """Median wall time, median CPU time of this process (what the machine's load moves less), rows."""
    times, cpu, rows = [], [], 0
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        rows = work(sessions, f)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu), rows


def peak(work: Callable[[Any, ExportFilter], int], sessions: Any, f: ExportFilter) -> float:
    tracemalloc.start()
    try:
        work(sessions, f)
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_argument(parser)
    parser.add_argument("--logs", type=int, default=50_000, help="logs in the month")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (the median is shown)")
    parser.add_argument("--smoke", action="store_true", help="--logs 2000 --repeat 1: seconds")
    args = parser.parse_args()
    if args.smoke:
        args.logs, args.repeat = 2000, 1
    with tempfile.TemporaryDirectory(prefix="prosjektbot-export-") as tmp:
        folder = Path(tmp)
        engine = fresh_database(args.database_url or f"sqlite:///{tmp}/export.db")
        start = time.perf_counter()
        fill(engine, args.logs)
        fill(engine, args.logs // 5, team=TEAM + "S")  # the same month, a fifth of the rows: is memory flat?
        filled = time.perf_counter() - start
        sessions = make_session_factory(engine)
        month = month_of(NOVEMBER)
        full, small = ExportFilter(TEAM, month), ExportFilter(TEAM + "S", month)
        print(f"Prosjektbot export: {engine.dialect.name}, {args.logs} logs in a month (filled in {filled:.1f} s)")
        kinds: list[tuple[str, Callable[[Any, ExportFilter], int]]] = [
            ("baseline: plain SELECT, rows fetched", baseline),
            ("export's statement, streamed", stream_only),
            ("export: CSV + Excel, one pass", exporter(folder, csv=True, xlsx=True)),
            ("export: CSV only", exporter(folder, csv=True, xlsx=False)),
            ("export: Excel only", exporter(folder, csv=False, xlsx=True)),
        ]
        base = 0.0
        for name, work in kinds:
            seconds, cpu, rows = timed(work, sessions, full, args.repeat)
            assert rows == args.logs, (name, rows)
            base = base or seconds
            line = (f"  {name:<38} {seconds:6.2f} s (CPU {cpu:6.2f} s)  {seconds / base:5.1f} x baseline  "
                    f"{rows / seconds:7.0f} rows/s")
            if "one pass" in name or "baseline" in name or "streamed" in name:
                line += (f"   peak {peak(work, sessions, full):6.1f} MB ({args.logs} rows), "
                         f"{peak(work, sessions, small):6.1f} MB ({args.logs // 5} rows)")
            print(line)
        exporter(folder, csv=True, xlsx=True)(sessions, full)
        print(f"  files: CSV {(folder / 'x.csv').stat().st_size / 1e6:.1f} MB, "
              f"Excel {(folder / 'x.xlsx').stat().st_size / 1e6:.1f} MB")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
