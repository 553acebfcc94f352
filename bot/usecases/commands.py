"""`/prosjekt` and its sub-commands: the one-line forms, and a modal when required arguments are missing.

`run_command` turns a slash-command payload into an `Outcome`: what to ack (the ephemeral answer) and which
Slack calls to make after the ack. Domain rules live in `bot.usecases.projects`; how a line reads (words, keys,
hours, the project it names) in `bot.usecases.command_line`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from bot.domain.arguments import Args, split_args
from bot.domain.errors import NotFound, UserError
from bot.domain.health import Kind
from bot.domain.money import INTERNAL_WORDS, parse_rates
from bot.domain.parsing import (
    parse_channel,
    parse_date,
    parse_frame_hours,
    parse_kind,
    parse_nok,
    parse_number,
    parse_percent,
    parse_user,
    parse_users,
    unescape_slack,
)
from bot.services import Services, Unit
from bot.slack.i18n import fmt_date, fmt_hours, t
from bot.slack.outcome import Effect, OpenModal, Outcome, PostCard, RefreshCard, Respond
from bot.slack.render import escape
from bot.slack.render.cards import render_help, render_history, render_project_card, render_project_list
from bot.slack.render.modals import (
    frame_modal,
    goal_modal,
    log_modal,
    pick_project_modal,
    task_modal,
)
from bot.slack.render.settings_modal import settings_modal
from bot.slack.render.summary import channel_summary_messages, portfolio_messages
from bot.usecases import (
    export,
    frames,
    log_edits,
    logs,
    month_reports,
    nudges,
    projects,
    retainers,
    routine_commands,
    summary,
    workspace_settings,
)
from bot.usecases.command_line import (
    KEYS,
    PERCENT_RE,
    PROJECT_KEYS,
    SUBCOMMANDS,
    Follows,
    find_project,
    option,
    reference,
    rollover_option,
    take_hours,
    take_log_date,
)
from bot.usecases.command_request import Request
from bot.usecases.new_project_form import open_view
from bot.usecases.project_state import STATES, change_state
from bot.usecases.runner import ephemeral_ack, run_request
from bot.usecases.tasks import find_task
from storage import projects as project_db
from storage import rates as rate_db
from storage.views import project_view, task_view

WRITES = {"new", "log", "task", "frame", "goal", "done", "pause", "reopen", "routine", "approve", "reopen_month",
          "notifications"}
# read-only units (storage.db.unit_of_work)
READS = {"help", "unknown", "status", "list", "history", "summary", "routines", "tasks", "export", "report",
         "hours"}


def run_command(svc: Services, payload: dict[str, Any]) -> Outcome:
    """Handle one `/prosjekt …` payload; never raises."""
    text: str = payload.get("text") or ""
    head, _, rest = text.strip().partition(" ")
    name = SUBCOMMANDS.get(head.casefold(), "unknown") if head else "help"
    if name == "reopen" and month_reports.names_a_month(rest):  # `reopen P-3 november`: the month, not the project
        name = "reopen_month"

    def handle(unit: Unit, actor: projects.Actor) -> Outcome:
        request = Request(unit=unit, actor=actor, channel_id=payload["channel_id"],
                          trigger_id=payload.get("trigger_id", ""), response_url=payload.get("response_url"))
        return SUB_HANDLERS[name](request, rest.strip())

    typed = f"{payload.get('command', '/prosjekt')} {text}".strip()
    return run_request(svc, payload["team_id"], payload["user_id"], handle,
                       ephemeral_ack(escape(unescape_slack(typed))), write=name in WRITES, read_only=name in READS)


def _help(req: Request, rest: str) -> Outcome:
    return Outcome(ack={"response_type": "ephemeral", "text": t("help.title", req.lang),
                        "blocks": render_help(req.lang)})


def _unknown(req: Request, rest: str) -> Outcome:
    raise UserError("command.unknown")


def _new(req: Request, rest: str) -> Outcome:
    if not rest:
        view = open_view(req.unit.session, req.actor.team_id, lang=req.lang, channel_id=req.channel_id,
                         user_id=req.actor.user_id, today=req.unit.today)
        return Outcome(effects=[OpenModal(req.trigger_id, view)])
    args = split_args(rest, KEYS["new"], repeatable=frozenset({"role", "rate"}))
    today = req.unit.today
    rates = parse_rates(args.repeated.get("rate", []))
    kind: Kind = option(args, "kind", parse_kind) or "avgrenset"
    customer = args.options.get("customer")
    if customer is None:
        raise UserError("new.customer_missing", field="customer")
    draft = projects.ProjectDraft(
        name=unescape_slack(" ".join(args.positional)), customer=unescape_slack(customer),
        channel_id=option(args, "channel", parse_channel) or req.channel_id,
        pm_user_id=option(args, "pm", parse_user) or req.actor.user_id,
        member_ids=tuple(option(args, "members", parse_users) or ()),
        start=option(args, "start", lambda v: parse_date(v, today)) or today,
        deadline=option(args, "deadline", lambda v: parse_date(v, today)), kind=kind,
        frame_minutes=option(args, "hours", parse_frame_hours), budget_nok=option(args, "budget", parse_nok),
        goals=(unescape_slack(args.options["goals"]),) if "goals" in args.options else (),
        rate_nok=rates.project, person_rates=rates.people,
    )
    rollover = rollover_option(args)
    if "routine" in args.options:
        return routine_commands.new_from_routine(req, draft, args, rollover)
    retainers.check_kind(kind, rollover, None)
    if "role" in args.repeated:
        raise UserError("routine.role_without_routine", field="role")
    project = projects.create_project(req.unit.session, req.actor, draft, today=today)
    retainers.apply_new(project, rollover)
    return Outcome(
        ack={"response_type": "ephemeral", "text": t("new.created", req.lang, key=project.key,
                                                       name=escape(project.name), channel=project.channel_id)},
        effects=[PostCard(req.actor.team_id, project.id, project.channel_id, req.response_url)],
    )


def _log_modal(req: Request, project: projects.Project | None) -> Outcome:
    session, team = req.unit.session, req.actor.team_id
    if project is None:
        in_channel = project_db.active_projects_in_channel(session, team, req.channel_id)
        project = in_channel[0] if len(in_channel) == 1 else None
    choices = [] if project else [p for p in project_db.list_projects(session, team) if p.state == "active"]
    if project is None and not choices:
        raise UserError("project.none_yet")
    open_tasks = [task for task in project_db.tasks(session, team, project.id)
                  if task.done_at is None] if project else []
    view = log_modal(lang=req.lang, channel_id=req.channel_id, project=project_view(project) if project else None,
                     choices=[project_view(p) for p in choices], tasks=[task_view(t) for t in open_tasks],
                     day=req.unit.today)
    return Outcome(effects=[OpenModal(req.trigger_id, view)])


def _log(req: Request, rest: str) -> Outcome:
    if not rest:
        return _log_modal(req, None)
    session, team = req.unit.session, req.actor.team_id
    args = split_args(rest, KEYS["log"], allow_unknown_keys=True)
    project, words = _project(req, args, Follows.HOURS)
    minutes, words = take_hours(words)
    if minutes is None:
        if words or args.options.keys() & {"task", "against", "date"}:
            raise UserError("log.hours_missing", field="hours")
        return _log_modal(req, project)
    day, after = take_log_date(args.options["date"], req.unit.today) if "date" in args.options else (None, [])
    percent = None
    kept = []
    for word in [*words, *after]:
        if PERCENT_RE.match(word):
            percent = parse_percent(word)
        else:
            kept.append(word)
    billable = not (kept and kept[0].casefold() in INTERNAL_WORDS)  # `logg P-3 1t intern Internmøte`
    kept = kept if billable else kept[1:]
    against = args.options.get("against")
    total = logs.log_progress(
        session, req.actor, project, minutes=minutes, description=unescape_slack(" ".join(kept)),
        today=req.unit.today, percent=percent,
        task_ref=unescape_slack(args.options["task"]) if "task" in args.options else None,
        against=find_task(session, team, project.id, unescape_slack(against)) if against else None,
        billable=billable, day=day,
    )
    saved = t("log.saved", req.lang, hours=fmt_hours(minutes, req.lang), key=project.key, name=escape(project.name),
              total=fmt_hours(total, req.lang))
    saved = saved if day in (None, req.unit.today) else f"{saved} {t('log.dated', req.lang, day=day)}"
    return Outcome(
        ack={"response_type": "ephemeral", "text": saved if billable else f"{saved} {t('log.internal', req.lang)}"},
        effects=[RefreshCard(team, project.id)],
    )


def _project(req: Request, args: Args, follows: Follows) -> tuple[projects.Project, list[str]]:
    """The project the line names (the rule in bot.usecases.command_line) and the words left after it."""
    return find_project(req.unit.session, req.actor.team_id, req.channel_id, reference(args, follows))


def _resolve(req: Request, ref: str | None) -> projects.Project:
    return projects.resolve_project(req.unit.session, req.actor.team_id, ref, req.channel_id)


def _pick_project(req: Request, then: str) -> Outcome:
    """The project could not be inferred: let the user pick one in a modal."""
    choices = project_db.list_projects(req.unit.session, req.actor.team_id,
                                       include_delivered=then in ("reopen", "history"))
    if not choices:
        raise UserError("project.none_yet")
    view = pick_project_modal(lang=req.lang, channel_id=req.channel_id, then=then,
                              choices=[project_view(p) for p in choices])
    return Outcome(effects=[OpenModal(req.trigger_id, view)])


Found = TypeVar("Found")


def _named_or_picked(
    then: str, find: Callable[[Request, str | None], Found], act: Callable[[Request, Found], Outcome],
) -> Callable[[Request, str], Outcome]:
    """A sub-command whose only argument is the project: named, inferred from the channel, or picked (what `find`
    reads of it goes to `act`)."""

    def handle(req: Request, rest: str) -> Outcome:
        ref = reference(split_args(rest, PROJECT_KEYS, allow_unknown_keys=True), Follows.NOTHING)
        if ref.words:  # words after a key or `prosjekt:`: they name no project
            raise NotFound("project.unknown", ref=unescape_slack(rest))
        try:
            found = find(req, ref.name)
        except UserError as exc:
            if exc.key != "project.which":
                raise
            return _pick_project(req, then)
        return act(req, found)

    return handle


def _card(req: Request, ref: str | None) -> projects.Snapshot:
    return projects.card(req.unit.session, req.actor.team_id, ref, req.channel_id, today=req.unit.today)


def _status(req: Request, snap: projects.Snapshot) -> Outcome:
    project = snap.project
    return Outcome(ack={"response_type": "ephemeral", "text": f"{project.key} {escape(project.name)}",
                        "blocks": render_project_card(snap, req.lang)})


def _list(req: Request, rest: str) -> Outcome:
    scope = rest.casefold()
    session, team = req.unit.session, req.actor.team_id
    if scope in ("", "kanal", "channel"):
        found, title = project_db.list_projects(session, team, channel_id=req.channel_id), t("list.channel", req.lang)
    elif scope in ("mine", "my", "mine prosjekter"):
        found, title = project_db.list_projects(session, team, user_id=req.actor.user_id), t("list.mine", req.lang)
    elif scope in ("alle", "all"):
        found, title = project_db.list_projects(session, team), t("list.all", req.lang)
    else:
        raise UserError("list.scope_invalid")
    snaps = [projects.snapshot(session, team, p, today=req.unit.today) for p in found[:60]]
    rows = [(snap.project, snap.health) for snap in snaps]
    return Outcome(ack={"response_type": "ephemeral", "text": title,
                        "blocks": render_project_list(rows, title, req.lang)})


def _task(req: Request, rest: str) -> Outcome:
    args = split_args(rest, KEYS["task"])
    project, words = _project(req, args, Follows.TITLE)
    if not words and not args.options.keys() - {"project"}:
        return Outcome(effects=[OpenModal(req.trigger_id, task_modal(lang=req.lang, channel_id=req.channel_id,
                                                                     project=project_view(project)))])
    today = req.unit.today
    task = projects.add_task(
        req.unit.session, req.actor, project, title=unescape_slack(" ".join(words)),
        owner_user_id=option(args, "owner", parse_user),
        deadline=option(args, "deadline", lambda v: parse_date(v, today)), today=today,
    )
    deadline = fmt_date(task.deadline, req.lang) if task.deadline else "–"
    owner = f"<@{task.owner_user_id}>" if task.owner_user_id else "–"
    added = req.say("task.added", title=escape(task.title), key=project.key, deadline=deadline, owner=owner)
    return Outcome(ack=added.ack, effects=[RefreshCard(req.actor.team_id, project.id)])


def _frame(req: Request, rest: str) -> Outcome:
    args = split_args(rest, KEYS["frame"], repeatable=frozenset({"rate"}))
    ref = reference(args, Follows.NOTHING)
    if ref.words:
        raise UserError("frame.usage")
    project = _resolve(req, ref.name)
    today = req.unit.today
    if not args.options.keys() - {"project"} and not args.repeated:
        projects.require_pm_or_admin(project, req.actor)
        view = frame_modal(lang=req.lang, channel_id=req.channel_id, project=project_view(project),
                           person_rates=rate_db.person_rates(req.unit.session, req.actor.team_id, project.id))
        return Outcome(effects=[OpenModal(req.trigger_id, view)])
    change = projects.FrameChange(
        start=option(args, "start", lambda v: parse_date(v, today)),
        deadline=option(args, "deadline", lambda v: parse_date(v, today)),
        frame_minutes=option(args, "hours", parse_frame_hours), budget_nok=option(args, "budget", parse_nok),
    )
    rates = parse_rates(args.repeated.get("rate", []))
    changed = frames.change_frames(req.unit.session, req.actor, project, change, rates, today=today,
                                   rollover=rollover_option(args))
    key = "frame.changed" if changed else "frame.unchanged"
    return Outcome(ack=req.say(key, key=project.key).ack, effects=[RefreshCard(req.actor.team_id, project.id)])


def _goal(req: Request, rest: str) -> Outcome:
    args = split_args(rest, KEYS["goal"])
    project, words = _project(req, args, Follows.TITLE)
    if not words:
        if args.options.keys() - {"project"}:
            raise UserError("goal.title_missing", field="title")
        view = goal_modal(lang=req.lang, channel_id=req.channel_id, project=project_view(project))
        return Outcome(effects=[OpenModal(req.trigger_id, view)])
    goal, created = projects.set_goal(
        req.unit.session, req.actor, project, title=unescape_slack(" ".join(words)),
        target=option(args, "target", lambda v: parse_number(v, "target")),
        current=option(args, "current", lambda v: parse_number(v, "current")),
    )
    key = "goal.added" if created else "goal.updated"
    return Outcome(ack=req.say(key, title=escape(goal.title), key=project.key).ack,
                   effects=[RefreshCard(req.actor.team_id, project.id)])


def _state(name: str) -> Callable[[Request, projects.Project], Outcome]:
    def change(req: Request, project: projects.Project) -> Outcome:
        message, effects = change_state(req.unit, req.actor, project, STATES[name])
        return Outcome(ack={"response_type": "ephemeral", "text": message}, effects=effects)

    return change


def _history(req: Request, project: projects.Project) -> Outcome:
    entries = project_db.history(req.unit.session, req.actor.team_id, project.id, limit=25)
    return Outcome(ack={"response_type": "ephemeral", "text": project.key,
                        "blocks": render_history(project_view(project), entries, req.lang, req.unit.tz)})


PORTFOLIO = {"portefølje", "portefolje", "portfolio", "alle", "all"}
RESPONSE_URL_USES = 5  # Slack takes five messages through one response_url: the summary's answer is 1 + 5


def _summary(req: Request, rest: str) -> Outcome:
    """This channel's weekly summary now, or the portfolio: ephemeral, the rest through the response_url."""
    scope = rest.strip().casefold()
    unit, team = req.unit, req.actor.team_id
    most = 1 + (RESPONSE_URL_USES if req.response_url else 0)
    if scope in ("", "kanal", "channel"):
        found = summary.channel_summary(unit.session, team, req.channel_id, unit.today, unit.tz)
        messages = channel_summary_messages(found, req.lang, max_messages=most)
    elif scope in PORTFOLIO:
        messages = portfolio_messages(summary.portfolio(unit.session, team, unit.today, unit.tz), req.lang,
                                      max_messages=most)
    else:
        raise UserError("summary.usage")
    first, *more = messages
    effects: list[Effect] = [Respond(req.response_url, m["text"], m["blocks"]) for m in more if req.response_url]
    return Outcome(ack={"response_type": "ephemeral", **first}, effects=effects)


