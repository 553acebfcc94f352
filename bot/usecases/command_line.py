"""How a one-line `/prosjekt` command reads: its sub-command words, option keys, the hours at the front of a log,
and the one rule for naming the project (the sub-command handlers are in bot.usecases.commands).

The project is named by `prosjekt:`, else by the first word: a key (`P-12`), or a name: the start of it, or all
of it in quotes. Left out, it is the channel's only active project. What comes after the project decides how
much of the line names it (`Follows`): in `status`/`ramme`… every word; in `logg` the first word when hours follow
it; in `oppgave`/`mål` the first word (or quoted name) when more words follow *and* it names exactly one project
of the workspace, otherwise it starts the title.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.domain.arguments import Args
from bot.domain.errors import NotFound, UserError
from bot.domain.parsing import echo, looks_like_hours, parse_date, parse_hours, unescape_slack
from bot.domain.retainer import parse_cap, parse_rollover
from bot.usecases import projects
from bot.usecases.retainers import RolloverChange

SUBCOMMANDS = {
    "hjelp": "help", "help": "help", "ny": "new", "new": "new", "logg": "log", "log": "log",
    "status": "status", "liste": "list", "list": "list", "oppgave": "task", "task": "task",
    "ramme": "frame", "rammer": "frame", "frame": "frame", "mål": "goal", "mal": "goal", "goal": "goal",
    "levert": "done", "done": "done", "pause": "pause", "gjenåpne": "reopen", "gjenapne": "reopen",
    "reopen": "reopen", "historikk": "history", "history": "history", "oppsummering": "summary",
    "summary": "summary",
    "innstillinger": "settings", "settings": "settings",
    "rutiner": "routines", "routines": "routines", "rutine": "routine", "routine": "routine",
    "oppgaver": "tasks", "tasks": "tasks",
    "eksport": "export", "export": "export",
    "rapport": "report", "report": "report", "godkjenn": "approve", "approve": "approve",
    "åpne": "reopen_month", "apne": "reopen_month",
    "timer": "hours", "hours": "hours",  # `timer` (bot.usecases.log_edits), `timer uke` (bot.usecases.my_week)
    "varsler": "notifications", "notifications": "notifications",
}
PROJECT_KEYS = {"prosjekt": "project", "project": "project"}
ROLLOVER_KEYS = {"overføring": "rollover", "overforing": "rollover", "rollover": "rollover",
                 "overføringstak": "rollover_cap", "overforingstak": "rollover_cap", "rollovercap": "rollover_cap"}
KEYS: dict[str, dict[str, str]] = {
    "new": {
        "kunde": "customer", "customer": "customer", "frist": "deadline", "deadline": "deadline",
        "timer": "hours", "hours": "hours", "budsjett": "budget", "budget": "budget", "pl": "pm", "pm": "pm",
        "type": "kind", "kind": "kind", "start": "start", "kanal": "channel", "channel": "channel",
        "medlemmer": "members", "members": "members", "mål": "goals", "goal": "goals",
        "rutine": "routine", "routine": "routine", "rolle": "role", "role": "role",
        "timepris": "rate", "rate": "rate", **ROLLOVER_KEYS,
    },
    "log": {"ferdig": "task", "done": "task", "oppgave": "against", "task": "against", "dato": "date",
            "date": "date", **PROJECT_KEYS},
    "task": {"frist": "deadline", "deadline": "deadline", "ansvarlig": "owner", "owner": "owner", **PROJECT_KEYS},
    "frame": {
        "timer": "hours", "hours": "hours", "frist": "deadline", "deadline": "deadline", "start": "start",
        "budsjett": "budget", "budget": "budget", "timepris": "rate", "rate": "rate", **ROLLOVER_KEYS,
        **PROJECT_KEYS,
    },
    "export": {"kunde": "customer", "customer": "customer", "fra": "from", "from": "from", "til": "to", "to": "to",
               **PROJECT_KEYS},
    "goal": {"mål": "target", "target": "target", "nå": "current", "na": "current", "current": "current",
             **PROJECT_KEYS},
}
MINUTES_RE = re.compile(r"^\d+\s*(m|min)$", re.IGNORECASE)
PERCENT_RE = re.compile(r"^\d{1,3}\s?%$")  # a log's "40%"


def rollover_option(args: Args) -> RolloverChange:
    """`overføring:ja|nei` and `overføringstak:30` (bot.domain.retainer's syntax), as a change."""
    return RolloverChange(option(args, "rollover", parse_rollover), option(args, "rollover_cap", parse_cap))


def option(args: Args, name: str, parse: Callable[[str], Any]) -> Any:
    """Parse option `name` if given; a parse error is reported on that field."""
    if name not in args.options:
        return None
    try:
        return parse(args.options[name])
    except UserError as exc:
        exc.field = exc.field or name
        raise


def take_hours(words: list[str]) -> tuple[int | None, list[str]]:
    """Hours from the front of `words`: `2,5t`, or two words such as `1t 30m`."""
    if not words:
        return None, words
    if len(words) > 1 and MINUTES_RE.match(words[1]) and not MINUTES_RE.match(words[0]):
        try:
            return parse_hours(f"{words[0]} {words[1]}"), words[2:]
        except UserError:
            pass
    if not looks_like_hours(words[0]):
        return None, words
    return parse_hours(words[0]), words[1:]


def take_log_date(value: str, today: dt.date) -> tuple[dt.date, list[str]]:
    """A log's date from the front of `dato:`'s value (`dato:i går Møte med kunden`: an unquoted value runs on to
    the next option), read as a day that has been (parse_date's `past`); the words after it are the log's text."""
    words = value.split()
    for count in range(min(len(words), 4), 0, -1):  # the longest that reads: `15. des 2026`, `i går`, `fredag`
        try:
            return parse_date(unescape_slack(" ".join(words[:count])), today, past=True), words[count:]
        except UserError:
            continue
    raise UserError("log.date_unknown", field="date", value=echo(unescape_slack(words[0] if words else value)))


class Follows(enum.Enum):
    """What comes after the project in a sub-command's line."""

    NOTHING = "nothing"  # status, levert, pause, gjenåpne, historikk, ramme: every word names the project
    HOURS = "hours"  # logg
    TITLE = "title"  # oppgave, mål


@dataclass(frozen=True)
class Reference:
    """How a line names its project: `text` (raw; None: the channel's), and the positional words after it."""

    text: str | None
    words: list[str]
    maybe_title: bool = False  # the first word: the project only if it names exactly one, else the title's start

    @property
    def name(self) -> str | None:
        return unescape_slack(self.text) if self.text else None


def reference(args: Args, follows: Follows) -> Reference:
    """Where the line names its project (the rule in this module's docstring)."""
    words = list(args.positional)
    if "project" in args.options:
        return Reference(args.options["project"], words)
    if words and projects.KEY_RE.match(words[0]):
        return Reference(words[0], words[1:])
    if follows is Follows.NOTHING:
        return Reference(" ".join(words) or None, [])
    if follows is Follows.HOURS and len(words) > 1 and not looks_like_hours(words[0]) and looks_like_hours(words[1]):
        return Reference(words[0], words[1:])
    if follows is Follows.TITLE and len(words) > 1 and _could_name(words[0]):
        return Reference(words[0], words[1:], maybe_title=True)
    return Reference(None, words)


def _could_name(word: str) -> bool:
    """Has something visible: a blank or invisible first word names no project (it is the title's)."""
    return any(c.isprintable() and not c.isspace() for c in word)


def find_project(session: Session, team_id: str, channel_id: str, ref: Reference) -> tuple[projects.Project, list[str]]:
    """The project `ref` names, and the words left for the sub-command."""
    if ref.maybe_title:
        try:
            return projects.resolve_project(session, team_id, ref.name, channel_id), ref.words
        except NotFound:  # no such project: the word starts the title, the project is the channel's
            assert ref.text is not None
            return projects.resolve_project(session, team_id, None, channel_id), [ref.text, *ref.words]
    return projects.resolve_project(session, team_id, ref.name, channel_id), ref.words
