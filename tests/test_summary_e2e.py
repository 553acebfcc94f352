"""The weekly summary and the portfolio: contents checked against logs made over real HTTP, the sizes Slack must
still accept (60 projects in a channel, 500 in a workspace) posted through the fake Slack with a real WebClient,
the statement count per channel, `/prosjekt oppsummering`, and the chart upload with and without files:write."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import event, func, select, update

from bot.domain.summary import LEVEL_ORDER
from bot.slack.render.summary import channel_summary_messages, chart_png, portfolio_messages
from bot.slack.uploads import upload_png
from bot.usecases import summary
from fakeslack import FakeSlack
from fakeslack.validation import check_message
from storage.models import ProgressLog, Workspace
from tests.conftest import ADMIN, MEMBER, OTHER, PM, TOKEN, Bot, flat
from tests.summary_seed import seed

ONE_LINE = ('ny "Nettside Fjordkraft" kunde:"Fjordkraft AS" frist:15.12.2026 timer:120 '
            f"pl:<@{PM}|kari> type:avgrenset")
TZ = "Europe/Oslo"


@contextmanager
def statements(bot: Bot) -> Iterator[list[str]]:
    """The SQL statements run while the block runs."""
    seen: list[str] = []
    engine = bot.svc.sessions.kw["bind"]

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.strip().upper() != "BEGIN":  # SQLite's transaction start (bot.db emits it itself)
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def post_all(fake: FakeSlack, channel: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Post a summary as the clock will: the first message in the channel, the rest in its thread."""
    client = WebClient(token=TOKEN, base_url=fake.url)
    first = client.chat_postMessage(channel=channel, **messages[0])
    for message in messages[1:]:
        assert client.chat_postMessage(channel=channel, thread_ts=first["ts"], **message)["ok"]
    return fake.messages(channel)


def test_hours_this_week_by_person_add_up_to_the_logs_made_this_week(bot: Bot, clock: Any) -> None:
    clock.set(dt.date(2026, 11, 19))  # Thursday of week 47
    bot.run(ONE_LINE)
    bot.run("logg P-1 2t Forrige uke", user=PM)
    bot.run("logg P-1 1t Forrige uke", user=MEMBER)
    clock.set(dt.date(2026, 11, 24))  # Tuesday of week 48
    bot.run("logg P-1 2,5t Annonsetekster 40%", user=MEMBER)
    bot.run("logg P-1 1t 30m Møte", user=OTHER)
    clock.set(dt.date(2026, 11, 26))  # Thursday of week 48
    bot.run("logg P-1 90m Rapport", user=PM)
    bot.run("logg P-1 1t Korrektur", user=MEMBER)
    bot.settle()
    with bot.svc.sessions() as session:
        week_logs = session.execute(
            select(ProgressLog.user_id, func.sum(ProgressLog.minutes))
            .where(ProgressLog.team_id == bot.team_id, ProgressLog.logged_on >= dt.date(2026, 11, 23))
            .group_by(ProgressLog.user_id)).all()
        found = summary.channel_summary(session, bot.team_id, bot.slack.channel_id, clock.today, TZ)
    [p] = found.projects
    assert found.week.number == 48
    assert dict(p.week_by_person) == dict(week_logs) == {MEMBER: 210, OTHER: 90, PM: 90}
    assert p.week_minutes == sum(m for _, m in p.week_by_person) == 390  # last week's 3 h are not in it
    assert p.logged_minutes == 390 + 180  # but they are in the frame
    assert p.week_by_person[0] == (MEMBER, 210)  # most first
    assert p.news and found.totals.week_minutes == 390 and found.totals.people == 3

    answer = bot.run("oppsummering")
    assert answer["response_type"] == "ephemeral" and check_message(answer) is None
    text = flat(answer["blocks"])
    assert "Ukesoppsummering uke 48" in text
    assert "*Uke 48:* 6,5 t – " in text
    assert f"<@{MEMBER}> 3,5 t, <@{PM}> 1,5 t, <@{OTHER}> 1,5 t" in text  # most first, then by id
    assert "*Timer:* `▓░░░░░░░░░` 8 % (9,5 t av 120 t)" in text  # hours used of the frame as a bar
    assert "*Fremdrift:* 40 %" in text

    # Monday 09:00 reports the week that just ended: the same figures, still week 48.
    with bot.svc.sessions() as session:
        monday = summary.channel_summary(session, bot.team_id, bot.slack.channel_id, dt.date(2026, 11, 30), TZ)
    assert monday.week.number == 48 and dict(monday.projects[0].week_by_person) == dict(week_logs)


