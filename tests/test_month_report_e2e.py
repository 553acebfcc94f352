"""The month-end report end to end over signed HTTP (docs/product.md §10): posted once by two clocks on the first
working day (January: 1 January is a holiday, and in 2027 the 2nd and 3rd are a weekend), its contents, the
customer's version, approval by button and command, the refusal of hours after it, reopening by an admin, and bad
input. On a database of its own (a clock serves every workspace in its database)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.models import Followup, MonthApproval, ProgressLog
from tests.conftest import ADMIN, MEMBER, OTHER, PM, Bot, Clocks, flat
from tests.conftest import Clock as TimeNow
from tests.test_clock_delivery import at
from tests.test_reactions import react
from tests.test_settings import open_settings

pytestmark = pytest.mark.own_database  # a clock serves every workspace in its database


def reports(bot: Bot, channel: str | None = None) -> list[dict[str, object]]:
    bot.settle()
    return [m for m in bot.fake.messages(channel or bot.slack.channel_id)
            if str(m.get("text", "")).startswith("📊") and not m.get("thread_ts")]


def logged(bot: Bot) -> int:
    with bot.svc.sessions() as session:
        return int(session.scalar(select(func.coalesce(func.sum(ProgressLog.minutes), 0))
                                  .where(ProgressLog.team_id == bot.team_id)) or 0)


def december(bot: Bot, clock: TimeNow) -> None:
    """A retainer (P-1) with hours in December 2026, billable and internal, and an avgrenset project (P-2)."""
    clock.now = at("2026-12-01", 10)
    bot.run("ny Retainer kunde:Tine type:løpende timer:20 budsjett:30000 timepris:1000")
    bot.run("ny Kampanje kunde:Tine frist:20.12.2026 timer:40", channel="CKAMPANJE")
    bot.run("oppgave P-1 Annonser")
    bot.run('mål P-1 "Leads" mål:50 nå:20')
    clock.now = at("2026-12-14", 11)
    bot.run("logg P-1 3t Skrev annonser for <!channel> & co oppgave:Annonser", user=MEMBER)
    bot.run("logg P-1 2t intern Internmøte om budsjettet")
    bot.run("logg P-1 1,5t Rapportering")
    bot.run("logg P-2 4t Bannere", channel="CKAMPANJE")


def test_the_report_is_posted_once_by_two_clocks_on_the_first_working_day(bot: Bot, clocks: Clocks,
                                                                        clock: TimeNow) -> None:
    december(bot, clock)
    first, second = clocks(), clocks(separate=True)
    # 1 January 2027 is a holiday, the 2nd and 3rd a weekend: Monday the 4th at the send hour (9) is the day
    for moment in (at("2027-01-01", 10), at("2027-01-02", 10), at("2027-01-03", 12), at("2027-01-04", 8, 55)):
        clock.now = moment
        first.run_pass(moment)
        second.run_pass(moment)
    assert reports(bot) == []
    clock.now = at("2027-01-04", 9, 1)
    for follow in (first, second, first, second):
        follow.run_pass(at("2027-01-04", 9, 1))
    [report] = reports(bot)
    assert reports(bot, "CKAMPANJE") == []  # avgrenset: only when the workspace setting says so (off by default)
    text = flat(report["blocks"])
    assert report["text"] == "📊 Månedsrapport desember 2026 · P-1 Retainer"
    assert "*Timer:* 6,5 t (4,5 t fakturerbart, 2 t internt)" in text
    assert "Månedens ramme: 6,5 t av 20 t (33 %)" in text
    assert "Kostnad: 4 500 kr av 30 000 kr (15 %)" in text
    assert f"• <@{PM}>: 3,5 t (herav 2 t internt)" in text and f"• <@{MEMBER}>: 3 t" in text
    assert "• Annonser: 3 t" in text and "• Uten oppgave: 3,5 t (herav 2 t internt)" in text
    assert "Skrev annonser for &lt;!channel&gt; &amp; co" in text  # user text escaped
    assert "Internmøte om budsjettet" in text and "(internt)" in text
    assert "• Leads: 20 av 50" in text
    assert "Godkjenn måneden" in text
    with bot.svc.sessions() as session:
        rows = session.scalars(select(Followup.occasion).where(Followup.team_id == bot.team_id,
                                                               Followup.rule == "report")).all()
    assert rows == ["2026-12"]
    # later in the month another pass posts nothing new
    first.run_pass(at("2027-01-20", 9, 1))
    assert len(reports(bot)) == 1
    react(bot, str(report["ts"]), user=PM)  # ✅ on a report does nothing (its button approves), nor delivers
    assert "Levert" not in flat(bot.run("status P-1")["blocks"])
    assert [m for m in bot.fake.messages(bot.slack.channel_id) if m.get("thread_ts") == report["ts"]] == []

    # approval from the button: not a member, then the PL; the thread hears of it
    bot.slack.click(report, "report.approve", user=MEMBER)
    bot.settle()
    refused = bot.fake.calls_to("chat.postEphemeral")[-1].args
    assert refused["user"] == MEMBER and "prosjektleder" in flat(refused["text"]).lower()
    bot.slack.click(report, "report.approve", user=PM)
    bot.settle()
    assert flat(bot.fake.calls_to("chat.postEphemeral")[-1].args["text"]).startswith("✅ P-1 2026-12 er godkjent")
    thread = [m for m in bot.fake.messages(bot.slack.channel_id) if m.get("thread_ts") == report["ts"]]
    assert [flat(m["text"]) for m in thread] == [f"✅ 2026-12 er godkjent av <@{PM}>."]
    bot.slack.click(report, "report.approve", user=PM)
    bot.settle()
    assert flat(bot.fake.calls_to("chat.postEphemeral")[-1].args["text"]) == \
        f"P-1 2026-12 er allerede godkjent av <@{PM}>."
    assert "godkjente måneden 2026-12" in flat(bot.run("historikk P-1")["blocks"])


def test_approve_refuse_hours_reopen_by_command(bot: Bot, clock: TimeNow) -> None:
    december(bot, clock)
    clock.now = at("2026-12-31", 15)
    refused = flat(bot.run("godkjenn P-1 desember")["text"])
    assert "P-1 2026-12 er ikke over ennå (den varer til " in refused  # not ended
    clock.now = at("2027-01-05", 10)
    assert "prosjektleder" in flat(bot.run("godkjenn P-1 desember", user=MEMBER)["text"]).lower()
    assert flat(bot.run("godkjenn P-1 desember")["text"]).startswith("✅ P-1 2026-12 er godkjent")
    assert flat(bot.run("approve P-1 2026-12", user=ADMIN)["text"]).startswith(
        f"P-1 2026-12 er allerede godkjent av <@{PM}>.\nDu skrev: `/prosjekt approve P-1 2026-12`")
    assert "✅ Måneden er godkjent av" in flat(bot.run("rapport P-1 desember")["blocks"])
    # hours dated in the approved month are refused (logs are dated today: the clock goes back to December)
    before = logged(bot)
    clock.now = at("2026-12-31", 15)
    answer = flat(bot.run("logg P-1 1t Mer arbeid", user=MEMBER)["text"])
    assert f"P-1 2026-12 er godkjent av <@{PM}>, så timer datert i den måneden kan ikke legges til" in answer
    assert "`/prosjekt åpne P-1 2026-12`" in answer
    assert logged(bot) == before
    # reopening: admins only, and only what is approved
    clock.now = at("2027-01-05", 10)
    assert "Bare en admin" in flat(bot.run("åpne P-1 desember")["text"])
    assert flat(bot.run("åpne P-1 desember", user=ADMIN)["text"]) == \
        "🔓 P-1 2026-12 er åpnet igjen: timer kan føres på nytt."
    assert "er ikke godkjent, så det er ingenting å åpne" in flat(bot.run("reopen P-1 2026-12", user=ADMIN)["text"])
    history = flat(bot.run("historikk P-1")["blocks"])
    assert "godkjente måneden 2026-12" in history and "åpnet måneden 2026-12 igjen" in history
    clock.now = at("2026-12-31", 15)
    assert "Logget 1 t" in flat(bot.run("logg P-1 1t Mer arbeid", user=MEMBER)["text"])
    assert logged(bot) == before + 60
    with bot.svc.sessions() as session:
        assert session.scalars(select(MonthApproval).where(MonthApproval.team_id == bot.team_id)).all() == []


def test_the_report_command_and_the_customer_version(bot: Bot, clock: TimeNow) -> None:
    december(bot, clock)
    clock.now = at("2027-01-10", 10)
    mine = bot.run("rapport P-1")  # no month: the last that ended
    assert mine["response_type"] == "ephemeral" and mine["text"] == "📊 Månedsrapport desember 2026 · P-1 Retainer"
    for named in ("rapport P-1 desember", "rapport P-1 2026-12", "rapport P-1 12.2026", "report P-1 december 2026",
                  "rapport des prosjekt:Retainer"):
        assert bot.run(named)["text"] == mine["text"], named
    customer = bot.run("rapport P-1 desember kunde")
    assert "blocks" not in customer
    plain = flat(customer["text"])
    assert plain.startswith("📊 Månedsrapport desember 2026 · P-1 Retainer\nKunde: Tine\n\nTimer: 4,5 t\n")
    assert "Internmøte" not in plain and "intern" not in plain and "2 t" not in plain
    assert " kr" not in plain and "Kostnad" not in plain  # no rates unless asked
    assert f"- <@{MEMBER}>: 3 t" in plain and f"- <@{PM}>: 1,5 t" in plain
    assert "Månedens ramme: 4,5 t av 20 t (23 %)" in plain
    assert "- Annonser: 3 t" in plain and "Skrev annonser for &lt;!channel&gt; &amp; co" in plain
    assert "*" not in plain and "•" not in plain  # pastes into an e-mail as it reads
    priced = flat(bot.run("rapport P-1 desember kunde priser")["text"])
    assert f"- <@{MEMBER}>: 3 t (1 000 kr/t · 3 000 kr)" in priced and "Kostnad: 4 500 kr av 30 000 kr" in priced
    # this month so far: a report, without the button (it has not ended)
    assert "Godkjenn måneden" not in flat(bot.run("rapport P-1 januar")["blocks"])
    # in the project's channel the project may be left out
    assert bot.run("rapport desember")["text"] == mine["text"] and bot.run("rapport")["text"] == mine["text"]


def test_bad_months(bot: Bot, clock: TimeNow) -> None:
    december(bot, clock)
    clock.now = at("2027-01-10", 10)
    assert flat(bot.run("rapport P-1 2027-05")["text"]).startswith("«2027-05» har ikke begynt ennå.")
    assert flat(bot.run("rapport P-1 2026-13")["text"]).startswith("«2026-13» er ikke en måned jeg forstår.")
    assert "Hvilken måned?" in flat(bot.run("godkjenn P-1")["text"])
    assert "er ikke godkjent" in flat(bot.run("åpne P-1 november", user=ADMIN)["text"])
    assert "er ikke over ennå" in flat(bot.run("godkjenn P-1 januar")["text"])
    with bot.svc.sessions() as session:
        assert session.scalars(select(MonthApproval).where(MonthApproval.team_id == bot.team_id)).all() == []
    assert OTHER  # (a person outside the project sees the report like anyone in the workspace)
    assert bot.run("rapport P-1", user=OTHER)["text"].startswith("📊")


def test_avgrenset_projects_by_the_setting_and_a_clock_back_after_downtime(bot: Bot, clocks: Clocks,
                                                                        clock: TimeNow) -> None:
    december(bot, clock)
    clock.now = at("2026-12-20", 10)
    view = open_settings(bot)
    switches = [o["value"] for o in next(b for b in view["blocks"] if b.get("block_id") == "rules_on")
                ["element"]["options"]]
    assert "month_report_avgrenset" in switches
    on = ["deadline_ahead", "deadline_today", "overdue", "hours_frame", "time_vs_progress", "quiet",
          "month_report_avgrenset"]
    assert bot.slack.submit(view, {"rules_on": on}, user=ADMIN).text == ""
    bot.run("ny Tom kunde:Tine frist:20.12.2026", channel="CTOM")  # avgrenset with no hours in December: none
    follow = clocks()
    # the clock is down on the 4th; back on the 19th, the reports still come that month
    clock.now = at("2027-01-19", 14)
    follow.run_pass(at("2027-01-19", 14))
    assert len(reports(bot)) == 1 and len(reports(bot, "CKAMPANJE")) == 1 and reports(bot, "CTOM") == []
    assert "Rammen totalt så langt: 4 t av 40 t (10 %)" in flat(reports(bot, "CKAMPANJE")[0]["blocks"])
    # a clock back only in March posts no stale report: February's plans January's, and nobody logged then
    clock.now = at("2027-03-01", 10)
    follow.run_pass(at("2027-03-01", 10))
    titles = [m["text"] for m in reports(bot)]
    assert titles == ["📊 Månedsrapport desember 2026 · P-1 Retainer", "📊 Månedsrapport februar 2027 · P-1 Retainer"]


def test_a_retainer_that_rolls_over_shows_what_was_carried_into_the_month(bot: Bot, clock: TimeNow) -> None:
    """November leaves 16 of 20 hours unused: December gets + 5 t (the 25 % cap), and the report says so."""
    clock.now = at("2026-11-02", 10)
    bot.run("ny Retainer kunde:Tine type:løpende timer:20 overføring:ja")
    clock.now = at("2026-11-10", 11)
    bot.run("logg P-1 4t Oppsett")
    clock.now = at("2026-12-14", 11)
    bot.run("logg P-1 6t Annonser")
    clock.now = at("2027-01-10", 10)
    plain = flat(bot.run("rapport P-1 desember")["blocks"])
    assert "6 t av 20 t (24 %) + 5 t overført" in plain, plain
    november = flat(bot.run("rapport P-1 november")["blocks"])
    assert "overført" not in november  # the start month carries nothing in
