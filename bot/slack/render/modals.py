"""Modals (with Slack's date picker) and reading their submitted values back.

Block ids are the field names the domain uses in `UserError.field`, so an error lands on its field.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot.domain.money import person_rate_fields
from bot.domain.readmodels import ProjectView, TaskView
from bot.slack.i18n import fmt_number, t
from bot.slack.render import Block, context, escape, plain, shorten

VALUE = "value"  # the action id of every input element
ROLLOVER_ON = "on"  # the roll-over checkbox's value
PERSON_RATE_ROWS, MAX_PERSON_RATES = 2, 30  # empty rows for people's own rates, and rows at most (2 blocks each)


class ModalId(enum.StrEnum):
    """Callback ids of the modals (one place, used by rendering and by the handlers)."""

    NEW = "project.new"
    LOG = "progress.log"
    TASK = "task.new"
    FRAME = "frame.edit"
    GOAL = "goal.edit"
    PICK = "project.pick"
    SETTINGS = "workspace.settings"
    ROUTINE = "routine.edit"


class NewProjectAction(enum.StrEnum):
    """Inputs of the `ny` modal that answer at once (`dispatch_action`): the modal is updated with the routine's
    questions, roles and the preview of its dated steps."""

    ROUTINE = "project.new.routine"  # the routine picker
    CHANGE = "project.new.change"  # start, deadline, an answer or a role: the preview follows


NO_ROUTINE = "-"  # the picker's "Ingen rutine" (an option's value may not be empty)
INTERNAL = "internal"  # the log modal's "Ikke fakturerbar" checkbox
LOG_DATE = "date"  # the log modal's date picker (its block id; its action id is VALUE, as every input's)


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False,
           hint: str | None = None, action_id: str = VALUE) -> Block:
    """An input block; one whose `action_id` is not VALUE dispatches its changes while the modal is open."""
    element = {**element, "action_id": action_id}
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label, 2000), "element": element,
                    "optional": optional}
    if action_id != VALUE:
        block["dispatch_action"] = True
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def _text(initial: str | None = None, *, multiline: bool = False, placeholder: str | None = None,
          max_length: int = 3000) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = plain(placeholder)
    return element


def _date(initial: dt.date | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "datepicker"}
    if initial:
        element["initial_date"] = initial.isoformat()
    return element


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text, 75), "value": value}


def _modal(callback_id: str, title: str, submit: str, blocks: list[Block], metadata: dict[str, Any],
           lang: str) -> dict[str, Any]:
    return {
        "type": "modal", "callback_id": callback_id, "title": plain(title, 24), "submit": plain(submit, 24),
        "close": plain(t("modal.cancel", lang), 24), "blocks": blocks, "private_metadata": json.dumps(metadata),
    }


def _hours_text(minutes: int | None, lang: str) -> str | None:
    return None if minutes is None else fmt_number(minutes / 60, lang, 2)


def new_project_modal(*, lang: str, channel_id: str | None, user_id: str, today: dt.date,
                      routines: Sequence[tuple[str, str]] = (), filled: Mapping[str, Any] | None = None,
                      routine_blocks: Sequence[Block] = ()) -> dict[str, Any]:
    """A new project; `channel_id` is the channel proposed for it (None from App Home: the user picks one).
    `routines` (name, title) offers a routine picker; `filled` is what the user already entered (kept when the modal
    is updated) and `routine_blocks` the chosen routine's questions, roles and preview (its dates then follow)."""
    filled = filled or {}
    channel: dict[str, Any] = {"type": "conversations_select",
                               "filter": {"include": ["public", "private"], "exclude_bot_users": True}}
    if channel_id:
        channel["initial_conversation"] = channel_id
    kinds = [_option(t("kind.avgrenset", lang), "avgrenset"), _option(t("kind.lopende", lang), "lopende")]
    dates = NewProjectAction.CHANGE if routine_blocks else VALUE
    blocks = [
        _input("name", t("field.name", lang), _text(max_length=120)),
        _input("customer", t("field.customer", lang), _text(max_length=120)),
        *([_routine_picker(routines, lang)] if routines else []),
        _input("kind", t("field.kind", lang), {"type": "static_select", "options": kinds, "initial_option": kinds[0]},
               hint=t("hint.kind", lang)),
        _input("channel", t("field.channel", lang), channel),
        _input("pm", t("field.pm", lang), {"type": "users_select", "initial_user": user_id}),
        _input("members", t("field.members", lang), {"type": "multi_users_select"}, optional=True),
        _input("start", t("field.start", lang), _date(today), action_id=dates),
        _input("deadline", t("field.deadline", lang), _date(None), optional=True, hint=t("hint.deadline", lang),
               action_id=dates),
        _input("hours", t("field.frame_minutes", lang), _text(max_length=20), optional=True,
               hint=t("hint.frame_hours", lang)),
        _input("budget", t("field.budget_nok", lang), _text(max_length=30), optional=True,
               hint=t("hint.budget", lang)),
        _input("rate", t("field.rate_nok", lang), _text(max_length=20), optional=True, hint=t("hint.rate", lang)),
        *_person_rate_inputs(lang, {}),
        *_rollover_inputs(lang, False, None),
        _input("goals", t("field.goals", lang), _text(multiline=True, max_length=2000), optional=True,
               hint=t("hint.goals", lang)),
    ]
    for block in blocks:
        _fill(block["element"], filled.get(block["block_id"]))
    return _modal(ModalId.NEW, t("modal.new", lang), t("modal.create", lang), [*blocks, *routine_blocks],
                  {"c": channel_id or ""}, lang)


