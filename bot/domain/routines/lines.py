"""A routine as lines people edit (the `rutine rediger` modal), and back: `routine_lines` writes them,
`routine_from_lines` reads them and validates through the one model (`build_routine`), so a file, `rutine lagre`
and the editor follow the same rules. Reading what was written gives the same routine.

One field per part; the parts that are lists hold one item per line (blank lines are skipped):

* goals: `Organisk trafikk (besøk)`: the unit in brackets at the end (`Navn ()` when a name without a unit
  ends in a bracket).
* roles: `seo: SEO-spesialist`. `pl` is always there (labelled `PL` when left out).
* questions: `ga4: Har kunden GA4 satt opp? | ja/nei | standard: nei`, or a choice:
  `plattform: Hvilken plattform? | valg: Shopify, WooCommerce, Annet | standard: Shopify` (en: `yes/no`,
  `choice:`, `default:`).
* steps: `Teknisk revisjon | seo | 6 t | start+2 | når ga4 = nei`: the title, then the role (default `pl`), the
  hours (default 0), the date rule (required) and a condition (`når`/`when`, optional); the description on the
  lines below, each starting with `>`. The steps may be spread over several fields: they are read in order, as
  one list.

Within a line, `\\|` is a `|` that does not separate, `\\,` a comma that does not separate choices, `\\>` a `>` at
the start of a step's title and `\\\\` a backslash before one of these; any other backslash is just a backslash.
An error is a RoutineError whose `field` is the input it is in and `line` the line within that input (from 1).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bot.domain.errors import UserError
from bot.domain.parsing import parse_nok
from bot.domain.routines.daterules import DateRule
from bot.domain.routines.model import MAX_STEPS, PL, Loc, Question, Routine, RoutineError, Step, build_routine

__all__ = ["FIELDS", "RoutineLines", "routine_from_lines", "routine_lines"]

# The inputs besides the steps (their block ids in the modal); the steps' inputs are named by the caller.
FIELDS = ("title", "description", "kind", "hours", "cost", "goals", "roles", "questions")

_WORDS = {  # the words the lines are written with; both languages are read
    "nb": {"when": "når", "yesno": "ja/nei", "choice": "valg", "default": "standard", "hours": "t"},
    "en": {"when": "when", "yesno": "yes/no", "choice": "choice", "default": "default", "hours": "h"},
}
_WHEN = re.compile(r"(?:når|nar|when)\s+(.*)", re.I | re.S)
_YESNO = {"ja/nei", "yes/no", "j/n", "y/n"}
_CHOICE = re.compile(r"(?:valg|choice|choices)\s*:\s*(.*)", re.I | re.S)
_DEFAULT = re.compile(r"(?:standard|default)\s*:\s*(.*)", re.I | re.S)
_STEP_HOURS = re.compile(r"(\d{1,7}(?:[.,]\d+)?)\s*(?:t|h|timer|time|hours?)?", re.I)
_FRAME_HOURS = re.compile(r"(\d{1,7}(?:[.,]\d+)?)\s*(?:t|h|timer|time|hours?)?(?:\s*(?:/|per)\s*\w+)?", re.I)
_SPECIAL = "\\|,>"
_KEY = re.compile(r"[a-z][a-z0-9_]*")


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class RoutineLines:
    """A routine as the editor's text: a value per field of FIELDS, and the steps, each its line and its
    description's lines (joined by line breaks)."""

    values: Mapping[str, str]
    steps: tuple[str, ...]


def _escape(text: str, chars: str = "|") -> str:
    out = []
    for i, char in enumerate(text):
        # a backslash is doubled only where it would otherwise escape what follows
        if char == "\\" and (i + 1 == len(text) or text[i + 1] in _SPECIAL):
            out.append("\\\\")
        elif char in chars:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _number(value: float, lang: str) -> str:
    """Exactly the number (`2,5`, `6`, `0,016666666666666666`): read back it is the same float."""
    text = format(Decimal(repr(float(value))), "f")  # the shortest exact digits, never an exponent
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace(".", ",") if lang == "nb" else text


def _goal_line(name: str, unit: str | None) -> str:
    if unit is not None:
        return f"{name} ({unit})"
    return f"{name} ()" if name.endswith(")") else name


def _question_line(question: Question, words: Mapping[str, str]) -> str:
    head = f"{question.key}: {_escape(question.text)}"
    if question.type == "yesno":
        kind = words["yesno"]
    else:
        kind = f"{words['choice']}: " + ", ".join(_escape(choice, "|,") for choice in question.choices)
    return f"{head} | {kind} | {words['default']}: {_escape(question.default)}"


