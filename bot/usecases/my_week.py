"""A person's week of hours (issue 14): `/prosjekt timer uke` answers it to them, and the *Før timer* button under
it (in App Home, that answer, the Friday message) opens the `logg` modal. The week itself is read by
`storage.my_week.weeks` (any number of people in two statements) and drawn by `bot.slack.render.my_week`; App
Home puts it at its top (bot.usecases.home)."""

from __future__ import annotations

from typing import Any

from bot.domain.errors import UserError
from bot.domain.my_week import MyWeek, monday_of
from bot.services import Services, Unit
from bot.slack.i18n import t
from bot.slack.outcome import OpenModal, Outcome
from bot.slack.render import section
from bot.slack.render.modals import info_modal, log_modal
from bot.slack.render.my_week import week_blocks, week_text
from bot.usecases import projects
from bot.usecases.command_request import Request
from bot.usecases.runner import describe_failure, run_request
from storage import my_week as week_db
from storage import projects as project_db
from storage.views import project_view

WEEK_WORDS = {"uke", "week", "uka", "denne uka", "this week"}


def my_week(unit: Unit, user_id: str) -> MyWeek:
    """The person's week so far, in the workspace's time zone."""
    return week_db.weeks(unit.session, unit.team_id, [user_id], monday_of(unit.today), through=unit.today)[user_id]


def command(req: Request, rest: str) -> Outcome:
    """`/prosjekt timer uke` (`hours week`): the week, only to you (plain `timer` is bot.usecases.log_edits' list,
    which sends `timer uke` here)."""
    if " ".join(rest.casefold().split()) not in WEEK_WORDS:
        raise UserError("week.usage")
    week = my_week(req.unit, req.actor.user_id)
    return Outcome(ack={"response_type": "ephemeral", "text": week_text(week, req.lang),
                        "blocks": week_blocks(week, req.lang)})


def open_log(svc: Services, body: dict[str, Any]) -> Outcome:
    """*Før timer*: the `logg` modal with a project picker: the person's active projects (all the workspace's
    when they have none), the one they logged most on this week chosen. A failure is shown in a modal (the
    button may be in App Home, where there is no channel to answer in)."""
    team_id, user_id, trigger_id = body["team"]["id"], body["user"]["id"], body["trigger_id"]
    channel_id = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or ""

    def click(unit: Unit, actor: projects.Actor) -> Outcome:
        session = unit.session
        choices = [p for p in project_db.list_projects(session, team_id, user_id=user_id) if p.state == "active"]
        choices = choices or [p for p in project_db.list_projects(session, team_id) if p.state == "active"]
        if not choices:
            raise UserError("project.none_yet")
        views = [project_view(p) for p in choices]
        by_id = {view.id: view for view in views}
        initial = next((by_id[p.project_id] for p in my_week(unit, user_id).projects if p.project_id in by_id), None)
        view = log_modal(lang=unit.lang, channel_id=channel_id, project=None, choices=views, tasks=[],
                         day=unit.today, initial=initial)
        return Outcome(effects=[OpenModal(trigger_id, view)])

    def failed(exc: BaseException, lang: str) -> Outcome:
        message, _ = describe_failure(exc, lang)
        view = info_modal(lang=lang, title=t("week.log", lang), blocks=[section(message)])
        return Outcome(effects=[OpenModal(trigger_id, view)])

    return run_request(svc, team_id, user_id, click, failed, read_only=True)
