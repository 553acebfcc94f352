"""`/prosjekt timer`: a person's recent logs with *Endre* and *Slett*, the `logg` modal filled in to correct one, and
a log's change or deletion as the project's history shows it."""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Sequence
from typing import Any

from bot.domain.log_edits import RECENT_DAYS, LogHistory, LogLine, LogState
from bot.domain.readmodels import ProjectView, TaskView
from bot.slack.i18n import fmt_date, fmt_hours, fmt_number, t
from bot.slack.render import Block, button, context, escape, header, plain, section, shorten, user
from bot.slack.render.modals import INTERNAL, LOG_DATE, VALUE, log_modal

MAX_BLOCKS = 50  # Slack's limit for a message
NO_TASK = "-"  # the task picker's "Ingen oppgave" (an option's value may not be empty)


class HoursAction(enum.StrEnum):
    """Action ids of the buttons on a `timer` list (one place, used by rendering and by the handlers)."""

    EDIT = "hours.edit"
    DELETE = "hours.delete"


# header + total, 2 blocks a log (its line, its buttons), and the line that says how many more
MAX_LOGS = (MAX_BLOCKS - 3) // 2


def log_line(line: LogLine, lang: str) -> str:
    """`*P-3* Kampanje · fre. 27. nov. · 2,5 t · Annonser · 40 % · internt` and the text on the line below."""
    parts = [f"*{line.key}* {escape(shorten(line.project_name, 60))}", fmt_date(line.logged_on, lang),
             f"*{fmt_hours(line.minutes, lang)}*"]
    if line.task:
        parts.append(escape(shorten(line.task, 80)))
    if line.percent is not None:
        parts.append(f"{line.percent}\u00a0%")
    if not line.billable:
        parts.append(t("hours.internal", lang))
    text = " · ".join(parts)
    if line.description:
        text += "\n" + escape(shorten(line.description, 300))
    return text


def hours_list(lines: Sequence[LogLine], total: int, lang: str, *,
               of_user: str | None = None) -> tuple[str, list[Block]]:
    """The list (newest first, at most MAX_LOGS; how many more) and its notification text."""
    title = t("hours.title_of", lang, user=of_user, days=RECENT_DAYS) if of_user else \
        t("hours.title", lang, days=RECENT_DAYS)
    if not lines:
        empty = t("hours.none_of", lang, user=of_user, days=RECENT_DAYS) if of_user else \
            t("hours.none", lang, days=RECENT_DAYS)
        return empty, [section(empty)]
    shown = list(lines[:MAX_LOGS])
    blocks: list[Block] = [header(title) if not of_user else section(f"*{title}*")]
    for line in shown:
        blocks.append(section(log_line(line, lang)))
        blocks.append({"type": "actions", "block_id": f"log.{line.log_id}", "elements": [
            button(t("hours.edit", lang), HoursAction.EDIT, str(line.log_id)),
            {**button(t("hours.delete", lang), HoursAction.DELETE, str(line.log_id), style="danger"),
             "confirm": _confirm(line, lang)},
        ]})
    minutes = sum(x.minutes for x in shown)
    footer = t("hours.total", lang, total=fmt_hours(minutes, lang), n=len(shown))
    if total > len(shown):
        footer += " " + t("hours.more", lang, n=total - len(shown))
    blocks.append(context(footer))
    return title, blocks


def _confirm(line: LogLine, lang: str) -> dict[str, Any]:
    """Block Kit's confirmation dialog: Slack asks before it sends the click."""
    text = t("hours.confirm_text", lang, hours=fmt_hours(line.minutes, lang), key=line.key,
             date=fmt_date(line.logged_on, lang))
    return {"title": plain(t("hours.confirm_title", lang), 100), "text": plain(text, 300),
            "confirm": plain(t("hours.confirm_yes", lang), 30), "deny": plain(t("hours.confirm_no", lang), 30),
            "style": "danger"}


def hours_input(minutes: int, lang: str) -> str:
    """Minutes as the hours field reads them back exactly: `2,5` / `2.5`, else `1t 20m` / `1h 20m`."""
    if minutes * 100 % 60 == 0:
        return fmt_number(minutes / 60, lang, 2)
    hours, rest = divmod(minutes, 60)
    unit = "t" if lang == "nb" else "h"
    return f"{hours}{unit} {rest}m" if hours else f"{rest}m"


