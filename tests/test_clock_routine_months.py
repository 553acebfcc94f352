"""A løpende project made from a routine gets each month's monthly steps when the month begins in the workspace's
time zone, made by the clock once however many clocks run, still made after downtime within the month, never for
a project that is paused, delivered or past its deadline, and from the routine version the project was made from
(issue 11). Over real signed HTTP and the clock in-process, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import select

from bot.clock.passes import Clock
from bot.clock.routine_months import _make_batch
from bot.domain.routines import builtin_routines, steps_for_month
from storage import routine_months
from storage import routines as routine_db
from storage.db import unit_of_work
from storage.models import Project, RoutineMonth, Task
from tests.conftest import PM, Bot, Clocks, at, flat
from tests.conftest import Clock as TimeNow
from tests.test_routine_editor_e2e import open_editor, shown, submit

SOME = builtin_routines()["some-lopende"]
NOV_20 = dt.date(2026, 11, 20)  # a Friday


def new_lopende(bot: Bot, clock: TimeNow, name: str = "SoMe Tine", *, extra: str = "",
                routine: str = "some-lopende") -> None:
    clock.set(NOV_20)
    assert "Opprettet" in flat(bot.run(f'ny "{name}" kunde:Tine rutine:{routine} {extra}')["text"])


def tasks(bot: Bot, number: int = 1) -> list[tuple[str, dt.date | None]]:
    with bot.svc.sessions() as session:
        return [(t, d) for t, d in session.execute(
            select(Task.title, Task.deadline).join(Project, Project.id == Task.project_id)
            .where(Task.team_id == bot.team_id, Project.number == number).order_by(Task.id))]


def in_month(bot: Bot, year: int, month: int, number: int = 1) -> list[tuple[str, dt.date | None]]:
    return [(t, d) for t, d in tasks(bot, number) if d and (d.year, d.month) == (year, month)]


def expected(year: int, month: int) -> list[tuple[str, dt.date]]:
    return [(s.title, s.date) for s in steps_for_month(SOME, year, month, start=NOV_20, roles={"pl": PM})]


def months(bot: Bot) -> list[tuple[int, dt.date, int]]:
    with bot.svc.sessions() as session:
        return [tuple(r) for r in session.execute(  # type: ignore[misc]
            select(RoutineMonth.project_id, RoutineMonth.month, RoutineMonth.steps)
            .where(RoutineMonth.team_id == bot.team_id).order_by(RoutineMonth.project_id, RoutineMonth.month))]


def test_each_month_is_made_when_it_begins_in_the_workspaces_zone_and_once(bot: Bot, clock: TimeNow,
                                                                           follow: Clock) -> None:
    new_lopende(bot, clock)
    at_creation = len(tasks(bot))
    follow.run_pass(at("2026-11-30", 23, 55))
    assert len(tasks(bot)) == at_creation and in_month(bot, 2026, 12) == []
    follow.run_pass(at("2026-12-01", 9))  # a Tuesday
    december = expected(2026, 12)
    assert in_month(bot, 2026, 12) == december and len(december) == 7  # no video, with the ads step
    assert ("Månedsrapport til kunden", dt.date(2026, 12, 3)) in december  # the 3rd working day
    follow.run_pass(at("2026-12-01", 9, 1))
    follow.run_pass(at("2026-12-20", 9), everything=True)
    assert len(tasks(bot)) == at_creation + len(december)  # once
    # 1 January 2027 is a holiday (a Friday): måned:3 is counted from Monday the 4th. Made at midnight in Oslo,
    # when it is still 31 December in UTC.
    follow.run_pass(at("2026-12-31", 23, 55))
    assert in_month(bot, 2027, 1) == []
    follow.run_pass(at("2027-01-01", 0, 5))
    january = expected(2027, 1)
    assert in_month(bot, 2027, 1) == january
    assert ("Månedsrapport til kunden", dt.date(2027, 1, 6)) in january
    assert ("Statusmøte med kunden", dt.date(2027, 1, 8)) in january
    follow.run_pass(at("2027-01-04", 9))
    assert len(tasks(bot)) == at_creation + len(december) + len(january)
    assert [(m, n) for _, m, n in months(bot)] == [(dt.date(2026, 12, 1), 7), (dt.date(2027, 1, 1), len(january))]
    listed = flat(bot.run("oppgaver P-1")["blocks"])
    assert "Månedsrapport til kunden" in listed


def test_two_clocks_at_once_make_the_month_once(bot: Bot, clock: TimeNow, clocks: Clocks) -> None:
    for n in range(6):
        new_lopende(bot, clock, f"SoMe {n}")
    before = sum(len(tasks(bot, n)) for n in range(1, 7))
    first, second = clocks(worker="a", separate=True), clocks(worker="b", separate=True)
    moment = at("2026-12-01", 9)
    runs = [threading.Thread(target=c.run_pass, args=(moment,)) for c in (first, second)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=60)
    for n in range(1, 7):
        assert in_month(bot, 2026, 12, n) == expected(2026, 12)
    assert sum(len(tasks(bot, n)) for n in range(1, 7)) == before + 6 * 7
    assert len(months(bot)) == 6


def test_a_clock_that_read_the_project_before_another_made_its_month_makes_nothing(bot: Bot, clock: TimeNow,
                                                                                    clocks: Clocks) -> None:
    """The race, step by step: one clock read the project as behind, the other made the month and committed, the
    first writes from what it read: the month's key is taken, so it makes no task."""
    new_lopende(bot, clock)
    december = dt.date(2026, 12, 1)
    with unit_of_work(bot.svc.sessions) as session:
        stale = routine_months.behind(session, bot.team_id, december)
        assert len(stale) == 1
    clocks(worker="b", separate=True).run_pass(at("2026-12-01", 9))
    made = len(tasks(bot))
    with unit_of_work(bot.svc.sessions, write=True) as session:
        assert _make_batch(session, bot.team_id, stale, december, at("2026-12-01", 9)) == 0
    assert len(tasks(bot)) == made and len(in_month(bot, 2026, 12)) == 7


