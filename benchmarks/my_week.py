"""My week benchmark: what `storage.my_week.weeks` costs for one person (App Home, `timer uke`) and for everyone at
once (the Friday message's pass), on SQLite or PostgreSQL. A script that prints figures (not a test). From the repo
root:

    /work/main/.venv/bin/python -m benchmarks.my_week                 # SQLite in a temp dir; 2,000 people
    /work/main/.venv/bin/python -m benchmarks.my_week --smoke         # a CI smoke run of seconds
    /work/main/.venv/bin/python -m benchmarks.my_week --database-url postgresql://postgres@127.0.0.1:5432/wbench
    (PostgreSQL: the database is created by the script and dropped at the end.)

The data: one workspace, 500 projects, N people each logging on three projects every working day for 26 weeks
(~130 logs a person), and a second workspace of the same size that must not be read. "This week" begins Monday
2026-11-30.

Measured (median of 5, each in its own read-only unit of work):

    one        weeks() for 1 person: SQL statements, time
    everyone   weeks() for all N at once: SQL statements (the same as for one), time, and its ratio to N × one
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import Engine, insert, select, text

from benchmarks.common import Statements, create_database, drop_database
from bot.domain.workdays import is_working_day
from storage.db import make_engine, make_session_factory, upgrade
from storage.models import ProgressLog, Project, Workspace
from storage.my_week import weeks

TEAMS = ("TWEEKBENCH", "TWEEKOTHER")
MONDAY = dt.date(2026, 11, 30)
PROJECTS = 500


def load(url: str, people: int, history_weeks: int) -> None:
    engine = make_engine(url)
    days = [MONDAY - dt.timedelta(days=i) for i in range(-5, 7 * history_weeks)]
    days = [day for day in days if is_working_day(day)]
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with engine.begin() as conn:
        for team in TEAMS:
            conn.execute(insert(Workspace), [{"team_id": team, "timezone": "Europe/Oslo", "language": "nb"}])
            conn.execute(insert(Project), [
                {"team_id": team, "number": i + 1, "name": f"Prosjekt {i}", "name_key": f"prosjekt {i}",
                 "customer": "Tine", "kind": "avgrenset", "state": "active", "channel_id": f"C{i % 100:08d}",
                 "pm_user_id": "UPM000001", "created_by": "UPM000001", "start": dt.date(2026, 1, 1),
                 "created_at": now} for i in range(PROJECTS)])
            ids = list(conn.scalars(select(Project.id).where(Project.team_id == team).order_by(Project.id)))
            rows = [{"team_id": team, "project_id": ids[(p * 3 + k % 3) % PROJECTS], "user_id": f"U{p:08d}",
                     "minutes": 60 + (p + k) % 240, "logged_on": day, "description": ""}
                    for p in range(people) for k, day in enumerate(days)]
            for chunk in range(0, len(rows), 20_000):
                conn.execute(insert(ProgressLog), rows[chunk:chunk + 20_000])
    analyze(engine)
    engine.dispose()


def analyze(engine: Engine) -> None:
    """Statistics for the planner, as a database in use has them."""
    with engine.begin() as conn:
        conn.execute(text("analyze"))


def median_of(fn: Callable[[], object], times: int = 5) -> float:
    taken = []
    for _ in range(times):
        began = time.perf_counter()
        fn()
        taken.append(time.perf_counter() - began)
    return statistics.median(taken)


def measure(url: str, people: int) -> None:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    everyone = [f"U{p:08d}" for p in range(people)]
    statements = Statements(engine)

    def run(users: list[str]) -> tuple[int, int]:
        with sessions() as session:
            session.execute(text("select 1"))
            statements.count = 0
            found = weeks(session, TEAMS[0], users, MONDAY)
            return statements.count, sum(w.total_minutes for w in found.values())

    one_statements, _ = run(everyone[:1])
    all_statements, minutes = run(everyone)
    one = median_of(lambda: run(everyone[:1]))
    at_once = median_of(lambda: run(everyone))
    print(f"one       weeks() for 1 person: {one_statements} SQL statements, {one * 1000:.1f} ms")
    print(f"everyone  weeks() for {people:,} people: {all_statements} SQL statements, {at_once * 1000:.1f} ms "
          f"({at_once / (people * one):.3f} x {people:,} calls for one; {minutes / 60:,.0f} h this week)")
    engine.dispose()


@contextlib.contextmanager
def loaded(name: str, revision: str = "head") -> Iterator[tuple[str, int]]:
    """The arguments every script on this data takes, its database created, migrated to `revision` and loaded;
    (url, people) while in use, then dropped."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=26, help="weeks of history before this one")
    parser.add_argument("--database-url")
    parser.add_argument("--smoke", action="store_true", help="--people 50 --weeks 2: seconds")
    args = parser.parse_args()
    if args.smoke:
        args.people, args.weeks = 50, 2
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / f'{name}.db'}"
    create_database(url, reuse=False)
    try:
        began = time.perf_counter()
        upgrade(url, revision)
        load(url, args.people, args.weeks)
        print(f"loaded {args.people:,} people's logs ({args.weeks} weeks, {PROJECTS} projects, 2 workspaces) "
              f"in {time.perf_counter() - began:.1f} s")
        yield url, args.people
    finally:
        drop_database(url)


def main() -> None:
    with loaded("my_week") as (url, people):
        measure(url, people)


if __name__ == "__main__":
    main()
