"""Fuzzing `/prosjekt` over real HTTP with Hypothesis: thousands of random command lines, every sub-command.

For each sub-command (every nb and en word for it, in random case, plus unknown words) Hypothesis sends command
lines drawn from raw `st.text()` (control characters, emoji, up to ~5,000 characters) and from a grammar of
realistic fragments: the command's own `key:value` table (and keys it does not know), dates, hours, amounts,
percents, goal numbers, mentions, channels, straight/smart/unbalanced quotes, Slack's `&amp;` `&lt;` `&gt;`
escapes, project keys that exist and do not, and name prefixes. Every request is signed and sent over HTTP to a
real server with a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL), as Slack would.

Each example starts from a fresh workspace with a few projects (an active one with PL, members, a goal, tasks,
a log and a card; a retainer elsewhere; a delivered and a paused one with awkward names), so that valid-ish
commands reach deep code paths. Properties of every request:

- HTTP 200, with a JSON ack carrying `text` (valid as a Slack message), or an empty ack followed by a
  successful `views.open` (the modal path);
- nothing logged at ERROR or above by any logger, and no failed Slack call (a WARNING from `prosjektbot`);
- every Slack call made after the ack succeeds (the fake validates Block Kit as Slack does);
- no live `<!channel>`, `<!here>`, `<!everyone>` or `<!subteam^…>` in the ack or in anything sent to Slack;
- never a partial write: an error answer (it echoes "Du skrev:"/"You wrote:"), a modal or a read leaves every
  row of the workspace exactly as it was; otherwise row counts change only as the answer says (a project
  created, hours logged, a task or goal added); every project keeps exactly one PL member (its `pm_user_id`)
  and one 'created' history entry; every stored string fits its column and holds no NUL (PostgreSQL
  enforces both, SQLite does not, so the check finds on SQLite what would fail on PostgreSQL).

`test_fuzz_command[<sub-command>]` are the property-based tests (they carry Hypothesis' own `hypothesis` marker:
`-m hypothesis` selects them, `-k fuzz` selects this file); `test_fuzz_findings` replays, under the same checks,
the minimal command lines they found breaking a property. All are part of the normal suite. FUZZ_EXAMPLES=<n>
sets the examples per sub-command (default below; each example sends 1 to 3 requests).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import logging
import os
import re
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, Table, select

from bot.slack.i18n import CATALOG
from bot.usecases import logs, projects
from bot.usecases.command_line import KEYS, PROJECT_KEYS, SUBCOMMANDS
from fakeslack import FakeSlack, Sender
from fakeslack.validation import check_message
from storage.models import Goal, HistoryEntry, Member, ProgressLog, Project, Task, Workspace
from tests.conftest import ADMIN, MEMBER, OTHER, PM, Bot

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "125"))
REQUESTS: Counter[str] = Counter()  # requests sent per sub-command, reported at the end of the module

# every word for each sub-command, from the command table itself (so a new alias is fuzzed too)
WORDS: dict[str, tuple[str, ...]] = {}
for _word, _canonical in SUBCOMMANDS.items():
    WORDS[_canonical] = (*WORDS.get(_canonical, ()), _word)
COMMANDS = [*WORDS, "unknown"]

TABLES = [Workspace, Project, Member, Goal, Task, ProgressLog, HistoryEntry]
TABLE_BY_NAME: dict[str, Table] = {model.__table__.name: model.__table__ for model in TABLES}  # type: ignore
COUNTED = {"projects": Project, "logs": ProgressLog, "tasks": Task, "goals": Goal, "members": Member,
           "history": HistoryEntry}
# live in Slack's mrkdwn (`<!here>`, `<!channel|channel>`, `<!subteam^S1|@team>`); escaped they are inert
MASS_PING = re.compile(r"<!(?:channel|here|everyone|subteam\^[^<>|]*)(?:\|[^<>]*)?>")
WRITING = {"new", "log", "task", "frame", "goal", "done", "pause", "reopen"}  # the rest may not write at all


def _starts(key: str) -> tuple[str, ...]:
    """How message `key` begins in nb and en (its text before the first parameter), from the catalog."""
    return tuple(CATALOG[lang][key].split("{")[0] for lang in ("nb", "en"))


ERROR_ECHO = tuple("\n" + start for start in _starts("error.you_wrote"))  # the "Du skrev: `…`" line of errors
SUCCESS = {"created": _starts("new.created"), "logged": _starts("log.saved"), "task": _starts("task.added"),
           "goal_added": _starts("goal.added")}  # what a non-error answer says it did
OUR_FAULT = _starts("error.unexpected") + _starts("error.database")


# ------------------------------------------------------------------------------------------------ strategies

def one(*values: str) -> st.SearchStrategy[str]:
    return st.sampled_from(values)


def slack_escape(text: str) -> str:
    """What Slack sends for text the user typed: `&`, `<`, `>` escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


