"""The message shortcut *Logg som fremdrift*: any message becomes a progress log on a chosen project.

It opens the `logg` modal pre-filled with the message's text and a link to it, with a project picker (the channel's
active project chosen when there is exactly one). The modal is the same as `/prosjekt logg`'s and its submission is
handled the same way (`bot.usecases.interactions`, `logs.log_progress`).
"""

from __future__ import annotations

import re
from typing import Any

from bot.domain.errors import UserError
from bot.domain.parsing import unescape_slack
from bot.services import Services, Unit
from bot.slack.i18n import t
from bot.slack.outcome import OpenModalForMessage, Outcome
from bot.slack.render import escape
from bot.slack.render.modals import log_modal
from bot.usecases.projects import Actor
from bot.usecases.runner import respond_to, run_request
from storage import projects as project_db
from storage.views import project_view

CALLBACK_ID = "log_message"
DESCRIPTION_MAX = 2000
_MARKUP = re.compile(r"<([^<>]*)>")


def readable(text: str) -> str:
    """Slack's message markup as a person reads it: `<@U1|kari>` → `@kari`, `<https://x|side>` → `side (https://x)`,
    `<!here>` → `@here`, entities unescaped."""

    def plain(match: re.Match[str]) -> str:
        target, _, label = match[1].partition("|")
        if target[:1] in ("@", "#"):
            return target[0] + (label.lstrip("@#") or target[1:])
        if target.startswith("!"):
            return label or "@" + target[1:].split("^")[0]
        return f"{label} ({target})" if label and label != target else target

    return unescape_slack(_MARKUP.sub(plain, text)).strip()


def describe(text: str, link: str | None) -> str:
    """The log's description: the message's text, then the link to it (the text is cut to leave room for it)."""
    if not link:
        return text[:DESCRIPTION_MAX]
    return f"{text[:DESCRIPTION_MAX - len(link) - 1].rstrip()}\n{link}".lstrip()


def on_message_shortcut(svc: Services, body: dict[str, Any]) -> Outcome:
    """Open the log modal for the message; never raises (problems are answered through the response_url)."""
    channel_id, message = body["channel"]["id"], body.get("message") or {}
    text = readable(message.get("text") or "")

    def open_log_modal(unit: Unit, actor: Actor) -> Outcome:
        choices = [project_view(p) for p in project_db.list_projects(unit.session, unit.team_id)
                   if p.state == "active"]
        if not choices:
            raise UserError("project.none_yet")
        in_channel = project_db.active_projects_in_channel(unit.session, unit.team_id, channel_id)
        initial, lang, today = project_view(in_channel[0]) if len(in_channel) == 1 else None, unit.lang, unit.today

        def view(link: str | None) -> dict[str, Any]:  # made once the link is known, after the ack
            about = t("shortcut.from_message", lang, link=escape(link), channel=channel_id) if link else None
            return log_modal(lang=lang, channel_id=channel_id, project=None, choices=choices, tasks=[], day=today,
                             initial=initial, description=describe(text, link), about=about)

        ts = message.get("ts") or body["message_ts"]
        return Outcome(effects=[OpenModalForMessage(body["trigger_id"], channel_id, ts, view)])

    return run_request(svc, body["team"]["id"], body["user"]["id"], open_log_modal, respond_to(body["response_url"]))