def edit_modal(*, lang: str, channel_id: str, project: ProjectView, tasks: Sequence[TaskView], log_id: int,
               owner: str, state: LogState, origin: dict[str, str] | None = None) -> dict[str, Any]:
    """The `logg` modal filled in with the log (`state`): submitting it changes that log (`l` in its metadata, with
    the state it showed, `s`, so a log changed meanwhile is not overwritten)."""
    about = t("hours.edit_about", lang, user=owner, date=fmt_date(state.logged_on, lang, year=True))
    view = log_modal(lang=lang, channel_id=channel_id, project=project, choices=[], tasks=[], about=about,
                     description=state.description, day=state.logged_on)
    filled: dict[str, Any] = {"hours": hours_input(state.minutes, lang), LOG_DATE: state.logged_on.isoformat(),
                              "percent": str(state.percent) if state.percent is not None else None,
                              "internal": [] if state.billable else [INTERNAL]}
    for block in view["blocks"]:
        if block.get("type") == "input" and filled.get(block["block_id"]):
            _fill(block["element"], filled[block["block_id"]])
    view["blocks"].append(_task_picker(tasks, state.task_id, lang))
    view["title"] = plain(t("hours.modal_title", lang), 24)
    meta = {**json.loads(view["private_metadata"]), "l": log_id, "s": state.fingerprint(), **(origin or {})}
    view["private_metadata"] = json.dumps(meta)
    return view


def _fill(element: dict[str, Any], value: Any) -> None:
    kind = element["type"]
    if kind == "plain_text_input":
        element["initial_value"] = str(value)
    elif kind == "datepicker":
        element["initial_date"] = value
    elif kind == "checkboxes":
        chosen = [o for o in element["options"] if o["value"] in value]
        if chosen:
            element["initial_options"] = chosen


def _task_picker(tasks: Sequence[TaskView], task_id: int | None, lang: str) -> Block:
    """The task the hours went to: none, or one of the project's (the log's own always among Slack's 100 options)."""
    none = {"text": plain(t("hours.no_task", lang), 75), "value": NO_TASK}
    shown = [*(x for x in tasks if x.id == task_id), *(x for x in tasks if x.id != task_id)][:99]
    options = [none, *({"text": plain(task.title, 75), "value": str(task.id)} for task in shown)]
    chosen = next((o for o in options if o["value"] == str(task_id)), none)
    return {"type": "input", "block_id": "task", "label": plain(t("field.task", lang)), "optional": True,
            "element": {"type": "static_select", "options": options, "initial_option": chosen, "action_id": VALUE}}


def history_text(action: str, found: LogHistory, lang: str) -> str:
    """A log's change (`log_changed`) or deletion (`log_deleted`) as a history line: old → new, field by field."""
    return t(f"history.{action}", lang, user=user(found.ref.user_id), date=fmt_date(found.ref.logged_on, lang),
             what=changes_text(action, found.fields, lang))


def changes_text(action: str, fields: Sequence[tuple[str, Any, Any]], lang: str) -> str:
    """`timer 25 t → 2,5 t, tekst «a» → «b»` (a deletion: what the log said)."""
    shown = []
    for name, old, new in fields:
        label = t(f"hours.field.{name}", lang)
        if action == "log_deleted":
            shown.append(f"{label} {_value(name, old, lang)}")
        else:
            shown.append(f"{label} {_value(name, old, lang)} → {_value(name, new, lang)}")
    return ", ".join(shown)


def _value(name: str, value: Any, lang: str) -> str:
    if value is None or value == "":
        return "–"
    if name == "minutes":
        return fmt_hours(int(value), lang)
    if name == "logged_on":
        return fmt_date(value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)), lang)
    if name == "percent":
        return f"{value}\u00a0%"
    if name == "billable":
        return t(f"hours.billable.{'true' if value else 'false'}", lang)
    return f"«{escape(shorten(str(value), 100))}»"
