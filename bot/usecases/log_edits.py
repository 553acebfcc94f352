"""Correcting a log (`/prosjekt timer`, `hours`): a person's logs of the last 14 days with *Endre* and *Slett*; the
`logg` modal filled in to change one (its submission arrives through bot.usecases.interactions); a deletion after
Slack's confirmation. People change their own logs; a project's PL and workspace admins anyone's on it. Every
change and deletion goes in the project's history (old → new, field by field), re-renders the card and the Homes.

A log keeps its project, its person and the rate it was logged at. A log in an approved month is neither changed nor
deleted (bot.usecases.month_lock); a log moved to another day goes through the one check of a log's date
(bot.usecases.log_dates.require_loggable: not ahead, not before the start, too old only PL/admin, no approved
month). Frame alerts already sent stay sent; the outbox's keys (threshold, frame, period) keep a threshold crossed
again from alerting twice, and a lower one is not announced after a higher one (bot.domain.followups)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from bot.domain.errors import NotAllowed, UserError
from bot.domain.log_edits import RECENT_DAYS, LogRef, LogState, changes, deleted_values, history_values
from bot.domain.parsing import parse_hours, parse_percent, parse_user, unescape_slack
from bot.services import Services, Unit
from bot.slack.i18n import fmt_date, fmt_hours, t
from bot.slack.outcome import Effect, Ephemeral, OpenModal, Outcome, RefreshCard, RefreshHome, Respond
from bot.slack.render import escape
from bot.slack.render.log_edits import MAX_LOGS, NO_TASK, HoursAction, changes_text, edit_modal, hours_list
from bot.slack.render.modals import INTERNAL
from bot.usecases import log_dates, month_lock, my_week, projects
from bot.usecases.command_request import Request
from bot.usecases.runner import clicked_channel, ephemeral_to, run_request
from storage import logs as log_db
from storage import projects as project_db
from storage.models import ProgressLog, Project
from storage.views import project_view, task_view


def command(req: Request, rest: str) -> Outcome:
    """`timer`: your logs of the last 14 days; `timer @ola` (a PL: on the projects they lead; an admin: all);
    `timer uke`: your week (bot.usecases.my_week)."""
    if " ".join(rest.casefold().split()) in my_week.WEEK_WORDS:
        return my_week.command(req, rest)
    words = unescape_slack(rest).split()
    if not words:
        text, blocks = _list(req.unit, req.actor, req.actor.user_id)
        return Outcome(ack={"response_type": "ephemeral", "text": text, "blocks": blocks})
    if len(words) != 1:
        raise UserError("hours.usage")
    try:
        person = parse_user(rest.strip())
    except UserError:
        raise UserError("hours.usage") from None
    text, blocks = _list(req.unit, req.actor, person)
    return Outcome(ack={"response_type": "ephemeral", "text": text, "blocks": blocks})


def _list(unit: Unit, actor: projects.Actor, person: str) -> tuple[str, list[dict[str, Any]]]:
    """The `timer` list of `person`'s logs as `actor` may change them."""
    since = unit.today - dt.timedelta(days=RECENT_DAYS - 1)
    project_ids = None
    if person != actor.user_id and not actor.is_admin():
        project_ids = log_db.led_project_ids(unit.session, unit.team_id, actor.user_id)
        if not project_ids:
            raise NotAllowed("hours.not_pm")
    lines, total = log_db.recent_logs(unit.session, unit.team_id, person, since=since, limit=MAX_LOGS,
                                      project_ids=project_ids)
    return hours_list(lines, total, unit.lang, of_user=None if person == actor.user_id else person)


def on_button(svc: Services, body: dict[str, Any]) -> Outcome:
    """*Endre* (the `logg` modal filled in) or *Slett* (Slack asked for confirmation first) on a `timer` list."""
    action = body["actions"][0]
    user_id = body["user"]["id"]
    channel_id = clicked_channel(body)
    action_id = action.get("action_id")
    response_url = body.get("response_url") or ""

    def click(unit: Unit, actor: projects.Actor) -> Outcome:
        log_id = _log_id(action.get("value"))
        if action_id == HoursAction.EDIT:
            return _open_editor(unit, actor, log_id, channel_id, body.get("trigger_id", ""), response_url)
        if action_id == HoursAction.DELETE:
            return _delete(unit, actor, log_id, channel_id, response_url)
        raise UserError("action.unknown")

    return run_request(svc, body["team"]["id"], user_id, click, ephemeral_to(channel_id, user_id),
                       write=action_id == HoursAction.DELETE)


def _log_id(value: Any) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise UserError("hours.gone") from None


def _held(session: Session, actor: projects.Actor, log_id: int, *, hold: bool) -> tuple[ProgressLog, Project]:
    """The log (held for a change when `hold`) and its project, if the actor may change it now."""
    log = (log_db.log_for_change if hold else log_db.log_by_id)(session, actor.team_id, log_id)
    if log is None:  # deleted meanwhile, or an id of another workspace
        raise UserError("hours.gone", field="hours")
    project = project_db.project_by_id(session, actor.team_id, log.project_id)
    assert project is not None, "a log's project is in its workspace"
    if actor.user_id not in (log.user_id, project.pm_user_id) and not actor.is_admin():
        raise NotAllowed("hours.not_yours", field="hours", pm=project.pm_user_id)
    if project.state == "delivered":
        raise UserError("hours.delivered", field="hours", key=project.key)
    month_lock.require_open_month(session, actor.team_id, project, log.logged_on)
    return log, project


