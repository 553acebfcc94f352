"""`/prosjekt rutine rediger NAVN` (issue 11), over real signed HTTP: the editor modal changes, adds, removes and
reorders steps, questions and roles; every save is a new version (a built-in's own copy is v1); a project keeps
the version it was made from; bad input is an error on its field and line with nothing stored; only PLs and
admins; a routine submitted unchanged saves nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.domain.routines import MAX_STEPS, Routine, build_routine, builtin_routines, plan_steps
from bot.slack.render.modals import submitted_values
from bot.slack.render.routine_editor import NEW_STEPS
from fakeslack import fill_state
from storage import routines as routine_db
from storage.db import unit_of_work
from storage.models import HistoryEntry, Project, RoutineRow, Task, Workspace
from tests.conftest import ADMIN, MEMBER, OTHER, PM, Bot, flat

SEO = builtin_routines()["seo-oppstart"]
START = dt.date(2026, 11, 26)  # the clock fixture's today


def open_editor(bot: Bot, name: str, *, user: str = PM) -> dict[str, Any]:
    opened = len(bot.fake.calls_to("views.open"))
    assert bot.run(f"rutine rediger {name}", user=user) == {}
    call = bot.fake.wait_for("views.open", count=opened + 1)[-1]
    assert call.response["ok"], call.response  # the fake checks the view as Slack does
    return call.response["view"]


def shown(view: dict[str, Any]) -> dict[str, str]:
    """What the editor shows in each input (by block id)."""
    values = submitted_values({"state": {"values": fill_state(view, {})}})
    return {block_id: value or "" for block_id, value in values.items()}


def step_fields(view: dict[str, Any]) -> list[str]:
    return [b["block_id"] for b in view["blocks"] if b.get("block_id", "").startswith("steps.")]


def versions(bot: Bot) -> list[tuple[str, int]]:
    with bot.svc.sessions() as session:
        rows = session.execute(select(RoutineRow.name, RoutineRow.version).where(RoutineRow.team_id == bot.team_id)
                               .order_by(RoutineRow.id)).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def own(bot: Bot, name: str, version: int) -> Routine:
    with bot.svc.sessions() as session:
        found = routine_db.own_routine(session, bot.team_id, name, version)
    assert found is not None
    return found


def titles(bot: Bot, number: int) -> list[tuple[str, dt.date | None]]:
    with bot.svc.sessions() as session:
        rows = session.execute(select(Task.title, Task.deadline).join(Project, Project.id == Task.project_id)
                               .where(Task.team_id == bot.team_id, Project.number == number).order_by(Task.id)).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def said(bot: Bot) -> str:
    bot.settle()
    return flat(bot.fake.calls_to("chat.postEphemeral")[-1].args["text"])


def submit(bot: Bot, view: dict[str, Any], values: dict[str, str], *, user: str = PM) -> dict[str, Any]:
    response = bot.slack.submit(view, values, user=user)
    assert response.status_code == 200, response.text
    return response.json() if response.text else {}


def as_pl(bot: Bot) -> None:
    """PM leads a project made from the built-in seo-oppstart v1 (which makes PM a PL)."""
    assert "P-1" in bot.run('ny "SEO Tine" kunde:Tine frist:15.03.2027 rutine:seo-oppstart')["text"]


def test_editing_a_built_in_saves_the_own_copy_v1_then_v2_and_projects_keep_their_version(bot: Bot) -> None:
    as_pl(bot)
    before = titles(bot, 1)
    view = open_editor(bot, "seo-oppstart")
    assert "innebygd" in flat(view["blocks"][0]) and len(view["blocks"]) <= 100
    values = shown(view)
    assert values["title"] == "SEO-oppstart" and values["kind"] == "avgrenset"
    assert "seo: SEO-rådgiver" in values["roles"].splitlines()
    steps = "\n".join(values[field] for field in step_fields(view) if values[field]).splitlines()
    assert "Søkeordsanalyse | seo | 8 t | start+7" in steps
    # change a step, remove one, move one (with its description) after another, add one; a question; a role
    steps[steps.index("Søkeordsanalyse | seo | 8 t | start+7")] = "Søkeordsanalyse | seo | 10 t | start+8"
    steps.remove(next(line for line in steps if line.startswith("Verifisere Google Search Console")))
    moved = steps.index("Innhente tilganger | pl | 1 t | start+1")
    block = steps[moved : moved + 2]
    del steps[moved : moved + 2]
    after = steps.index(next(line for line in steps if line.startswith("Teknisk SEO-revisjon"))) + 2
    steps[after:after] = block
    edits = {field: "" for field in step_fields(view)}
    edits.update({
        "steps.1": "\n".join(steps), NEW_STEPS: "Lenkebygging | lenker | 5 t | frist-10\n> Fem relevante lenker.",
        "title": "SEO-oppstart for byrået",
        "questions": values["questions"].replace("ga4: Har kunden GA4 satt opp? | ja/nei | standard: nei",
                                                 "ga4: Har kunden GA4 satt opp? | ja/nei | standard: ja"),
        "roles": values["roles"] + "\nlenker: Lenkebygger",
    })
    assert submit(bot, view, edits) == {}  # the modal closes
    assert versions(bot) == [("seo-oppstart", 1)]
    assert "Den innebygde rutinen endres ikke" in said(bot) and "v1" in said(bot)
    copy = own(bot, "seo-oppstart", 1)
    assert copy.title == "SEO-oppstart for byrået" and copy.roles["lenker"] == "Lenkebygger"
    assert copy.question("ga4") is not None and copy.question("ga4").default == "ja"  # type: ignore[union-attr]
    got = [step.title for step in copy.steps]
    assert "Verifisere Google Search Console" not in got and got[-1] == "Lenkebygging"
    assert got.index("Innhente tilganger") == got.index("Teknisk SEO-revisjon") + 1
    revision = next(step for step in copy.steps if step.title == "Søkeordsanalyse")
    assert (revision.hours, revision.date.format()) == (10, "start+8")
    assert next(s for s in copy.steps if s.title == "Lenkebygging").description == "Fem relevante lenker."
    assert build_routine(SEO.model_dump(mode="json")) == SEO  # the built-in itself is unchanged
    listed = flat(bot.run("rutine vis seo-oppstart")["blocks"])
    assert "SEO-oppstart for byrået v1" in listed and "egen" in listed and "Lenkebygging" in listed

    # a second edit: v2 of the own routine
    view = open_editor(bot, "seo-oppstart")
    assert "v2" in flat(view["blocks"][0]) and "innebygd" not in flat(view["blocks"][0])
    values = shown(view)
    assert submit(bot, view, {"hours": "80"}) == {}
    assert versions(bot) == [("seo-oppstart", 1), ("seo-oppstart", 2)]
    assert "Lagret *SEO-oppstart for byrået* (`seo-oppstart`) v2" in said(bot)
    assert own(bot, "seo-oppstart", 2) == copy.model_copy(update={"version": 2, "hours_frame": 80.0})

    # P-1, made from the built-in v1 before the edits: its tasks, and its card says the built-in v1
    assert titles(bot, 1) == before
    card = flat(bot.run("status P-1")["blocks"])
    assert "Rutine: *SEO-oppstart v1*" in card and "byrået" not in card
    # a project made now gets v2
    made = flat(bot.run('ny "SEO Fjord" kunde:Fjord frist:15.03.2027 rutine:seo-oppstart')["text"])
    assert "*SEO-oppstart for byrået* v2" in made
    assert "Rutine: *SEO-oppstart for byrået v2*" in flat(bot.run("status P-2")["blocks"])
    plan = plan_steps(own(bot, "seo-oppstart", 2), start=START, deadline=dt.date(2027, 3, 15), roles={"pl": PM})
    assert titles(bot, 2) == [(step.title, step.date) for step in plan.steps]
    with bot.svc.sessions() as session:
        history = session.execute(select(HistoryEntry.action, HistoryEntry.old_value, HistoryEntry.new_value)
                                  .where(HistoryEntry.team_id == bot.team_id, HistoryEntry.project_id.is_(None))
                                  .order_by(HistoryEntry.id)).all()
    assert [tuple(row) for row in history] == [("routine_copied", "seo-oppstart v1", "seo-oppstart v1"),
                                               ("routine_edited", "seo-oppstart v1", "seo-oppstart v2")]


@pytest.mark.parametrize(("field", "change", "message"), [
    ("steps", ("Søkeordsanalyse | seo | 8 t | start+7", "Søkeordsanalyse | seo | 8 t | start+sju"),
     "Forstod ikke datoregelen «start+sju»"),
    (NEW_STEPS, "Ny | seo | 1 t | start+1 | når gsc4 = nei", "Linje 1: Vilkåret gjelder spørsmålet «gsc4»"),
    (NEW_STEPS, "\nNy | design | 1 t | start+1", "Linje 2: Rollen «design» finnes ikke"),
    ("questions", ("standard: nei", "standard: kanskje"), "Linje 1: Standardsvaret «kanskje» er ikke blant svarene"),
    (NEW_STEPS, "Søkeordsanalyse | seo | 2 t | start+1", "Linje 1: Steget «Søkeordsanalyse» står to ganger"),
    ("roles", ("seo: SEO-rådgiver", "seo SEO-rådgiver"), "Linje 2: Skriv én rolle per linje"),
    ("hours", "mange", "Skriv timerammen som et tall"),
])
def test_bad_input_is_an_error_on_its_field_and_stores_nothing(bot: Bot, field: str, change: Any,
                                                                message: str) -> None:
    as_pl(bot)
    view = open_editor(bot, "seo-oppstart")
    values = shown(view)
    if field == "steps":
        field = next(f for f in step_fields(view) if change[0] in values[f])
    typed = values[field].replace(*change) if isinstance(change, tuple) else change
    refused = submit(bot, view, {field: typed})
    assert refused["response_action"] == "errors" and list(refused["errors"]) == [field]
    error = flat(refused["errors"][field])
    assert message in error, error
    if isinstance(change, tuple) and field.startswith("steps."):  # the line counted in its own input
        line = typed.splitlines().index(change[1]) + 1
        assert error.startswith(f"Linje {line}: ")
    assert versions(bot) == []
    # the same modal, put right (and changed: unchanged saves nothing), saves
    assert submit(bot, view, {field: values[field], "title": "Ny tittel"}) == {}
    assert versions(bot) == [("seo-oppstart", 1)]


def test_only_a_pl_or_an_admin_may_edit(bot: Bot) -> None:
    refused = flat(bot.run("rutine rediger seo-oppstart", user=OTHER)["text"])
    assert "Bare prosjektledere (PL) og administratorer" in refused
    assert bot.fake.calls_to("views.open") == []
    assert "innebygd" in flat(open_editor(bot, "seo-oppstart", user=ADMIN)["blocks"][0])  # an admin who leads none
    as_pl(bot)
    view = open_editor(bot, "seo-oppstart")
    answer = submit(bot, view, {"title": "Kapret"}, user=MEMBER)  # someone else submits it
    assert answer["response_action"] == "errors" and "Bare prosjektledere" in flat(answer["errors"])
    assert versions(bot) == []
    assert "Fant ingen rutine «seo-opstart»" in flat(bot.run("rutine rediger seo-opstart")["text"])


@pytest.mark.parametrize("name", sorted(builtin_routines()))
def test_a_built_in_submitted_unchanged_saves_nothing_and_says_so(bot: Bot, name: str) -> None:
    as_pl(bot)
    view = open_editor(bot, name)
    assert submit(bot, view, {}) == {}
    assert versions(bot) == []
    assert f"Ingen endringer: *{builtin_routines()[name].title}* er fortsatt v1" in said(bot)


def test_someone_elses_save_meanwhile_is_not_overwritten(bot: Bot) -> None:
    as_pl(bot)
    first, second = open_editor(bot, "seo-oppstart"), open_editor(bot, "seo-oppstart")
    assert submit(bot, first, {"title": "Første"}) == {}
    refused = submit(bot, second, {"title": "Andre"})
    assert "Noen lagret v1 av `seo-oppstart`" in flat(refused["errors"]["title"])
    assert versions(bot) == [("seo-oppstart", 1)] and own(bot, "seo-oppstart", 1).title == "Første"


def test_a_200_step_routine_fits_the_editor_and_a_201st_step_is_refused(bot: Bot) -> None:
    as_pl(bot)
    words = "med en beskrivende tittel som tar litt plass"
    big = build_routine({"name": "stor", "title": "Stor", "kind": "avgrenset", "roles": {"seo": "SEO"},
                         "steps": [{"title": f"Steg {i} {words}", "role": "seo", "hours": 1.5,
                                    "date": f"start+{i}", "description": f"Gjør steg {i}."}
                                   for i in range(MAX_STEPS)]})
    with unit_of_work(bot.svc.sessions, write=True) as session:
        routine_db.save_routine(session, bot.team_id, big, user_id=PM, at=bot.svc.now())
    view = open_editor(bot, "stor")
    fields = step_fields(view)
    assert len(fields) >= 3 and len(view["blocks"]) <= 100
    assert all(len(block["element"].get("initial_value", "")) <= 3000 for block in view["blocks"]
               if block["type"] == "input")
    refused = submit(bot, view, {NEW_STEPS: "Ett steg for mye | start+1"})
    assert "Linje 1: Rutinen har for mange steg (maks 200)" in flat(refused["errors"][NEW_STEPS])
    assert versions(bot) == [("stor", 1)]
    values = shown(view)  # one removed, one added: still 200, saved as v2
    first = values[fields[0]].split("\n", 2)[2]
    assert submit(bot, view, {fields[0]: first, NEW_STEPS: "Ett steg til | start+1"}) == {}
    assert versions(bot) == [("stor", 1), ("stor", 2)]
    saved = own(bot, "stor", 2)
    assert len(saved.steps) == MAX_STEPS and saved.steps[0].title.startswith("Steg 1 ") and \
        saved.steps[-1].title == "Ett steg til"


def test_an_english_workspace_edits_in_english(bot: Bot) -> None:
    as_pl(bot)
    with bot.svc.unit(bot.team_id, write=True) as unit:
        unit.session.execute(update(Workspace).where(Workspace.team_id == bot.team_id).values(language="en"))
        bot.svc.forget_workspace(bot.team_id)
    assert bot.run("routine edit seo-oppstart") == {}
    view = bot.fake.wait_for("views.open", count=1)[-1].response["view"]
    assert view["title"]["text"] == "Edit routine" and "is built in" in flat(view["blocks"][0])
    values = shown(view)
    assert "| yes/no | default: nei" in values["questions"] and "| 8 h | start+7" in values["steps.1"]
    refused = submit(bot, view, {NEW_STEPS: "Extra | seo | 1 h | deadline+3"})
    assert flat(refused["errors"][NEW_STEPS]).startswith("Line 1: Couldn't read the date rule “deadline+3”")
    assert submit(bot, view, {NEW_STEPS: "Extra | seo | 1 h | deadline-3"}) == {}
    assert "The built-in routine doesn't change" in said(bot)
    assert own(bot, "seo-oppstart", 1).steps[-1].title == "Extra"
    assert "Only project managers" in flat(bot.run("routine edit seo-oppstart", user=OTHER)["text"])


def test_a_routine_too_big_for_slacks_modal_is_sent_to_export_and_import(bot: Bot) -> None:
    as_pl(bot)
    step = SEO.steps[0].model_copy(update={"description": "x" * 3000})
    long = SEO.model_copy(update={"name": "lang", "steps": [step]})
    with unit_of_work(bot.svc.sessions, write=True) as session:
        routine_db.save_routine(session, bot.team_id, long, user_id=PM, at=bot.svc.now())
    text = flat(bot.run("rutine rediger lang")["text"])
    assert "for stor til å endres i Slack" in text and "rutine eksport lang" in text
    assert bot.fake.calls_to("views.open") == []
