"""Rendering the weekly summary and the portfolio (pure): Block Kit limits, splitting and condensing between
whole projects, never a word cut, user text escaped, nb and en, the chart."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.health import FrameInputs, frame_figures, frame_health
from bot.domain.summary import (
    LEVELS,
    ChannelSummary,
    Due,
    GoalStatus,
    OverEstimate,
    Portfolio,
    ProjectSummary,
    Totals,
    Week,
    reporting_week,
)
from bot.slack.render.summary import MESSAGE_BLOCKS, channel_summary_messages, chart_png, portfolio_messages
from bot.usecases.summary import _by_health, _totals
from fakeslack.validation import check_message

TODAY = dt.date(2026, 11, 26)
WEEK = Week(dt.date(2026, 11, 23))
WORDS = [f"ord{n}xyz" for n in range(400)]


def project(number: int, *, name: str | None = None, news: bool = True, logged: int = 600, frame: int | None = 1200,
            lists: int = 6, text: str = "", channel: str = "C1", progress: int = 60) -> ProjectSummary:
    inputs = FrameInputs(today=TODAY, kind="avgrenset", state="active", start=dt.date(2026, 10, 1),
                         deadline=dt.date(2026, 12, 18), frame_minutes=frame, logged_minutes=logged,
                         reported_progress=progress, tasks_total=4, tasks_done=1, last_activity=TODAY)
    figures = frame_figures(inputs)
    return ProjectSummary(
        id=number, number=number, name=name or f"{text}Prosjekt {number} " + " ".join(WORDS[:30]),
        customer=f"{text}Kunde " + " ".join(WORDS[30:60]), kind="avgrenset", channel_id=channel,
        pm_user_id="UPM", deadline=dt.date(2026, 12, 18), frame_minutes=frame, logged_minutes=logged,
        health=frame_health(inputs, figures), figures=figures, week_minutes=150 if news else 0,
        week_by_person=(("U1", 90), ("U2", 60)) if news else (),
        upcoming=tuple(Due(TODAY + dt.timedelta(days=k), f"{text}Oppgave {k} " + " ".join(WORDS[60:100]), "U1")
                       for k in range(lists)),
        overdue=tuple(Due(TODAY - dt.timedelta(days=k + 1), f"{text}Sen {k} " + " ".join(WORDS[100:140]), None)
                      for k in range(lists)),
        goals=tuple(GoalStatus(f"{text}Mål {k} " + " ".join(WORDS[140:200]), 10000.0, 4500.0) for k in range(lists)),
        news=news)


def channel(found: list[ProjectSummary]) -> ChannelSummary:
    return ChannelSummary(team_id="T1", channel_id="C1", today=TODAY, week=WEEK, projects=tuple(_by_health(found)),
                          totals=_totals(found))


def whole(found: list[ProjectSummary]) -> Portfolio:
    return Portfolio(team_id="T1", today=TODAY, week=WEEK,
                     groups={level: tuple(p for p in found if p.health.level == level) for level in LEVELS},
                     at_risk=tuple(p for p in found if p.frame_at_risk), deadlines=tuple((p, p.upcoming[0])
                                                                                        for p in found if p.upcoming),
                     week_by_person=(("U1", 90),), channels=1, totals=_totals(found))


def sections(messages: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for m in messages for b in m["blocks"] if b["type"] == "section"]


def assert_slack_accepts(messages: list[dict[str, Any]]) -> None:
    for message in messages:
        assert check_message(message) is None, check_message(message)
        assert len(message["blocks"]) <= 50 and message["text"]


def words_whole(messages: list[dict[str, Any]]) -> None:
    """Every `ordNxyz` word shown is shown whole (a cut word would lose its `xyz`)."""
    text = json.dumps(messages, ensure_ascii=False)
    for word in re.findall(r"ord\d+\w*", text):
        assert word in WORDS, word


def test_a_few_projects_fit_one_message_with_totals_at_the_top() -> None:
    found = [project(1), project(2, news=False), project(3, logged=1300)]
    [message] = channel_summary_messages(channel(found), "nb")
    assert_slack_accepts([message])
    blocks = message["blocks"]
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": "Ukesoppsummering uke 48",
                                                     "emoji": True}}
    totals = blocks[1]["text"]["text"].replace("\u00a0", " ")
    assert totals.startswith("*3 aktive prosjekter* i <#C1> · 🔴 1 · 🟡 0 · 🟢 2\n*Logget uke 48:* 5 t")
    busy = [s for s in sections([message]) if s.startswith("*P-")]
    assert [s.split()[0] for s in busy] == ["*P-3*", "*P-1*"]  # red first
    assert "`▓▓▓▓▓░░░░░` 50 % (10 t av 20 t)" in busy[1].replace("\u00a0", " ")
    quiet = sections([message])[-1]
    assert quiet.startswith("*Ikke noe nytt i uke 48* (1)\n🟢 *P-2*") and quiet.count("\n") == 1


def test_english() -> None:
    [message] = channel_summary_messages(channel([project(1), project(2)]), "en")
    text = json.dumps(message, ensure_ascii=False).replace("\u00a0", " ")
    assert "Weekly summary, week 48" in text and "*2 active projects* in <#C1>" in text
    assert "*Hours:* `▓▓▓▓▓░░░░░` 50% (10 h of 20 h)" in text and "*Week 48:* 2.5 h" in text
    assert "Fri 27 Nov" in text and "Goals" in text and "…and 2 more" in text


def test_steps_over_their_estimate_in_a_busy_section_and_on_a_quiet_line() -> None:
    over = tuple(OverEstimate(f"Steg {k} <!here> & co", "U1" if k else None, 60, 90 + k * 60) for k in range(6))
    found = [dataclasses.replace(project(1), over_estimate=over),
             dataclasses.replace(project(2, news=False), over_estimate=over[:1]), project(3), project(4, news=False)]
    for lang, busy_line, quiet_end in (
            ("nb", "⚠️ *Over estimatet:* «Steg 0 &lt;!here&gt; &amp; co» 1,5 t / 1 t (–); «Steg 1 &lt;!here&gt; "
                   "&amp; co» 2,5 t / 1 t (<@U1>); ", " · ⚠️ 1 steg over estimatet"),
            ("en", "⚠️ *Over the estimate:* «Steg 0 &lt;!here&gt; &amp; co» 1.5 h / 1 h (–); «Steg 1 &lt;!here&gt; "
                   "&amp; co» 2.5 h / 1 h (<@U1>); ", " · ⚠️ 1 step over its estimate")):
        messages = channel_summary_messages(channel(found), lang)
        assert_slack_accepts(messages)
        shown = [s.replace("\u00a0", " ") for s in sections(messages)]
        p1, p3 = (next(s for s in shown if s.startswith(f"*P-{n}*")) for n in (1, 3))
        line = next(line for line in p1.splitlines() if "⚠️" in line)
        assert line.startswith(busy_line) and line.endswith("…og 2 til" if lang == "nb" else "…and 2 more")
        assert line.count("«") == 4 and "⚠️" not in p3  # four listed, the rest counted; none where none is over
        quiet = {line.split()[1]: line for s in shown for line in s.splitlines() if line.startswith(("🟢", "🟡"))}
        assert quiet["*P-2*"].endswith(quiet_end) and "⚠️" not in quiet["*P-4*"]


def test_sixty_busy_projects_split_between_projects_into_a_thread() -> None:
    found = [project(n) for n in range(1, 61)]
    messages = channel_summary_messages(channel(found), "nb")
    assert 1 < len(messages) <= 10
    assert_slack_accepts(messages)
    words_whole(messages)
    shown = [s.split()[0] for s in sections(messages) if s.startswith("*P-")]
    assert shown == [f"*P-{n}*" for n in range(1, 61)]  # each once, in order, none split over two messages
    assert messages[1]["text"] == f"Ukesoppsummering uke 48 (2/{len(messages)})"
    assert messages[1]["blocks"][0]["type"] == "context"
    assert all(len(m["blocks"]) <= MESSAGE_BLOCKS + 1 for m in messages)


def test_hundreds_of_quiet_projects_pack_lines_into_sections_below_3000() -> None:
    found = [project(n, news=False) for n in range(1, 301)]
    messages = channel_summary_messages(channel(found), "nb")
    assert_slack_accepts(messages)
    words_whole(messages)
    lines = [line for s in sections(messages) for line in s.split("\n") if "*P-" in line]
    assert len(lines) == 300 and all(len(s) <= 3000 for s in sections(messages))


def test_condensed_when_only_so_many_messages_may_be_sent() -> None:
    found = [project(n) for n in range(1, 61)]
    messages = channel_summary_messages(channel(found), "nb", max_messages=2)
    assert len(messages) == 2
    assert_slack_accepts(messages)
    shown = sum(1 for s in sections(messages) if s.startswith("*P-"))
    last = messages[-1]["blocks"][-1]
    assert last["type"] == "context"
    assert last["elements"][0]["text"].startswith(f"…og {60 - shown} prosjekter til.")
    one = channel_summary_messages(channel(found[: shown + 1]), "nb", max_messages=2)
    assert one[-1]["blocks"][-1]["elements"][0]["text"].startswith("…og 1 prosjekt til.")


def test_user_text_is_escaped_everywhere() -> None:
    nasty = "<!channel> <@U999> <https://evil.example|klikk> & "
    found = [project(1, text=nasty), project(2, text=nasty, news=False)]
    for messages in (channel_summary_messages(channel(found), "nb"), portfolio_messages(whole(found), "en")):
        text = json.dumps(messages, ensure_ascii=False)
        assert "<!channel>" not in text and "<@U999>" not in text and "<https://evil" not in text
        assert "&lt;!channel&gt; &lt;@U999&gt;" in text and "&amp; " in text


def test_an_empty_channel_and_an_empty_workspace() -> None:
    [message] = channel_summary_messages(channel([]), "nb")
    assert "Ingen aktive prosjekter i <#C1>" in message["blocks"][1]["text"]["text"]
    [message] = portfolio_messages(whole([]), "en")
    assert "No active projects in the workspace" in message["blocks"][1]["text"]["text"]


def test_portfolio_groups_by_health_red_first_and_lists_frames_at_risk() -> None:
    found = [project(1, logged=300), project(2, logged=1300), project(3, logged=1000, progress=90),
             project(4, frame=None)]
    [message] = portfolio_messages(whole(found), "nb")
    assert_slack_accepts([message])
    text = "\n".join(sections([message])).replace("\u00a0", " ")
    assert "*4 aktive prosjekter* i 1 kanal · 🔴 1 · 🟡 1 · 🟢 2" in text
    assert text.index("🔴 *Rød* (1)") < text.index("🟡 *Gul* (1)") < text.index("🟢 *Grønn* (2)")
    risk = text.split("*Rammer i faresonen*\n")[1].split("\n\n")[0]
    assert risk.startswith("*P-2*") and "*P-3*" in risk and "*P-1*" not in risk.split("*Frister")[0]


def test_a_big_portfolio_is_split_or_condensed_and_slack_accepts_it() -> None:
    found = [project(n, news=n % 3 == 0, logged=60 * (n % 30), channel=f"C{n % 40}") for n in range(1, 501)]
    messages = portfolio_messages(whole(found), "nb", max_messages=None)
    assert_slack_accepts(messages)
    words_whole(messages)
    text = json.dumps(messages)
    assert all(f"*P-{n}*" in text for n in range(1, 501))
    assert len(messages) == 8
    assert len(portfolio_messages(whole(found * 2), "nb")) == 10  # 1,000 lines: a thread of 10 at most
    short = portfolio_messages(whole(found), "nb", max_messages=6)
    assert len(short) == 6
    assert_slack_accepts(short)
    assert short[-1]["blocks"][-1]["elements"][0]["text"].startswith("…og ")


@settings(max_examples=60, deadline=None)
@given(names=st.lists(st.text(min_size=0, max_size=200), min_size=1, max_size=70),
       lang=st.sampled_from(["nb", "en"]), most=st.none() | st.integers(min_value=1, max_value=6))
def test_any_names_any_size_slack_accepts_it(names: list[str], lang: str, most: int | None) -> None:
    found = [project(n, name=name or "x", news=n % 2 == 0) for n, name in enumerate(names, start=1)]
    messages = channel_summary_messages(channel(found), lang, max_messages=most)
    assert_slack_accepts(messages)
    assert most is None or len(messages) <= most
    assert_slack_accepts(portfolio_messages(whole(found), lang, max_messages=most))


def test_reporting_week() -> None:
    assert reporting_week(dt.date(2026, 11, 30)) == Week(dt.date(2026, 11, 23))  # Monday: the week just ended
    assert reporting_week(dt.date(2026, 11, 26)) == Week(dt.date(2026, 11, 23))  # Thursday: this week
    assert reporting_week(dt.date(2026, 12, 1)) == Week(dt.date(2026, 11, 30))  # Tuesday: this week
    assert reporting_week(dt.date(2027, 3, 30)) == Week(dt.date(2027, 3, 22))  # Tuesday after Easter Monday
    assert Week(dt.date(2026, 12, 28)).number == 53


def test_chart_is_a_png_of_bounded_size() -> None:
    found = [project(n, logged=60 * n) for n in range(1, 501)]
    small = chart_png(whole(found[:3]), "nb")
    big = chart_png(whole(found), "en", top=25)
    assert small.startswith(b"\x89PNG") and big.startswith(b"\x89PNG")
    width, height = int.from_bytes(big[16:20], "big"), int.from_bytes(big[20:24], "big")
    assert width == 900 and height < 1200  # 25 bars, however many projects


def test_totals_add_up() -> None:
    found = [project(1), project(2, news=False), project(3, logged=1300)]
    totals = _totals(found)
    assert totals == Totals(projects=3, red=1, yellow=0, green=2, week_minutes=300, people=2, upcoming=18,
                            overdue=18, at_risk=1)
