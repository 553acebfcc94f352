"""A command line's words, quoted strings and `key:value` options (the arguments of `/prosjekt` sub-commands).

Values come back raw, as Slack sent them: unescape free text with `unescape_slack` after splitting, and parse
mentions from the raw text (see bot.domain.parsing). Errors are `UserError`s with keys `parse.*`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

from bot.domain.errors import UserError
from bot.domain.parsing import QUOTES, echo

MAX_TEXT = 3000
_CLOSING = {'"': '"', "'": "'", "«": "»"}


@dataclass(frozen=True)
class Args:
    positional: list[str]  # free words and quoted strings, in order, raw (still Slack-escaped)
    options: dict[str, str]  # canonical key -> raw value
    quoted: frozenset[int]  # indexes into `positional` that were quoted
    repeated: dict[str, list[str]] = field(default_factory=dict)  # canonical key -> raw values (`repeatable`)


_KEY_RE = re.compile(r"([^\W\d_]+):(.*)", re.S)
_KEY_ONLY_RE = re.compile(r"[^\W\d_]+:")
_ANGLE_RE = re.compile(r"<[^<>]*>")


def _closing_quote(s: str, start: int) -> int:
    """Index of the quote closing the one at `start`, or -1. A `'` before a letter (Kari's) does not close."""
    end = s.find(_CLOSING[s[start]], start + 1)
    while s[start] == "'" and end >= 0 and end + 1 < len(s) and s[end + 1].isalnum():
        end = s.find("'", end + 1)
    return end


def tokenize(text: str) -> list[tuple[str, bool]]:
    """`(token, was_quoted)` split on whitespace. A quote ("…", '…', “…”, ‘…’, «…») starting a word groups up
    to its closing quote; `<…>` (mentions, links) is never split. `key:"a b"` becomes `("key:", False),
    ("a b", True)`, exactly like `key: "a b"`. Smart quotes come back straight."""
    s = text.translate(QUOTES)
    tokens: list[tuple[str, bool]] = []
    i = 0
    while i < len(s):
        if s[i].isspace():
            i += 1
        elif s[i] in _CLOSING:
            end = _closing_quote(s, i)
            if end < 0:
                raise UserError("parse.unbalanced_quote", value=echo(s[i:]))
            tokens.append((s[i + 1 : end], True))
            i = end + 1
        else:
            start = i
            while i < len(s) and not s[i].isspace():
                if s[i] in _CLOSING and _KEY_ONLY_RE.fullmatch(s[start:i]):
                    break  # key:"value"
                angle = _ANGLE_RE.match(s, i) if s[i] == "<" else None
                i = angle.end() if angle else i + 1
            tokens.append((s[start:i], False))
    return tokens


def _option(token: str, keys: Mapping[str, str], allow_unknown: bool) -> tuple[str, str, str] | None:
    """`(word, canonical, rest)` if the unquoted token starts an option."""
    match = _KEY_RE.fullmatch(token)
    if not match or match[2].startswith("//"):
        return None
    word = match[1]
    if (canonical := keys.get(word.lower())) is not None:
        return word, canonical, match[2]
    if allow_unknown:
        return None
    groups = ("/".join(f"{w}:" for w in keys if keys[w] == name) for name in dict.fromkeys(keys.values()))
    raise UserError("parse.unknown_key", field=word, key=echo(word), known=", ".join(groups))


def split_args(text: str, keys: Mapping[str, str], *, allow_unknown_keys: bool = False,
               repeatable: frozenset[str] = frozenset()) -> Args:
    """Positional words and `key:value` options (see tokenize). An unquoted value runs until the next option;
    a quoted one is exactly the quoted text. Values are raw: unescape free text, parse mentions from raw.
    A key in `repeatable` (canonical) may be given more than once: its values go to `repeated`."""
    if len(text) > MAX_TEXT:
        raise UserError("parse.too_long", length=len(text), max=MAX_TEXT)
    tokens = tokenize(text)
    option_in = partial(_option, keys=keys, allow_unknown=allow_unknown_keys)
    positional: list[str] = []
    quoted: set[int] = set()
    options: dict[str, str] = {}
    repeated: dict[str, list[str]] = {}
    i = 0
    while i < len(tokens):
        token, was_quoted = tokens[i]
        i += 1
        if was_quoted or (option := option_in(token)) is None:
            if was_quoted:
                quoted.add(len(positional))
            positional.append(token)
            continue
        word, canonical, rest = option
        if canonical in options and canonical not in repeatable:
            raise UserError("parse.duplicate_key", field=canonical, key=echo(word))
        if not rest and i < len(tokens) and tokens[i][1]:
            value = tokens[i][0]
            i += 1
        else:
            parts = [rest] if rest else []
            while i < len(tokens) and not tokens[i][1] and not option_in(tokens[i][0]):
                parts.append(tokens[i][0])
                i += 1
            value = " ".join(parts)
        if not value.strip():
            raise UserError("parse.empty_value", field=canonical, key=echo(word))
        if canonical in repeatable:
            repeated.setdefault(canonical, []).append(value)
        else:
            options[canonical] = value
    return Args(positional, options, frozenset(quoted), repeated)
