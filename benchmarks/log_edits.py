"""`/prosjekt timer` benchmark: what listing one person's logs of the last 14 days costs (`storage.logs.recent_logs`,
the statement `timer` runs), at schema 0012 (no index of a person's logs) and at the head, with `ix_logs_user_day`
(team_id, user_id, logged_on, …; migration 0014), on SQLite or PostgreSQL. A script that prints figures (not a
test). From the repo root:

    /work/main/.venv/bin/python -m benchmarks.log_edits                 # SQLite in a temp dir; 2,000 people
    /work/main/.venv/bin/python -m benchmarks.log_edits --smoke         # a CI smoke run of seconds
    /work/main/.venv/bin/python -m benchmarks.log_edits --database-url postgresql://postgres@127.0.0.1:5432/tbench
    (PostgreSQL: the database is created by the script and dropped at the end.)

The data is benchmarks.my_week's: one workspace, 500 projects, N people each logging on three projects every working
day for 26 weeks (~130 logs a person), and a second workspace of the same size that must not be read.

Measured (median of 5, each in its own unit of work): the SQL statements of one `timer` list (1), its time at
schema 0012 and at the head, and the ratio of the two.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from benchmarks.common import Statements
from benchmarks.my_week import MONDAY, TEAMS, analyze, loaded, median_of
from storage.db import make_engine, make_session_factory, upgrade
from storage.logs import recent_logs

SINCE = MONDAY + dt.timedelta(days=4) - dt.timedelta(days=13)  # a Friday's 14 days


def measure(url: str, people: int) -> tuple[int, float, int]:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    statements = Statements(engine)
    person = f"U{people // 2:08d}"

    def run() -> int:
        with sessions() as session:
            session.execute(text("select 1"))
            statements.count = 0
            _, total = recent_logs(session, TEAMS[0], person, since=SINCE, limit=23)
            return total

    logs = run()
    taken = median_of(run)
    engine.dispose()
    return statements.count, taken, logs


def main() -> None:
    with loaded("log_edits", "0012") as (url, people):
        before = measure(url, people)
        print(f"0012 (no index)   timer for 1 person: {before[0]} SQL statement, {before[1] * 1000:.2f} ms "
              f"({before[2]} logs in 14 days)")
        upgrade(url)
        engine = make_engine(url)
        analyze(engine)
        engine.dispose()
        after = measure(url, people)
        print(f"head (ix_logs_user_day) timer for 1 person: {after[0]} SQL statement, {after[1] * 1000:.2f} ms "
              f"({after[2]} logs): {before[1] / after[1]:.1f}x faster")
        if (before[0], after[0]) != (1, 1) or before[2] != after[2]:
            raise SystemExit("timer must stay one statement and list the same logs")


if __name__ == "__main__":
    main()