def test_quiet_projects_get_one_line_and_busy_ones_a_section_with_deadlines_goals_and_overdue(
        bot: Bot, clock: Any) -> None:
    clock.set(dt.date(2026, 11, 16))  # week 47
    bot.run(ONE_LINE)
    bot.run('ny "Stille prosjekt" kunde:Kunde frist:20.12.2026 timer:40')
    bot.run('oppgave P-1 "Levere <!channel> rapport" frist:20.11.2026 ansvarlig:<@UOLA00001|ola>')
    bot.run('oppgave P-1 "Neste steg" frist:01.12.2026')
    bot.run('mål P-1 "Organisk trafikk" mål:10000 nå:4500')
    clock.set(dt.date(2026, 11, 26))  # week 48: only P-1 has news
    bot.run("logg P-1 1t Arbeid", user=MEMBER)
    answer = bot.run("summary")
    text = flat(answer["blocks"])
    sections = [b["text"]["text"] for b in answer["blocks"] if b["type"] == "section"]
    busy = next(s for s in sections if "*P-1*" in s).replace("\u00a0", " ")
    assert "*Frister:* tir. 1. des. «Neste steg»" in busy
    assert "*Forfalt:* fre. 20. nov. «Levere &lt;!channel&gt; rapport» (<@UOLA00001>)" in busy
    assert "Organisk trafikk: 4 500 / 10 000 (45 %)" in busy
    assert "<!channel>" not in text
    quiet = next(s for s in sections if "*P-2*" in s)
    assert quiet.startswith("*Ikke noe nytt i uke 48* (1)\n🟡 *P-2* Stille prosjekt")  # one line, quiet for 10 days
    assert "*2 aktive prosjekter* i <#" in text and "*Forfalt:* 1" in text


def test_summary_in_english_and_for_an_empty_channel(bot: Bot, clock: Any) -> None:
    bot.run(ONE_LINE)
    with bot.svc.sessions.begin() as session:  # the workspace speaks English (the settings modal's job)
        session.execute(update(Workspace).where(Workspace.team_id == bot.team_id).values(language="en"))
    bot.svc.forget_workspace(bot.team_id)  # (what the modal does: the web process remembers the language for 30 s)
    bot.run("log P-1 2.5h Copy", user=MEMBER)
    answer = bot.run("summary")
    text = flat(answer["blocks"])
    assert "Weekly summary, week 48" in text and "*Week 48:* 2.5 h – " in text
    empty = bot.run("summary", channel="CEMPTY0001")
    assert "No active projects in <#CEMPTY0001>" in flat(empty["blocks"])


def test_unknown_scope_says_how_to_write_it(bot: Bot) -> None:
    answer = bot.run("oppsummering tull")
    assert answer["response_type"] == "ephemeral"
    assert "`/prosjekt oppsummering portefølje`" in answer["text"]
    assert "Du skrev: `/prosjekt oppsummering tull`" in answer["text"]


def test_statements_per_channel_are_constant(bot: Bot, clock: Any) -> None:
    small, big = f"C{uuid.uuid4().hex[:9].upper()}", f"C{uuid.uuid4().hex[:9].upper()}"
    seed(bot.svc.sessions, bot.team_id, [small], 1, today=clock.today, users=(PM, MEMBER, OTHER))
    seed(bot.svc.sessions, bot.team_id, [big], 60, today=clock.today, users=(PM, MEMBER, OTHER))
    counts = {}
    for name, channels in (("one", [small]), ("sixty", [big]), ("both", [small, big]), ("none", ["CNONE00001"])):
        with bot.svc.sessions() as session, statements(bot) as seen:
            found = summary.channel_summaries(session, bot.team_id, channels, clock.today, TZ)
        counts[name] = len(seen)
        assert all("team_id" in s for s in seen)  # every statement is scoped to the workspace
        assert {c: len(s.projects) for c, s in found.items()} == {
            c: {small: 1, big: 60}.get(c, 0) for c in channels}
    assert counts["one"] == counts["sixty"] == counts["both"] == 8, counts
    assert counts["none"] == 1
    with bot.svc.sessions() as session, statements(bot) as seen:
        whole = summary.portfolio(session, bot.team_id, clock.today, TZ)
    assert len(seen) == 8 and whole.totals.projects == 61
    with bot.svc.sessions() as session:
        assert summary.channels_with_active_projects(session, bot.team_id) == sorted([small, big])


