"""Correcting a log end to end over signed HTTP (issue 14, docs/product.md §11): `/prosjekt timer` lists your logs of
the last 14 days, newest first, each with *Endre* (the `logg` modal filled in) and *Slett* (after Slack's
confirmation); rights (own logs; the PL and admins), the history (old → new), the card, the Homes and log_days'
totals after each change; two tabs, a double click, another workspace's log id, an approved month."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import func, select

from bot.slack.render.log_edits import HoursAction
from bot.slack.render.modals import INTERNAL
from fakeslack import Sender
from storage.models import HistoryEntry, LogDay, ProgressLog
from tests.conftest import ADMIN, MEMBER, OTHER, PM, SECRET, Bot, Clock, at, flat
from tests.test_help_e2e import help_text

NEW = "ny Kampanje kunde:Tine frist:20.12.2026 timer:40 timepris:1000"


def listed(bot: Bot, user: str = PM, text: str = "timer") -> dict[str, Any]:
    return bot.run(text, user=user)


def log_ids(answer: dict[str, Any]) -> list[int]:
    return [int(b["block_id"].split(".")[1]) for b in answer["blocks"] if b["type"] == "actions"]


def press(bot: Bot, answer: dict[str, Any], log_id: int, action: str, *, user: str,
          slack: Sender | None = None) -> None:
    """Click *Endre* or *Slett* of one log on a `timer` answer (ephemeral: Slack sends a response_url)."""
    response = (slack or bot.slack).block_action(answer["blocks"], f"log.{log_id}", action, {}, user=user,
                                                 ephemeral=True)
    assert response.status_code == 200
    bot.settle()


def opened(bot: Bot) -> dict[str, Any]:
    return bot.fake.calls_to("views.open")[-1].response["view"]


def told(bot: Bot, user: str) -> str:
    """The last ephemeral message to `user`."""
    said = [c.args for c in bot.fake.calls_to("chat.postEphemeral") if c.args["user"] == user]
    return flat(said[-1]["text"]) if said else ""


def totals(bot: Bot) -> tuple[int, int, int, int]:
    """The workspace's minutes and billable cost by its logs, and as log_days keeps them (the triggers)."""
    with bot.svc.sessions() as session:
        logs = session.execute(select(
            func.coalesce(func.sum(ProgressLog.minutes), 0),
            func.coalesce(func.sum(ProgressLog.minutes * ProgressLog.rate_nok).filter(ProgressLog.billable), 0),
        ).where(ProgressLog.team_id == bot.team_id)).one()
        days = session.execute(select(func.coalesce(func.sum(LogDay.minutes), 0),
                                      func.coalesce(func.sum(LogDay.cost_kr_minutes), 0))
                               .where(LogDay.team_id == bot.team_id)).one()
    return int(logs[0]), int(logs[1]), int(days[0]), int(days[1])


def the_log(bot: Bot, log_id: int) -> ProgressLog | None:
    with bot.svc.sessions() as session:
        return session.scalar(select(ProgressLog).where(ProgressLog.team_id == bot.team_id, ProgressLog.id == log_id))


def log_history(bot: Bot) -> list[HistoryEntry]:
    with bot.svc.sessions() as session:
        return list(session.scalars(select(HistoryEntry).where(HistoryEntry.team_id == bot.team_id,
                                                               HistoryEntry.field == "log")))


def log_on(bot: Bot, clock: Clock, day: str, text: str, *, user: str = PM, channel: str | None = None) -> None:
    clock.now = at(day, 11)
    assert "Logget" in bot.run(text, user=user, channel=channel)["text"]


