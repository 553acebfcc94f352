"""Buttons on the project card and modal submissions. Each turns a verified payload into an `Outcome`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot.domain.errors import NotFound, UserError
from bot.domain.money import parse_person_rates, parse_rate_field
from bot.domain.parsing import (
    echo,
    parse_frame_hours,
    parse_hours,
    parse_kind,
    parse_nok,
    parse_number,
    parse_percent,
)
from bot.domain.retainer import parse_cap
from bot.services import Services, Unit
from bot.slack.i18n import fmt_date, fmt_hours, t
from bot.slack.outcome import Effect, Ephemeral, OpenModal, Outcome, PostCard, RefreshCard, RefreshHomes
from bot.slack.render import escape
from bot.slack.render.cards import CardAction, render_history, render_project_card
from bot.slack.render.modals import (
    INTERNAL,
    LOG_DATE,
    ROLLOVER_ON,
    ModalId,
    frame_modal,
    info_modal,
    log_modal,
    metadata,
    submitted_values,
    task_modal,
)
from bot.slack.render.nudges import NudgeAction
from bot.usecases import (
    frames,
    log_edits,
    logs,
    projects,
    rates,
    retainers,
    routine_editor,
    routines,
    workspace_settings,
)
from bot.usecases.new_project_form import routine_use
from bot.usecases.project_state import STATES, change_state
from bot.usecases.runner import clicked_channel, ephemeral_to, field_errors, run_request
from storage import projects as project_db
from storage import rates as rate_db
from storage import workspaces as workspace_db
from storage.views import project_view, task_view


def _project(unit: Unit, project_id: Any) -> projects.Project:
    try:
        project = project_db.project_by_id(unit.session, unit.team_id, int(project_id))
    except (TypeError, ValueError):
        project = None
    if project is None:
        raise NotFound("project.gone")
    return project


def run_action(svc: Services, body: dict[str, Any]) -> Outcome:
    """A click on a card button: open its modal, or change the project and re-render the card in place."""
    action = body["actions"][0]
    user_id = body["user"]["id"]
    container = body.get("container") or {}
    channel_id = clicked_channel(body)
    action_id = action.get("action_id")

    def click(unit: Unit, actor: projects.Actor) -> Outcome:
        project = _project(unit, action.get("value"))
        if action_id == CardAction.LOG or str(action_id).startswith(f"{NudgeAction.LOG}."):  # a nudge's projects
            open_tasks = [x for x in project_db.tasks(unit.session, unit.team_id, project.id) if x.done_at is None]
            origin = {"m": container.get("message_ts") or "", "u": body.get("response_url") or ""}
            view = log_modal(lang=unit.lang, channel_id=channel_id, project=project_view(project), choices=[],
                             tasks=[task_view(x) for x in open_tasks], day=unit.today,
                             origin=origin if container.get("is_ephemeral") else None)
            return Outcome(effects=[OpenModal(body["trigger_id"], view)])
        if action_id == CardAction.TASK:
            view = task_modal(lang=unit.lang, channel_id=channel_id, project=project_view(project))
            return Outcome(effects=[OpenModal(body["trigger_id"], view)])
        if action_id == CardAction.FRAME:
            projects.require_pm_or_admin(project, actor)
            view = frame_modal(lang=unit.lang, channel_id=channel_id, project=project_view(project),
                               person_rates=rate_db.person_rates(unit.session, unit.team_id, project.id))
            return Outcome(effects=[OpenModal(body["trigger_id"], view)])
        if action_id == CardAction.DELIVER:
            projects.set_state(unit.session, actor, project, "delivered")
            return Outcome(effects=[_refresh_clicked(unit.team_id, project.id, body)])
        raise UserError("action.unknown")

    return run_request(svc, body["team"]["id"], user_id, click, ephemeral_to(channel_id, user_id),
                       write=action_id == CardAction.DELIVER)


def _refresh_clicked(team_id: str, project_id: int, body: dict[str, Any]) -> RefreshCard:
    container = body.get("container") or {}
    if container.get("is_ephemeral"):
        return RefreshCard(team_id, project_id, response_url=body.get("response_url"))
    return RefreshCard(team_id, project_id, channel_id=container.get("channel_id"), ts=container.get("message_ts"))


Submit = Callable[[Services, Unit, projects.Actor, dict[str, Any], dict[str, Any]], Outcome]


def run_submission(svc: Services, body: dict[str, Any]) -> Outcome:
    """A submitted modal: validate, write once (a double submit of the same view is ignored), close or show errors."""
    view = body["view"]
    values, meta = submitted_values(view), metadata(view)
    handler = SUBMISSIONS.get(view.get("callback_id", ""))
    if handler is None:
        return Outcome()

    def submit(unit: Unit, actor: projects.Actor) -> Outcome:
        if not workspace_db.mark_handled(unit.session, unit.team_id, f"view:{view['id']}"):
            return Outcome()
        return handler(svc, unit, actor, values, meta)

    return run_request(svc, body["team"]["id"], body["user"]["id"], submit, field_errors(values), write=True)


def _field(parse: Callable[[str], Any], value: str | None, field: str) -> Any:
    if not value or not value.strip():
        return None
    try:
        return parse(value)
    except UserError as exc:
        exc.field = field
        raise


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _log_day(value: str | None) -> dt.date | None:
    """The log modal's date picker (Slack sends `YYYY-MM-DD`; anything else is refused on the field)."""
    try:
        return _day(value)
    except ValueError:
        raise UserError("log.date_unknown", field=LOG_DATE, value=echo(str(value))) from None