def test_sixty_projects_in_one_channel_are_split_into_a_thread_slack_accepts(bot: Bot, clock: Any) -> None:
    channel = f"C{uuid.uuid4().hex[:9].upper()}"
    seed(bot.svc.sessions, bot.team_id, [channel], 60, today=clock.today, users=(PM, MEMBER, OTHER))
    with bot.svc.sessions() as session:
        found = summary.channel_summary(session, bot.team_id, channel, clock.today, TZ)
    assert found.totals.projects == 60 and 0 < sum(p.news for p in found.projects) < 60
    for lang in ("nb", "en"):
        bot.fake.reset()
        messages = channel_summary_messages(found, lang)
        assert len(messages) > 1
        posted = post_all(bot.fake, channel, messages)
        assert len(posted) == len(messages)
        assert all(m["thread_ts"] == posted[0]["ts"] for m in posted[1:])
        text = flat([m["blocks"] for m in posted])
        assert all(f"*P-{n}*" in text for n in range(1, 61))  # every project is there, none cut away
        assert "<!channel>" not in text and "&lt;!channel&gt;" in text


def test_five_hundred_projects_make_a_portfolio_slack_accepts_and_an_ephemeral_answer(bot: Bot, clock: Any) -> None:
    channels = [f"C{uuid.uuid4().hex[:9].upper()}" for _ in range(25)]
    seed(bot.svc.sessions, bot.team_id, channels, 20, today=clock.today, users=(PM, MEMBER, OTHER, ADMIN))
    with bot.svc.sessions() as session:
        whole = summary.portfolio(session, bot.team_id, clock.today, TZ)
    assert whole.totals.projects == 500 and whole.channels == 25
    assert [p.health.level for group in whole.groups.values() for p in group] == sorted(
        (p.health.level for group in whole.groups.values() for p in group), key=LEVEL_ORDER.__getitem__)
    messages = portfolio_messages(whole, "nb", max_messages=None)  # all of it, however long the thread
    posted = post_all(bot.fake, "CLEADERS01", messages)
    text = flat([m["blocks"] for m in posted])
    assert all(f"*P-{n}*" in text for n in range(1, 501))
    bot.fake.reset()
    short = post_all(bot.fake, "CLEADERS01", portfolio_messages(whole, "nb"))  # the weekly post: 10 at most
    assert len(short) == min(10, len(messages))
    assert (len(messages) <= 10) != ("prosjekter til" in flat(short[-1]["blocks"]))  # condensed when longer
    assert "<!channel>" not in text

    bot.fake.reset()
    answer = bot.run("oppsummering portefølje")
    assert check_message(answer) is None and answer["response_type"] == "ephemeral"
    assert "Portefølje uke 48" in flat(answer["blocks"])
    bot.settle()
    more = bot.fake.calls_to("response_url")
    assert 1 <= len(more) <= 5 and all(c.status == 200 for c in more)
    assert all(c.args["response_type"] == "ephemeral" for c in more)
    shown = flat([answer["blocks"], *[c.args["blocks"] for c in more]])
    keys = sum(1 for n in range(1, 501) if f"*P-{n}*" in shown)
    if keys < 500:  # condensed: what did not fit is counted, not cut
        assert f"og {500 - keys} prosjekter til" in shown


