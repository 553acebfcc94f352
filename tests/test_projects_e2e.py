"""Stories of a project's life, over real HTTP with the fake Slack Web API as the only fake."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from storage.models import HistoryEntry, Member, ProgressLog, Project, Task
from tests.conftest import ADMIN, MEMBER, OTHER, PM, Bot, Clock, flat

ONE_LINE = ('ny "Nettside Fjordkraft" kunde:"Fjordkraft AS" frist:15.12.2026 timer:120 budsjett:150000 '
            f"pl:<@{PM}|kari> type:avgrenset")


def count(bot: Bot, model: type, **where: object) -> int:
    with bot.svc.sessions() as session:
        stmt = select(func.count()).select_from(model).where(model.team_id == bot.team_id)  # type: ignore[attr-defined]
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return int(session.scalar(stmt) or 0)


def project(bot: Bot, number: int = 1) -> Project:
    with bot.svc.sessions() as session:
        found = session.scalar(select(Project).where(Project.team_id == bot.team_id, Project.number == number))
        assert found is not None
        return found


def test_pm_creates_a_project_in_one_line_and_the_channel_gets_its_card(bot: Bot) -> None:
    answer = bot.run(ONE_LINE)
    assert answer["response_type"] == "ephemeral"
    assert "P-1" in answer["text"] and "Nettside Fjordkraft" in answer["text"]
    card = bot.card()
    text = flat(card["blocks"])
    assert "P-1 · Nettside Fjordkraft" in text
    assert "Fjordkraft AS" in text and f"<@{PM}>" in text
    assert "0 t av 120 t" in text and "150 000 kr" in text
    assert "tir. 15. des." in text  # the Norwegian way
    assert [e["action_id"] for e in card["blocks"][-1]["elements"]] == [
        "card.log", "card.task", "card.frame", "card.deliver"]
    created = project(bot)
    assert (created.frame_minutes, created.budget_nok, created.deadline) == (7200, 150000, dt.date(2026, 12, 15))
    assert (created.card_channel_id, created.card_ts) == (bot.slack.channel_id, card["ts"])
    assert count(bot, Member, role="pm") == 1
    assert count(bot, HistoryEntry, action="created") == 1


def test_keys_and_unquoted_name_in_english(bot: Bot) -> None:
    answer = bot.run(f"new Retainer customer:Acme Corp hours:40 kind:retainer pm:<@{MEMBER}> start:01.12.2026")
    assert "P-1" in answer["text"], answer
    created = project(bot)
    assert (created.name, created.customer, created.kind, created.pm_user_id) == (
        "Retainer", "Acme Corp", "lopende", MEMBER)
    assert created.start == dt.date(2026, 12, 1) and created.deadline is None
    assert "denne måneden" in str(bot.card()["blocks"])


def test_team_logs_hours_and_the_card_is_updated_in_place(bot: Bot) -> None:
    bot.run(ONE_LINE)
    card = bot.card()
    other = bot.run('ny Annonser kunde:Tine frist:15.12.2026 timer:40 kanal:<#C0THER0001|annet>')
    assert "P-2" in other["text"]
    assert "(totalt 7 t)" in flat(bot.run("logg P-2 7t Annonser")["text"])
    answer = bot.run("logg P-1 2,5t Skrev annonsetekster 40%", user=MEMBER)
    assert "Logget 2,5 t på *P-1* Nettside Fjordkraft (totalt 2,5 t)." in flat(answer["text"]), answer
    answer = bot.run("logg 1t 30m Møte med kunden", user=MEMBER)  # project inferred from the channel
    assert "(totalt 4 t)" in flat(answer["text"]), answer  # this project's logs only, the new one included
    assert "(totalt 5,5 t)" in flat(bot.run("logg Nettside 90m Rapport")["text"])  # by a unique name prefix
    bot.settle()
    with bot.svc.sessions() as session:
        logs = session.scalars(select(ProgressLog).where(ProgressLog.team_id == bot.team_id)
                               .order_by(ProgressLog.id)).all()
    assert [(x.minutes, x.description, x.percent) for x in logs] == [
        (420, "Annonser", None), (150, "Skrev annonsetekster", 40), (90, "Møte med kunden", None),
        (90, "Rapport", None)]
    posts = [c for c in bot.fake.calls_to("chat.postMessage") if c.args["channel"] == bot.slack.channel_id]
    assert len(posts) == 1  # never a second card
    updated = bot.fake.messages(bot.slack.channel_id)[-1]
    assert updated["ts"] == card["ts"]
    text = flat(updated["blocks"])
    assert "5,5 t av 120 t" in text
    assert "40 %" in text
    assert "Skrev annonsetekster" in text
    assert count(bot, Member, user_id=MEMBER) == 1  # joined by logging


def test_a_command_that_says_payload_is_still_a_command(bot: Bot) -> None:
    """slack-bolt took any form body with the word "payload" for an interactive payload (found by the fuzz test)."""
    bot.run(ONE_LINE)
    answer = bot.run("logg P-1 2t payload=sporing i GA4", user=MEMBER)
    assert "Logget 2 t på *P-1*" in flat(answer["text"]), answer
    with bot.svc.sessions() as session:
        assert session.scalars(select(ProgressLog.description).where(ProgressLog.team_id == bot.team_id)).all() == [
            "payload=sporing i GA4"]


def test_modal_path_creates_once_even_when_submitted_twice(bot: Bot) -> None:
    assert bot.run("ny") == {}
    view = bot.opened_view()
    assert view["title"]["text"] == "Nytt prosjekt"
    values = {"name": "Kampanje Q1", "customer": "Tine", "deadline": "2027-01-29", "hours": "37,5",
              "budget": "45 000", "goals": "Flere leads\nLavere CPC", "members": [MEMBER]}
    first = bot.slack.submit(view, values, user=PM)
    second = bot.slack.submit(view, values, user=PM)
    assert first.status_code == second.status_code == 200
    assert first.text == second.text == ""  # both close the modal
    bot.settle()
    assert count(bot, Project) == 1
    created = project(bot)
    assert (created.frame_minutes, created.budget_nok, created.deadline) == (2250, 45000, dt.date(2027, 1, 29))
    assert count(bot, Member) == 2
    card = bot.card()
    assert "Flere leads" in str(card["blocks"]) and "Lavere CPC" in str(card["blocks"])
    confirm = bot.fake.wait_for("chat.postEphemeral")[-1]
    assert confirm.args["user"] == PM and "P-1" in confirm.args["text"]


def test_modal_errors_land_on_their_field_and_keep_the_values(bot: Bot) -> None:
    bot.run("ny")
    view = bot.opened_view()
    response = bot.slack.submit(view, {"name": "X", "customer": "Y", "hours": "mange", "deadline": "2027-01-01"},
                                user=PM)
    body = response.json()
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == ["hours"]
    assert "Forstod ikke timerammen" in body["errors"]["hours"]
    assert count(bot, Project) == 0
    # a fixed project without a deadline: the error is on the deadline field
    body = bot.slack.submit(view, {"name": "X", "customer": "Y"}, user=PM).json()
    assert list(body["errors"]) == ["deadline"]
    # fixing it on the same view works (the failed attempts did not mark the view as handled)
    assert bot.slack.submit(view, {"name": "X", "customer": "Y", "deadline": "2027-01-01"}, user=PM).text == ""
    assert count(bot, Project) == 1


def test_card_buttons_log_through_a_modal_and_update_the_same_message(bot: Bot) -> None:
    bot.run(ONE_LINE)
    bot.run('oppgave P-1 "Levere rapport" frist:fredag ansvarlig:<@UOLA00001>')
    card = bot.card()
    assert bot.slack.click(card, "card.log", user=MEMBER).status_code == 200
    view = bot.opened_view()
    assert view["title"]["text"] == "Logg fremdrift"
    task_id = next(b for b in view["blocks"] if b.get("block_id") == "task")["element"]["options"][0]["value"]
    bot.fake.reset()
    response = bot.slack.submit(view, {"hours": "3t", "description": "Rapport skrevet", "percent": "60",
                                       "task": task_id}, user=MEMBER)
    assert response.text == ""
    bot.settle()
    assert bot.fake.calls_to("chat.postMessage") == []
    [update] = bot.fake.calls_to("chat.update")
    assert update.args["ts"] == card["ts"]
    blocks = str(update.args["blocks"])
    assert "Levere rapport" not in blocks  # the task was marked done by the log
    assert "60" in blocks
    assert count(bot, Task) == 1
    confirmation = bot.fake.calls_to("chat.postEphemeral")[-1].args["text"]
    assert "Logget 3 t på *P-1*" in flat(confirmation) and "(totalt 3 t)" in flat(confirmation)
    with bot.svc.sessions() as session:
        task = session.scalar(select(Task).where(Task.team_id == bot.team_id))
        assert task is not None and task.done_by == MEMBER


def test_a_burst_of_logs_leaves_the_card_showing_every_one_of_them(bot: Bot) -> None:
    """Refreshes of one card are coalesced (at most one a second): none is lost, the last shows the last change."""
    bot.run(ONE_LINE)
    card = bot.card()
    bot.fake.reset()
    for _ in range(8):
        assert "Logget" in bot.run("logg P-1 0,5t Annonser", user=MEMBER)["text"]
    bot.settle()
    updates = bot.fake.calls_to("chat.update")
    assert updates and all(u.args["ts"] == card["ts"] for u in updates)
    assert "*Timer:* 4 t av 120 t" in flat(updates[-1].args["blocks"])
    assert bot.fake.calls_to("chat.postMessage") == []


def test_deliver_button_clicked_twice_changes_state_once(bot: Bot) -> None:
    bot.run(ONE_LINE)
    card = bot.card()
    for _ in range(2):
        assert bot.slack.click(card, "card.deliver", user=PM).status_code == 200
    bot.settle()
    assert project(bot).state == "delivered"
    assert count(bot, HistoryEntry, action="state") == 1
    updates = bot.fake.calls_to("chat.update")
    assert updates and all(u.args["ts"] == card["ts"] for u in updates)
    assert "card.deliver" not in str(updates[-1].args["blocks"])
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


def test_only_the_pm_or_an_admin_changes_frames_and_state(bot: Bot) -> None:
    bot.run(ONE_LINE)
    refused = bot.run("ramme P-1 timer:200", user=MEMBER)
    assert "Bare prosjektlederen" in refused["text"] and f"<@{PM}>" in refused["text"]
    assert "Bare prosjektlederen" in bot.run("pause P-1", user=MEMBER)["text"]
    assert [c.args["user"] for c in bot.fake.calls_to("users.info")] == [MEMBER]  # looked up once, then cached
    assert "Bare prosjektlederen" in bot.run("levert P-1", user=OTHER)["text"]
    assert project(bot).state == "active"
    assert project(bot).frame_minutes == 7200
    # the card button tells a non-PM why, ephemerally, and opens nothing
    card = bot.card()
    bot.fake.reset()
    bot.slack.click(card, "card.frame", user=MEMBER)
    bot.settle()
    assert bot.fake.calls_to("views.open") == []
    [why] = bot.fake.calls_to("chat.postEphemeral")
    assert why.args["user"] == MEMBER and "Bare prosjektlederen" in why.args["text"]
    # an admin may, and the change is in the history with old → new
    assert "endret" in bot.run("ramme P-1 timer:160 frist:uke 51", user=ADMIN)["text"]
    changed = project(bot)
    assert (changed.frame_minutes, changed.deadline) == (9600, dt.date(2026, 12, 18))
    history = flat(bot.run("historikk P-1")["blocks"][1]["text"]["text"])
    assert "endret Timeramme: 120 t → 160 t" in history
    assert "endret Frist: tir. 15. des. 2026 → fre. 18. des. 2026" in history
    assert f"<@{ADMIN}>" in history


def test_state_changes_pause_reopen_and_deliver(bot: Bot) -> None:
    bot.run(ONE_LINE)
    assert "pause" in bot.run("pause P-1")["text"]
    assert project(bot).state == "paused"
    assert "var allerede" in bot.run("pause P-1")["text"]
    bot.run("gjenåpne P-1")
    bot.run("levert")
    assert project(bot).state == "delivered"
    refused = bot.run("logg P-1 1t etter levering")
    assert "gjenåpne P-1" in refused["text"]
    assert count(bot, ProgressLog) == 0
    bot.run("gjenåpne")  # the channel's only project, even when delivered
    assert project(bot).state == "active"
    assert count(bot, HistoryEntry, action="state") == 4
    assert bot.fake.calls_to("users.info") == []  # the PL's rights never cost a Slack call


def test_status_list_goal_and_task(bot: Bot, clock: object) -> None:
    bot.run(ONE_LINE)
    bot.run('ny Annonser kunde:"Tine SA" frist:uke 52 timer:10')
    assert "La til målet" in bot.run('mål P-1 "Organisk trafikk" mål:10000 nå:4500')["text"]
    assert "Oppdaterte målet" in bot.run('mål P-1 "organisk trafikk" nå:5 000')["text"]
    added = bot.run('oppgave P-1 "Levere rapport" frist:fredag ansvarlig:<@UOLA00001|ola>')
    assert "fre. 27. nov." in added["text"] and f"<@{MEMBER}>" in added["text"]
    bot.run("logg P-2 9t Kampanjeoppsett")
    status = bot.run("status P-1")
    card = flat(status["blocks"])
    assert "Organisk trafikk: 5 000 / 10 000 (50 %)" in card
    assert "fre. 27. nov. – Levere rapport" in card
    listing = str(bot.run("liste")["blocks"])
    assert "P-1" in listing and "P-2" in listing
    assert "🟡" in listing  # P-2 used 90 % of its hours
    mine = str(bot.run("liste mine", user=MEMBER)["blocks"])
    assert "P-1" not in mine  # Ola is not on any project yet
    assert "P-2" in str(bot.run("liste alle")["blocks"])


def test_the_card_shows_the_newest_logs_the_open_tasks_by_deadline_and_the_goals_as_added(bot: Bot,
                                                                                          clock: Clock) -> None:
    """The card's rows come back in one statement (JSON built by the database): order and text survive it."""
    bot.run(ONE_LINE)
    bot.run('oppgave P-1 "Uten frist"')
    bot.run('oppgave P-1 "Sluttrapport" frist:1.12.2026')
    bot.run('oppgave P-1 "Utkast \'sitat\' \\ [1] {x} 🚀" frist:fredag')
    bot.run('oppgave P-1 "Ferdig først" frist:i morgen')
    bot.run('mål P-1 "Trafikk" mål:10000 nå:4500')
    bot.run('mål P-1 "Leads «nye»" nå:7')
    for hour, text in ((12, "første"), (13, "andre"), (11, "skrevet før, lagret sist"), (14, "fjerde \\ [1] {} ✨")):
        clock.set(clock.today, hour)
        extra = ' ferdig:"Ferdig først"' if hour == 13 else ""
        assert "Logget" in bot.run(f"logg P-1 1t {text}{extra}")["text"]
    blocks = bot.run("status P-1")["blocks"]
    card = flat("\n".join(part["text"] for block in blocks for part in [block.get("text"), *block.get("elements", [])]
                          if isinstance(part, dict) and isinstance(part.get("text"), str)))
    deadlines = ["fre. 27. nov. – Utkast 'sitat' \\ [1] {x} 🚀", "tir. 1. des. – Sluttrapport",
                 "…og 1 oppgaver uten frist"]
    goals = ["Trafikk: 4 500 / 10 000 (45 %)", "Leads «nye»: 7"]
    logs = ["fjerde \\ [1] {} ✨", "andre", "første"]  # newest saved first; the fourth newest is not shown
    for lines in (deadlines, goals, logs):
        assert all(line in card for line in lines), (lines, card)
        assert sorted(lines, key=card.index) == lines, card
    assert "Ferdig først" not in card and "skrevet før" not in card
    assert "4 t av 120 t" in card


def test_odd_text_is_stored_cleanly_on_every_database(bot: Bot) -> None:
    """Found by the fuzz test: a NUL (PostgreSQL refuses it) and ligatures that casefold() lengthens."""
    bot.run(ONE_LINE)
    assert "kan ikke være tomt" in bot.run('oppgave P-1 "\x00\x07"')["text"]
    assert "Levere rapport" in bot.run('oppgave P-1 "Levere\x00 rapport"')["text"]
    ligatures = "ﬃ" * 150
    assert "La til målet" in bot.run(f'mål P-1 "{ligatures}"')["text"]
    assert "Oppdaterte målet" in bot.run(f'mål P-1 "{ligatures}" nå:3')["text"]
    with bot.svc.sessions() as session:
        assert session.scalar(select(Task.title).where(Task.team_id == bot.team_id)) == "Levere rapport"