def _confirm(channel_id: str, actor: projects.Actor, text: str) -> Ephemeral:
    return Ephemeral(channel_id, actor.user_id, text)


def _submit_new(svc: Services, unit: Unit, actor: projects.Actor, v: dict[str, Any], meta: dict[str, Any]) -> Outcome:
    draft = projects.ProjectDraft(
        name=v.get("name") or "", customer=v.get("customer") or "", channel_id=v.get("channel") or meta.get("c", ""),
        pm_user_id=v.get("pm") or actor.user_id, member_ids=tuple(v.get("members") or ()),
        start=_day(v.get("start")) or unit.today, deadline=_day(v.get("deadline")),
        kind=_field(parse_kind, v.get("kind") or "avgrenset", "kind"),
        frame_minutes=_field(parse_frame_hours, v.get("hours"), "hours"),
        budget_nok=_field(parse_nok, v.get("budget"), "budget"),
        goals=tuple(line for line in (v.get("goals") or "").splitlines() if line.strip()),
        rate_nok=_field(parse_rate_field, v.get("rate"), "rate"),
    )
    people = parse_person_rates(v)  # (a person with no rate: none)
    rates.check_people(people.people, {draft.pm_user_id, *draft.member_ids}, None, people)
    draft = replace(draft, person_rates=people.people)
    use, rollover = routine_use(v), _rollover(v)
    if use is None:
        retainers.check_kind(draft.kind, rollover, None)
        project = projects.create_project(unit.session, actor, draft, today=unit.today)
    else:  # the routine's steps as tasks, as `ny … rutine:` makes them; all or nothing
        project = routines.create_from_routine(unit.session, actor, draft, use, today=unit.today)[0]
        retainers.check_kind(project.kind, rollover, None)  # raised: the unit of work rolls the project back
    retainers.apply_new(project, rollover)
    text = t("new.created", unit.lang, key=project.key, name=escape(project.name), channel=project.channel_id)
    return Outcome(effects=[PostCard(unit.team_id, project.id, project.channel_id),
                            _confirm(meta.get("c") or project.channel_id, actor, text)])


def _rollover(v: dict[str, Any]) -> retainers.RolloverChange:
    """The roll-over checkbox (unticked: off) and its cap (empty: as it is)."""
    return retainers.RolloverChange(ROLLOVER_ON in (v.get("rollover") or ()),
                                    _field(parse_cap, v.get("rollover_cap"), "rollover_cap"))


def _submit_log(svc: Services, unit: Unit, actor: projects.Actor, v: dict[str, Any], meta: dict[str, Any]) -> Outcome:
    if meta.get("l") is not None:  # the modal filled in from `timer`'s *Endre*: it changes that log
        return log_edits.submit_edit(unit, actor, v, meta, day=_log_day(v.get(LOG_DATE)))
    project = _project(unit, meta.get("p") or v.get("project"))
    task_id = v.get("task")
    minutes = _field(parse_hours, v.get("hours"), "hours")
    billable = INTERNAL not in (v.get("internal") or ())
    day = _log_day(v.get(LOG_DATE)) or unit.today
    total = logs.log_progress(
        unit.session, actor, project, minutes=minutes,
        description=v.get("description") or "", today=unit.today,
        percent=_field(parse_percent, v.get("percent"), "percent"), task_ref=f"#{task_id}" if task_id else None,
        billable=billable, day=day,
    )
    text = t("log.saved", unit.lang, hours=fmt_hours(minutes, unit.lang), key=project.key,
             name=escape(project.name), total=fmt_hours(total, unit.lang))
    text = text if day == unit.today else f"{text} {t('log.dated', unit.lang, day=day)}"
    text = text if billable else f"{text} {t('log.internal', unit.lang)}"
    refresh = RefreshCard(unit.team_id, project.id, response_url=meta.get("u") or None)
    return Outcome(effects=[refresh, _confirm(meta.get("c") or project.channel_id, actor, text)])


