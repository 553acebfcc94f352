"""Routines in Slack (issue 11), over real signed HTTP: a project from a routine on one line, the workspace's
routines and one in words, a project's tasks and hours logged against one, saving a project as a routine and
exporting it. Nothing half-made is stored."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select

from bot.domain.routines import builtin_routines, load_routine, plan_steps
from fakeslack.validation import check_message
from storage.models import HistoryEntry, ProgressLog, Project, RoutineRow, Task
from tests.conftest import MEMBER, OTHER, PM, Bot, flat

SEO = builtin_routines()["seo-oppstart"]


def project(bot: Bot, number: int) -> Project:
    with bot.svc.sessions() as session:
        found = session.scalar(select(Project).where(Project.team_id == bot.team_id, Project.number == number))
        assert found is not None
        session.expunge(found)
        return found


def tasks(bot: Bot, number: int) -> list[Task]:
    with bot.svc.sessions() as session:
        rows = session.scalars(select(Task).join(Project, Project.id == Task.project_id)
                               .where(Task.team_id == bot.team_id, Project.number == number).order_by(Task.id)).all()
        session.expunge_all()
        return list(rows)


def count(bot: Bot, model: type) -> int:
    with bot.svc.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(model.team_id == bot.team_id)))


def test_ny_with_a_routine_makes_the_project_with_dated_steps_owners_estimates_and_the_frame(bot: Bot) -> None:
    answer = bot.run(f'ny "SEO Tine" kunde:Tine frist:15.03.2027 rutine:seo-oppstart rolle:seo=<@{MEMBER}|ola>')
    text = flat(answer["text"])
    assert "Opprettet *P-1* SEO Tine" in text and "fra rutinen *SEO-oppstart* v1: 14 steg" in text
    assert "1 steg hoppet over etter svarene" in text  # lokal = nei: no Google Bedriftsprofil
    assert "ga4=nei" in text and "summen av stegenes estimater" in text and "ramme P-1 timer:" in text
    plan = plan_steps(SEO, start=dt.date(2026, 11, 26), deadline=dt.date(2027, 3, 15), roles={"seo": MEMBER,
                                                                                                 "pl": PM})
    made = tasks(bot, 1)
    assert [(t.title, t.deadline, t.owner_user_id, t.estimate_minutes) for t in made] == [
        (s.title, s.date, s.owner, s.minutes) for s in plan.steps]
    revision = next(t for t in made if t.title == "Teknisk SEO-revisjon")
    assert revision.owner_user_id == MEMBER and revision.estimate_minutes == 8 * 60
    assert revision.description and "Core Web Vitals" in revision.description
    assert next(t for t in made if t.title == "Oppstartsmøte med kunden").owner_user_id == PM  # the PL's role
    p1 = project(bot, 1)
    assert (p1.routine_name, p1.routine_version, p1.kind) == ("seo-oppstart", 1, "avgrenset")
    assert p1.frame_minutes == plan.frame_minutes == sum(s.minutes for s in plan.steps)
    assert json.loads(p1.routine_answers or "") == {"ga4": "nei", "gsc": "nei", "lokal": "nei"}
    assert json.loads(p1.routine_roles or "") == {"pl": PM, "seo": MEMBER}
    with bot.svc.sessions() as session:
        actions = session.scalars(select(HistoryEntry.new_value).where(
            HistoryEntry.team_id == bot.team_id, HistoryEntry.action == "routine_used")).all()
    assert actions == ["seo-oppstart v1"]


def test_timer_overrides_the_routines_frame_and_english_keys_work(bot: Bot) -> None:
    text = flat(bot.run('new "SEO Fjord" customer:Fjord deadline:15.03.2027 routine:seo-oppstart hours:30')["text"])
    assert "Timeramme 30 t (fra timer:)" in text
    assert project(bot, 1).frame_minutes == 30 * 60


def test_steps_before_the_start_are_compressed_and_said_so(bot: Bot) -> None:
    text = flat(bot.run('ny "Kort SEO" kunde:Tine frist:04.12.2026 rutine:seo-oppstart')["text"])
    assert "*komprimert*" in text
    made = tasks(bot, 1)
    assert made and all(dt.date(2026, 11, 26) <= t.deadline <= dt.date(2026, 12, 4) for t in made if t.deadline)


def test_lopende_gets_its_first_months_monthly_steps_and_the_monthly_frame(bot: Bot) -> None:
    text = flat(bot.run('ny "SoMe Bakeriet" kunde:Bakeriet rutine:some-lopende')["text"])
    assert "per måned (rutinens ramme)" in text
    p1 = project(bot, 1)
    assert p1.kind == "lopende" and p1.frame_minutes == 20 * 60 and p1.deadline is None
    plan = plan_steps(builtin_routines()["some-lopende"], start=dt.date(2026, 11, 26), deadline=None)
    made = tasks(bot, 1)
    assert [(t.title, t.deadline) for t in made] == [(s.title, s.date) for s in plan.steps]
    monthly = [t.title for t, s in zip(made, plan.steps, strict=True) if s.rule.monthly]
    assert monthly and all(t.deadline and t.deadline.month == 11 for t in made if t.title in monthly)
    assert "Månedsrapport til kunden" not in monthly  # the 3rd working day of November was before the start


def test_bad_routine_input_stores_nothing_and_says_how_to_write_it(bot: Bot) -> None:
    unknown = flat(bot.run('ny "SEO Tine" kunde:Tine frist:15.03.2027 rutine:seo-opstart')["text"])
    assert "Fant ingen rutine «seo-opstart»" in unknown and "seo-oppstart" in unknown
    no_deadline = flat(bot.run('ny "SEO Tine" kunde:Tine rutine:seo-oppstart')["text"])
    assert "regnes fra fristen" in no_deadline and "frist:15.03.2027" in no_deadline
    role = flat(bot.run(f'ny "SEO Tine" kunde:Tine frist:15.03.2027 rutine:seo-oppstart rolle:design=<@{MEMBER}>')[
        "text"])
    assert "Rollen «design» finnes ikke" in role
    assert "rolle:seo=@ola" in flat(bot.run('ny "SEO Tine" kunde:Tine frist:15.03.2027 rutine:seo-oppstart '
                                            "rolle:seo")["text"])
    assert "rutine:NAVN" in flat(bot.run(f'ny "SEO Tine" kunde:Tine frist:15.03.2027 rolle:seo=<@{MEMBER}>')["text"])
    assert count(bot, Project) == 0 and count(bot, Task) == 0


def test_rutiner_lists_builtins_and_own_and_vis_shows_one_in_words_within_slacks_limits(bot: Bot) -> None:
    listed = bot.run("rutiner")
    assert check_message({"channel": "C1", **listed}) is None
    text = flat(listed["blocks"])
    for name in builtin_routines():
        assert f"`{name}`" in text
    assert "innebygd" in text and "løpende" in text
    shown = bot.run("rutine vis seo-oppstart")
    assert check_message({"channel": "C1", **shown}) is None
    body = flat(shown["blocks"])
    assert "Har kunden GA4 satt opp?" in body and "SEO-rådgiver" in body
    assert "5 arbeidsdager etter start" in body and "8 arbeidsdager før frist" in body and "på fristen" in body
    assert "når «Har kunden GA4 satt opp?» er nei" in body
    monthly = flat(bot.run("routine show some-lopende")["blocks"])
    assert "working day 3 of each month" in monthly or "3. arbeidsdag hver måned" in monthly
    assert "Fant ingen rutine «seo»" in flat(bot.run("rutine vis seo")["text"])


def test_oppgaver_lists_tasks_with_hours_of_the_estimate_and_logg_oppgave_counts_against_one(bot: Bot) -> None:
    bot.run(f'ny "SEO Tine" kunde:Tine frist:15.03.2027 rutine:seo-oppstart rolle:seo=<@{MEMBER}|ola>')
    saved = flat(bot.run('logg P-1 2t oppgave:"Teknisk SEO-revisjon" Fant 40 feil', user=MEMBER)["text"])
    assert "Logget 2 t på *P-1*" in saved
    assert "Logget" in flat(bot.run("logg P-1 7t oppgave:teknisk", user=MEMBER)["text"])  # a unique prefix
    bot.run('logg P-1 1t ferdig:"Oppstartsmøte med kunden"')
    listed = bot.run("oppgaver P-1")
    assert check_message({"channel": "C1", **listed}) is None
    lines = flat(listed["blocks"])
    assert "«Teknisk SEO-revisjon»" in lines and "9 t av 8 t ⚠️" in lines
    assert "✓ «Oppstartsmøte med kunden»" in lines and "1 t av 2 t" in lines
    assert "0 t av 8 t" in lines  # Søkeordsanalyse: nothing logged yet
    unknown = flat(bot.run('logg P-1 1t oppgave:"Teknisk revisjn"')["text"])
    assert "Fant ingen oppgave «Teknisk revisjn»" in unknown and "«Teknisk SEO-revisjon»" in unknown
    with bot.svc.sessions() as session:
        logs = session.execute(select(ProgressLog.minutes, Task.title).join(Task, Task.id == ProgressLog.task_id)
                               .where(ProgressLog.team_id == bot.team_id).order_by(ProgressLog.id)).all()
    assert [tuple(row) for row in logs] == [(120, "Teknisk SEO-revisjon"), (420, "Teknisk SEO-revisjon"),
                                            (60, "Oppstartsmøte med kunden")]


def test_rutine_lagre_saves_a_project_as_a_routine_a_new_version_each_time_and_eksport_sends_it(bot: Bot) -> None:
    bot.run('ny "Nettbutikk Bakeriet" kunde:Bakeriet frist:29.01.2027')
    bot.run(f"oppgave P-1 Designskisser frist:10.12.2026 ansvarlig:<@{MEMBER}>")
    bot.run("oppgave P-1 Lansering frist:29.01.2027")
    refused = flat(bot.run('rutine lagre P-1 "Lansering nettbutikk"', user=OTHER)["text"])
    assert "<@" in refused and count(bot, RoutineRow) == 0  # only the PL (or an admin)
    text = flat(bot.run('rutine lagre P-1 "Lansering nettbutikk"')["text"])
    assert "Lagret rutinen *Lansering nettbutikk* (`lansering-nettbutikk`) v1 fra P-1: 2 steg" in text
    assert "v2" in flat(bot.run('rutine lagre P-1 "Lansering nettbutikk"')["text"])
    with bot.svc.sessions() as session:
        body = session.scalar(select(RoutineRow.body).where(RoutineRow.team_id == bot.team_id,
                                                            RoutineRow.version == 2))
    routine = load_routine(body or "")
    assert [(s.title, s.date.format(), s.role) for s in routine.steps] == [
        ("Designskisser", "start+10", "rolle1"), ("Lansering", "frist-0", "pl")]
    listed = flat(bot.run("rutiner")["blocks"])
    assert "`lansering-nettbutikk`" in listed and "v2" in listed and "egen" in listed
    assert "v2" in flat(bot.run("rutine eksport lansering-nettbutikk")["text"])
    bot.settle()
    uploads = [f for f in bot.fake.files() if f["name"] == "lansering-nettbutikk.yaml"]
    assert len(uploads) == 1 and uploads[0]["shared"] and uploads[0]["channel"]
    assert load_routine(uploads[0]["content"].decode()) == routine
    made = flat(bot.run('ny "Nettbutikk Fjord" kunde:Fjord frist:26.02.2027 rutine:lansering-nettbutikk')["text"])
    assert "*Lansering nettbutikk* v2: 2 steg" in made


def test_the_card_shows_the_routine_steps_done_the_next_three_and_a_step_over_its_estimate(bot: Bot) -> None:
    bot.run('ny "SEO Tine" kunde:Tine frist:15.03.2027 rutine:seo-oppstart')
    bot.run('logg P-1 3t ferdig:"Oppstartsmøte med kunden"')
    bot.run('logg P-1 2t oppgave:"Innhente tilganger"')
    status = bot.run("status P-1")
    assert check_message({"channel": "C1", **status}) is None
    card = flat(status["blocks"])
    assert "Rutine: *SEO-oppstart v1* · 1 av 14 steg ferdig" in card
    assert card.count("Innhente tilganger") == 2  # next up, and over its estimate
    assert "Over estimatet: «Innhente tilganger» 2 t / 1 t" in card
    assert "Verifisere Google Search Console" in card and "Søkeordsanalyse" not in card  # only the next three
    # no % reported: progress is the share of the estimated hours done (2 t of 61 t), not of the tasks (1 of 14)
    assert "*Fremdrift:* 3 %" in card
    bot.run("logg P-1 1t 50%")
    assert "*Fremdrift:* 50 %" in flat(bot.run("status P-1")["blocks"])  # a reported % wins
    plain = bot.run('ny "Uten rutine" kunde:Tine frist:15.03.2027')
    assert "P-2" in plain["text"] and "Rutine:" not in flat(bot.run("status P-2")["blocks"])