def test_timer_lists_your_logs_of_the_last_14_days_newest_first(bot: Bot, clock: Clock) -> None:
    clock.now = at("2026-11-09", 10)
    bot.run(NEW)
    bot.run("ny Nettside kunde:Tine frist:20.12.2026 timer:40", channel="C0NETTSIDE")
    log_on(bot, clock, "2026-11-12", "logg P-1 1t For gammel")  # 15 days before the 26th: not listed
    log_on(bot, clock, "2026-11-13", "logg P-1 2t Første dag i vinduet")
    log_on(bot, clock, "2026-11-20", "logg P-2 1t 30m Nettside <!channel> 40%", channel="C0NETTSIDE")
    log_on(bot, clock, "2026-11-26", "logg P-1 1t intern Internmøte")
    log_on(bot, clock, "2026-11-26", "logg P-1 3t Annonser")
    log_on(bot, clock, "2026-11-26", "logg P-1 5t Ola sine timer", user=MEMBER)
    answer = listed(bot)
    assert answer["response_type"] == "ephemeral"
    text = flat(answer["blocks"])
    lines = [flat(b["text"]["text"]) for b in answer["blocks"] if b["type"] == "section"]
    assert [line.split("\n")[0] for line in lines] == [
        "*P-1* Kampanje · tor. 26. nov. · *3 t*",  # the same day: the one logged last first
        "*P-1* Kampanje · tor. 26. nov. · *1 t* · internt",
        "*P-2* Nettside · fre. 20. nov. · *1,5 t* · 40 %",
        "*P-1* Kampanje · fre. 13. nov. · *2 t*",
    ]
    assert "Nettside &lt;!channel&gt;" in text  # user text escaped
    assert "For gammel" not in text and "Ola sine timer" not in text
    assert "Timene dine de siste 14 dagene" in text and "Totalt 7,5 t på 4 logger." in text
    delete = next(e for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"]
                  if e["action_id"] == HoursAction.DELETE)
    assert delete["confirm"]["title"]["text"] == "Slette loggen?" and delete["style"] == "danger"
    assert "Loggen på P-1 fra tor. 26. nov. (3 t) slettes." in flat(delete["confirm"]["text"]["text"])
    english = flat(listed(bot, text="hours")["blocks"])  # the English word; the workspace speaks Norwegian
    assert "Endre" in english and "Slett" in english
    assert "Ingen timer ført de siste 14 dagene" in flat(listed(bot, user=OTHER)["text"])
    assert "Skriv `/prosjekt timer`" in flat(listed(bot, text="timer masse greier")["text"])


def test_more_logs_than_a_message_holds_say_how_many_more(bot: Bot, clock: Clock) -> None:
    bot.run(NEW)
    for n in range(26):
        bot.run(f"logg P-1 {n % 5 + 1}t Logg nummer {n}")
    answer = listed(bot)
    assert len(answer["blocks"]) <= 50
    assert len(log_ids(answer)) == 23
    assert "Logg nummer 25" in flat(answer["blocks"][1])  # newest first
    assert "… og 3 eldre logger til." in flat(answer["blocks"][-1])