def _step_text(step: Step, lang: str) -> str:
    words = _WORDS[lang]
    title = _escape(step.title)
    if title.startswith(">"):
        title = "\\" + title
    parts = [title, step.role, f"{_number(step.hours, lang)} {words['hours']}", step.date.format()]
    if step.condition is not None:
        parts.append(f"{words['when']} {_escape(step.condition.format())}")
    lines = [" | ".join(parts)]
    if step.description:
        lines += [f"> {line}" if line else ">" for line in step.description.split("\n")]
    return "\n".join(lines)


def routine_lines(routine: Routine, lang: str) -> RoutineLines:
    """The routine as the editor shows it, in `lang`'s words (nb or en)."""
    words = _WORDS[lang]
    values = {
        "title": routine.title,
        "description": routine.description or "",
        "kind": routine.kind,
        "hours": _number(routine.hours_frame, lang) if routine.hours_frame is not None else "",
        "cost": str(routine.cost_frame) if routine.cost_frame is not None else "",
        "goals": "\n".join(_goal_line(goal.name, goal.unit) for goal in routine.goals),
        "roles": "\n".join(f"{key}: {label}" for key, label in routine.roles.items()),
        "questions": "\n".join(_question_line(question, words) for question in routine.questions),
    }
    return RoutineLines(values, tuple(_step_text(step, lang) for step in routine.steps))


# ---------------------------------------------------------------- reading