def test_a_clock_first_running_on_the_15th_still_makes_the_month_dated_as_the_routine_says(
        bot: Bot, clock: TimeNow, follow: Clock) -> None:
    new_lopende(bot, clock)
    report = follow.run_pass(at("2026-12-15", 9))
    december = in_month(bot, 2026, 12)
    assert december == expected(2026, 12) and report.steps == 7
    assert ("Månedsrapport til kunden", dt.date(2026, 12, 3)) in december  # past: shows as overdue
    assert "routine steps 7" in report.line()


def test_paused_delivered_and_past_deadline_projects_get_no_month_and_a_reopened_one_gets_it(
        bot: Bot, clock: TimeNow, follow: Clock) -> None:
    new_lopende(bot, clock, "SoMe aktiv")
    new_lopende(bot, clock, "SoMe pause")
    new_lopende(bot, clock, "SoMe levert")
    new_lopende(bot, clock, "SoMe slutt", extra="frist:30.11.2026")
    assert "pause" in bot.run("pause P-2")["text"]
    bot.run("levert P-3")
    follow.run_pass(at("2026-12-01", 9))
    assert in_month(bot, 2026, 12, 1) == expected(2026, 12)
    for number in (2, 3, 4):
        assert in_month(bot, 2026, 12, number) == []
    clock.set(dt.date(2026, 12, 10))
    bot.run("gjenåpne P-2")
    follow.run_pass(at("2026-12-10", 9))
    assert in_month(bot, 2026, 12, 2) == expected(2026, 12)  # active again within the month
    assert in_month(bot, 2026, 12, 3) == [] and in_month(bot, 2026, 12, 4) == []


def test_a_new_version_of_the_routine_leaves_the_projects_later_months_as_they_were(
        bot: Bot, clock: TimeNow, follow: Clock) -> None:
    own = SOME.model_copy(update={"name": "some-egen", "title": "SoMe egen"})
    bot.run("rutiner")  # the workspace, made by its first request
    with unit_of_work(bot.svc.sessions, write=True) as session:
        routine_db.save_routine(session, bot.team_id, own, user_id=PM, at=at("2026-11-19"))
    new_lopende(bot, clock, "SoMe v1", routine="some-egen")
    renamed = [s.model_copy(update={"title": f"{s.title} (v2)"}) if s.date.monthly else s for s in own.steps]
    with unit_of_work(bot.svc.sessions, write=True) as session:
        saved = routine_db.save_routine(session, bot.team_id, own.model_copy(update={"steps": renamed}),
                                        user_id=PM, at=at("2026-11-20", 12))
    assert saved.version == 2
    new_lopende(bot, clock, "SoMe v2", routine="some-egen")
    follow.run_pass(at("2026-12-01", 9))
    assert in_month(bot, 2026, 12, 1) == expected(2026, 12)  # v1: the titles it was made with
    with unit_of_work(bot.svc.sessions) as session:
        v2 = routine_db.own_routine(session, bot.team_id, "some-egen", 2)
    assert v2 is not None
    assert in_month(bot, 2026, 12, 2) == [(s.title, s.date) for s in steps_for_month(
        v2, 2026, 12, start=NOV_20, roles={"pl": PM})]
    assert all(title.endswith("(v2)") for title, _ in in_month(bot, 2026, 12, 2))


def test_the_own_copy_of_a_built_in_leaves_the_projects_made_from_the_built_in_as_they_were(
        bot: Bot, clock: TimeNow, follow: Clock) -> None:
    """Editing a built-in saves the workspace's own copy as v1, under the built-in's name: a project made from the
    built-in v1 still gets the built-in's monthly steps, one made after the edit the copy's."""
    new_lopende(bot, clock, "Fra innebygd")
    view = open_editor(bot, "some-lopende")
    values = shown(view)
    field = next(f for f in values if f.startswith("steps.") and "Månedsrapport til kunden" in values[f])
    assert submit(bot, view, {field: values[field].replace("Månedsrapport til kunden", "Månedsrapport (kopi)")}) == {}
    with unit_of_work(bot.svc.sessions) as session:
        copy = routine_db.own_routine(session, bot.team_id, "some-lopende", 1)
    assert copy is not None and copy != SOME
    new_lopende(bot, clock, "Fra kopien")
    follow.run_pass(at("2026-12-01", 9))
    assert in_month(bot, 2026, 12, 1) == expected(2026, 12)  # the built-in's
    assert in_month(bot, 2026, 12, 2) == [(s.title, s.date) for s in steps_for_month(
        copy, 2026, 12, start=NOV_20, roles={"pl": PM})]
    assert ("Månedsrapport (kopi)", dt.date(2026, 12, 3)) in in_month(bot, 2026, 12, 2)
    assert f"Rutine: *{SOME.title} v1*" in flat(bot.run("status P-1")["blocks"])