def test_edit_your_own_log_the_card_totals_history_and_home_follow(bot: Bot, clock: Clock) -> None:
    bot.run(NEW)
    bot.run("oppgave P-1 Annonser")
    bot.run("logg P-1 20t Skrev annonser 40%", user=MEMBER)  # meant 2 t
    bot.run("ramme P-1 timepris:1500")  # later logs cost more; this one keeps its 1 000 kr
    assert "20 t av 40 t" in flat(bot.card()["blocks"])
    bot.slack.home_opened(MEMBER)
    bot.settle()
    answer = listed(bot, user=MEMBER)
    [log_id] = log_ids(answer)
    press(bot, answer, log_id, HoursAction.EDIT, user=MEMBER)
    view = opened(bot)
    fields = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert fields["hours"]["initial_value"] == "20" and fields["percent"]["initial_value"] == "40"
    assert fields["description"]["initial_value"] == "Skrev annonser"
    assert "initial_options" not in fields["internal"]  # billable
    assert fields["task"]["initial_option"]["value"] == "-"
    assert view["callback_id"] == "progress.log" and view["title"]["text"] == "Endre logg"
    task = next(o["value"] for o in fields["task"]["options"] if o["text"]["text"] == "Annonser")
    publishes = len(bot.fake.calls_to("views.publish"))
    assert bot.slack.submit(view, {"hours": "2t", "description": "Skrev annonser for Tine", "percent": "50",
                                   "task": task, "internal": [INTERNAL]}, user=MEMBER).text == ""
    bot.settle()
    log = the_log(bot, log_id)
    assert log is not None
    assert (log.minutes, log.percent, log.billable, log.rate_nok) == (120, 50, False, 1000)
    assert log.description == "Skrev annonser for Tine" and log.task_id == int(task)
    assert "2 t av 40 t" in flat(bot.card()["blocks"])
    assert told(bot, MEMBER).startswith("✏️ Loggen på *P-1* Kampanje er endret: timer 20 t → 2 t")
    assert totals(bot)[0] == totals(bot)[2] == 120 and totals(bot)[3] == 0  # internal now: no cost
    history = flat(bot.run("historikk P-1")["blocks"])
    assert (f"<@{MEMBER}> endret loggen til <@{MEMBER}> fra tor. 26. nov.: timer 20 t → 2 t, oppgave – → "
            "«Annonser», tekst «Skrev annonser» → «Skrev annonser for Tine», ferdig 40 % → 50 %, "
            "fakturering fakturerbar → intern") in history
    homes = [c.args["user_id"] for c in bot.fake.calls_to("views.publish")[publishes:]]
    assert MEMBER in homes  # the Home of the person it touches
    [relisted] = [c for c in bot.fake.calls_to("response_url") if c.args.get("replace_original")]
    assert "*2 t*" in flat(relisted.args["blocks"]) and "Annonser" in flat(relisted.args["blocks"])
    # billable again: the log's own rate (1 000 kr), not the project's new one
    press(bot, answer, log_id, HoursAction.EDIT, user=MEMBER)
    bot.slack.submit(opened(bot), {"internal": []}, user=MEMBER)
    bot.settle()
    assert totals(bot)[1] == totals(bot)[3] == 120 * 1000
    assert "*Kostnad:* 2 000 kr (ingen kostnadsramme)" in flat(bot.card()["blocks"])
    # saving it as it is changes nothing
    press(bot, answer, log_id, HoursAction.EDIT, user=MEMBER)
    bot.slack.submit(opened(bot), {}, user=MEMBER)
    bot.settle()
    assert told(bot, MEMBER) == "Ingenting å endre: loggen er som før." and len(log_history(bot)) == 2


def test_the_pl_edits_a_members_log_and_others_are_refused(bot: Bot) -> None:
    bot.run(NEW)
    bot.run("logg P-1 3t Annonser", user=MEMBER)
    mine = listed(bot, user=MEMBER)
    [log_id] = log_ids(mine)
    press(bot, mine, log_id, HoursAction.EDIT, user=OTHER)  # not theirs, not the PL, not an admin
    assert told(bot, OTHER).startswith("Det er ikke din logg. Bare den som førte den, prosjektlederen")
    press(bot, mine, log_id, HoursAction.DELETE, user=OTHER)
    assert told(bot, OTHER).startswith("Det er ikke din logg")
    assert "Bare prosjektledere og administratorer" in flat(listed(bot, user=OTHER, text=f"timer <@{MEMBER}>")["text"])
    opens = len(bot.fake.calls_to("views.open"))
    theirs = listed(bot, user=PM, text=f"timer <@{MEMBER}|ola>")
    assert f"Timene til <@{MEMBER}> de siste 14 dagene" in flat(theirs["blocks"]) and log_ids(theirs) == [log_id]
    press(bot, theirs, log_id, HoursAction.EDIT, user=PM)
    assert len(bot.fake.calls_to("views.open")) == opens + 1
    view = opened(bot)
    assert f"Endrer loggen til <@{MEMBER}>" in flat(view["blocks"][0])
    refused = bot.slack.submit(view, {"hours": "1t"}, user=OTHER).json()  # a forged submission
    assert "Det er ikke din logg" in refused["errors"]["hours"]
    assert bot.slack.submit(view, {"hours": "3,5t"}, user=PM).text == ""
    bot.settle()
    assert the_log(bot, log_id).minutes == 210  # type: ignore[union-attr]
    assert f"<@{PM}> endret loggen til <@{MEMBER}> fra tor. 26. nov.: timer 3 t → 3,5 t" in \
        flat(bot.run("historikk P-1")["blocks"])
    # an admin deletes anyone's
    press(bot, theirs, log_id, HoursAction.DELETE, user=ADMIN)
    assert the_log(bot, log_id) is None


