"""Logging for another day over signed HTTP (issue 14): `dato:`/`date:` in nb and en, the `logg` modal's date picker
(today in the workspace's time zone), the one check of a log's date (bot.usecases.log_dates.require_loggable: the
future, before the project's start, older than the settings' limit unless PL or admin, an approved month), and
backdated logs counted by their date: the løpende month on the card, the weekly summary's week, a frame alert
raised once when a backdated log crosses 80 %."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from storage.models import Followup, ProgressLog
from tests.conftest import ADMIN, MEMBER, PM, Bot, flat
from tests.conftest import Clock as TimeNow
from tests.test_clock_delivery import Clocks, at
from tests.test_settings import block, open_settings

NEW = "ny Kampanje kunde:Tine frist:15.12.2026 timer:40 start:02.11.2026"


@pytest.fixture
def clocks(bot: Bot) -> Iterator[Clocks]:  # (asking for it gives the test a database of its own: conftest's bot)
    made = Clocks(bot)
    yield made
    made.close()


def logs(bot: Bot) -> list[tuple[dt.date, int, str, int | None, str]]:
    """(date, minutes, text, %, who) of every log of the workspace, in the order they were made."""
    with bot.svc.sessions() as session:
        return [(r.logged_on, r.minutes, r.description, r.percent, r.user_id) for r in session.scalars(
            select(ProgressLog).where(ProgressLog.team_id == bot.team_id).order_by(ProgressLog.id))]


def count(bot: Bot) -> int:
    with bot.svc.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(ProgressLog)
                                  .where(ProgressLog.team_id == bot.team_id)) or 0)


def said(bot: Bot, text: str, *, user: str = MEMBER) -> str:
    return flat(bot.run(text, user=user)["text"])


def test_dato_in_norwegian_and_date_in_english(bot: Bot, clock: TimeNow) -> None:
    # Thursday 26 November 2026
    bot.run(NEW)
    answer = said(bot, "logg P-1 2t dato:i går Møte med kunden")
    assert answer.startswith("Logget 2 t på *P-1* Kampanje (totalt 2 t). Datert ons. 25. nov.")
    said(bot, "logg P-1 1t dato:fredag Tekster")
    said(bot, "logg P-1 30m Rapport dato:24.11")
    said(bot, "logg P-1 1t dato:2026-11-23 Oppsett 40%")
    assert "Datert" not in said(bot, "logg P-1 1t dato:torsdag Samme dag")  # today's weekday: today
    said(bot, "logg P-1 1t dato:3. nov intern Internmøte")
    assert logs(bot) == [
        (dt.date(2026, 11, 25), 120, "Møte med kunden", None, MEMBER),
        (dt.date(2026, 11, 20), 60, "Tekster", None, MEMBER),
        (dt.date(2026, 11, 24), 30, "Rapport", None, MEMBER),
        (dt.date(2026, 11, 23), 60, "Oppsett", 40, MEMBER),
        (dt.date(2026, 11, 26), 60, "Samme dag", None, MEMBER),
        (dt.date(2026, 11, 3), 60, "Internmøte", None, MEMBER),
    ]
    # bad dates: how to write one, nothing stored
    before = count(bot)
    answer = said(bot, "logg P-1 1t dato:33.13 Møte")
    assert "Forstod ikke datoen «33.13»" in answer and "`dato:i går`" in answer and "`dato:27.11`" in answer
    answer = said(bot, "logg P-1 1t dato:i morgen Møte")
    assert answer.startswith("Timer kan ikke føres fram i tid (fre. 27. nov.). Velg i dag eller en tidligere dag")
    assert said(bot, "logg P-1 dato:i går").startswith("Skriv timene først")  # no hours: how to write them
    assert count(bot) == before
    # English
    bot.slack.submit(open_settings(bot), {"language": "en"}, user=ADMIN)
    answer = said(bot, "log P-1 1h date:yesterday Call with the customer")
    assert answer.startswith("Logged 1 h on *P-1* Kampanje") and answer.endswith("Dated Wed 25 Nov.")
    said(bot, "log P-1 1h date:friday")
    assert logs(bot)[-2:] == [(dt.date(2026, 11, 25), 60, "Call with the customer", None, MEMBER),
                              (dt.date(2026, 11, 20), 60, "", None, MEMBER)]
    before = count(bot)
    answer = said(bot, "log P-1 1h date:33.13 Call")
    assert "Couldn't read the date “33.13”" in answer and "`date:yesterday`" in answer
    assert "Hours can't be logged ahead of time (Fri 27 Nov)" in said(bot, "log P-1 1h date:tomorrow")
    assert count(bot) == before


def test_older_than_the_limit_only_the_pl_or_an_admin_and_the_limit_in_the_settings(bot: Bot) -> None:
    bot.run("ny Kampanje kunde:Tine frist:15.12.2026 timer:40 start:01.09.2026")
    answer = said(bot, "logg P-1 2t dato:25.10.2026 Gammelt")  # 32 days ago
    assert answer.startswith(f"Timer som er mer enn 31 dager gamle, kan bare føres av prosjektlederen (<@{PM}>) "
                             "eller en administrator.")
    assert count(bot) == 0
    said(bot, "logg P-1 2t dato:26.10.2026 Akkurat innenfor")  # 31 days ago: within the limit
    said(bot, "logg P-1 2t dato:25.10.2026 Gammelt", user=PM)
    said(bot, "logg P-1 1t dato:1.9.2026 Oppstart", user=ADMIN)
    assert [(day, who) for day, _, _, _, who in logs(bot)] == [
        (dt.date(2026, 10, 26), MEMBER), (dt.date(2026, 10, 25), PM), (dt.date(2026, 9, 1), ADMIN)]
    # before the project's start: it would count in no frame
    answer = said(bot, "logg P-1 1t dato:31.8.2026 For tidlig", user=PM)
    assert answer.startswith("P-1 startet tir. 1. sep., så timer datert man. 31. aug. ville ikke telle i rammen.")
    assert "`/prosjekt ramme P-1 start:…`" in answer and len(logs(bot)) == 3
    # the limit in the settings form, within its bounds
    view = open_settings(bot)
    assert block(view, "backdate_days")["element"]["initial_value"] == "31"
    refused = bot.slack.submit(view, {"backdate_days": "400"}, user=ADMIN).json()
    assert refused["errors"]["backdate_days"] == "Skriv et heltall fra 1 til 366 (du skrev «400»)."
    assert bot.slack.submit(open_settings(bot), {"backdate_days": "60"}, user=ADMIN).text == ""
    said(bot, "logg P-1 2t dato:25.10.2026 Gammelt")
    assert logs(bot)[-1] == (dt.date(2026, 10, 25), 120, "Gammelt", None, MEMBER)
    assert "mer enn 60 dager" in said(bot, "logg P-1 2t dato:1.9.2026 Enda eldre")
    bot.slack.submit(open_settings(bot), {"language": "en"}, user=ADMIN)
    assert said(bot, "log P-1 2h date:1.9.2026").startswith(
        f"Hours more than 60 days old can only be logged by the project lead (<@{PM}>) or an admin.")


def test_a_month_approved_for_the_project_is_refused_with_who_approved_it(bot: Bot, clock: TimeNow) -> None:
    clock.now = at("2026-12-01", 10)
    bot.run("ny Retainer kunde:Tine type:løpende timer:20")
    clock.now = at("2026-12-14", 10)
    said(bot, "logg P-1 3t Annonser")
    clock.now = at("2027-01-05", 10)
    assert said(bot, "godkjenn P-1 desember", user=PM).startswith("✅ P-1 2026-12 er godkjent")
    answer = said(bot, "logg P-1 1t dato:31.12 Sent")
    assert answer.startswith(f"P-1 2026-12 er godkjent av <@{PM}>, så timer datert i den måneden kan ikke")
    assert "`/prosjekt åpne P-1 2026-12`" in answer
    bot.run("logg", user=MEMBER)
    view = bot.opened_view()
    refused = bot.slack.submit(view, {"hours": "1t", "date": "2026-12-31"}, user=MEMBER).json()
    assert refused["errors"]["date"].startswith(f"P-1 2026-12 er godkjent av <@{PM}>")
    said(bot, "logg P-1 1t dato:mandag Nytt år")  # 4 January: open
    assert [day for day, *_ in logs(bot)] == [dt.date(2026, 12, 14), dt.date(2027, 1, 4)]


def test_the_modals_date_picker_starts_at_today_in_the_workspaces_time_zone(bot: Bot, clock: TimeNow) -> None:
    bot.run("ny Kampanje kunde:Tine frist:15.12.2026 timer:40 start:01.10.2026")
    clock.now = dt.datetime(2026, 11, 26, 23, 30, tzinfo=dt.UTC)  # 00:30 on Friday 27 November in Oslo
    assert bot.run("logg", user=MEMBER) == {}
    view = bot.opened_view()
    picker = block(view, "date")
    assert picker["element"] == {"type": "datepicker", "initial_date": "2026-11-27", "action_id": "value"}
    # from the card's button too
    bot.slack.click(bot.card(), "card.log", user=MEMBER)
    clicked = bot.fake.wait_for("views.open", count=2)[-1].response["view"]
    assert block(clicked, "date")["element"]["initial_date"] == "2026-11-27"
    # left as it is: today; another day: that day
    assert bot.slack.submit(view, {"hours": "1t"}, user=MEMBER).text == ""
    assert bot.slack.submit(clicked, {"hours": "2t", "description": "Møte", "date": "2026-11-24"},
                            user=MEMBER).text == ""
    bot.settle()
    assert "Datert tir. 24. nov." in flat(bot.fake.calls_to("chat.postEphemeral")[-1].args["text"])
    assert [(day, minutes) for day, minutes, *_ in logs(bot)] == [(dt.date(2026, 11, 27), 60),
                                                                 (dt.date(2026, 11, 24), 120)]
    # refused on the field: the future, too old for a member, not a date; nothing stored
    bot.run("logg", user=MEMBER)
    view = bot.fake.wait_for("views.open", count=3)[-1].response["view"]
    for day, message in (("2026-11-28", "Timer kan ikke føres fram i tid"), ("2026-10-20", "mer enn 31 dager"),
                         ("27.11", "Forstod ikke datoen «27.11»")):
        refused = bot.slack.submit(view, {"hours": "1t", "date": day}, user=MEMBER).json()
        assert list(refused["errors"]) == ["date"] and message in refused["errors"]["date"], refused
    assert count(bot) == 2
    assert bot.slack.submit(view, {"hours": "1t", "date": "2026-10-20"}, user=PM).text == ""
    assert logs(bot)[-1][0] == dt.date(2026, 10, 20)


def card(bot: Bot, key: str = "P-1") -> str:
    return flat(bot.run(f"status {key}")["blocks"])


def test_a_log_dated_last_month_is_not_in_this_months_lopende_frame(bot: Bot, clock: TimeNow) -> None:
    clock.now = at("2026-12-02", 10)
    bot.run("ny Retainer kunde:Tine type:løpende timer:20 start:02.11.2026")
    said(bot, "logg P-1 5t dato:30.11 November")
    assert "*Timer denne måneden:* 0 t av 20 t (0 %)" in card(bot)
    said(bot, "logg P-1 3t dato:i går Desember")
    assert "*Timer denne måneden:* 3 t av 20 t (15 %)" in card(bot)
    clock.now = at("2026-11-30", 10)  # (seen from November: the 5 h are November's)
    assert "*Timer denne måneden:* 5 t av 20 t (25 %)" in card(bot)


def test_backdated_logs_land_in_the_week_of_their_date(bot: Bot, clock: TimeNow) -> None:
    clock.set(dt.date(2026, 11, 26))  # Thursday of week 48
    bot.run("ny Kampanje kunde:Tine frist:15.12.2026 timer:120 start:02.11.2026")
    said(bot, "logg P-1 2t dato:20.11 Forrige uke")  # week 47
    said(bot, "logg P-1 1t dato:mandag Denne uken")  # 23 November: week 48
    said(bot, "logg P-1 1t I dag")
    text = flat(bot.run("oppsummering")["blocks"])
    assert "Ukesoppsummering uke 48" in text and f"*Uke 48:* 2 t – <@{MEMBER}> 2 t" in text
    assert "(4 t av 120 t)" in text  # all of them in the frame
    # Monday of week 49: Friday's hours logged now are week 48's
    clock.set(dt.date(2026, 11, 30))
    said(bot, "logg P-1 3t dato:fredag Glemte fredag")
    assert logs(bot)[-1][0] == dt.date(2026, 11, 27)
    text = flat(bot.run("oppsummering")["blocks"])
    assert "Ukesoppsummering uke 48" in text and f"*Uke 48:* 5 t – <@{MEMBER}> 5 t" in text


def alerts(bot: Bot) -> list[str]:
    bot.settle()
    return [flat(m["text"]) for m in bot.fake.messages(bot.slack.channel_id)
            if "av timerammen er brukt" in flat(m.get("text", ""))]


def test_a_backdated_log_that_crosses_80_percent_raises_the_alert_once(
        bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    clock.now = at("2026-11-23", 10)
    bot.run("ny Kampanje kunde:Tine frist:15.12.2026 timer:10 start:02.11.2026")
    said(bot, "logg P-1 6t Tekster")
    first, second = clocks(), clocks(separate=True)
    first.run_pass(at("2026-11-23", 10, 5))
    assert alerts(bot) == []
    clock.now = at("2026-11-25", 10)
    said(bot, "logg P-1 2,5t dato:mandag Glemt")  # 23 November: 8,5 t of 10 t
    for follow in (first, second, first):
        follow.run_pass(at("2026-11-25", 10, 5))
    assert alerts(bot) == ["📊 *80 % av timerammen er brukt* i *P-1* Kampanje: 8,5 t av 10 t"]
    said(bot, "logg P-1 1t dato:i går Mer")
    first.run_pass(at("2026-11-25", 10, 10))
    assert len(alerts(bot)) == 1  # still under 100 %, and 80 % once
    # a retainer: hours dated last month raise nothing this month
    clock.now = at("2026-12-02", 10)
    bot.run("ny Retainer kunde:Tine type:løpende timer:10 start:02.11.2026")
    said(bot, "logg P-2 9t dato:30.11 November")
    for follow in (first, second):
        follow.run_pass(at("2026-12-02", 10, 5))
    assert len(alerts(bot)) == 1
    with bot.svc.sessions() as session:
        assert session.scalars(select(Followup.occasion).where(Followup.team_id == bot.team_id,
                                                               Followup.rule == "hours")).all() == ["80:600"]
    said(bot, "logg P-2 8t dato:i går Desember")  # 1 December: 8 t of 10 t this month
    first.run_pass(at("2026-12-02", 10, 10))
    assert alerts(bot)[-1] == "📊 *80 % av timerammen er brukt* i *P-2* Retainer: 8 t av 10 t"


