"""The routine sub-commands: `ny … rutine:` (from bot.usecases.commands), `rutiner`, `rutine vis|lagre|eksport`,
and `oppgaver`; `rutine rediger` opens bot.usecases.routine_editor. The rules are in bot.usecases.routines; the
blocks in bot.slack.render.routines."""

from __future__ import annotations

import re

from bot.domain.arguments import Args, split_args
from bot.domain.errors import UserError
from bot.domain.parsing import parse_user, unescape_slack
from bot.domain.routines import Plan, Routine, dump_routine
from bot.slack.i18n import fmt_hours, t
from bot.slack.outcome import Outcome, PostCard, UploadFile
from bot.slack.render import escape
from bot.slack.render.routines import render_routine, render_routine_list, render_tasks
from bot.usecases import projects, routine_editor, routines
from bot.usecases.command_line import PROJECT_KEYS, Follows, find_project, reference
from bot.usecases.command_request import Request
from storage import tasks as task_db

_ROLE = re.compile(r"([A-Za-z][A-Za-z0-9_]*)\s*=\s*(\S.*)")
_SHOW, _SAVE, _EXPORT = {"vis", "show"}, {"lagre", "save"}, {"eksport", "export"}


def roles_of(args: Args) -> dict[str, str]:
    """`rolle:seo=@ola` (repeatable): role key -> Slack user id."""
    roles: dict[str, str] = {}
    for value in args.repeated.get("role", []):
        match = _ROLE.fullmatch(value.strip())
        if not match:
            raise UserError("routine.role_usage", field="role")
        roles[match[1].lower()] = parse_user(match[2].strip(), field="role")
    return roles


def new_from_routine(req: Request, draft: projects.ProjectDraft, args: Args) -> Outcome:
    """`ny "SEO Tine" kunde:Tine frist:15.03.2027 rutine:seo-oppstart rolle:seo=@ola`."""
    use = routines.FromRoutine(name=unescape_slack(args.options["routine"]), answers={}, roles=roles_of(args))
    project, plan, routine = routines.create_from_routine(req.unit.session, req.actor, draft, use,
                                                          today=req.unit.today)
    text = _created(req, project, plan, routine, frame_given=draft.frame_minutes is not None)
    return Outcome(ack={"response_type": "ephemeral", "text": text},
                   effects=[PostCard(req.actor.team_id, project.id, project.channel_id, req.response_url)])


def _created(req: Request, project: projects.Project, plan: Plan, routine: Routine, *, frame_given: bool) -> str:
    lang = req.lang
    clamped = t("routine.created_clamped", lang, n=plan.clamped) if plan.clamped else ""
    skipped = t("routine.created_skipped", lang, n=plan.skipped) if plan.skipped else ""
    lines = [t("routine.created", lang, key=project.key, name=escape(project.name), channel=project.channel_id,
               title=escape(routine.title), version=routine.version, steps=len(plan.steps), clamped=clamped,
               skipped=skipped)]
    if plan.answers:
        lines.append(t("routine.created_answers", lang,
                       answers=", ".join(f"{key}={value}" for key, value in plan.answers.items())))
    if project.frame_minutes is None:
        lines.append(t("routine.frame_none", lang))
    else:
        which = "given" if frame_given else "month" if routine.kind == "lopende" else "steps"
        lines.append(t(f"routine.frame_{which}", lang, hours=fmt_hours(project.frame_minutes, lang)))
    lines.append(t("routine.created_change", lang, key=project.key))
    return "\n".join(lines)


def list_routines(req: Request, rest: str) -> Outcome:
    listed = routines.available(req.unit.session, req.actor.team_id)
    return Outcome(ack={"response_type": "ephemeral", "text": t("routines.title", req.lang),
                        "blocks": render_routine_list([(x.routine, x.builtin) for x in listed], req.lang)})


def routine(req: Request, rest: str) -> Outcome:
    """`rutine vis NAVN`, `rutine lagre P-12 "Navn"`, `rutine rediger NAVN`, `rutine eksport NAVN`."""
    verb, _, tail = rest.strip().partition(" ")
    verb = verb.casefold()
    if verb in _SAVE:
        return _save(req, tail)
    if verb in routine_editor.EDIT:
        return routine_editor.open_editor(req, tail)
    if verb not in _SHOW | _EXPORT:
        raise UserError("routine.usage")
    name = unescape_slack(tail.strip().strip('"«»'))
    if not name:
        raise UserError("routine.name_missing", field="routine")
    found = routines.find(req.unit.session, req.actor.team_id, name)
    if verb in _SHOW:
        return Outcome(ack={"response_type": "ephemeral", "text": escape(found.routine.title),
                            "blocks": render_routine(found.routine, found.builtin, req.lang)})
    routine_ = found.routine
    upload = UploadFile(user_id=req.actor.user_id, filename=f"{routine_.name}.yaml",
                        content=dump_routine(routine_).encode(), title=f"{routine_.title} v{routine_.version}",
                        comment=t("routine.export_comment", req.lang, title=routine_.title,
                                  version=routine_.version))
    return Outcome(ack=req.say("routine.exported", name=routine_.name, version=routine_.version).ack,
                   effects=[upload])


def _save(req: Request, tail: str) -> Outcome:
    args = split_args(tail, PROJECT_KEYS)
    project, words = find_project(req.unit.session, req.actor.team_id, req.channel_id,
                                  reference(args, Follows.TITLE))
    title = unescape_slack(" ".join(words))
    if not title.strip():
        raise UserError("routine.save_title_missing", field="title")
    saved = routines.save_from_project(req.unit.session, req.actor, project, title)
    return req.say("routine.saved", title=escape(saved.title), name=saved.name, version=saved.version,
                   key=project.key, steps=len(saved.steps))


def list_tasks(req: Request, rest: str) -> Outcome:
    """`oppgaver P-3`: one line per task, with hours logged of its estimate."""
    args = split_args(rest, PROJECT_KEYS, allow_unknown_keys=True)
    project, _ = find_project(req.unit.session, req.actor.team_id, req.channel_id,
                              reference(args, Follows.NOTHING))
    found = task_db.task_views(req.unit.session, req.actor.team_id, project.id)
    return Outcome(ack={"response_type": "ephemeral", "text": project.key,
                        "blocks": render_tasks(project.key, project.name, found, req.lang)})