def _state(session: Session, log: ProgressLog) -> LogState:
    return LogState(minutes=log.minutes, logged_on=log.logged_on, task_id=log.task_id,
                    task=log_db.task_title(session, log.team_id, log.project_id, log.task_id),
                    description=log.description or "", percent=log.percent, billable=bool(log.billable))


def _open_editor(unit: Unit, actor: projects.Actor, log_id: int, channel_id: str, trigger_id: str,
                 response_url: str) -> Outcome:
    log, project = _held(unit.session, actor, log_id, hold=False)
    tasks = [task_view(x) for x in project_db.tasks(unit.session, unit.team_id, project.id)]
    view = edit_modal(lang=unit.lang, channel_id=channel_id or project.channel_id, project=project_view(project),
                      tasks=tasks, log_id=log.id, owner=log.user_id, state=_state(unit.session, log),
                      origin={"w": response_url} if response_url else None)
    return Outcome(effects=[OpenModal(trigger_id, view)])


def submit_edit(unit: Unit, actor: projects.Actor, v: dict[str, Any], meta: dict[str, Any], *,
                day: dt.date | None) -> Outcome:
    """The filled-in `logg` modal submitted (`day`: its date picker's): change the log it shows, if it is as it was
    shown (else nothing)."""
    session = unit.session
    log, project = _held(session, actor, _log_id(meta.get("l")), hold=True)
    old = _state(session, log)
    if old.fingerprint() != meta.get("s"):  # changed meanwhile (another tab, or the PL): nothing is overwritten
        raise UserError("hours.stale", field="hours")
    new = old.with_changes(
        minutes=_field(parse_hours, v.get("hours"), "hours") or old.minutes,
        logged_on=day or old.logged_on,
        description=projects._clean(v.get("description") or "", "description", required=False,
                                    limit=projects.TEXT_MAX),
        percent=_field(parse_percent, v.get("percent"), "percent"),
        billable=INTERNAL not in (v.get("internal") or ()),
        **_task(session, project, v.get("task"), old),
    )
    if new.logged_on != old.logged_on:  # moved: the one check of a log's date (future, too old, approved month)
        log_dates.require_loggable(session, actor, project, new.logged_on, today=unit.today)
    found = changes(old, new)
    if not found:
        return Outcome(effects=[Ephemeral(meta.get("c") or project.channel_id, actor.user_id,
                                          t("hours.unchanged", unit.lang))])
    log.minutes, log.logged_on, log.task_id = new.minutes, new.logged_on, new.task_id
    log.description, log.percent, log.billable = new.description, new.percent, new.billable  # (its rate stays)
    old_json, new_json = history_values(LogRef(log.id, log.user_id, old.logged_on), found)
    projects.record(session, actor, project, "log_changed", "log", old_json, new_json)
    session.flush()
    what = changes_text("log_changed", [(c.field, c.old, c.new) for c in found], unit.lang)
    text = t("hours.changed", unit.lang, key=project.key, name=escape(project.name), what=what)
    return Outcome(effects=_after_change(unit, actor, project, log.user_id, meta.get("c") or project.channel_id,
                                         text, meta.get("w")))


def _delete(unit: Unit, actor: projects.Actor, log_id: int, channel_id: str, response_url: str) -> Outcome:
    """*Slett*, confirmed: the log goes, the history keeps what it said. A second click (or the same click
    delivered twice) finds it gone and changes nothing."""
    session = unit.session
    log, project = _held(session, actor, log_id, hold=True)
    state, owner = _state(session, log), log.user_id
    projects.record(session, actor, project, "log_deleted", "log",
                    deleted_values(LogRef(log.id, owner, state.logged_on), state), None)
    session.expunge(log)
    if not log_db.delete_log(session, unit.team_id, log_id):
        raise UserError("hours.gone")  # (rolls the history line back)
    text = t("hours.deleted", unit.lang, hours=fmt_hours(state.minutes, unit.lang), key=project.key,
             name=escape(project.name), date=fmt_date(state.logged_on, unit.lang))
    return Outcome(effects=_after_change(unit, actor, project, owner, channel_id or project.channel_id, text,
                                         response_url))


def _after_change(unit: Unit, actor: projects.Actor, project: Project, owner: str, channel_id: str, text: str,
                  list_url: str | None) -> list[Effect]:
    """The card and the Homes of the people it touches again, the answer, and the list clicked from, anew."""
    effects: list[Effect] = [RefreshCard(unit.team_id, project.id),
                             RefreshHome(unit.team_id, tuple(dict.fromkeys((owner, actor.user_id)))),
                             Ephemeral(channel_id, actor.user_id, text)]
    if list_url:
        session = unit.session
        session.flush()
        listed, blocks = _list(unit, actor, owner)
        effects.append(Respond(list_url, listed, blocks, replace_original=True))
    return effects


def _field(parse: Any, value: str | None, field: str) -> Any:
    if not value or not value.strip():
        return None
    try:
        return parse(value)
    except UserError as exc:
        exc.field = field
        raise


def _task(session: Session, project: Project, chosen: str | None, old: LogState) -> dict[str, Any]:
    """The task the hours went to, as picked (none: no task); a task deleted meanwhile is refused."""
    if chosen is None or chosen == NO_TASK:
        return {"task_id": None, "task": None}
    if chosen == str(old.task_id):
        return {"task_id": old.task_id, "task": old.task}
    task = project_db.task_by_id(session, project.team_id, project.id, int(chosen)) if chosen.isdigit() else None
    if task is None:
        raise UserError("task.unknown", field="task", ref=chosen)
    return {"task_id": task.id, "task": task.title}