def _routine_picker(routines: Sequence[tuple[str, str]], lang: str) -> Block:
    none = _option(t("modal.routine.none", lang), NO_ROUTINE)
    options = [none, *(_option(title, name) for name, title in routines[:99])]  # Slack's limit: 100 options
    return _input("routine", t("field.routine", lang), {"type": "static_select", "options": options,
                                                        "initial_option": none},
                  hint=t("hint.routine", lang), action_id=NewProjectAction.ROUTINE)


def _fill(element: dict[str, Any], value: Any) -> None:
    """Put back what the user entered (from `submitted_values`) as the element's initial value."""
    if value is None or value == "" or value == []:
        return
    kind = element["type"]
    if kind == "plain_text_input":
        element["initial_value"] = str(value)[:element.get("max_length", 3000)]
    elif kind == "datepicker":
        element["initial_date"] = value
    elif kind == "users_select":
        element["initial_user"] = value
    elif kind == "multi_users_select":
        element["initial_users"] = list(value)
    elif kind == "conversations_select":
        element["initial_conversation"] = value
    elif kind == "checkboxes":
        chosen_options = [o for o in element["options"] if o["value"] in value]
        if chosen_options:  # (Slack refuses an empty initial_options)
            element["initial_options"] = chosen_options
    elif kind == "static_select":
        chosen = next((o for o in element["options"] if o["value"] == value), None)
        if chosen is not None:
            element["initial_option"] = chosen


def _project_context(project: ProjectView) -> Block:
    return context(f"*{project.key}* {escape(shorten(project.name, 120))}")


def _project_picker(projects: Sequence[ProjectView], lang: str, initial: ProjectView | None = None) -> Block:
    """Pick one of `projects` (at most 100, Slack's limit; `initial` is always among them and chosen)."""
    if initial is not None:
        projects = [initial, *(p for p in projects if p.id != initial.id)]
    options = [_option(f"{p.key} {p.name}", str(p.id)) for p in projects[:100]]
    element: dict[str, Any] = {"type": "static_select", "options": options}
    if initial is not None:
        element["initial_option"] = options[0]
    return _input("project", t("field.project", lang), element)


