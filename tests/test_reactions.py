"""Reactions and buttons on follow-up messages (docs/product.md §4): signed `reaction_added`/`reaction_removed` events
and block actions over real HTTP, the clock run in-process, the fake Slack Web API as the only fake."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select, update

from bot.clock.passes import Clock
from storage.models import Followup, HistoryEntry, Project, Task, Workspace
from tests.conftest import MEMBER, OTHER, PM, Bot, at, flat
from tests.conftest import Clock as TimeNow

BOT_USER = "UBOT"  # the fake's bot user: the author of every follow-up


# --- Slack's side ----------------------------------------------------------------------------------------------
def react(bot: Bot, ts: str, reaction: str = "white_check_mark", *, user: str = MEMBER, removed: bool = False,
          item_user: str = BOT_USER, event_id: str | None = None, retry: int | None = None) -> None:
    """A reaction event exactly as Slack sends it, on a message in the project channel."""
    response = bot.slack.reaction(ts, reaction, user=user, added=not removed, item_user=item_user, event_id=event_id,
                                  retry=retry)
    assert response.status_code == 200, response.text
    bot.settle()


def choose_snooze(bot: Bot, message: dict[str, Any], days: int, *, user: str = MEMBER) -> None:
    """Pick "1 dag / 3 dager / 1 uke" in the follow-up's snooze menu (a static_select block action)."""
    block = next(b for b in message["blocks"] if b["type"] == "actions")
    menu = next(e for e in block["elements"] if e["action_id"] == "followup.snooze")
    option = next(o for o in menu["options"] if o["value"].endswith(f":{days}"))
    response = bot.slack.block_action(message["blocks"], block["block_id"], "followup.snooze",
                                      {"selected_option": option}, user=user, message=message)
    assert response.status_code == 200, response.text
    bot.settle()


# --- what the channel and the database show ----------------------------------------------------------------------
def top(bot: Bot, starts: str) -> list[dict[str, Any]]:
    """Top-level messages in the project channel whose text starts with `starts`, oldest first."""
    return [m for m in bot.fake.messages(bot.slack.channel_id)
            if m["thread_ts"] in (None, m["ts"]) and flat(m["text"]).startswith(starts)]


def nags(bot: Bot) -> list[dict[str, Any]]:
    return top(bot, "⚠️ *Forsinket")


def replies(bot: Bot, ts: str) -> list[str]:
    return [flat(m["text"]) for m in bot.fake.messages(bot.slack.channel_id) if m["thread_ts"] == ts and m["ts"] != ts]


def message(bot: Bot, ts: str) -> dict[str, Any]:
    return next(m for m in bot.fake.messages(bot.slack.channel_id) if m["ts"] == ts)


def has_buttons(msg: dict[str, Any]) -> bool:
    return any(b["type"] == "actions" for b in msg["blocks"])


def card(bot: Bot) -> dict[str, Any]:
    """The project card (follow-ups have buttons too, so not just the last message with buttons)."""
    bot.settle()
    ts = the_project(bot).card_ts
    assert ts is not None
    return message(bot, ts)


def the_task(bot: Bot) -> Task:
    with bot.svc.sessions() as session:
        task = session.scalar(select(Task).where(Task.team_id == bot.team_id))
        assert task is not None
        return task


def the_project(bot: Bot) -> Project:
    with bot.svc.sessions() as session:
        project = session.scalar(select(Project).where(Project.team_id == bot.team_id))
        assert project is not None
        return project


def history(bot: Bot, action: str) -> int:
    with bot.svc.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(HistoryEntry).where(
            HistoryEntry.team_id == bot.team_id, HistoryEntry.action == action)) or 0)


def followup_at(bot: Bot, ts: str) -> Followup:
    with bot.svc.sessions() as session:
        found = session.scalar(select(Followup).where(Followup.team_id == bot.team_id, Followup.message_ts == ts))
        assert found is not None
        return found


def late_task(bot: Bot, follow: Clock, clock: TimeNow, *, owner: str | None = None) -> dict[str, Any]:
    """PL creates a project and a task due Wed 2 Dec; the clock posts its first overdue nag on Thu 3 Dec."""
    clock.now = at("2026-11-30", 10)
    bot.run("ny Kampanje kunde:Tine frist:31.12.2026")
    bot.run('oppgave "Annonsetekster" frist:02.12.2026' + (f" ansvarlig:<@{owner}>" if owner else ""))
    follow.run_pass(at("2026-12-03", 9, 1), everything=True)
    posted = nags(bot)
    assert len(posted) == 1 and "Annonsetekster" in flat(posted[0]["text"])
    clock.now = at("2026-12-03", 10)
    return posted[0]


