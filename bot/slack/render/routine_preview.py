"""The `ny` modal's part for a chosen routine: its questions, a person per role, and a preview of the dated steps.

Block ids are the fields `plan_steps` names in its errors (`answers.<key>`; `roles.<key>`), so an error on
submit lands on its input. The preview is cut to fit Slack's modal (100 blocks, 3,000 characters a section).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.domain.routines import Plan, PlannedStep, Routine
from bot.domain.routines.model import PL
from bot.slack.i18n import fmt_date, fmt_hours, t
from bot.slack.render import Block, context, escape, header, section, sections, shorten
from bot.slack.render.modals import NewProjectAction, _input, _option

PREVIEW_STEPS = 40  # shown at most; the rest is counted ("…og 20 til")
MAX_BLOCKS = 100


def routine_blocks(routine: Routine, *, filled: Mapping[str, Any], plan: Plan | None, problem: str | None,
                   lang: str, used: int) -> list[Block]:
    """The routine's inputs and the preview of `plan` (or the `problem` that keeps it from being planned);
    `used` blocks of the modal are taken already."""
    blocks = [header(t("modal.routine.header", lang, title=routine.title, version=routine.version))]
    for question in routine.questions:
        options = [_option(answer, answer) for answer in question.answers]
        chosen = filled.get(f"answers.{question.key}") or question.default
        element = {"type": "static_select", "options": options,
                   "initial_option": next((o for o in options if o["value"] == chosen), options[0])}
        blocks.append(_input(f"answers.{question.key}", question.text, element, action_id=NewProjectAction.CHANGE))
    for role, label in routine.roles.items():
        if role == PL:  # the project manager picked above
            continue
        element = {"type": "users_select"}
        if filled.get(f"roles.{role}"):
            element["initial_user"] = filled[f"roles.{role}"]
        blocks.append(_input(f"roles.{role}", t("modal.routine.role", lang, role=label), element, optional=True,
                             action_id=NewProjectAction.CHANGE))
    room = MAX_BLOCKS - used - len(blocks)
    if problem is not None or plan is None:
        return [*blocks, section(t("modal.routine.problem", lang, message=problem or "–"))]  # may be long
    return blocks + preview(routine, plan, lang, room)


def preview(routine: Routine, plan: Plan, lang: str, room: int) -> list[Block]:
    """A summary line, the first steps by date (as many as fit `room` blocks) and how many more there are."""
    hours = fmt_hours(plan.frame_minutes, lang) if plan.frame_minutes else "–"
    summary = context(t("modal.routine.preview", lang, steps=len(plan.steps), hours=hours))
    lines = [_line(routine, step, lang) for step in plan.steps]
    for shown in range(min(len(lines), PREVIEW_STEPS), -1, -1):
        rest = len(lines) - shown
        body = sections(lines[:shown]) if shown else []
        more = [context(t("modal.routine.more", lang, n=rest))] if rest else []
        if 1 + len(body) + len(more) <= room:
            return [summary, *body, *more]
    return []


def _line(routine: Routine, step: PlannedStep, lang: str) -> str:
    who = f"<@{step.owner}>" if step.owner else escape(shorten(routine.roles.get(step.role, step.role), 40))
    parts = [f"`{fmt_date(step.date, lang)}`", escape(shorten(step.title, 90)), who]
    if step.minutes:
        parts.append(fmt_hours(step.minutes, lang))
    line = " · ".join(parts)
    return f"{line} _({t('modal.routine.clamped', lang)})_" if step.clamped else line
