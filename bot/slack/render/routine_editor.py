"""The `rutine rediger` modal: a routine as lines to edit (bot.domain.routines.lines), within Slack's limits.

A block per step would not fit 200 steps (100 blocks a modal), so each list is a multiline input, one item per
line, and the steps are spread over as many inputs as they need (a plain_text_input holds at most 3,000
characters), about 25 to an input with room to type, plus an empty one for new steps. Block ids are the fields'
names (`steps.1`, `steps.2`, …, `steps.new`), so an error lands on its input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.domain.routines import Routine
from bot.domain.routines.lines import routine_lines
from bot.slack.i18n import t
from bot.slack.render import Block, context, escape, shorten
from bot.slack.render.modals import ModalId, _input, _modal, _option, _text

INPUT_CHARS = 3000  # Slack's most for a plain_text_input
ROOM = 2400  # an input is filled to about this, so a step can be lengthened where it is
STEPS_PER_INPUT = 25
NEW_STEPS = "steps.new"
_OTHER_BLOCKS = 10  # the context, eight fields and the input for new steps
MAX_BLOCKS = 100


def step_inputs(steps: Sequence[str]) -> list[tuple[str, int, int]] | None:
    """The steps' text (a step: its line and description lines) spread over inputs, split between lines: (text,
    first step, last step) for each, counted from 1. None when one line alone is longer than an input holds."""
    chunks: list[tuple[str, int, int]] = []
    lines: list[str] = []
    size, first, last, started = 0, 0, 0, 0  # size: the chunk's text and the line break after it
    for number, step in enumerate(steps, 1):
        for i, line in enumerate(step.split("\n")):
            if len(line) > INPUT_CHARS:
                return None
            starts = i == 0
            full = size + len(line) > (ROOM if starts else INPUT_CHARS)
            if lines and (full or (starts and started >= STEPS_PER_INPUT)):
                chunks.append(("\n".join(lines), first or last, last))
                lines, size, started = [], 0, 0
                first = 0 if starts else last  # an input that begins with a description is labelled with its step
            if starts:
                first, last, started = first or number, number, started + 1
            lines.append(line)
            size += len(line) + 1
    if lines:
        chunks.append(("\n".join(lines), first or last, last))
    return chunks


def routine_editor_modal(*, lang: str, routine: Routine, builtin: bool, channel_id: str) -> dict[str, Any] | None:
    """The editor for `routine`, filled in; None when the routine does not fit a modal (export/import then)."""
    lines = routine_lines(routine, lang)
    chunks = step_inputs(lines.steps)
    values = lines.values
    if chunks is None or len(chunks) + _OTHER_BLOCKS > MAX_BLOCKS or any(
            len(values[name]) > INPUT_CHARS for name in ("description", "goals", "roles", "questions")):
        return None
    kinds = [_option(t("routines.kind.avgrenset", lang), "avgrenset"), _option(t("routines.kind.lopende", lang),
                                                                                "lopende")]
    about = "routine.editor.about_builtin" if builtin else "routine.editor.about"
    blocks: list[Block] = [
        context(t(about, lang, title=escape(shorten(routine.title, 150)), name=routine.name,
                  version=routine.version, next=routine.version + 1)),
        _input("title", t("routine.editor.title", lang), _text(values["title"], max_length=300)),
        _input("description", t("routine.editor.description", lang),
               _text(values["description"], multiline=True), optional=True),
        _input("kind", t("field.kind", lang), {"type": "static_select", "options": kinds,
                                               "initial_option": kinds[routine.kind == "lopende"]}),
        _input("hours", t("routine.editor.hours", lang), _text(values["hours"], max_length=30), optional=True,
               hint=t("routine.editor.hours_hint", lang)),
        _input("cost", t("routine.editor.cost", lang), _text(values["cost"], max_length=30), optional=True,
               hint=t("routine.editor.cost_hint", lang)),
        _input("goals", t("routine.editor.goals", lang), _text(values["goals"], multiline=True), optional=True,
               hint=t("routine.editor.goals_hint", lang)),
        _input("roles", t("routine.editor.roles", lang), _text(values["roles"], multiline=True), optional=True,
               hint=t("routine.editor.roles_hint", lang)),
        _input("questions", t("routine.editor.questions", lang), _text(values["questions"], multiline=True),
               optional=True, hint=t("routine.editor.questions_hint", lang)),
    ]
    for n, (text, first, last) in enumerate(chunks, 1):
        label = t("routine.editor.steps", lang, first=first, last=last) if last > first else \
            t("routine.editor.step", lang, n=first)
        hint = t("routine.editor.steps_hint" if n == 1 else "routine.editor.steps_more_hint", lang)
        blocks.append(_input(f"steps.{n}", label, _text(text, multiline=True), optional=True, hint=hint))
    blocks.append(_input(NEW_STEPS, t("routine.editor.new_steps", lang), _text(multiline=True), optional=True,
                         hint=t("routine.editor.new_steps_hint", lang)))
    metadata = {"c": channel_id, "n": routine.name, "v": routine.version, "b": int(builtin), "s": len(chunks)}
    return _modal(ModalId.ROUTINE, t("routine.editor.modal", lang), t("modal.save", lang), blocks, metadata, lang)


def step_fields(count: int) -> list[str]:
    """The block ids of the steps' inputs of an editor with `count` filled ones, in order."""
    return [*(f"steps.{n}" for n in range(1, count + 1)), NEW_STEPS]
