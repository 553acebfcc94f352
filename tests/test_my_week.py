"""A person's week of hours (issue 14): the pure read model (`bot.domain.my_week`), its rendering's bounds, the
holidays' names, and `storage.my_week.weeks`: the same two statements for one person as for 500, each person's own
logs of this workspace only, by the logs' dates across a year's end."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.my_week import WEEK, ProjectHours, build_week, monday_of
from bot.domain.workdays import holiday_name, is_working_day
from bot.slack.render.my_week import MAX_BLOCKS, week_blocks
from storage.db import unit_of_work
from storage.models import ProgressLog, Project, Workspace
from storage.my_week import weeks
from tests.conftest import flat

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))
logs = st.lists(st.tuples(st.integers(min_value=-10, max_value=16),  # a day around the week, some outside it
                          st.integers(min_value=1, max_value=4),  # project number
                          st.integers(min_value=1, max_value=720)), max_size=40)


@settings(max_examples=300, deadline=None)  # (the first example of a year loads its holidays)
@given(days, logs, days)
def test_the_days_add_up_to_the_total_and_the_projects_too(day: date, entries: list[tuple[int, int, int]],
                                                            today: date) -> None:
    monday = monday_of(day)
    by_day: dict[date, int] = defaultdict(int)
    by_project: dict[int, int] = defaultdict(int)
    in_week = 0
    for offset, number, minutes in entries:
        logged_on = monday + dt.timedelta(days=offset)
        by_day[logged_on] += minutes  # the builder ignores the days outside the week …
        if 0 <= offset < WEEK:
            by_project[number] += minutes  # … the storage's project sums are the week's
            in_week += minutes
    week = build_week("U1", monday, through=today, minutes_by_day=by_day,
                      projects=[ProjectHours(n, n, f"P {n}", m) for n, m in by_project.items()], last_week_minutes=7)
    assert [d.day for d in week.days] == [monday + dt.timedelta(days=i) for i in range(WEEK)]
    assert week.total_minutes == sum(d.minutes for d in week.days) == sum(p.minutes for p in week.projects) == in_week
    assert [p.minutes for p in week.projects] == sorted((p.minutes for p in week.projects), reverse=True)
    assert [d.day.weekday() for d in week.shown_days][:5] == [0, 1, 2, 3, 4]
    assert all(d.minutes for d in week.shown_days[5:])  # the weekend only when logged on
    assert sum(d.minutes for d in week.shown_days) == week.total_minutes
    assert set(week.missing_days) == {d.day for d in week.days
                                      if d.day <= today and is_working_day(d.day) and not d.minutes}
    assert week.last_week_minutes == 7


@settings(deadline=None)
@given(days)
def test_a_week_is_monday_to_sunday_also_across_a_year(day: date) -> None:
    monday = monday_of(day)
    assert monday.weekday() == 0 and monday <= day < monday + dt.timedelta(days=WEEK)
    week = build_week("U1", monday, through=day, minutes_by_day={}, projects=[], last_week_minutes=0)
    assert week.sunday == monday + dt.timedelta(days=6) and week.through == day
    assert {d.day.isocalendar()[:2] for d in week.days} == {day.isocalendar()[:2]}  # one ISO week


def test_the_week_of_new_year_and_what_is_not_a_monday() -> None:
    assert monday_of(date(2027, 1, 1)) == date(2026, 12, 28) == monday_of(date(2027, 1, 3))
    assert monday_of(date(2027, 1, 4)) == date(2027, 1, 4)
    with pytest.raises(ValueError):
        build_week("U1", date(2026, 12, 29), through=date(2026, 12, 29), minutes_by_day={}, projects=[],
                   last_week_minutes=0)


def test_holidays_are_named_in_both_languages() -> None:
    assert holiday_name(date(2026, 5, 14)) == "Kristi himmelfartsdag"
    assert holiday_name(date(2026, 5, 14), "en") == "Ascension Day"
    assert holiday_name(date(2026, 5, 17)) == "Grunnlovsdag"  # a Sunday: named, though no working day is lost
    assert holiday_name(date(2026, 12, 24)) is None  # Christmas Eve is no public holiday


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_week_with_many_projects_stays_within_its_blocks(lang: str) -> None:
    monday = date(2026, 11, 30)
    many = [ProjectHours(n, n, "<!channel> " + "x" * 200, 60 + n) for n in range(1, 101)]
    week = build_week("U1", monday, through=monday + dt.timedelta(days=6),
                      minutes_by_day={monday + dt.timedelta(days=i): 24 * 60 for i in range(WEEK)}, projects=many,
                      last_week_minutes=0)
    blocks = week_blocks(week, lang)
    assert len(blocks) <= MAX_BLOCKS
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)
    shown = flat(blocks)
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown
    assert ("…og 88 prosjekter til" if lang == "nb" else "…and 88 more projects") in shown
    assert shown.count("▓▓▓▓▓▓▓▓") == 7  # every day full: the bar is against the longest day
    assert "Før timer" not in flat(week_blocks(week, "nb", log_button=False))


def _seed(session: Session, team: str, people: int, monday: date) -> dict[str, tuple[int, int]]:
    """Logs for `people` people on two projects, this week and last (and around them); returns each person's
    (this week, last week) in minutes."""
    session.add(Workspace(team_id=team, language="nb", timezone="Europe/Oslo", last_project_number=2))
    session.flush()
    ids = []
    for number in (1, 2):
        project = Project(team_id=team, number=number, name=f"Prosjekt {number}", name_key=f"prosjekt {number}",
                          customer="K", kind="avgrenset", channel_id="C0WEEK0001", pm_user_id="U0PM000001",
                          start=monday - dt.timedelta(days=30), deadline=None, frame_minutes=None,
                          created_by="U0PM000001", created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
        session.add(project)
        session.flush()
        ids.append(project.id)
    expected = {}
    for i in range(people):
        user_id = f"U{i:08d}"
        this, last = 0, 0
        for offset, minutes in ((-8, 5), (-7, 30 + i), (-1, 15), (0, 60), (3, 45 + i), (6, 10), (7, 999)):
            project_id = ids[(i + offset) % 2]
            session.add(ProgressLog(team_id=team, project_id=project_id, user_id=user_id, minutes=minutes,
                                    logged_on=monday + dt.timedelta(days=offset)))
            this += minutes if 0 <= offset < 7 else 0
            last += minutes if -7 <= offset < 0 else 0
        expected[user_id] = (this, last)
    return expected


def test_weeks_of_500_people_take_the_statements_of_one(sessions: sessionmaker[Session], engine: Engine) -> None:
    team, other = (f"TWEEK{uuid.uuid4().hex[:10].upper()}" for _ in range(2))
    monday = date(2026, 12, 28)  # the week runs into 2027; last week is 2026's 52nd
    with unit_of_work(sessions, write=True) as session:
        expected = _seed(session, team, 500, monday)
        _seed(session, other, 3, monday)  # the same people in another workspace: not counted
    seen: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    with unit_of_work(sessions, read_only=True) as session:
        session.execute(text("select 1"))  # the transaction has begun: only weeks()'s own statements are counted
        event.listen(engine, "before_cursor_execute", count)
        try:
            for_all = weeks(session, team, sorted(expected), monday, through=date(2027, 1, 1))
            statements_for_all, seen[:] = len(seen), []
            for_one = weeks(session, team, ["U00000007"], monday)
            statements_for_one, seen[:] = len(seen), []
            assert weeks(session, team, [], monday) == {} and seen == []
        finally:
            event.remove(engine, "before_cursor_execute", count)
    print(f"weeks(): {statements_for_one} statements for 1 person, {statements_for_all} for 500")
    assert statements_for_one == statements_for_all == 2
    assert {u: (w.total_minutes, w.last_week_minutes) for u, w in for_all.items()} == expected
    assert for_one["U00000007"] == build_week(
        "U00000007", monday, through=monday + dt.timedelta(days=6), minutes_by_day=dict(
            (d.day, d.minutes) for d in for_all["U00000007"].days), projects=for_all["U00000007"].projects,
        last_week_minutes=expected["U00000007"][1])
    week = for_all["U00000003"]
    assert [(p.key, p.minutes) for p in week.projects] == [("P-2", 60 + 10), ("P-1", 48)]
    assert week.missing_days == (date(2026, 12, 29), date(2026, 12, 30))  # 31 Dec logged on; 1 Jan: a holiday
    with engine.begin() as conn:
        for t in (team, other):
            conn.execute(text("delete from progress_logs where team_id = :team"), {"team": t})
            conn.execute(text("delete from projects where team_id = :team"), {"team": t})
            conn.execute(text("delete from workspaces where team_id = :team"), {"team": t})