def test_delete_after_confirmation_and_a_double_click_deletes_once(bot: Bot) -> None:
    bot.run(NEW)
    bot.run("logg P-1 4t Annonser 30%", user=MEMBER)
    bot.run("logg P-1 2t Rapport", user=MEMBER)
    answer = listed(bot, user=MEMBER)
    newest, oldest = log_ids(answer)
    press(bot, answer, newest, HoursAction.DELETE, user=MEMBER)
    assert told(bot, MEMBER).startswith("🗑️ Loggen (2 t, tor. 26. nov.) på *P-1* Kampanje er slettet")
    press(bot, answer, newest, HoursAction.DELETE, user=MEMBER)  # the same click again
    assert told(bot, MEMBER).startswith("Den loggen finnes ikke (lenger)")
    assert the_log(bot, newest) is None and the_log(bot, oldest) is not None
    assert [e.action for e in log_history(bot)] == ["log_deleted"]
    assert totals(bot)[0] == totals(bot)[2] == 240 and totals(bot)[1] == totals(bot)[3] == 240 * 1000
    assert "4 t av 40 t" in flat(bot.card()["blocks"])
    assert f"<@{MEMBER}> slettet loggen til <@{MEMBER}> fra tor. 26. nov.: timer 2 t, dato tor. 26. nov., " \
           "oppgave –, tekst «Rapport», ferdig –, fakturering fakturerbar" in flat(bot.run("historikk P-1")["blocks"])
    replaced = [c for c in bot.fake.calls_to("response_url") if c.args.get("replace_original")]
    assert "Rapport" not in flat(replaced[-1].args["blocks"]) and "Annonser" in flat(replaced[-1].args["blocks"])


def test_two_tabs_a_log_deleted_or_changed_meanwhile_is_not_overwritten(bot: Bot) -> None:
    bot.run(NEW)
    bot.run("logg P-1 3t Annonser", user=MEMBER)
    answer = listed(bot, user=MEMBER)
    [log_id] = log_ids(answer)
    press(bot, answer, log_id, HoursAction.EDIT, user=MEMBER)
    first = opened(bot)
    press(bot, answer, log_id, HoursAction.EDIT, user=MEMBER)
    second = opened(bot)
    assert bot.slack.submit(first, {"hours": "2t"}, user=MEMBER).text == ""
    stale = bot.slack.submit(second, {"hours": "5t"}, user=MEMBER).json()
    assert stale["errors"]["hours"].startswith("Loggen er endret i mellomtiden")
    assert the_log(bot, log_id).minutes == 120  # type: ignore[union-attr]
    press(bot, answer, log_id, HoursAction.EDIT, user=MEMBER)
    third = opened(bot)
    press(bot, answer, log_id, HoursAction.DELETE, user=MEMBER)  # in the other tab
    gone = bot.slack.submit(third, {"hours": "1t"}, user=MEMBER).json()
    assert gone["errors"]["hours"].startswith("Den loggen finnes ikke (lenger)")
    assert totals(bot)[0] == totals(bot)[2] == 0
    assert [e.action for e in log_history(bot)] == ["log_changed", "log_deleted"]
    press(bot, answer, log_id, HoursAction.EDIT, user=MEMBER)  # Endre on the old list
    assert told(bot, MEMBER).startswith("Den loggen finnes ikke (lenger)")


