"""Running one request: its unit of work, who acts, and what the user is told when it fails.

Every surface (slash command, card button, modal submission, reaction, message shortcut) runs its work through
`run_request`: one unit of work for the verified workspace, an `Actor` whose admin status costs at most one Slack
call (bot.usecases.people), and any exception turned into a message in the user's language, shaped for the
surface by a `Failed` callback: an ephemeral ack, errors on the modal's fields, or an ephemeral message.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.domain.errors import FieldErrors, UserError
from bot.services import Services, Unit
from bot.slack.i18n import has_message, t
from bot.slack.outcome import Ephemeral, Outcome, Respond
from bot.slack.render import escape
from bot.usecases import projects
from bot.usecases.people import admin_check, with_admin_lookup

log = logging.getLogger("prosjektbot")

Work = Callable[[Unit, projects.Actor], Outcome]
Failed = Callable[[BaseException, str], Outcome]  # (what went wrong, the user's language) -> the answer


def run_request(svc: Services, team_id: str, user_id: str, work: Work, failed: Failed, *, write: bool = False,
                read_only: bool = False) -> Outcome:
    """Run `work` in a unit of work of the verified workspace (once more, with the admin status looked up, when a
    rule needed it uncached); never raises: a failure is answered by `failed`."""
    lang: str | None = None

    def attempt(known_admin: bool | None) -> Outcome:
        nonlocal lang
        with svc.unit(team_id, write=write, read_only=read_only) as unit:
            lang = unit.lang
            return work(unit, projects.Actor(team_id, user_id, svc.now(),
                                             admin_check(svc, unit, user_id, known_admin)))

    try:
        return with_admin_lookup(svc, team_id, user_id, attempt)
    except Exception as exc:
        return failed(exc, lang or svc.language(team_id, exc))


def clicked_channel(body: dict[str, Any]) -> str:
    """The channel a block action was clicked in (its message's container; a modal's has none): "" when unknown."""
    return (body.get("container") or {}).get("channel_id") or (body.get("channel") or {}).get("id") or ""


def ephemeral_ack(typed: str) -> Failed:
    """A slash command's failure: the message as its ephemeral ack, quoting `typed` (escaped) back."""

    def failed(exc: BaseException, lang: str) -> Outcome:
        message, _ = describe_failure(exc, lang, typed=typed)
        return Outcome(ack={"response_type": "ephemeral", "text": message})

    return failed


def ephemeral_to(channel_id: str, user_id: str) -> Failed:
    """A click's or a reaction's failure: an ephemeral message to the user in the channel (none without one)."""

    def failed(exc: BaseException, lang: str) -> Outcome:
        message, _ = describe_failure(exc, lang)
        return Outcome(effects=[Ephemeral(channel_id, user_id, message)] if channel_id else [])

    return failed


def respond_to(response_url: str) -> Failed:
    """A message shortcut's failure: the message through its response_url."""

    def failed(exc: BaseException, lang: str) -> Outcome:
        message, _ = describe_failure(exc, lang)
        return Outcome(effects=[Respond(response_url, message)])

    return failed


def field_errors(values: dict[str, Any]) -> Failed:
    """A modal submission's failure: each message on its field (the first field when the modal has no such one);
    the modal stays open with what the user typed."""

    def failed(exc: BaseException, lang: str) -> Outcome:
        errors: dict[str, str] = {}
        for one in exc.errors if isinstance(exc, FieldErrors) else [exc]:
            message, field = describe_failure(one, lang)
            if field not in values:
                field = next(iter(values), "name")
            errors.setdefault(field, message[:2000])
        return Outcome(ack={"response_action": "errors", "errors": errors})

    return failed


def describe_failure(exc: BaseException, lang: str, *, typed: str | None = None) -> tuple[str, str | None]:
    """Turn an exception into (message for the user, field). Unknown errors are logged with an id to quote."""
    if isinstance(exc, UserError):
        # Params may hold what the user typed: escape them all here, once, so no raiser can forget.
        params = {name: escape(value) if isinstance(value, str) else value for name, value in exc.params.items()}
        for name, value in params.items():  # an error within the error (`Linje 4: {reason}`): its own message
            if isinstance(value, UserError):
                params[name] = describe_failure(value, lang)[0]
        label = f"field.{exc.field}"
        if "field" not in params and exc.field and has_message(label):
            params["field"] = t(label, lang)
        message = t(exc.key, lang, **params)
        field = exc.field
    else:
        error_id = uuid.uuid4().hex[:8]
        if isinstance(exc, OperationalError | PoolTimeout | DBAPIError):
            log.error("database error [%s]: %s", error_id, exc.__class__.__name__, exc_info=exc)
            message = t("error.database", lang, error_id=error_id)
        else:
            log.error("unexpected error [%s]", error_id, exc_info=exc)
            message = t("error.unexpected", lang, error_id=error_id)
        field = None
    if typed:
        message += "\n" + t("error.you_wrote", lang, text=typed)
    return message, field