def _split(text: str, sep: str, *, unescape: bool = True) -> list[str]:
    """`text` split at each `sep` not escaped, each part stripped (and unescaped, unless asked not to: a part that
    is split again)."""
    if "\\" not in text:  # nothing escaped: the common case, at C speed
        return [part.strip() for part in text.split(sep)]
    parts, current, i = [], [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _SPECIAL:
            current.append(text[i : i + 2])
            i += 2
            continue
        if char == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return [_unescape(part.strip()) if unescape else part.strip() for part in parts]


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return re.sub(r"\\([\\|,>])", r"\1", text)


@dataclass(frozen=True)
class _Line:
    field: str
    number: int  # from 1, in its field
    text: str


def _lines(field_name: str, text: str | None) -> list[_Line]:
    """The field's lines that are not blank, numbered as the user sees them."""
    rows = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [_Line(field_name, n, row) for n, row in enumerate(rows, 1) if row.strip()]


def _error(message: str, line: _Line | None = None, /, *, field_name: str | None = None,
           **params: Any) -> RoutineError:
    error = RoutineError(message, **params)
    error.field = line.field if line else field_name
    error.line = line.number if line else None
    return error


@dataclass
class _Reader:
    """What was read, and where each item came from (for the model's errors)."""

    data: dict[str, Any]
    where: dict[Loc, _Line] = field(default_factory=dict)
    step_fields: tuple[str, ...] = ()

    def locate(self, error: RoutineError) -> RoutineError:
        """Put the model's error on the input (and line) it came from."""
        loc = error.loc
        top = str(loc[0]) if loc else "title"
        line = self.where.get(loc[:2]) if len(loc) >= 2 else None
        if line is not None:
            error.field, error.line = line.field, line.number
            return error
        error.line = None
        if top == "steps":
            over = self.where.get(("steps", min(len(self.data.get("steps", [])) - 1, MAX_STEPS)))  # the 201st
            error.field = over.field if over else (self.step_fields[0] if self.step_fields else "title")
            if error.key == "routine.too_many_steps" and over is not None:
                error.line = over.number
        else:
            error.field = {"hours_frame": "hours", "cost_frame": "cost"}.get(top, top)
        return error


def _goals(reader: _Reader, lines: list[_Line]) -> None:
    goals = []
    for i, line in enumerate(lines):
        name, unit = _goal(line.text.strip())
        goals.append({"name": name, **({"unit": unit} if unit else {})})
        reader.where[("goals", i)] = line
    reader.data["goals"] = goals


def _goal(text: str) -> tuple[str, str | None]:
    """`Organisk trafikk (besøk)` -> name, unit: the brackets that close at the end of the line."""
    if not text.endswith(")"):
        return text, None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            name, unit = text[:i].strip(), text[i + 1 : -1].strip()
            return (name, unit or None) if name else (text, None)
    return text, None


def _roles(reader: _Reader, lines: list[_Line]) -> None:
    roles: dict[str, str] = {}
    for line in lines:
        key, colon, label = line.text.partition(":")
        key = key.strip()
        if not colon or not key:
            raise _error("routine.edit.role_line", line)
        if key in roles:
            raise _error("routine.edit.role_twice", line, key=key)
        roles[key] = label.strip()
        reader.where[("roles", key)] = line
    reader.data["roles"] = roles


def _questions(reader: _Reader, lines: list[_Line]) -> None:
    questions = []
    for i, line in enumerate(lines):
        head, *rest = _split(line.text, "|", unescape=False)
        key, colon, text = _unescape(head).partition(":")
        if not colon or not key.strip():
            raise _error("routine.edit.question_line", line)
        question: dict[str, Any] = {"key": key.strip(), "text": text.strip()}
        for part in rest:
            if part.replace(" ", "").casefold() in _YESNO and "type" not in question:
                question["type"] = "yesno"
            elif (choice := _CHOICE.fullmatch(part)) and "type" not in question:
                question["type"] = "choice"
                question["choices"] = [c for c in _split(choice[1], ",") if c]
            elif (default := _DEFAULT.fullmatch(part)) and "default" not in question:
                question["default"] = _unescape(default[1].strip())
            else:
                raise _error("routine.edit.question_line", line)
        if "default" not in question:
            raise _error("routine.edit.question_default", line, key=question["key"])
        questions.append(question)
        reader.where[("questions", i)] = line
    reader.data["questions"] = questions


def _steps(reader: _Reader, lines: list[_Line]) -> None:
    steps: list[dict[str, Any]] = []
    descriptions: list[list[str]] = []
    for line in lines:
        if line.text.lstrip().startswith(">"):
            if not steps:
                raise _error("routine.edit.description_first", line)
            text = line.text.lstrip()[1:]
            descriptions[-1].append(text[1:] if text.startswith(" ") else text)
            continue
        reader.where[("steps", len(steps))] = line
        steps.append(_step(line))
        descriptions.append([])
    for step, description in zip(steps, descriptions, strict=True):
        text = "\n".join(description).strip()
        if text:
            step["description"] = text
    reader.data["steps"] = steps


def _step(line: _Line) -> dict[str, Any]:
    title, *rest = _split(line.text, "|")
    step: dict[str, Any] = {"title": title}
    others = []
    for part in rest:
        if (when := _WHEN.fullmatch(part)) and "condition" not in step:
            step["condition"] = when[1].strip()
        elif (hours := _STEP_HOURS.fullmatch(part)) and "hours" not in step:
            step["hours"] = float(hours[1].replace(",", "."))
        elif part:
            others.append(part)
    if len(others) > 2:
        raise _error("routine.edit.step_line", line)
    if len(others) == 2:  # the role, then the date rule; either way round when only one of them is a rule
        role, date = others
        if _is_rule(role) and not _is_rule(date):
            role, date = date, role
        step["role"], step["date"] = role, date
    elif len(others) == 1 and (_is_rule(others[0]) or not _KEY.fullmatch(others[0])):  # bad: the model says
        step["date"] = others[0]
    else:
        raise _error("routine.edit.step_date", line)
    return step


def _is_rule(text: str) -> bool:
    try:
        DateRule.parse(text)
    except ValueError:
        return False
    return True


def _frame_hours(text: str) -> float | None:
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    match = _FRAME_HOURS.fullmatch(text)
    if not match:
        raise _error("routine.edit.hours", field_name="hours", value=text[:40])
    return float(match[1].replace(",", "."))


def _cost(text: str) -> int | None:
    if not text.strip():
        return None
    try:
        return parse_nok(text, field="cost")
    except UserError as exc:
        raise _error(exc.key, field_name="cost", **exc.params) from None


def routine_from_lines(name: str, version: int, values: Mapping[str, str | None],
                       steps: Sequence[tuple[str, str | None]]) -> Routine:
    """The routine the editor's fields describe (`values` by FIELDS; `steps` as (input, text) in order), named
    `name` at `version`; a RoutineError on the input and line that is wrong."""
    text: Callable[[str], str] = lambda key: values.get(key) or ""  # noqa: E731
    reader = _Reader({"name": name, "version": version, "title": text("title").strip(),
                      "kind": text("kind").strip() or "avgrenset"}, step_fields=tuple(block for block, _ in steps))
    if description := text("description").strip():
        reader.data["description"] = description
    if (hours := _frame_hours(text("hours"))) is not None:
        reader.data["hours_frame"] = hours
    if (cost := _cost(text("cost"))) is not None:
        reader.data["cost_frame"] = cost
    _goals(reader, _lines("goals", text("goals")))
    _roles(reader, _lines("roles", text("roles")))
    _questions(reader, _lines("questions", text("questions")))
    _steps(reader, [line for block, body in steps for line in _lines(block, body)])
    if PL not in reader.data["roles"]:
        reader.data["roles"] = {PL: "PL", **reader.data["roles"]}
    try:
        return build_routine(reader.data)
    except RoutineError as exc:
        raise reader.locate(exc) from None
