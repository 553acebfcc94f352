"""Migration 0011 (issue 13's data): up from 0010 with logs already there, the triggers' cost per day kept right by
any write of a log, and down again, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import Engine, create_engine, insert, inspect, text

from storage.db import alembic_config, upgrade
from storage.models import ProgressLog
from tests.conftest import fresh_database
from tests.test_log_days import old_insert

TEAM = "T0MONEY01"
BY_DAY = ("select project_id, logged_on, sum(minutes), "
          "sum(case when billable then minutes else 0 end), "
          "sum(case when billable then minutes * coalesce(rate_nok, 0) else 0 end) "
          "from progress_logs where team_id = :team group by project_id, logged_on")
DAYS = ("select project_id, logged_on, minutes, billable_minutes, cost_kr_minutes from log_days "
        "where team_id = :team and minutes > 0")


def money_sums(db: Engine) -> tuple[set[tuple], set[tuple]]:
    with db.connect() as conn:
        return tuple({(r[0], str(r[1]), *r[2:]) for r in conn.execute(text(sql), {"team": TEAM})}  # type: ignore
                     for sql in (BY_DAY, DAYS))


def _log(project_id: int, minutes: int, day: int, **extra: object) -> dict[str, object]:
    return {"team_id": TEAM, "project_id": project_id, "user_id": "UKARI0001", "minutes": minutes,
            "description": "", "logged_on": dt.date(2026, 11, day), **extra}


def test_0011_up_keeps_cost_per_day_by_the_triggers_and_down_again(engine: Engine) -> None:
    with fresh_database(engine.dialect.name, migrated=False) as url:
        upgrade(url, "0010")
        db = create_engine(url)
        try:
            with db.begin() as conn:  # before 0011: logs without rate or billable
                old_insert(conn, "workspaces", [{"team_id": TEAM, "language": "nb", "timezone": "Europe/Oslo",
                                                 "last_project_number": 2, "created_at": dt.datetime(2026, 11, 1)}])
                projects = old_insert(conn, "projects", [{
                    "team_id": TEAM, "number": n, "name": f"p{n}", "name_key": f"p{n}", "customer": "K",
                    "kind": "lopende", "state": "active", "channel_id": "C0MONEY01", "pm_user_id": "UKARI0001",
                    "created_by": "UKARI0001", "start": dt.date(2026, 11, 2)} for n in (1, 2)], returning="id")
                old_insert(conn, "progress_logs", [_log(projects[0], m, 2) for m in (60, 30)])
            upgrade(url)
            with db.connect() as conn:
                assert conn.execute(text("select billable, rate_nok from progress_logs")).all() == [
                    (True, None), (True, None)]
                assert conn.execute(text("select rollover, rollover_cap_pct, rate_nok from projects")).all() == [
                    (False, None, None)] * 2
                assert conn.execute(text("select default_rate_nok from workspaces")).all() == [(None,)]
            logs, days = money_sums(db)
            assert logs == days == {(projects[0], "2026-11-02", 90, 90, 0)}

            with db.begin() as conn:  # new logs with rates, billable or not
                conn.execute(insert(ProgressLog.__table__), [
                    _log(projects[0], 60, 2, rate_nok=1200, billable=True),
                    _log(projects[0], 90, 3, rate_nok=1000, billable=True),
                    _log(projects[0], 30, 3, rate_nok=1000, billable=False),
                    _log(projects[1], 45, 3, rate_nok=None, billable=True)])
            logs, days = money_sums(db)
            assert logs == days
            assert (projects[0], "2026-11-03", 120, 90, 90_000) in days
            assert (projects[0], "2026-11-02", 150, 150, 72_000) in days

            with db.begin() as conn:  # any change of a log: its rate, billable, minutes, day, project
                conn.execute(text("update progress_logs set rate_nok = 1500 where rate_nok = 1200"))
                conn.execute(text("update progress_logs set billable = :f where rate_nok = 1000 and minutes = 90"),
                             {"f": False})
                conn.execute(text("update progress_logs set billable = :t, minutes = 40 where minutes = 30 "
                                  "and rate_nok = 1000"), {"t": True})
                conn.execute(text("update progress_logs set logged_on = :d, project_id = :p where minutes = 45"),
                             {"d": dt.date(2026, 11, 4), "p": projects[0]})
            logs, days = money_sums(db)
            assert logs == days
            assert (projects[0], "2026-11-03", 130, 40, 40_000) in days
            assert (projects[0], "2026-11-02", 150, 150, 90_000) in days
            with db.begin() as conn:
                conn.execute(text("delete from progress_logs where rate_nok = 1500"))
            logs, days = money_sums(db)
            assert logs == days and (projects[0], "2026-11-02", 90, 90, 0) in days

            command.downgrade(alembic_config(url), "0010")
            db.dispose()
            tables = set(inspect(db).get_table_names())
            assert "project_rates" not in tables and "month_approvals" not in tables
            assert "billable" not in {c["name"] for c in inspect(db).get_columns("progress_logs")}
            with db.begin() as conn:  # 0007's triggers are back: minutes still kept
                old_insert(conn, "progress_logs", [_log(projects[1], 15, 5)])
            with db.connect() as conn:
                assert conn.execute(text("select minutes from log_days where project_id = :p and logged_on = :d"),
                                    {"p": projects[1], "d": dt.date(2026, 11, 5)}).scalar_one() == 15
            upgrade(url)  # and up again
            logs, days = money_sums(db)
            assert logs == days
        finally:
            db.dispose()
