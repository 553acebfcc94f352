"""The `ny` modal's routine picker (issue 11), over real signed HTTP: picking a routine updates the open modal
(views.update with its hash, everything typed kept) with the routine's questions, a person per role and a preview
of the dated steps, which follows the start, the deadline, the answers and the roles; submitting makes the project
with the routine's steps; a long routine's preview fits Slack's modal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from bot.domain.routines import build_routine, builtin_routines, plan_steps
from bot.slack.i18n import fmt_date
from storage import routines as routine_db
from storage.db import unit_of_work
from storage.models import Project, Task
from tests.conftest import MEMBER, PM, Bot, flat

SEO = builtin_routines()["seo-oppstart"]
START = dt.date(2026, 11, 26)  # the clock fixture's today
TYPED = {"name": "SEO Tine", "customer": "Tine", "hours": "12"}


def updated(bot: Bot, count: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The `count`th views.update: what the bot asked for, and the view as Slack keeps it (new id and hash)."""
    call = bot.fake.wait_for("views.update", count=count)[-1]
    assert call.response["ok"], call.response
    return call.args, call.response["view"]


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def preview(view: dict[str, Any]) -> str:
    """The blocks after the routine's inputs (the summary, the dated steps, how many more)."""
    last_input = max(i for i, b in enumerate(view["blocks"]) if b["type"] == "input")
    return flat(view["blocks"][last_input + 1:])


def line(day: dt.date, title: str) -> str:
    return f"`{fmt_date(day, 'nb')}` · {title}".replace("\u00a0", " ")


def pick_seo(bot: Bot) -> dict[str, Any]:
    assert bot.run("ny") == {}
    opened = bot.opened_view()
    picker = block(opened, "routine")
    assert picker["dispatch_action"] and picker["element"]["initial_option"]["value"] == "-"
    assert "seo-oppstart" in [o["value"] for o in picker["element"]["options"]]
    assert bot.slack.change_in_modal(opened, "routine", "seo-oppstart", user=PM, values=TYPED).status_code == 200
    asked, view = updated(bot, 1)
    assert (asked["view_id"], asked["hash"]) == (opened["id"], opened["hash"])
    return view


def test_picking_a_routine_shows_its_questions_roles_and_a_preview_that_follows_the_dates(bot: Bot) -> None:
    view = pick_seo(bot)
    # what was typed is kept; the routine's questions (defaults chosen) and roles are there
    assert block(view, "name")["element"]["initial_value"] == "SEO Tine"
    assert block(view, "hours")["element"]["initial_value"] == "12"
    assert block(view, "routine")["element"]["initial_option"]["value"] == "seo-oppstart"
    assert block(view, "answers.lokal")["element"]["initial_option"]["value"] == "nei"
    assert {b["block_id"] for b in view["blocks"] if b.get("block_id", "").startswith("roles.")} == {
        "roles.seo", "roles.innhold", "roles.utvikler"}
    # no deadline yet: the preview says why there are no dates
    assert "Sett en frist" in preview(view) and "`" not in preview(view)
    assert block(view, "deadline")["dispatch_action"] and block(view, "start")["dispatch_action"]

    bot.slack.change_in_modal(view, "deadline", "2027-03-15", user=PM)
    _, view = updated(bot, 2)
    plan = plan_steps(SEO, start=START, deadline=dt.date(2027, 3, 15), roles={"pl": PM})
    shown = preview(view)
    assert f"{len(plan.steps)} steg" in shown
    for step in plan.steps:
        assert line(step.date, step.title) in shown
    last = plan.steps[-1]
    assert last.date == dt.date(2027, 3, 15)

    # a later deadline moves the steps counted from it
    bot.slack.change_in_modal(view, "deadline", "2027-03-22", user=PM)
    _, view = updated(bot, 3)
    assert line(dt.date(2027, 3, 22), last.title) in preview(view)
    assert line(dt.date(2027, 3, 15), last.title) not in preview(view)
    assert block(view, "name")["element"]["initial_value"] == "SEO Tine"  # still kept

    # an answer adds its step, a role's person owns theirs
    bot.slack.change_in_modal(view, "answers.lokal", "ja", user=PM)
    _, view = updated(bot, 4)
    assert "Google Bedriftsprofil" in preview(view)
    bot.slack.change_in_modal(view, "roles.seo", MEMBER, user=PM)
    _, view = updated(bot, 5)
    assert f"<@{MEMBER}>" in preview(view)
    assert block(view, "roles.seo")["element"]["initial_user"] == MEMBER

    # submit: the project with the routine's steps, answers and roles
    assert bot.slack.submit(view, {}, user=PM).text == ""
    expected = plan_steps(SEO, start=START, deadline=dt.date(2027, 3, 22), answers={"lokal": "ja"},
                          roles={"pl": PM, "seo": MEMBER})
    with bot.svc.sessions() as session:
        project = session.scalar(select(Project).where(Project.team_id == bot.team_id))
        assert project is not None
        assert (project.name, project.routine_name, project.frame_minutes) == ("SEO Tine", "seo-oppstart", 720)
        made = session.scalars(select(Task).where(Task.project_id == project.id).order_by(Task.id)).all()
        assert [(t.title, t.deadline, t.owner_user_id) for t in made] == [
            (s.title, s.date, s.owner) for s in expected.steps]
    bot.settle()
    assert "SEO Tine" in flat(bot.card())