def passes(follow: Clock, *moments: dt.datetime) -> None:
    for moment in moments:
        follow.run_pass(moment, everything=True)


# --- stories -----------------------------------------------------------------------------------------------------
def test_done_reaction_completes_the_task_and_taking_it_back_reopens_it(bot: Bot, follow: Clock,
                                                                        clock: TimeNow) -> None:
    nag = late_task(bot, follow, clock)
    assert "Annonsetekster" in flat(card(bot)["blocks"])
    react(bot, nag["ts"], user=MEMBER)
    task = the_task(bot)
    assert task.done_at is not None and task.done_by == MEMBER
    assert history(bot, "task_done") == 1
    assert replies(bot, nag["ts"]) == [f"✅ <@{MEMBER}> markerte dette som ferdig."]
    updated = message(bot, nag["ts"])
    assert f"Ferdig – markert av <@{MEMBER}>" in flat(updated["blocks"]) and not has_buttons(updated)
    assert "Annonsetekster" not in flat(card(bot)["blocks"])  # the card shows it
    # a second ✅ (the heavy one, by the PL) changes nothing: no second history entry, no second reply
    react(bot, nag["ts"], "heavy_check_mark", user=PM)
    assert history(bot, "task_done") == 1 and len(replies(bot, nag["ts"])) == 1
    # the nags stop (the second one was due Mon 7 Dec)
    passes(follow, at("2026-12-04", 9, 1), at("2026-12-07", 9, 1), at("2026-12-08", 9, 1))
    assert len(nags(bot)) == 1
    # the PL taking back his own (no-op) ✅ reopens nothing; the member taking back hers does
    clock.now = at("2026-12-08", 10)
    react(bot, nag["ts"], "heavy_check_mark", user=PM, removed=True)
    assert the_task(bot).done_at is not None
    react(bot, nag["ts"], user=MEMBER, removed=True)
    assert the_task(bot).done_at is None and history(bot, "task_reopened") == 1
    assert replies(bot, nag["ts"])[-1] == f"↩️ <@{MEMBER}> åpnet dette igjen."
    assert has_buttons(message(bot, nag["ts"]))
    assert "Annonsetekster" in flat(card(bot)["blocks"])
    # the nags resume, from the next working day at 09:00
    passes(follow, at("2026-12-08", 15))
    assert len(nags(bot)) == 1
    passes(follow, at("2026-12-09", 9, 1))
    assert len(nags(bot)) == 2 and "Forsinket 7 dag(er)" in flat(nags(bot)[-1]["text"])


def test_alarm_clock_snoozes_to_the_next_working_day_at_nine(bot: Bot, follow: Clock, clock: TimeNow) -> None:
    clock.now = at("2026-11-27", 10)  # a Friday
    bot.run("ny Kampanje kunde:Tine frist:31.12.2026")
    bot.run('oppgave "Rapport" frist:07.12.2026')
    passes(follow, at("2026-11-30", 9, 1))
    [reminder] = top(bot, "⏳")
    assert "Frist om 5 arbeidsdag" in flat(reminder["text"])
    clock.now = at("2026-11-30", 11)
    react(bot, reminder["ts"], "alarm_clock", user=MEMBER)
    assert replies(bot, reminder["ts"]) == [f"⏰ <@{MEMBER}> utsatte til tir. 1. des. kl. 09:00."]
    updated = message(bot, reminder["ts"])
    assert f"Utsatt av <@{MEMBER}>" in flat(updated["blocks"]) and has_buttons(updated)
    react(bot, reminder["ts"], "alarm_clock", user=PM)  # the same snooze again: nothing new
    assert len(replies(bot, reminder["ts"])) == 1
    passes(follow, at("2026-11-30", 15), at("2026-12-01", 8, 59))
    assert top(bot, "⏰") == []
    passes(follow, at("2026-12-01", 9, 1), at("2026-12-01", 9, 2))
    [again] = top(bot, "⏰")
    assert "Påminnelse" in flat(again["text"]) and "Rapport" in flat(again["text"])
    assert "tir. 7. des." not in flat(again["text"]) and "man. 7. des." in flat(again["text"])


