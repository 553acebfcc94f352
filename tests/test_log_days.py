"""The minutes per project per day (`log_days`) that cards and answers sum: kept by the database's triggers, so they
equal the logs' own sums whatever writes the logs, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text

from storage.db import upgrade
from tests.conftest import MEMBER, Bot, Clock, flat, fresh_database

BY_DAY = ("select team_id, project_id, logged_on, sum(minutes) from progress_logs where team_id = :team "
          "group by team_id, project_id, logged_on")
DAYS = "select team_id, project_id, logged_on, minutes from log_days where team_id = :team and minutes > 0"


def old_insert(conn: Connection, table: str, rows: list[dict[str, Any]], returning: str = "") -> list[Any]:
    """Rows inserted into a table as an older revision had it: only the columns given (the models' defaults
    would name columns a later revision added), `created_at` now when the table has one and it is not given."""
    columns = list(rows[0])
    if table in ("projects", "progress_logs") and "created_at" not in columns:
        columns.append("created_at")
        rows = [{**row, "created_at": dt.datetime(2026, 11, 1, 12)} for row in rows]
    sql = (f"insert into {table} ({', '.join(columns)}) values ({', '.join(':' + c for c in columns)})"
           + (f" returning {returning}" if returning else ""))
    if returning:
        return [conn.execute(text(sql), row).scalar_one() for row in rows]
    conn.execute(text(sql), rows)
    return []


def sums(engine: Engine, team: str) -> tuple[set[tuple], set[tuple]]:
    """(the logs summed per project and day, log_days' rows), both as plain tuples."""
    with engine.connect() as conn:
        return ({tuple(r) for r in conn.execute(text(BY_DAY), {"team": team})},
                {tuple(r) for r in conn.execute(text(DAYS), {"team": team})})


def test_logs_over_several_days_and_projects_are_summed_per_day_and_the_card_reads_them(
        bot: Bot, clock: Clock, engine: Engine) -> None:
    clock.set(dt.date(2026, 12, 1))
    bot.run('ny "Nettside Fjordkraft" kunde:Fjordkraft frist:18.12.2026 timer:40 start:03.12.2026')
    bot.run('ny Annonser kunde:Tine frist:18.12.2026 timer:40 kanal:<#C0THER0001|annet>')
    early = bot.run("logg P-1 2t før oppstart")  # before the project's start: outside its frame
    assert "(totalt 2 t)" in flat(early["text"])
    for day, hours in ((3, "3t"), (3, "1,5t"), (4, "4t")):
        clock.set(dt.date(2026, 12, day))
        bot.run(f"logg P-1 {hours} arbeid", user=MEMBER)
        bot.run("logg P-2 1t annet")
    assert "(totalt 11,5 t)" in flat(bot.run("logg P-1 1t mer")["text"])  # 2 + 3 + 1,5 + 4 + 1 (on the 4th)
    logs, days = sums(engine, bot.team_id)
    assert logs == days
    with engine.connect() as conn:
        per_project = conn.execute(text(
            "select p.number, d.logged_on, d.minutes from log_days d join projects p on p.team_id = d.team_id"
            " and p.id = d.project_id where d.team_id = :team order by p.number, d.logged_on"),
            {"team": bot.team_id}).all()
    assert [(n, str(day)[-2:], m) for n, day, m in per_project] == [
        (1, "01", 120), (1, "03", 270), (1, "04", 300), (2, "03", 120), (2, "04", 60)]
    card = flat(bot.run("status P-1")["blocks"])
    assert "9,5 t av 40 t" in card  # the frame counts from its start on the 3rd: not the 2 hours before


def test_a_log_changed_moved_or_deleted_moves_its_minutes_and_a_deleted_project_takes_its_days(
        bot: Bot, engine: Engine) -> None:
    """The app only adds logs; the triggers still keep the sums right for any other write (an operator's SQL)."""
    bot.run('ny "Nettside Fjordkraft" kunde:Fjordkraft frist:18.12.2026 timer:40')
    bot.run('ny Annonser kunde:Tine frist:18.12.2026 timer:40 kanal:<#C0THER0001|annet>')
    for text_ in ("logg P-1 2t a", "logg P-1 3t b", "logg P-2 1t c"):
        bot.run(text_)
    team = bot.team_id
    with engine.begin() as conn:
        ids = conn.execute(text("select id from progress_logs where team_id = :team order by id"),
                           {"team": team}).scalars().all()
        p2 = conn.execute(text("select id from projects where team_id = :team and number = 2"),
                          {"team": team}).scalar_one()
        conn.execute(text("update progress_logs set minutes = 30 where id = :id"), {"id": ids[0]})
        conn.execute(text("update progress_logs set logged_on = :day where id = :id"),
                     {"id": ids[1], "day": dt.date(2026, 12, 24)})
        conn.execute(text("update progress_logs set project_id = :p2 where id = :id"), {"id": ids[0], "p2": p2})
    logs, days = sums(engine, team)
    assert logs == days and sum(row[3] for row in days) == 30 + 180 + 60
    with engine.begin() as conn:
        conn.execute(text("delete from progress_logs where id = :id"), {"id": ids[2]})
    logs, days = sums(engine, team)
    assert logs == days and sum(row[3] for row in days) == 30 + 180
    with engine.begin() as conn:
        conn.execute(text("delete from projects where team_id = :team and number = 1"), {"team": team})
    logs, days = sums(engine, team)
    assert logs == days and {row[1] for row in days} == {p2}
    with engine.connect() as conn:  # no row of the deleted project is left, not even at 0 minutes
        assert conn.execute(text("select count(*) from log_days where team_id = :team and project_id <> :p2"),
                            {"team": team, "p2": p2}).scalar_one() == 0


def test_the_migration_fills_log_days_from_the_logs_already_there(engine: Engine) -> None:
    with fresh_database(engine.dialect.name, migrated=False) as url:
        upgrade(url, "0006")
        db = create_engine(url)
        try:
            with db.begin() as conn:  # (the tables as they were at 0006 are the models' less log_days)
                old_insert(conn, "workspaces", [{"team_id": "T0MIGRATE", "language": "nb",
                                                 "timezone": "Europe/Oslo", "last_project_number": 2,
                                                 "created_at": dt.datetime(2026, 11, 1, 12)}])
                project_ids = old_insert(conn, "projects", [{
                    "team_id": "T0MIGRATE", "number": n, "name": f"p{n}", "name_key": f"p{n}", "customer": "K",
                    "kind": "avgrenset", "state": "active", "channel_id": "C0MIGRATE", "pm_user_id": "UKARI0001",
                    "created_by": "UKARI0001", "start": dt.date(2026, 11, 2)} for n in (1, 2)], returning="id")
                old_insert(conn, "progress_logs", [
                    {"team_id": "T0MIGRATE", "project_id": project_ids[p], "user_id": "UKARI0001", "minutes": m,
                     "description": "", "logged_on": dt.date(2026, 11, day)}
                    for p, day, m in ((0, 2, 60), (0, 2, 30), (0, 3, 45), (1, 2, 15))])
            upgrade(url)
            logs, days = sums(db, "T0MIGRATE")
            assert logs == days and sorted(row[3] for row in days) == [15, 45, 90]
            with db.begin() as conn:  # and the triggers are there: a new log is counted
                old_insert(conn, "progress_logs", [{
                    "team_id": "T0MIGRATE", "project_id": project_ids[1], "user_id": "UKARI0001", "minutes": 10,
                    "description": "", "logged_on": dt.date(2026, 11, 2)}])
            logs, days = sums(db, "T0MIGRATE")
            assert logs == days and sorted(row[3] for row in days) == [25, 45, 90]
        finally:
            db.dispose()