QUOTES = ('"{}"', "“{}”", "‘{}’", "«{}»", "'{}'", '„{}“', '"{}', '{}"', "“{}\"", "'{}")
SEPARATORS = one(" ", " ", " ", "  ", "\t", "\n", "\u00a0", " \u200b")

LONG = st.builds(lambda piece, n: (piece * n)[:5000], st.text(min_size=1, max_size=6), st.integers(20, 5000))
RAW = st.one_of(
    st.text(max_size=60), st.text(max_size=400), LONG,
    st.text(alphabet=one(*' "\'“”‘’«»:<>@!#&;|%_\\-.,0123456789tmhPp\n\t\u00a0\x00'), max_size=80),
    st.builds(lambda n: "x " * n, st.integers(1480, 1520)),  # around MAX_TEXT (3,000 characters)
)
SPECIAL_WORDS = one(
    "Nettside", "Levere rapport", "Organisk trafikk", "Kari's", "Kari’s", "&amp;", "&lt;", "&gt;", "&amp;lt;",
    "&lt;!channel&gt;", "<!channel>", "<!here>", "<!everyone>", "<!here|here>", "<!subteam^S1|@team>",
    "100%", "%", "_", "\\", "🎉", "👩‍💻", "\u200b", "\u202e", "\x00", "`", "*fet*", "~", "http://x.no",
    "<https://x.no|lenke>", "<mailto:a@b.no|a@b.no>", "a:b", "key:", ":", "P-1", "ß", "ﬃ", "İ", "Ⅻ",
    "{key}", "{0}", "%s", "'; drop table projects; --", "nan", "-", "−", "0", "1e9",
)
NASTY = one(  # what broke the bot before, often enough that a regression shows in one run
    "&lt;!channel&gt;", "&lt;!here&gt;", "<!everyone>", "&lt;!here|here&gt;", "&lt;!subteam^S1|@team&gt;",
    "\x00", "a\x00b", "ß" * 101, "ﬃ" * 101,
)
REPEATED = st.builds(lambda ch, n: ch * n, one("x", "ß", "ﬃ", "İ", "é", "🎉", "a "),
                     st.sampled_from([60, 100, 119, 120, 121, 150, 199, 200, 201, 299, 300, 301, 2000, 2001]))
WORD = st.one_of(st.text(min_size=1, max_size=12), SPECIAL_WORDS, SPECIAL_WORDS, NASTY, REPEATED,
                 st.text(min_size=1, max_size=12).map(slack_escape))
TEXT = st.lists(WORD, min_size=1, max_size=4).map(" ".join)
QUOTED = st.builds(lambda style, text: style.format(text), one(*QUOTES), TEXT)
FREE = st.one_of(TEXT, QUOTED)