def _submit_task(svc: Services, unit: Unit, actor: projects.Actor, v: dict[str, Any], meta: dict[str, Any]) -> Outcome:
    project = _project(unit, meta.get("p"))
    task = projects.add_task(unit.session, actor, project, title=v.get("title") or "", owner_user_id=v.get("owner"),
                             deadline=_day(v.get("deadline")), today=unit.today)
    text = t("task.added", unit.lang, title=escape(task.title), key=project.key,
             deadline=fmt_date(task.deadline, unit.lang) if task.deadline else "–",
             owner=f"<@{task.owner_user_id}>" if task.owner_user_id else "–")
    return Outcome(effects=[RefreshCard(unit.team_id, project.id), _confirm(meta.get("c") or "", actor, text)])


def _submit_frame(svc: Services, unit: Unit, actor: projects.Actor, v: dict[str, Any], meta: dict[str, Any]) -> Outcome:
    project = _project(unit, meta.get("p"))
    change = projects.FrameChange(
        start=_day(v.get("start")), deadline=_day(v.get("deadline")),
        frame_minutes=_field(parse_frame_hours, v.get("hours"), "hours"),
        budget_nok=_field(parse_nok, v.get("budget"), "budget"),
    )
    rate = parse_person_rates(v, _field(parse_rate_field, v.get("rate"), "rate"))
    rollover = _rollover(v) if project.kind == "lopende" else None  # (the modal asks only a løpende project)
    changed = frames.change_frames(unit.session, actor, project, change, rate, today=unit.today, rollover=rollover)
    text = t("frame.changed" if changed else "frame.unchanged", unit.lang, key=project.key)
    return Outcome(effects=[RefreshCard(unit.team_id, project.id), _confirm(meta.get("c") or "", actor, text)])


def _submit_goal(svc: Services, unit: Unit, actor: projects.Actor, v: dict[str, Any], meta: dict[str, Any]) -> Outcome:
    project = _project(unit, meta.get("p"))
    goal, created = projects.set_goal(
        unit.session, actor, project, title=v.get("title") or "",
        target=_field(lambda x: parse_number(x, "target"), v.get("target"), "target"),
        current=_field(lambda x: parse_number(x, "current"), v.get("current"), "current"),
    )
    text = t("goal.added" if created else "goal.updated", unit.lang, title=escape(goal.title), key=project.key)
    return Outcome(effects=[RefreshCard(unit.team_id, project.id), _confirm(meta.get("c") or "", actor, text)])


def _submit_pick(svc: Services, unit: Unit, actor: projects.Actor, v: dict[str, Any], meta: dict[str, Any]) -> Outcome:
    project = _project(unit, v.get("project"))
    then = meta.get("then")
    if then == "status":
        blocks = render_project_card(projects.snapshot(unit.session, unit.team_id, project, today=unit.today),
                                     unit.lang)
        view = info_modal(lang=unit.lang, title=project.key, blocks=[b for b in blocks if b["type"] != "actions"])
        return Outcome(ack={"response_action": "update", "view": view})
    if then == "history":
        entries = project_db.history(unit.session, unit.team_id, project.id, limit=25)
        view = info_modal(lang=unit.lang, title=project.key,
                          blocks=render_history(project_view(project), entries, unit.lang, unit.tz))
        return Outcome(ack={"response_action": "update", "view": view})
    if then in STATES:
        message, effects = change_state(unit, actor, project, STATES[then])
        return Outcome(effects=[*effects, _confirm(meta.get("c") or project.channel_id, actor, message)])
    raise UserError("action.unknown")


def _submit_settings(svc: Services, unit: Unit, actor: projects.Actor, v: dict[str, Any],
                     meta: dict[str, Any]) -> Outcome:
    workspace_settings.require_admin(actor.is_admin)
    channel_id = meta.get("c") or None
    current = workspace_settings.current_settings(unit.session, unit.team_id)
    new = workspace_settings.parse_settings_form(v, current, channel_id if "channel_summary" in v else None)
    changes = workspace_settings.save_settings(unit.session, unit.team_id, actor.user_id, actor.at, new)
    svc.forget_workspace(unit.team_id)  # the language and time zone this process remembers
    text = t("settings.saved", new.language, count=len(changes)) if changes else t("settings.unchanged", new.language)
    effects: list[Effect] = [_confirm(channel_id or actor.user_id, actor, text)]
    if {c.field for c in changes} & {"language", "timezone"}:  # every Home speaks the new language, counts days anew
        effects.append(RefreshHomes(unit.team_id, None))
    return Outcome(effects=effects)


SUBMISSIONS: dict[str, Submit] = {
    ModalId.NEW: _submit_new, ModalId.LOG: _submit_log, ModalId.TASK: _submit_task, ModalId.FRAME: _submit_frame,
    ModalId.GOAL: _submit_goal, ModalId.PICK: _submit_pick, ModalId.SETTINGS: _submit_settings,
    ModalId.ROUTINE: routine_editor.submit_editor,
}