def _settings(req: Request, rest: str) -> Outcome:
    """Workspace admins: the settings modal, pre-filled (with this channel's summary override, in a channel)."""
    workspace_settings.require_admin(req.actor.is_admin)
    current = workspace_settings.current_settings(req.unit.session, req.actor.team_id)
    view = settings_modal(lang=req.lang, channel_id=req.channel_id, current=current)
    return Outcome(effects=[OpenModal(req.trigger_id, view)])


SUB_HANDLERS: dict[str, Callable[[Request, str], Outcome]] = {
    "help": _help, "unknown": _unknown, "new": _new, "log": _log, "status": _named_or_picked("status", _card, _status),
    "list": _list, "task": _task, "frame": _frame, "goal": _goal,
    "done": _named_or_picked("done", _resolve, _state("done")),
    "pause": _named_or_picked("pause", _resolve, _state("pause")),
    "reopen": _named_or_picked("reopen", _resolve, _state("reopen")),
    "history": _named_or_picked("history", _resolve, _history),
    "summary": _summary,
    "settings": _settings,
    "routines": routine_commands.list_routines, "routine": routine_commands.routine,
    "tasks": routine_commands.list_tasks,
    "export": export.command,
    "report": month_reports.report, "approve": month_reports.approve, "reopen_month": month_reports.reopen,
    "hours": log_edits.command,
    "notifications": nudges.command,
}