REFS = st.one_of(
    one("P-1", "p-1", "P1", "p1", "P-2", "P-3", "P-4", "P-5", "P-0", "P-", "P--1", "P-999999999", "P-999999999999",
        "P-00001", "P-٣", "P-1.5", "Nettside", "nettside f", "NETTSIDE TINE", "Nettside Fjordkraft", "Nett",
        "Annonser", "annonser &lt;!here&gt;", "Kampanje_", "Kampanje_%", "Kampanje\\", "%", "_", "N", "x",
        '"Nettside Tine"', "“Nettside”", "'Nettside Tine'"),
    st.integers(-5, 10**13).map("P-{}".format),
    WORD,
    NASTY,
)
DATES = st.one_of(
    one("31.02", "15.12", "15.12.2026", "15.12.26", "29.02.2027", "29.02.2028", "1.1.1999", "31.12.2100",
        "01.01.2101", "2026-12-15", "2026-13-01", "0000-01-01", "9999-12-31", "15/12", "15-12", "0.0",
        "00.00.0000", "15. des", "15 desember 2026", "31. feb", "uke 60", "uke 53", "uke 0", "uke 51", "u50",
        "uke 50 2027", "uke 1, 2027", "week 52", "w1", "uke 53 2026", "om -3 uker", "om 3 uker", "om to uker",
        "om 9999 uker", "om 9999 mnd", "om 1 måned", "in 2 weeks", "i dag", "i morgen", "i går", "overmorgen",
        "fredag", "neste fredag", "next friday", "på mandag", "søn.", "neste uke", "next week", "today",
        "yesterday", "20261215", "15.12.2026.", "15..12", "-15.12", "+15.12", "26.11", "25.11.2026"),
    st.builds("{}.{}".format, st.integers(-1, 40), st.integers(-1, 14)),
    st.builds("{}.{}.{}".format, st.integers(0, 40), st.integers(0, 14),
              one("26", "2026", "2027", "1999", "2101", "0000", "9999", "99", "00")),
    st.builds("uke {}".format, st.integers(-5, 120)),
    st.builds("om {} {}".format, st.integers(-10, 10**7),
              one("d", "dager", "uke", "uker", "mnd", "måneder", "weeks", "months")),
)
HOURS = st.one_of(
    one("2,5t", "-1t", "0m", "1e9t", "25t", "24t", "24,01t", "0,1t", "0,001t", "1t", "1t30", "1h30m", "1:30",
        "0:00", "23:59", "24:00", "24:01", "99:59", "90m", "1440m", "1441m", "2.5", "2", "0", "24", "25",
        "100", ".5", ",5t", "2,5h", "2.5hrs", "−2t", "2t2", "1" + "0" * 30 + "t", "9" * 400, "1t", "30m",
        "2,5timer", "1.5.t"),
    st.builds("{}{}".format, st.integers(-3, 10**12), one("", "t", "h", "m", "min", "timer", ",5t", ".25h")),
)
FRAME_HOURS = st.one_of(
    one("120", "120t", "37,5", "1 500", "100000", "100 000", "100001", "0", "0,001", "-5", "1e9t", "25t",
        "2,5t", "100 000,5", "1.500"),
    st.integers(-10, 10**9).map(str),
)
AMOUNTS = st.one_of(
    one("150000", "150 000", "150.000", "150,000", "150.000,50", "150,000.50", "kr 150 000", "150 000 kr",
        "150 000,-", "1,5 mill", "1,5 millioner", "150k", "150 tusen", "-150", "kr -150", "0", "0,4", "0,5",
        "1e9", "1000000000", "1 000 000 001", "10000000000000000000000", "kr", ",-", "1.2.3", "nok 5", "5 NOK",
        "1000 mill"),
    st.integers(-10, 10**13).map(str),
)
PERCENTS = st.one_of(one("40%", "150%", "-5%", "0%", "100%", "999%", "٤٠%", "4O%", "40 %", "100,5%"),
                     st.integers(0, 999).map("{}%".format))
NUMBERS = st.one_of(
    one("10000", "10 000", "4,5", "1e12", "-1e12", "1e11", "nan", "inf", "Infinity", "-0", "12,5 %", "1_000",
        "0x10", "１２３", "1e-400", "9" * 400, "4 500", "-", ""),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-(10**13), 10**13).map(str),
)
USERS = st.one_of(
    one("<@U123>", "<@U1|x y>", "@kari", "<!channel>", "<!here>", "<!everyone>", "<#C1|x>", f"<@{PM}>",
        f"<@{MEMBER}|ola>", "<@W0123ABC>", "<@u123>", "<@>", "&lt;@U1&gt;", "<@U1", "<@U1|<x>>",
        "<!subteam^S123|@team>", "<mailto:a@b.no|a@b.no>", f"<@{PM}> og <@{MEMBER}>", "<@U1>,<@U2>",
        "<@U1> &amp; <@U2>", "<@U1> and", "og"),
    st.builds(lambda prefix, n: f"<@{prefix}{'A' * n}>", one("U", "W"), st.integers(1, 80)),
)
CHANNELS = st.one_of(
    one("<#C1|x>", "<#C0123ABCD>", "<#G1>", "#general", "<#D1>", "<#C1|<!here>>", "<#C1|&lt;!here&gt;>", "<#>"),
    st.builds(lambda n: f"<#C{'B' * n}|kanal>", st.integers(1, 80)),
)
KINDS = one("avgrenset", "løpende", "lopende", "fixed", "retainer", "ongoing", "AVGRENSET", "Løpende", "fast",
            "<!here>")
