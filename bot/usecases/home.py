"""App Home (docs/product.md §3): each person's projects with health, their tasks due in the next 14 days, what is
overdue, and their projects at risk. Published when they open it, and again after a change that touches them (only for
people who have opened it at least once)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.domain.my_week import monday_of
from bot.domain.readmodels import HomeData
from bot.services import Services
from bot.slack.outcome import OpenModal, Outcome, RefreshHome
from bot.slack.render.home import render_home
from bot.usecases import projects
from bot.usecases.new_project_form import open_view
from storage import home as store
from storage import my_week as week_db
from storage import projects as project_db
from storage import workspaces as workspace_db
from storage.views import project_view, task_view

log = logging.getLogger("prosjektbot")
TASK_DAYS = 14
MAX_PROJECTS = 200  # read for the Home (each with its health); more are counted, not shown


def home_data(session: Session, team_id: str, user_id: str, today: dt.date) -> HomeData:
    mine = project_db.list_projects(session, team_id, user_id=user_id, limit=MAX_PROJECTS)
    snaps = projects.snapshots(session, team_id, list(mine), today=today)  # a fixed number of queries
    rows = [(snaps[p.id].project, snaps[p.id].health) for p in mine]
    total = len(mine) if len(mine) < MAX_PROJECTS else store.count_projects_of(session, team_id, user_id)
    due = [(task_view(task), project_view(p))
           for task, p in store.open_tasks_due(session, team_id, user_id, today + dt.timedelta(days=TASK_DAYS))]
    return HomeData(
        user_id=user_id, today=today, projects=rows, projects_total=total,
        tasks=[(task, p) for task, p in due if task.deadline is not None and task.deadline >= today],
        overdue_tasks=[(task, p) for task, p in due if task.deadline is not None and task.deadline < today],
        overdue_projects=[p for p, _ in rows if p.state == "active" and p.deadline is not None and p.deadline < today],
        week=week_db.weeks(session, team_id, [user_id], monday_of(today), through=today)[user_id],
    )


def on_home_opened(svc: Services, body: dict[str, Any]) -> Outcome:
    """The user opened the Home tab: remember that, and publish it. A retry of the event (same id) does nothing."""
    team_id, event = body["team_id"], body["event"]
    if event.get("tab") != "home":
        return Outcome()
    with svc.unit(team_id, write=True) as unit:
        if not workspace_db.mark_handled(unit.session, team_id, f"event:{body['event_id']}"):
            return Outcome()
        store.remember_opened(unit.session, team_id, event["user"], svc.now())
    return Outcome(effects=[RefreshHome(team_id, (event["user"],))])


def open_new_project(svc: Services, body: dict[str, Any]) -> Outcome:
    """The Home's "Nytt prosjekt" button: the `ny` modal, with no channel proposed."""
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    with svc.unit(team_id) as unit:
        view = open_view(unit.session, team_id, lang=unit.lang, channel_id=None, user_id=user_id, today=unit.today)
    return Outcome(effects=[OpenModal(body["trigger_id"], view)])


def request_home(svc: Services, team_id: str, user_id: str) -> None:
    """Publish this user's Home soon (coalesced: see bot.slack.coalesce)."""
    svc.homes.request(("user", team_id, user_id), svc.submit, lambda: publish_home(svc, team_id, user_id))


def request_homes(svc: Services, team_id: str, project_id: int | None) -> None:
    """Publish the Home of everyone a project touches (None: everyone), who has opened it."""
    svc.homes.request(("project", team_id, project_id), svc.submit, lambda: _fan_out(svc, team_id, project_id))


def _fan_out(svc: Services, team_id: str, project_id: int | None) -> None:
    with svc.unit(team_id) as unit:
        if project_id is None:
            users = store.home_users(unit.session, team_id)
        else:
            users = store.home_users_of_project(unit.session, team_id, project_id)
    for user_id in users:
        request_home(svc, team_id, user_id)


def publish_home(svc: Services, team_id: str, user_id: str) -> None:
    with svc.unit(team_id) as unit:
        view = render_home(home_data(unit.session, team_id, user_id, unit.today), unit.lang)
    try:
        svc.client.views_publish(user_id=user_id, view=view)
    except SlackApiError as exc:
        log.warning("views.publish for %s failed: %s", user_id, exc.response.get("error"))
