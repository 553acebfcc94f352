"""How a one-line `/prosjekt` command reads: its sub-command words, option keys and the hours at the front of a
log (the sub-command handlers are in bot.usecases.commands)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.domain.arguments import Args
from bot.domain.errors import UserError
from bot.domain.parsing import looks_like_hours, parse_hours

SUBCOMMANDS = {
    "hjelp": "help", "help": "help", "ny": "new", "new": "new", "logg": "log", "log": "log",
    "status": "status", "liste": "list", "list": "list", "oppgave": "task", "task": "task",
    "ramme": "frame", "rammer": "frame", "frame": "frame", "mål": "goal", "mal": "goal", "goal": "goal",
    "levert": "done", "done": "done", "pause": "pause", "gjenåpne": "reopen", "gjenapne": "reopen",
    "reopen": "reopen", "historikk": "history", "history": "history", "oppsummering": "summary",
    "summary": "summary",
    "innstillinger": "settings", "settings": "settings",
}
PROJECT_KEYS = {"prosjekt": "project", "project": "project"}
KEYS: dict[str, dict[str, str]] = {
    "new": {
        "kunde": "customer", "customer": "customer", "frist": "deadline", "deadline": "deadline",
        "timer": "hours", "hours": "hours", "budsjett": "budget", "budget": "budget", "pl": "pm", "pm": "pm",
        "type": "kind", "kind": "kind", "start": "start", "kanal": "channel", "channel": "channel",
        "medlemmer": "members", "members": "members", "mål": "goals", "goal": "goals",
    },
    "log": {"ferdig": "task", "done": "task", **PROJECT_KEYS},
    "task": {"frist": "deadline", "deadline": "deadline", "ansvarlig": "owner", "owner": "owner", **PROJECT_KEYS},
    "frame": {
        "timer": "hours", "hours": "hours", "frist": "deadline", "deadline": "deadline", "start": "start",
        "budsjett": "budget", "budget": "budget", **PROJECT_KEYS,
    },
    "goal": {"mål": "target", "target": "target", "nå": "current", "na": "current", "current": "current",
             **PROJECT_KEYS},
}
MINUTES_RE = re.compile(r"^\d+\s*(m|min)$", re.IGNORECASE)
PERCENT_RE = re.compile(r"^\d{1,3}\s?%$")  # a log's "40%"


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