VALUES = {
    "customer": FREE, "deadline": DATES, "start": DATES, "hours": FRAME_HOURS, "budget": AMOUNTS, "pm": USERS,
    "owner": USERS, "members": USERS, "channel": CHANNELS, "kind": KINDS, "goals": FREE, "task": FREE,
    "project": REFS, "target": NUMBERS, "current": NUMBERS,
    "from": DATES, "to": DATES,
    "date": st.one_of(DATES, one("i går", "igår", "yesterday", "fredag", "friday", "27.11", "2026-11-27",
                                 "i morgen", "33.13", "i går Møte med kunden", "1.1.2000")),
    "routine": st.one_of(one("seo-oppstart", "some-lopende", "SEO-OPPSTART", "seo", "ny-nettside", "finnes-ikke"),
                         FREE),
    "role": st.one_of(st.builds("{}={}".format, one("seo", "pl", "design", "SEO", "x y", ""), USERS), FREE),
    "against": FREE,
    "rate": st.one_of(AMOUNTS, st.builds("{}={}".format, USERS, AMOUNTS), FREE),
    "rollover": st.one_of(one("ja", "nei", "yes", "no", "JA", "på", "av", "kanskje", ""), FREE),
    "rollover_cap": st.one_of(one("0", "25", "30%", "100", "101", "-5", "2,5", "３０", "30 %", ""), PERCENTS, NUMBERS),
}
ANY_VALUE = st.one_of(WORD, DATES, HOURS, AMOUNTS, USERS)
CASES: st.SearchStrategy[Callable[[str], str]] = st.sampled_from([str, str, str, str.upper, str.title])
UNKNOWN_KEYS = one("foo", "kl", "uke", "http", "https", "prosjekt", "ferdig", "mål", "nå", "frist", "timer",
                   "x", "é", "ÅÅ", "ansvarlig", "kunde", "budsjett")


@st.composite
def option(draw: st.DrawFn, command: str) -> str:
    """One `key:value`: a key of the command's table (any spelling, any case) or another, in any style."""
    table = KEYS.get(command, PROJECT_KEYS)
    mine: int = draw(st.integers(0, 4))  # mostly a key the command knows
    if table and mine:
        key = draw(st.sampled_from(sorted(table)))
        value = draw(st.one_of(VALUES[table[key]], VALUES[table[key]], VALUES[table[key]], ANY_VALUE))
    else:
        key, value = draw(UNKNOWN_KEYS), draw(ANY_VALUE)
    key = draw(CASES)(key)
    style = draw(one("{k}:{v}", "{k}:{v}", "{k}: {v}", '{k}:"{v}"', "{k}:“{v}”", "{k}:«{v}»", "{k}:",
                     "{k}:{v} {k}:{v}", '{k}:"{v}', "{k}://{v}"))
    return style.format(k=key, v=value)


def options(command: str) -> st.SearchStrategy[list[str]]:
    return st.lists(option(command), max_size=4)


@st.composite
def grammar(draw: st.DrawFn, command: str) -> str:
    """Arguments built from realistic fragments, shaped for `command`."""
    parts: list[str] = []
    if command == "new":
        parts += draw(st.lists(FREE, max_size=2))
    elif command == "log":
        if draw(st.booleans()):
            parts.append(draw(REFS))
        parts += draw(st.lists(HOURS, max_size=2))
        parts += draw(st.lists(st.one_of(WORD, WORD, PERCENTS), max_size=4))
    elif command in ("task", "goal", "frame"):
        if draw(st.booleans()):
            parts.append(draw(REFS))
        parts += draw(st.lists(FREE, max_size=2 if command != "frame" else 1))
    elif command == "list":
        parts.append(draw(st.one_of(one("", "kanal", "channel", "mine", "my", "mine prosjekter", "alle", "all",
                                        "ALLE", "Mine", "mine  prosjekter", "alle P-1"), WORD)))
    elif command in ("status", "done", "pause", "reopen", "history"):
        parts += draw(st.lists(REFS, min_size=1, max_size=2))
    else:  # help and unknown words: anything
        parts += draw(st.lists(st.one_of(WORD, REFS, HOURS, DATES, USERS), max_size=4))
    opts = draw(options(command))
    if draw(st.integers(0, 3)):
        parts += opts  # options after the words, as people write them
    else:
        parts = opts + parts
    separators = draw(st.lists(SEPARATORS, min_size=len(parts), max_size=len(parts)))
    return "".join(sep + part for sep, part in zip(separators, parts, strict=True)).lstrip(" ")


UNKNOWN_WORDS = st.one_of(
    one("nyy", "lgg", "statsu", "slett", "delete", "P-1", "@kari", "<!channel>", "&lt;!here&gt;", "hjelp!", "ny:",
        "ny\u00a0", "logg,", "mål?", "1t", "?", "🎉", "\x00"),
    st.text(min_size=1, max_size=15),
).filter(lambda w: w.strip().partition(" ")[0].casefold() not in SUBCOMMANDS)


