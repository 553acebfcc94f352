"""The card's one statement (`storage.cards.project_card`): the project, by number or by id, with its hours in the
frame's period as the database sums them (`in_frame_period`), which must be
`bot.domain.health.frame_period`'s."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import date

import pytest
from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.health import frame_period
from bot.usecases import projects
from storage import cards as card_db
from storage.db import unit_of_work
from storage.models import Goal, ProgressLog, Project, Task, Workspace

CASES = [  # kind, start, deadline, today
    ("avgrenset", date(2026, 12, 1), date(2027, 1, 15), date(2026, 12, 20)),
    ("avgrenset", date(2026, 12, 1), date(2027, 1, 15), date(2027, 3, 1)),  # after the deadline: still start..deadline
    ("lopende", date(2026, 11, 10), None, date(2026, 11, 20)),  # the month, from the start on
    ("lopende", date(2026, 11, 10), None, date(2027, 2, 3)),  # a later month, whole
    ("lopende", date(2027, 1, 18), date(2027, 1, 22), date(2027, 1, 20)),  # start and deadline in the month
    ("lopende", date(2026, 11, 10), date(2027, 1, 15), date(2027, 2, 3)),  # after the deadline: an empty period
    ("lopende", date(2027, 3, 10), None, date(2027, 2, 20)),  # before the start: an empty period
    ("lopende", date(2027, 1, 1), None, date(2028, 2, 29)),  # a leap day's month
]


def days_around(kind: str, start: date, deadline: date | None, today: date) -> list[date]:
    """Every day where the period could begin or end, and the days beside them."""
    first = today.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    edges = {start, first, last, today} | ({deadline} if deadline else set())
    return sorted({edge + dt.timedelta(days=d) for edge in edges for d in (-1, 0, 1)})


@pytest.mark.parametrize("kind, start, deadline, today", CASES)
def test_the_card_sums_the_hours_of_frame_period_and_reads_the_same_by_number_and_by_id(
        sessions: sessionmaker[Session], engine: Engine, kind: str, start: date, deadline: date | None,
        today: date) -> None:
    team = f"TCARD{uuid.uuid4().hex[:10].upper()}"
    days = days_around(kind, start, deadline, today)
    with unit_of_work(sessions, write=True) as session:
        session.add(Workspace(team_id=team, language="nb", timezone="Europe/Oslo", last_project_number=1))
        session.flush()
        project = Project(team_id=team, number=1, name="Kort", name_key="kort", customer="K", kind=kind,
                          channel_id="C0CARD0001", pm_user_id="U0PM000001", start=start, deadline=deadline,
                          frame_minutes=6000, created_by="U0PM000001",
                          created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
        session.add(project)
        session.flush()
        project_id = project.id
        for i, day in enumerate(days):  # a distinct power of two a day: a sum tells which days it took
            session.add(ProgressLog(team_id=team, project_id=project_id, user_id="U0PM000001", minutes=2 ** i,
                                    logged_on=day, percent=i if i % 3 == 0 else None))
    since, until = frame_period(kind, start, deadline, today)  # type: ignore[arg-type]
    expected = sum(2 ** i for i, day in enumerate(days) if since <= day and (until is None or day <= until))

    with unit_of_work(sessions, read_only=True) as session:
        by_number = card_db.project_card(session, team, today=today, number=1)
        by_id = card_db.project_card(session, team, today=today, project_id=project_id)
        elsewhere = card_db.project_card(session, "T0THER0001", today=today, project_id=project_id)
        unknown = card_db.project_card(session, team, today=today, number=2)
    assert by_number is not None and by_id is not None
    assert by_number[0].id == by_id[0].id == project_id and by_number[0].start == start
    assert by_number[1] == by_id[1]
    assert by_number[1].period == expected
    assert by_number[1].percent == max(i for i in range(len(days)) if i % 3 == 0)  # the last log saved with a %
    assert elsewhere is None and unknown is None  # another workspace's id, and a number without a project
    with engine.begin() as conn:
        conn.execute(text("delete from projects where team_id = :team"), {"team": team})
        conn.execute(text("delete from workspaces where team_id = :team"), {"team": team})


def test_the_cards_of_many_projects_are_the_cards_one_by_one_in_a_fixed_number_of_statements(
        sessions: sessionmaker[Session], engine: Engine) -> None:
    """`projects.snapshots` (the clock's and the Home's: many projects at once) reads what `projects.snapshot`
    (the card's one statement) reads, computed the same way; and as many statements for one project as for all."""
    team = f"TCARDS{uuid.uuid4().hex[:9].upper()}"
    today = date(2026, 12, 9)
    with unit_of_work(sessions, write=True) as session:
        session.add(Workspace(team_id=team, language="nb", timezone="Europe/Oslo", last_project_number=len(CASES)))
        session.flush()
        for number, (kind, start, deadline, _) in enumerate(CASES, start=1):
            project = Project(team_id=team, number=number, name=f"Kort {number}", name_key=f"kort {number}",
                              customer="K", kind=kind, channel_id="C0CARD0001", pm_user_id="U0PM000001",
                              start=start, deadline=deadline, frame_minutes=600 * number,
                              state="paused" if number == 3 else "active", created_by="U0PM000001",
                              created_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC))
            session.add(project)
            session.flush()
            for i, day in enumerate(days_around(kind, start, deadline, today)[number:]):  # none for the last
                session.add(ProgressLog(team_id=team, project_id=project.id, user_id=f"U0LOG{i % 3:05d}",
                                        minutes=30 * (i + 1), logged_on=day, description=f"Logg {i}",
                                        percent=10 * i if i % 4 == 1 else None))
            for i in range(number % 4):
                session.add(Task(team_id=team, project_id=project.id, title=f"Oppgave {i}", created_by="U0PM000001",
                                 owner_user_id="U0PM000001" if i else None,
                                 deadline=today + dt.timedelta(days=i) if i != 1 else None,
                                 done_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC) if i == 2 else None))
            for i in range(number % 3):
                session.add(Goal(team_id=team, project_id=project.id, title=f"Mål {i}", title_key=f"mål {i}",
                                 target_value=100.0 if i else None, current_value=float(10 * i)))
    seen: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    with unit_of_work(sessions, read_only=True) as session:
        found = session.scalars(select(Project).where(Project.team_id == team).order_by(Project.number)).all()
        one_by_one = {p.id: projects.snapshot(session, team, p, today=today) for p in found}
        event.listen(engine, "before_cursor_execute", count)
        try:
            at_once = projects.snapshots(session, team, list(found), today=today)
            for_all, seen[:] = len(seen), []
            projects.snapshots(session, team, list(found[:1]), today=today)
            for_one = len(seen)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert at_once == one_by_one
    assert any(s.latest_logs and s.open_tasks and s.goals and s.tasks_done for s in at_once.values())
    assert for_all == for_one == 4
    with engine.begin() as conn:
        conn.execute(text("delete from projects where team_id = :team"), {"team": team})
        conn.execute(text("delete from workspaces where team_id = :team"), {"team": team})