def test_a_log_id_of_another_workspace_is_not_found(bot: Bot) -> None:
    bot.run(NEW)
    bot.run("logg P-1 3t Annonser", user=MEMBER)
    answer = listed(bot, user=MEMBER)
    [log_id] = log_ids(answer)
    theirs = Sender(url=bot.slack.url, secret=SECRET, team_id="T0THEIRS01", fake=bot.fake)
    theirs.command("ny Deres kunde:Annen frist:20.12.2026", user=ADMIN)
    for action in (HoursAction.EDIT, HoursAction.DELETE):
        press(bot, answer, log_id, action, user=ADMIN, slack=theirs)
        assert told(bot, ADMIN).startswith("Den loggen finnes ikke (lenger)")
    assert the_log(bot, log_id) is not None and log_history(bot) == []


def test_moving_a_log_to_another_day_goes_through_the_one_date_check(bot: Bot) -> None:
    bot.run(f"{NEW} start:01.11.2026")
    bot.run("logg P-1 3t Annonser", user=MEMBER)
    answer = listed(bot, user=MEMBER)
    [log_id] = log_ids(answer)
    press(bot, answer, log_id, HoursAction.EDIT, user=MEMBER)
    view = opened(bot)
    picker = next(b["element"] for b in view["blocks"] if b.get("block_id") == "date")
    assert picker["type"] == "datepicker" and picker["initial_date"] == "2026-11-26"
    future = bot.slack.submit(view, {"date": "2026-11-27"}, user=MEMBER).json()
    assert list(future["errors"]) == ["date"] and the_log(bot, log_id).logged_on == dt.date(2026, 11, 26)  # type: ignore[union-attr]
    assert bot.slack.submit(view, {"date": "2026-11-25"}, user=MEMBER).text == ""
    with bot.svc.sessions() as session:
        days = {day: minutes for day, minutes in session.execute(
            select(LogDay.logged_on, LogDay.minutes).where(LogDay.team_id == bot.team_id))}
    assert days.get(dt.date(2026, 11, 25)) == 180 and not days.get(dt.date(2026, 11, 26))
    assert "dato tor. 26. nov. → ons. 25. nov." in flat(bot.run("historikk P-1")["blocks"])
    assert "ons. 25. nov." in flat(listed(bot, user=MEMBER)["blocks"])


def test_an_approved_month_is_closed_to_edits_and_deletions(bot: Bot, clock: Clock) -> None:
    clock.now = at("2026-10-01", 10)
    bot.run(NEW)
    log_on(bot, clock, "2026-11-30", "logg P-1 3t Annonser i november", user=MEMBER)
    log_on(bot, clock, "2026-12-01", "logg P-1 1t Annonser i desember", user=MEMBER)
    clock.now = at("2026-12-02", 10)
    assert "er godkjent" in bot.run("godkjenn P-1 november")["text"]
    answer = listed(bot, user=MEMBER)
    december, november = log_ids(answer)
    press(bot, answer, november, HoursAction.EDIT, user=MEMBER)
    assert "er godkjent av" in told(bot, MEMBER) and "kan ikke legges til eller endres" in told(bot, MEMBER)
    press(bot, answer, november, HoursAction.DELETE, user=PM)
    assert "er godkjent av" in told(bot, PM)
    assert the_log(bot, november) is not None and log_history(bot) == []
    press(bot, answer, december, HoursAction.EDIT, user=MEMBER)  # December is open, November not to move into
    view = opened(bot)
    into = bot.slack.submit(view, {"date": "2026-11-30"}, user=MEMBER).json()
    assert "er godkjent av" in into["errors"]["date"]
    old = bot.slack.submit(view, {"date": "2026-10-20"}, user=MEMBER).json()  # older than 31 days: PL or admin
    assert list(old["errors"]) == ["date"] and the_log(bot, december).logged_on == dt.date(2026, 12, 1)  # type: ignore[union-attr]
    assert bot.slack.submit(view, {"hours": "2t"}, user=MEMBER).text == ""
    assert the_log(bot, december).minutes == 120  # type: ignore[union-attr]
    press(bot, listed(bot, user=PM, text=f"timer <@{MEMBER}>"), december, HoursAction.EDIT, user=PM)
    assert bot.slack.submit(opened(bot), {"date": "2026-10-20"}, user=PM).text == ""
    assert the_log(bot, december).logged_on == dt.date(2026, 10, 20)  # type: ignore[union-attr]
    assert dt.date(2026, 11, 30) == the_log(bot, november).logged_on  # type: ignore[union-attr]