@st.composite
def command_line(draw: st.DrawFn, command: str) -> str:
    if command == "unknown":
        head = draw(UNKNOWN_WORDS)
    else:
        head = draw(CASES)(draw(st.sampled_from(WORDS[command])))
    rest = draw(st.one_of(grammar(command), grammar(command), grammar(command), RAW, st.just("")))
    lead = draw(one("", "", "", " ", "\n "))
    sep = draw(SEPARATORS) if rest else draw(one("", "", " "))
    return lead + head + sep + rest


class Req(NamedTuple):
    text: str
    user: str
    channel: str  # "home" (P-1's channel), "other" (P-2's, unless crowded) or "fresh" (none's)


@functools.cache
def requests_for(command: str) -> st.SearchStrategy[list[Req]]:
    one_request = st.builds(Req, command_line(command), st.sampled_from([PM, PM, PM, MEMBER, ADMIN, OTHER]),
                            one("home", "home", "home", "other", "fresh"))
    return st.lists(one_request, min_size=1, max_size=3)


LAYOUTS = one("standard", "standard", "standard", "crowded", "empty")


# ------------------------------------------------------------------------------------------------ the world

Rows = dict[str, list[tuple[Any, ...]]]  # table name -> rows
HOME, OTHER_CHANNEL, FRESH_CHANNEL = "CFUZZHOME01", "CFUZZOTHER1", "CFUZZFRESH1"  # fixed: one workspace an example


def make_template(bot: Bot, layout: str) -> Rows:
    """Projects to aim at, made once per layout through the domain rules, as rows to copy per example: P-1
    active with PL, a member, a goal, two tasks, a log and a card; P-2 a retainer (in P-1's channel when
    crowded); P-3 delivered and P-4 paused, with names that need escaping and LIKE wildcards."""
    team = f"TTEMPLATE{uuid.uuid4().hex[:8].upper()}"
    with bot.svc.unit(team, write=True) as unit:
        if layout == "empty":
            return {}
        session, today, now = unit.session, unit.today, bot.svc.now()
        as_pm = projects.Actor(team, PM, now)
        p1 = projects.create_project(session, as_pm, projects.ProjectDraft(
            name="Nettside Fjordkraft", customer="Fjordkraft AS", channel_id=HOME, pm_user_id=PM, start=today,
            deadline=today + dt.timedelta(days=19), frame_minutes=7200, budget_nok=150000, member_ids=(MEMBER,),
            goals=("Organisk trafikk",)), today=today)
        projects.set_goal(session, as_pm, p1, title="Organisk trafikk", target=10000, current=4500)
        projects.add_task(session, as_pm, p1, title="Levere rapport", owner_user_id=MEMBER,
                          deadline=today + dt.timedelta(days=1), today=today)
        projects.add_task(session, as_pm, p1, title="Lage annonser", owner_user_id=None, deadline=None, today=today)
        logs.log_progress(session, projects.Actor(team, MEMBER, now), p1, minutes=150,
                              description="Skrev annonsetekster", today=today, percent=40)
        p2 = projects.create_project(session, projects.Actor(team, MEMBER, now), projects.ProjectDraft(
            name="Nettside Tine", customer="Tine SA", channel_id=HOME if layout == "crowded" else OTHER_CHANNEL,
            pm_user_id=MEMBER, start=today, deadline=None, kind="lopende", frame_minutes=600), today=today)
        p3 = projects.create_project(session, as_pm, projects.ProjectDraft(
            name="Annonser <!here> & 100%", customer="Kunde <@U1> & co", channel_id=HOME, pm_user_id=PM,
            start=today, deadline=today + dt.timedelta(days=30)), today=today)
        projects.set_state(session, as_pm, p3, "delivered")
        p4 = projects.create_project(session, as_pm, projects.ProjectDraft(
            name="Kampanje_%", customer="Tine SA", channel_id=HOME, pm_user_id=OTHER, start=today, deadline=None,
            kind="lopende"), today=today)
        projects.set_state(session, projects.Actor(team, OTHER, now), p4, "paused")
        for number, project in enumerate((p1, p2), 1):  # the cards the bot keeps up to date
            project.card_channel_id, project.card_ts = project.channel_id, f"1700000000.00000{number}"
    return dump(bot, team)


TEMPLATES: dict[str, Rows] = {}  # layout -> rows of a template workspace (the database outlives one test)