def log_modal(*, lang: str, channel_id: str, project: ProjectView | None, choices: Sequence[ProjectView],
              tasks: Sequence[TaskView], day: dt.date, origin: dict[str, str] | None = None,
              initial: ProjectView | None = None, description: str | None = None,
              about: str | None = None) -> dict[str, Any]:
    """Log progress on `project`, or on one picked from `choices` (`initial` chosen to begin with) when the project
    is not known yet. `day` is the date picker's first value (today in the workspace's time zone: block LOG_DATE,
    action VALUE). `description` pre-fills what was done; `about` (mrkdwn) says where it comes from."""
    blocks: list[Block] = [context(about)] if about else []
    blocks.append(_project_context(project) if project else _project_picker(choices, lang, initial))
    blocks += [
        _input("hours", t("field.hours", lang), _text(max_length=20), hint=t("hint.hours", lang)),
        _input(LOG_DATE, t("field.log_date", lang), _date(day)),
        _input("description", t("field.description", lang), _text(description, multiline=True, max_length=2000),
               optional=True),
        _input("percent", t("field.percent", lang), _text(max_length=5), optional=True, hint=t("hint.percent", lang)),
        _input("internal", t("field.billable", lang), _checkboxes([_option(t("field.internal", lang), INTERNAL)], []),
               optional=True),
    ]
    if tasks:
        options = [_option(task.title, str(task.id)) for task in tasks[:100]]
        blocks.append(_input("task", t("field.task_done", lang), {"type": "static_select", "options": options},
                             optional=True))
    metadata = {"c": channel_id, "p": project.id if project else None, **(origin or {})}
    return _modal(ModalId.LOG, t("modal.log", lang), t("modal.save", lang), blocks, metadata, lang)


def task_modal(*, lang: str, channel_id: str, project: ProjectView) -> dict[str, Any]:
    blocks = [
        _project_context(project),
        _input("title", t("field.title", lang), _text(max_length=300)),
        _input("owner", t("field.owner", lang), {"type": "users_select"}, optional=True),
        _input("deadline", t("field.deadline", lang), _date(None), optional=True),
    ]
    return _modal(ModalId.TASK, t("modal.task", lang), t("modal.save", lang), blocks,
                  {"c": channel_id, "p": project.id}, lang)


def frame_modal(*, lang: str, channel_id: str, project: ProjectView,
                person_rates: Mapping[str, int] | None = None) -> dict[str, Any]:
    blocks = [
        _project_context(project),
        _input("start", t("field.start", lang), _date(project.start)),
        _input("deadline", t("field.deadline", lang), _date(project.deadline), optional=project.kind == "lopende"),
        _input("hours", t("field.frame_minutes", lang), _text(_hours_text(project.frame_minutes, lang), max_length=20),
               optional=True, hint=t("hint.frame_hours", lang)),
        _input("budget", t("field.budget_nok", lang),
               _text(str(project.budget_nok) if project.budget_nok else None, max_length=30), optional=True),
        _input("rate", t("field.rate_nok", lang),
               _text(str(project.rate_nok) if project.rate_nok else None, max_length=20), optional=True,
               hint=t("hint.rate", lang)),
        *_person_rate_inputs(lang, person_rates or {}),
        *(_rollover_inputs(lang, project.rollover, project.rollover_cap_pct) if project.kind == "lopende" else []),
    ]
    return _modal(ModalId.FRAME, t("modal.frame", lang), t("modal.save", lang), blocks,
                  {"c": channel_id, "p": project.id}, lang)


