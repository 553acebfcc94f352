"""Buttons on the project card and on follow-up messages."""

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.slack.render.home import HomeAction
from bot.slack.render.log_edits import HoursAction
from bot.slack.render.modals import NewProjectAction
from bot.slack.render.my_week import WeekAction
from bot.usecases.effects import after_ack
from bot.usecases.home import open_new_project
from bot.usecases.interactions import run_action
from bot.usecases.log_edits import on_button as on_hours_button
from bot.usecases.month_reports import REPORT_APPROVE, on_approve_button
from bot.usecases.my_week import open_log
from bot.usecases.new_project_form import on_change
from bot.usecases.nudges import on_button as on_nudge_button
from bot.usecases.reactions import on_button


def register(app: App) -> None:
    app.action(re.compile(r"^card\."))(card_button)
    app.action(re.compile(r"^followup\."))(followup_button)
    app.action(REPORT_APPROVE)(approve_button)
    app.action(re.compile(r"^nudge\."))(nudge_button)
    for hours_action in HoursAction:
        app.action(hours_action)(hours_button)
    app.action(HomeAction.NEW_PROJECT)(home_new_project)
    app.action(WeekAction.LOG)(week_log)
    for action in NewProjectAction:
        app.action(action)(new_project_change)


def card_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    svc = context["svc"]
    after_ack(svc, run_action(svc, body).effects)


def followup_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """Ferdig (= ✅) and the snooze menu on a follow-up."""
    ack()
    svc = context["svc"]
    after_ack(svc, on_button(svc, body).effects)


def approve_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """*Godkjenn måneden* on a month-end report."""
    ack()
    svc = context["svc"]
    after_ack(svc, on_approve_button(svc, body).effects)


def nudge_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """A project's button (the `logg` modal), *Ingen timer i dag*, or the switch, in a nudge to log hours."""
    ack()
    svc = context["svc"]
    after_ack(svc, on_nudge_button(svc, body).effects)


def home_new_project(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """The "Nytt prosjekt" button on App Home: the new-project modal."""
    ack()
    svc = context["svc"]
    after_ack(svc, open_new_project(svc, body).effects)


def week_log(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """*Før timer* under a week of hours (App Home, `timer uke`, the Friday message): the `logg` modal."""
    ack()
    svc = context["svc"]
    after_ack(svc, open_log(svc, body).effects)


def new_project_change(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """A routine, a date, an answer or a role changed in the open `ny` modal: its preview follows (views.update)."""
    ack()
    svc = context["svc"]
    after_ack(svc, on_change(svc, body).effects)


def hours_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """*Endre* and *Slett* on a `timer` list."""
    ack()
    svc = context["svc"]
    after_ack(svc, on_hours_button(svc, body).effects)