def build_world(bot: Bot, fake: FakeSlack, layout: str) -> Sender:
    """A fresh workspace, a copy of the layout's template; returns Slack's side for it."""
    template = TEMPLATES.get(layout)
    if template is None:
        template = TEMPLATES[layout] = make_template(bot, layout)
    team = f"T{uuid.uuid4().hex[:10].upper()}"
    fake.reset()  # forget calls and messages of earlier examples; users stay
    if template:
        copy_rows(bot, template, team)
        for project in named_rows(template, "projects"):
            if project["card_ts"]:
                fake.add_message(project["card_channel_id"], "card", user="UBOT", ts=project["card_ts"])
    return dataclasses.replace(bot.slack, team_id=team, channel_id=HOME)


def named_rows(rows: Rows, table: str) -> list[dict[str, Any]]:
    columns = [c.name for c in TABLE_BY_NAME[table].columns]
    return [dict(zip(columns, row, strict=True)) for row in rows[table]]


def copy_rows(bot: Bot, template: Rows, team: str) -> None:
    """Insert the template's rows for `team`, with new ids for projects and tasks."""
    with bot.svc.unit(team, write=True) as unit:  # creates the workspace row
        session = unit.session
        [workspace] = named_rows(template, "workspaces")
        table = TABLE_BY_NAME["workspaces"]
        session.execute(table.update().where(table.c.team_id == team).values(
            last_project_number=workspace["last_project_number"]))
        new_ids: dict[str, dict[int, int]] = {"projects": {}, "tasks": {}}
        for name in ("projects", "members", "goals", "tasks", "progress_logs", "history"):
            table = TABLE_BY_NAME[name]
            for row in named_rows(template, name):
                old_id: int = row.pop("id", 0)
                row["team_id"] = team
                if "project_id" in row:
                    row["project_id"] = new_ids["projects"][row["project_id"]]
                if row.get("task_id") is not None:
                    row["task_id"] = new_ids["tasks"][row["task_id"]]
                if name in new_ids:
                    inserted = table.insert().values(**row).returning(table.c.id)
                    new_ids[name][old_id] = session.execute(inserted).scalar_one()
                else:
                    session.execute(table.insert().values(**row))


def dump(bot: Bot, team_id: str) -> Rows:
    """Every row of the workspace, table by table, in primary-key order."""
    rows: Rows = {}
    with bot.svc.sessions() as session:
        for table in TABLE_BY_NAME.values():
            stmt = select(table).where(table.c.team_id == team_id).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in session.execute(stmt)]
    return rows


def project_number(rows: Rows) -> int:
    return next((w["last_project_number"] for w in named_rows(rows, "workspaces")), 0)


def counts(rows: Rows) -> dict[str, int]:
    return {name: len(rows[model.__tablename__]) for name, model in COUNTED.items()}


def invariant_problems(rows: Rows) -> list[str]:
    """What must hold whatever was typed: one PL member and one 'created' entry per project; stored strings
    fit their columns and hold no NUL."""
    problems: list[str] = []
    as_dicts = {name: named_rows(rows, name) for name in rows}
    for project in as_dicts["projects"]:
        pms = [m["user_id"] for m in as_dicts["members"] if m["project_id"] == project["id"] and m["role"] == "pm"]
        if pms != [project["pm_user_id"]]:
            problems.append(f"P-{project['number']}: PL members {pms}, pm_user_id {project['pm_user_id']!r}")
        created = [h for h in as_dicts["history"] if h["project_id"] == project["id"] and h["action"] == "created"]
        if len(created) != 1:
            problems.append(f"P-{project['number']}: {len(created)} 'created' history entries")
    for table in TABLE_BY_NAME.values():
        for row in as_dicts[table.name]:
            for column in table.columns:
                value = row[column.name]
                if not isinstance(value, str):
                    continue
                if "\x00" in value:
                    problems.append(f"{table.name}.{column.name} holds a NUL: {value[:80]!r}")
                length = column.type.length if isinstance(column.type, String) else None
                if length is not None and len(value) > length:
                    problems.append(f"{table.name}.{column.name} is {len(value)} characters, the column "
                                    f"{length}: {value[:80]!r}")
    return problems