def test_a_snoozed_reminder_holds_back_the_next_reminders_until_the_snooze_ends(bot: Bot, follow: Clock,
                                                                                 clock: TimeNow) -> None:
    """⏰ for a week on "5 working days left": "1 working day left" (due Friday) is held back too; on Monday, the
    deadline day and the end of the snooze, "deadline today" is the one message (no extra reminder beside it)."""
    clock.now = at("2026-11-27", 10)  # a Friday
    bot.run("ny Kampanje kunde:Tine frist:31.12.2026")
    bot.run('oppgave "Rapport" frist:07.12.2026')
    passes(follow, at("2026-11-30", 9, 1))
    [reminder] = top(bot, "⏳")
    clock.now = at("2026-11-30", 11)
    choose_snooze(bot, reminder, 5)
    assert replies(bot, reminder["ts"]) == [f"⏰ <@{MEMBER}> utsatte til man. 7. des. kl. 09:00."]
    passes(follow, at("2026-12-04", 9, 1))
    assert len(top(bot, "⏳")) == 1
    passes(follow, at("2026-12-07", 9, 1), at("2026-12-07", 9, 2))
    assert len(top(bot, "📅")) == 1 and top(bot, "⏰") == []
    with bot.svc.sessions() as session:
        held = session.execute(select(Followup.state, Followup.error).where(
            Followup.team_id == bot.team_id, Followup.occasion == "1:2026-12-07")).one()
    assert tuple(held) == ("cancelled", "snoozed")


def test_snooze_menu_holds_the_nags_for_three_working_days(bot: Bot, follow: Clock, clock: TimeNow) -> None:
    nag = late_task(bot, follow, clock)
    choose_snooze(bot, nag, 3)
    assert replies(bot, nag["ts"]) == [f"⏰ <@{MEMBER}> utsatte til tir. 8. des. kl. 09:00."]
    passes(follow, at("2026-12-04", 9, 1), at("2026-12-07", 9, 1))  # the second nag was due Mon 7 Dec
    assert len(nags(bot)) == 1
    passes(follow, at("2026-12-08", 9, 1))
    assert len(nags(bot)) == 2
    with bot.svc.sessions() as session:  # the hold alone postpones a nag: no extra reminder was planned
        assert session.scalar(select(func.count()).select_from(Followup).where(
            Followup.team_id == bot.team_id, Followup.rule == "snoozed")) == 0


def test_eyes_takes_the_task_and_keeps_the_nags_away_for_a_working_day(bot: Bot, follow: Clock,
                                                                       clock: TimeNow) -> None:
    nag = late_task(bot, follow, clock)
    with bot.svc.sessions.begin() as session:  # nag every working day, so a day's hold shows
        session.execute(update(Workspace).where(Workspace.team_id == bot.team_id).values(rules='{"nag_every": 1}'))
    react(bot, nag["ts"], "eyes", user=MEMBER)
    assert the_task(bot).owner_user_id == MEMBER and history(bot, "task_taken") == 1
    assert replies(bot, nag["ts"]) == [f"👀 <@{MEMBER}> tar den. Ingen påminnelse før man. 7. des. kl. 09:00."]
    text = flat(message(bot, nag["ts"])["blocks"])
    assert f"Ansvarlig <@{MEMBER}>" in text and f"👀 <@{MEMBER}> tar den" in text
    react(bot, nag["ts"], "eyes", user=OTHER)  # someone else is on it too: the owner stays
    assert the_task(bot).owner_user_id == MEMBER
    passes(follow, at("2026-12-04", 9, 1))
    assert len(nags(bot)) == 1
    passes(follow, at("2026-12-07", 9, 1))
    assert len(nags(bot)) == 2


def test_x_closes_the_follow_up_for_the_pl_and_explains_to_others(bot: Bot, follow: Clock, clock: TimeNow) -> None:
    nag = late_task(bot, follow, clock)
    react(bot, nag["ts"], "x", user=MEMBER)
    refusal = bot.fake.calls_to("chat.postEphemeral")[-1].args
    assert refusal["user"] == MEMBER and "Bare prosjektlederen" in flat(refusal["text"])
    assert followup_at(bot, nag["ts"]).resolution is None and replies(bot, nag["ts"]) == []
    assert has_buttons(message(bot, nag["ts"]))
    react(bot, nag["ts"], "x", user=PM)
    assert followup_at(bot, nag["ts"]).resolution == "closed"
    assert replies(bot, nag["ts"]) == [f"❌ <@{PM}> lukket oppfølgingen som ikke relevant."]
    updated = message(bot, nag["ts"])
    assert f"Lukket som ikke relevant av <@{PM}>" in flat(updated["blocks"]) and not has_buttons(updated)
    passes(follow, at("2026-12-07", 9, 1), at("2026-12-09", 9, 1), at("2026-12-11", 9, 1))
    assert len(nags(bot)) == 1 and the_task(bot).done_at is None