def test_the_help_shows_timer_in_both_languages(bot: Bot) -> None:
    assert "`/prosjekt timer` (dine siste 14 dager: *Endre* · *Slett*) · `timer @ola`" in help_text(bot, "nb")
    assert "`/prosjekt hours` (your last 14 days: *Edit* · *Delete*) · `hours @ola`" in help_text(bot, "en")


def test_an_english_workspace_is_answered_in_english(bot: Bot) -> None:
    bot.run(NEW)
    bot.run("logg P-1 3t Annonser", user=MEMBER)
    help_text(bot, "en")  # (the workspace now speaks English)
    answer = listed(bot, user=MEMBER, text="hours")
    assert "Your hours of the last 14 days" in flat(answer["blocks"]) and "Thu 26 Nov" in flat(answer["blocks"])
    [log_id] = log_ids(answer)
    press(bot, answer, log_id, HoursAction.EDIT, user=OTHER)
    assert told(bot, OTHER).startswith("That is not your log. Only the person who logged it, the project manager")
    press(bot, answer, log_id, HoursAction.DELETE, user=MEMBER)
    assert told(bot, MEMBER).startswith("🗑️ The log (3 h, Thu 26 Nov) on *P-1* Kampanje is deleted")
    press(bot, answer, log_id, HoursAction.DELETE, user=MEMBER)
    assert told(bot, MEMBER).startswith("That log does not exist (any more)")
    assert "deleted the log of" in flat(bot.run("history P-1")["blocks"])


def test_a_double_click_and_two_tabs_at_the_same_moment_change_the_log_once(bot: Bot) -> None:
    bot.run(NEW)
    bot.run("logg P-1 3t Annonser", user=MEMBER)
    answer = listed(bot, user=MEMBER)
    [log_id] = log_ids(answer)
    views = []
    for _ in range(2):
        press(bot, answer, log_id, HoursAction.EDIT, user=MEMBER)
        views.append(opened(bot))
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda pair: bot.slack.submit(pair[0], {"hours": pair[1]}, user=MEMBER),
                                zip(views, ("2t", "4t"), strict=True)))
    refused = [a.json()["errors"]["hours"] for a in answers if a.text]
    assert len(refused) == 1 and refused[0].startswith("Loggen er endret i mellomtiden")
    assert the_log(bot, log_id).minutes in (120, 240)  # type: ignore[union-attr]
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda _: press(bot, answer, log_id, HoursAction.DELETE, user=MEMBER), range(2)))
    said = [flat(c.args["text"]) for c in bot.fake.calls_to("chat.postEphemeral")[-2:]]
    assert sorted(x.startswith("🗑️ Loggen") for x in said) == [False, True]
    assert sorted(x.startswith("Den loggen finnes ikke") for x in said) == [False, True]
    assert [e.action for e in log_history(bot)] == ["log_changed", "log_deleted"]
    assert the_log(bot, log_id) is None and totals(bot)[0] == totals(bot)[2] == 0