def _person_rate_inputs(lang: str, rates: Mapping[str, int]) -> list[Block]:
    """People's own rates on the project (bot.domain.money.parse_person_rates): a person and a rate per row, those
    with one first, then PERSON_RATE_ROWS empty rows."""
    rows = [*sorted(rates.items()), *[(None, None)] * PERSON_RATE_ROWS][:MAX_PERSON_RATES]
    blocks = []
    for index, (user_id, rate) in enumerate(rows, 1):
        person_field, rate_field = person_rate_fields(index)
        blocks += [_input(person_field, t("field.rate_person", lang, n=index),
                          {"type": "users_select", **({"initial_user": user_id} if user_id else {})}, optional=True),
                   _input(rate_field, t("field.rate_person_nok", lang, n=index),
                          _text(str(rate) if rate else None, max_length=20), optional=True,
                          hint=t("hint.person_rate", lang))]
    return blocks


def _rollover_inputs(lang: str, on: bool, cap_pct: int | None) -> list[Block]:
    """Roll-over (a checkbox) and its cap (% of the monthly frame; empty: 25 %), for løpende projects."""
    option = _option(t("field.rollover_option", lang), ROLLOVER_ON)
    return [_input("rollover", t("field.rollover", lang), _checkboxes([option], [option] if on else []),
                   optional=True, hint=t("hint.rollover", lang)),
            _input("rollover_cap", t("field.rollover_cap_pct", lang),
                   _text(None if cap_pct is None else str(cap_pct), max_length=4), optional=True)]


def goal_modal(*, lang: str, channel_id: str, project: ProjectView) -> dict[str, Any]:
    blocks = [
        _project_context(project),
        _input("title", t("field.goal", lang), _text(max_length=300), hint=t("hint.goal_title", lang)),
        _input("target", t("field.target", lang), _text(max_length=30), optional=True),
        _input("current", t("field.current", lang), _text(max_length=30), optional=True),
    ]
    return _modal(ModalId.GOAL, t("modal.goal", lang), t("modal.save", lang), blocks,
                  {"c": channel_id, "p": project.id}, lang)


def pick_project_modal(*, lang: str, channel_id: str, then: str, choices: Sequence[ProjectView]) -> dict[str, Any]:
    """Choose the project for a sub-command (`then`: status, history, done, pause, reopen) named without one."""
    blocks = [_project_picker(choices, lang)]
    return _modal(ModalId.PICK, t(f"modal.pick.{then}", lang), t("modal.choose", lang), blocks,
                  {"c": channel_id, "then": then}, lang)


def info_modal(*, lang: str, title: str, blocks: list[Block]) -> dict[str, Any]:
    """A read-only modal (the card or the history shown after picking a project)."""
    return {"type": "modal", "title": plain(title, 24), "close": plain(t("modal.close", lang), 24),
            "blocks": blocks[:100]}


def _checkboxes(options: list[dict[str, Any]], chosen: list[dict[str, Any]]) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "checkboxes", "options": options}
    if chosen:  # Slack refuses an empty initial_options
        element["initial_options"] = chosen
    return element


def submitted_values(view: dict[str, Any]) -> dict[str, Any]:
    """Flatten `view.state.values` to {block_id: str | date str | user id(s) | option value | None}."""
    values: dict[str, Any] = {}
    for block_id, actions in (view.get("state") or {}).get("values", {}).items():
        element: dict[str, Any] = actions.get(VALUE) or next(iter(actions.values()), {})  # a dispatching input: own id
        kind = element.get("type")
        if kind == "datepicker":
            values[block_id] = element.get("selected_date")
        elif kind == "users_select":
            values[block_id] = element.get("selected_user")
        elif kind == "multi_users_select":
            values[block_id] = element.get("selected_users") or []
        elif kind == "conversations_select":
            values[block_id] = element.get("selected_conversation")
        elif kind in ("static_select", "radio_buttons"):
            values[block_id] = (element.get("selected_option") or {}).get("value")
        elif kind == "checkboxes":
            values[block_id] = [option.get("value") for option in element.get("selected_options") or []]
        elif kind == "timepicker":
            values[block_id] = element.get("selected_time")
        else:
            values[block_id] = element.get("value")
    return values


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