def test_reactions_elsewhere_by_the_bot_or_retried_change_nothing(bot: Bot, follow: Clock, clock: TimeNow) -> None:
    nag = late_task(bot, follow, clock)
    the_card = card(bot)
    updates = len(bot.fake.calls_to("chat.update"))
    react(bot, the_card["ts"])  # the project card: a bot message, but no follow-up
    human = bot.fake.add_message(bot.slack.channel_id, "ferdig!", user=OTHER)
    react(bot, human, item_user=OTHER)
    react(bot, nag["ts"], user=BOT_USER)  # the bot's own pre-added ✅
    assert the_task(bot).done_at is None
    assert replies(bot, the_card["ts"]) == [] and replies(bot, nag["ts"]) == []
    assert len(bot.fake.calls_to("chat.update")) == updates
    # ✅, then taken back; Slack's late retry of the ✅ must not complete the task again
    react(bot, nag["ts"], user=MEMBER, event_id="Ev0DONE01")
    react(bot, nag["ts"], user=MEMBER, removed=True)
    react(bot, nag["ts"], user=MEMBER, event_id="Ev0DONE01", retry=1)
    assert the_task(bot).done_at is None and history(bot, "task_done") == 1
    assert len(replies(bot, nag["ts"])) == 2


def test_done_button_completes_the_task(bot: Bot, follow: Clock, clock: TimeNow) -> None:
    nag = late_task(bot, follow, clock, owner=OTHER)
    response = bot.slack.click(nag, "followup.done", user=OTHER)
    assert response.status_code == 200
    bot.settle()
    assert the_task(bot).done_by == OTHER
    assert replies(bot, nag["ts"]) == [f"✅ <@{OTHER}> markerte dette som ferdig."]
    assert not has_buttons(message(bot, nag["ts"]))
    bot.slack.click(nag, "followup.done", user=OTHER)  # a double click
    bot.settle()
    assert history(bot, "task_done") == 1 and len(replies(bot, nag["ts"])) == 1


def test_done_on_an_hours_alert_acknowledges_it(bot: Bot, follow: Clock, clock: TimeNow) -> None:
    clock.now = at("2026-11-30", 10)
    bot.run("ny Kampanje kunde:Tine frist:31.12.2026 timer:10")
    bot.run("logg 8t Innhold", user=MEMBER)
    passes(follow, at("2026-11-30", 10, 5))
    [alert] = top(bot, "📊")
    react(bot, alert["ts"], user=MEMBER)
    assert followup_at(bot, alert["ts"]).resolution == "acknowledged"
    assert replies(bot, alert["ts"]) == [f"✅ <@{MEMBER}> kvitterte for varselet."]
    updated = message(bot, alert["ts"])
    assert f"Sett – kvittert av <@{MEMBER}>" in flat(updated["blocks"]) and not has_buttons(updated)
    assert the_project(bot).state == "active"
    react(bot, alert["ts"], user=MEMBER, removed=True)
    assert followup_at(bot, alert["ts"]).resolution is None and has_buttons(message(bot, alert["ts"]))


def test_done_on_a_project_deadline_delivers_it_for_the_pl_only(bot: Bot, follow: Clock, clock: TimeNow) -> None:
    clock.now = at("2026-11-30", 10)
    bot.run("ny Kampanje kunde:Tine frist:02.12.2026")
    passes(follow, at("2026-12-02", 9, 1))
    [today] = top(bot, "📅")
    clock.now = at("2026-12-02", 10)
    react(bot, today["ts"], user=MEMBER)
    refusal = bot.fake.calls_to("chat.postEphemeral")[-1].args
    assert refusal["user"] == MEMBER and "Bare prosjektlederen" in flat(refusal["text"])
    assert the_project(bot).state == "active" and replies(bot, today["ts"]) == []
    react(bot, today["ts"], user=PM)
    assert the_project(bot).state == "delivered"
    assert replies(bot, today["ts"]) == [f"✅ <@{PM}> markerte dette som ferdig."]
    assert "Levert" in flat(card(bot)["blocks"])
    passes(follow, at("2026-12-03", 9, 1))
    assert nags(bot) == []
    react(bot, today["ts"], user=PM, removed=True)
    assert the_project(bot).state == "active"
    passes(follow, at("2026-12-04", 9, 1))
    assert len(nags(bot)) == 1


def test_alarm_clock_on_the_deadline_day_leaves_it_to_the_next_morning_nag(bot: Bot, follow: Clock,
                                                                           clock: TimeNow) -> None:
    clock.now = at("2026-11-30", 10)
    bot.run("ny Kampanje kunde:Tine frist:31.12.2026")
    bot.run('oppgave "Annonsetekster" frist:02.12.2026')
    passes(follow, at("2026-12-02", 9, 1))
    [today] = top(bot, "📅")
    clock.now = at("2026-12-02", 10)
    react(bot, today["ts"], "alarm_clock", user=MEMBER)
    assert replies(bot, today["ts"]) == [f"⏰ <@{MEMBER}> utsatte til tor. 3. des. kl. 09:00."]
    passes(follow, at("2026-12-03", 9, 1))
    assert len(nags(bot)) == 1 and top(bot, "⏰") == []  # one message that morning, not two
