"""Events API."""

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.usecases.effects import after_ack
from bot.usecases.events import on_mention
from bot.usecases.home import on_home_opened
from bot.usecases.nudges import on_user_change
from bot.usecases.reactions import on_reaction


def register(app: App) -> None:
    app.event("app_mention")(mention)
    app.event("reaction_added")(reaction)
    app.event("reaction_removed")(reaction)
    app.event("app_home_opened")(home_opened)
    app.event("user_change")(user_change)


def mention(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    svc = context["svc"]
    after_ack(svc, on_mention(svc, body).effects)


def reaction(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """✅ ⏰ 👀 ❌ on a follow-up message, and ✅ taken back."""
    ack()
    svc = context["svc"]
    authorizations: list[dict[str, Any]] = body.get("authorizations") or [{}]
    bot_user_id = context.bot_user_id or authorizations[0].get("user_id")
    after_ack(svc, on_reaction(svc, body, bot_user_id).effects)


def home_opened(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """The user opened the App Home tab: publish it."""
    ack()
    svc = context["svc"]
    after_ack(svc, on_home_opened(svc, body).effects)


def user_change(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """A person's account changed: whether it is deactivated decides their nudges."""
    ack()
    on_user_change(context["svc"], body)