class Records(logging.Handler):
    """Log records from every logger and thread (request threads and the Slack-call pool)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self._lock2 = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self._lock2:
            self.records.append(record)

    def take(self) -> list[logging.LogRecord]:
        with self._lock2:
            taken, self.records = self.records, []
        return taken


@pytest.fixture
def log_records() -> Iterator[Records]:
    handler = Records()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s [%(threadName)s]: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


@pytest.fixture(scope="module", autouse=True)
def _report_requests() -> Iterator[None]:
    yield
    if REQUESTS:
        detail = ", ".join(f"{name} {n}" for name, n in REQUESTS.items())
        print(f"\nfuzz: {sum(REQUESTS.values())} requests ({detail})")


# ------------------------------------------------------------------------------------------------ one request

def mrkdwn_texts(value: Any) -> Iterator[str]:
    """Every `text` Slack parses for mentions: message texts and mrkdwn objects, not plain_text ones."""
    if isinstance(value, list):
        for item in value:
            yield from mrkdwn_texts(item)
    elif isinstance(value, dict) and value.get("type") != "plain_text":
        for key, item in value.items():
            if key == "text" and isinstance(item, str):
                yield item
            else:
                yield from mrkdwn_texts(item)


def shorten(text: str, limit: int = 300) -> str:
    shown = repr(text)
    return shown if len(shown) <= limit else f"{shown[:limit]}… ({len(text)} characters)"


def classify(text: str) -> str:
    if any(echo in text for echo in ERROR_ECHO):
        return "error"
    return next((kind for kind, starts in SUCCESS.items() if text.startswith(starts)), "other")


def check_request(bot: Bot, fake: FakeSlack, sim: Sender, command: str, req: Req, before: Rows,
                  log: Records) -> Rows:
    """Send one command line and check every property; returns the rows after it."""
    __tracebackhide__ = True
    log.take()
    calls_before = len(fake.calls)
    channel = {"home": HOME, "other": OTHER_CHANNEL, "fresh": FRESH_CHANNEL}[req.channel]
    response = sim.command(req.text, user=req.user, channel=channel)
    REQUESTS[command] += 1
    bot.settle()
    calls = fake.calls[calls_before:]
    records = log.take()
    after = dump(bot, sim.team_id)
    problems: list[str] = []

    # HTTP and the ack
    body: dict[str, Any] = {}
    if response.status_code != 200:
        problems.append(f"HTTP {response.status_code}: {response.text[:500]!r}")
    elif response.text:
        try:
            body = response.json()
        except ValueError:
            problems.append(f"the ack is not JSON: {response.text[:500]!r}")
        if not isinstance(body, dict) or not isinstance(body.get("text"), str) or not body["text"]:
            problems.append(f"the ack has no text: {response.text[:500]!r}")
            body = body if isinstance(body, dict) else {}
        elif (invalid := check_message(body)) is not None:
            problems.append(f"the ack is not a valid Slack message: {json.dumps(invalid)[:1000]}")
    elif not any(c.method == "views.open" for c in calls):
        problems.append("an empty ack, and no modal was opened")
    text = body.get("text", "")
    if text.startswith(OUR_FAULT):
        problems.append(f"the answer says the bot failed: {text[:300]!r}")

    # the log, and the Slack calls made after the ack
    bad = [r for r in records if r.levelno >= logging.ERROR or r.name.startswith(("prosjektbot", "slack_bolt"))]
    for record in bad:
        problems.append("logged: " + log.format(record))
    for call in calls:
        if call.response.get("ok") is False:
            problems.append(f"Slack call {call.method} failed: {json.dumps(call.response)[:1000]}")

    # escaping: nothing the bot says may ping a whole channel
    for where, payload in [("the ack", body), *((f"Slack call {c.method}", c.args) for c in calls)]:
        for shown in mrkdwn_texts(payload):
            if match := MASS_PING.search(shown):
                problems.append(f"{where} contains a live {match[0]}: …{shown[max(0, match.start() - 80):][:200]}…")

    # the store: invariants, and no partial write
    problems += invariant_problems(after)
    kind = classify(text) if body else "modal"
    old, new = counts(before), counts(after)
    grew = {name: new[name] - old[name] for name in old}
    if any(n < 0 for n in grew.values()):
        problems.append(f"rows disappeared: {grew}")
    if not before["workspaces"] and after["workspaces"] and not grew["projects"]:
        before = {**before, "workspaces": after["workspaces"]}  # a workspace's first command made its row
    if kind in ("error", "modal") or command not in WRITING:
        if after != before:
            changed = {t: (len(before[t]), len(after[t])) for t in after if after[t] != before[t]}
            problems.append(f"a {kind} answer ({command}) changed the store (rows before, after): {changed}")
    else:
        expected_projects = 1 if kind == "created" else 0
        expected = {"projects": expected_projects, "logs": int(kind == "logged"), "tasks": int(kind == "task")}
        for name, n in expected.items():
            if grew[name] != n:
                problems.append(f"a {kind!r} answer, but {name} grew by {grew[name]}")
        allowed_goals = {"goal_added": (1,), "created": (0, 1)}.get(kind, (0,))
        if grew["goals"] not in allowed_goals:
            problems.append(f"a {kind!r} answer, but goals grew by {grew['goals']}")
        if grew["members"] and kind not in ("created", "logged"):
            problems.append(f"a {kind!r} answer, but members grew by {grew['members']}")
        if kind == "created" and project_number(after) != project_number(before) + 1:
            problems.append(f"a project was created, and the workspace's last project number went from "
                            f"{project_number(before)} to {project_number(after)}")

    if problems:
        raise AssertionError(
            f"/prosjekt {shorten(req.text)} (as {req.user} in {req.channel}) broke {len(problems)} properties:\n- "
            + "\n- ".join(problems)
            + f"\nHTTP {response.status_code}, ack: {response.text[:2000]}"
        )
    return after


# ------------------------------------------------------------------------------------------------ the tests

@pytest.mark.parametrize("command", COMMANDS)
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example],
    deadline=None, max_examples=EXAMPLES, phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
)
@given(layout=LAYOUTS, data=st.data())
def test_fuzz_command(bot: Bot, fake: FakeSlack, log_records: Records, command: str, layout: str,
                      data: st.DataObject) -> None:
    """Random command lines for one sub-command: never a 5xx, never an error in the log, never a partial write.
    (Parametrized rather than one test per command: Hypothesis keeps each parameter's examples apart.)"""
    sim = build_world(bot, fake, layout)
    rows = dump(bot, sim.team_id)
    assert not invariant_problems(rows)
    for req in data.draw(requests_for(command), label="requests"):
        rows = check_request(bot, fake, sim, command, req, rows, log_records)


# ------------------------------------------------------------------------------------------------ found so far

LONG_ID = "A" * 40
FINDINGS: list[tuple[str, list[str]]] = [  # minimal command lines the fuzzer found breaking a property
    ("project.unknown echoes the reference raw", ["historikk &lt;!channel&gt;"]),
    ("project.ambiguous echoes project names raw", ['ny "Kampanje &lt;!here&gt; A" kunde:x frist:15.12.2026',
                                                    'ny "Kampanje &lt;!here&gt; B" kunde:x frist:15.12.2026',
                                                    "status Kampanje"]),
    ("task.unknown echoes the reference raw", ["logg P-1 1t ferdig:&lt;!here&gt;"]),
    ("task.ambiguous echoes task titles raw", ['oppgave P-1 "Rapport &lt;!channel&gt; 1"',
                                               'oppgave P-1 "Rapport &lt;!channel&gt; 2"',
                                               "logg P-1 1t ferdig:Rapport"]),
    ("NUL in a task title", ["oppgave \x00"]),
    ("NUL in a goal title", ["mål \x00"]),
    ("NUL in a log description", ["logg P-1 1t a\x00b"]),
    ("NUL in a project name", ["ny a\x00b kunde:x frist:15.12.2026"]),
    ("NUL in a project reference", ["levert \x00"]),
    ("name_key longer than its column (casefold: ß -> ss)", ["ny " + "ß" * 120 + " kunde:x frist:15.12.2026"]),
    ("goal title_key longer than its column (casefold: ﬃ -> ffi)", ['mål P-1 "' + "ﬃ" * 300 + '"']),
    ("PL id longer than its column", [f"ny X kunde:x frist:15.12.2026 pl:<@U{LONG_ID}>"]),
    ("member id longer than its column", [f"ny X kunde:x frist:15.12.2026 medlemmer:<@U{LONG_ID}>"]),
    ("channel id longer than its column", [f"ny X kunde:x frist:15.12.2026 kanal:<#C{LONG_ID}>"]),
    ("task owner id longer than its column", [f"oppgave P-1 X ansvarlig:<@U{LONG_ID}>"]),
]


def test_fuzz_findings(bot: Bot, fake: FakeSlack, log_records: Records) -> None:
    """What the fuzzer found, replayed as fixed command lines (each from a fresh workspace) under the same checks."""
    failures = []
    for finding, lines in FINDINGS:
        sim = build_world(bot, fake, "standard")
        rows = dump(bot, sim.team_id)
        for text in lines:
            command = SUBCOMMANDS.get(text.strip().partition(" ")[0].casefold(), "unknown")
            try:
                rows = check_request(bot, fake, sim, command, Req(text, PM, "home"), rows, log_records)
            except AssertionError as exc:
                failures.append(f"{finding}:\n{exc}")
                break
    assert not failures, f"{len(failures)} of {len(FINDINGS)} findings still fail:\n\n" + "\n\n".join(failures)