def test_a_start_after_the_deadline_steps_is_shown_compressed(bot: Bot) -> None:
    view = pick_seo(bot)
    bot.slack.change_in_modal(view, "deadline", "2026-12-04", user=PM)  # 6 working days for a 3-month routine
    _, view = updated(bot, 2)
    assert "_(komprimert)_" in preview(view)
    # back to no routine: its inputs and the preview go, the dates no longer dispatch
    bot.slack.change_in_modal(view, "routine", "-", user=PM)
    _, view = updated(bot, 3)
    assert view["blocks"][-1]["block_id"] == "goals" and "dispatch_action" not in block(view, "deadline")
    assert block(view, "deadline")["element"]["initial_date"] == "2026-12-04"


def test_a_deadline_anchored_routine_submitted_without_a_deadline_is_refused_on_the_deadline(bot: Bot) -> None:
    view = pick_seo(bot)
    refused = bot.slack.submit(view, {}, user=PM).json()
    assert list(refused["errors"]) == ["deadline"] and "frist" in refused["errors"]["deadline"]
    with bot.svc.sessions() as session:
        assert session.scalar(select(Project).where(Project.team_id == bot.team_id)) is None
        assert session.scalar(select(Task).where(Task.team_id == bot.team_id)) is None


def test_without_a_routine_the_modal_makes_a_plain_project(bot: Bot) -> None:
    assert bot.run("ny") == {}
    assert bot.slack.submit(bot.opened_view(), {**TYPED, "deadline": "2027-01-15"}, user=PM).text == ""
    with bot.svc.sessions() as session:
        project = session.scalar(select(Project).where(Project.team_id == bot.team_id))
        assert project is not None and project.routine_name is None
        assert session.scalar(select(Task).where(Task.team_id == bot.team_id)) is None


def long_routine() -> dict[str, Any]:
    words = "Gjennomgang av innhold, lenker, metadata og strukturerte data for alle sidene på nettstedet"
    roles = {f"rolle{i}": f"Rolle nummer {i} med et langt navn for å fylle opp etiketten" for i in range(1, 10)}
    questions = [{"key": f"q{i}", "text": f"Spørsmål {i}: " + words, "default": "nei"} for i in range(1, 6)]
    steps = [{"title": f"Steg {i}: {words} " * 3, "role": f"rolle{i % 9 + 1}", "hours": 1.5,
              "date": f"frist-{60 - i}" if i % 2 else f"start+{i}"} for i in range(60)]
    for step in steps:
        step["title"] = step["title"][:300].strip()
    return {"name": "stor-rutine", "title": "En stor rutine med seksti steg", "kind": "avgrenset",
            "roles": roles, "questions": questions, "steps": steps}


def test_a_60_step_routine_fits_slacks_modal_limits(bot: Bot) -> None:
    routine = build_routine(long_routine())
    assert bot.run("ny") == {}  # the workspace, made by its first request
    with unit_of_work(bot.svc.sessions, write=True) as session:
        routine_db.save_routine(session, bot.team_id, routine, user_id=PM, at=bot.svc.now())
    assert bot.run("ny") == {}
    opened = bot.fake.wait_for("views.open", count=2)[-1].response["view"]
    bot.slack.change_in_modal(opened, "routine", "stor-rutine", user=PM, values={"deadline": "2027-06-30"})
    _, view = updated(bot, 1)  # the fake validates the view as Slack does
    assert len(view["blocks"]) <= 100
    shown = preview(view)
    assert "60 steg" in shown and "og 20 til" in shown
    assert all(len(b["text"]["text"]) <= 3000 for b in view["blocks"] if b["type"] == "section")
    # submitted: all 60 steps become tasks
    assert bot.slack.submit(view, TYPED, user=PM).text == ""
    with bot.svc.sessions() as session:
        assert len(session.scalars(select(Task).where(Task.team_id == bot.team_id)).all()) == 60