def test_the_chart_is_uploaded_in_the_thread_and_missing_files_write_costs_only_the_chart(
        bot: Bot, clock: Any) -> None:
    seed(bot.svc.sessions, bot.team_id, ["CSEED00001", "CSEED00002"], 30, today=clock.today,
         users=(PM, MEMBER, OTHER))
    with bot.svc.sessions() as session:
        whole = summary.portfolio(session, bot.team_id, clock.today, TZ)
    png = chart_png(whole, "nb")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    client = WebClient(token=TOKEN, base_url=bot.fake.url)
    posted = post_all(bot.fake, "CLEADERS01", portfolio_messages(whole, "nb"))
    file_id = upload_png(client, channel_id="CLEADERS01", png=png, filename="portefolje.png", title="Portefølje",
                         thread_ts=posted[0]["ts"])
    [uploaded] = bot.fake.files()
    assert file_id == uploaded["id"] and uploaded["content"] == png and uploaded["shared"]
    assert (uploaded["channel"], uploaded["thread_ts"]) == ("CLEADERS01", posted[0]["ts"])
    assert [c.method for c in bot.fake.calls[-3:]] == [
        "files.getUploadURLExternal", "upload", "files.completeUploadExternal"]

    bot.fake.reset()
    bot.fake.deny_scope("files:write")
    posted = post_all(bot.fake, "CLEADERS01", portfolio_messages(whole, "nb"))
    assert upload_png(client, channel_id="CLEADERS01", png=png, filename="portefolje.png", title="Portefølje",
                      thread_ts=posted[0]["ts"]) is None
    assert bot.fake.calls[-1].response["error"] == "missing_scope"
    assert bot.fake.files() == [] and len(bot.fake.messages("CLEADERS01")) == len(posted)  # the text stands


def test_a_summary_reads_only_its_own_workspace(bot: Bot, clock: Any) -> None:
    other_team = f"T{uuid.uuid4().hex[:10].upper()}"
    seed(bot.svc.sessions, other_team, [bot.slack.channel_id], 3, today=clock.today, users=(PM,))
    bot.run(ONE_LINE)
    answer = bot.run("oppsummering")
    assert "*1 aktivt prosjekt*" in flat(answer["blocks"])
    with bot.svc.sessions() as session:
        assert summary.portfolio(session, bot.team_id, clock.today, TZ).totals.projects == 1
        assert summary.channel_summary(session, other_team, bot.slack.channel_id, clock.today,
                                       TZ).totals.projects == 3



def test_a_routine_step_logged_over_its_estimate_is_in_the_summary_one_within_it_is_not(bot: Bot, clock: Any) -> None:
    clock.set(dt.date(2026, 11, 18))  # Wednesday of week 47
    bot.run('ny "SEO Tine" kunde:Tine frist:15.03.2027 rutine:seo-oppstart')
    bot.run('ny "SEO Fjord" kunde:Fjord frist:15.03.2027 rutine:seo-oppstart')
    bot.run('logg P-1 3t oppgave:"Innhente tilganger" Manglet GA4-tilgang', user=MEMBER)  # 3 t of 1 t
    bot.run('logg P-1 3t ferdig:"Oppstartsmøte med kunden"')  # done, 3 t of 2 t: over all the same
    bot.run('logg P-2 1t oppgave:"Innhente tilganger"')  # exactly its estimate
    bot.run('logg P-2 1t oppgave:"Oppstartsmøte med kunden"')  # within it

    def sections(answer: dict[str, Any]) -> dict[str, str]:
        found = [b["text"]["text"].replace("\u00a0", " ") for b in answer["blocks"] if b["type"] == "section"]
        return {key: next(s for s in found if f"*{key}*" in s) for key in ("P-1", "P-2")}

    busy = sections(bot.run("summary"))
    assert (f"⚠️ *Over estimatet:* «Oppstartsmøte med kunden» 3 t / 2 t (<@{PM}>); "
            f"«Innhente tilganger» 3 t / 1 t (<@{PM}>)") in busy["P-1"]
    assert "Over estimatet" not in busy["P-2"] and "*Uke 47:* 2 t" in busy["P-2"]
    clock.set(dt.date(2026, 12, 2))  # week 49: both quiet, one line each; P-1's steps are still over
    quiet = sections(bot.run("summary"))
    assert quiet["P-1"] == quiet["P-2"] and "Ikke noe nytt i uke 49" in quiet["P-1"]
    lines = {key: next(line for line in quiet["P-1"].splitlines() if f"*{key}*" in line) for key in ("P-1", "P-2")}
    assert lines["P-1"].endswith(" · ⚠️ 2 steg over estimatet") and "estimatet" not in lines["P-2"]
