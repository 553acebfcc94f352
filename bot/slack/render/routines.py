"""Routines in Block Kit: the workspace's list, one routine in readable words, a project's tasks. Always within
Slack's limits (a section's text ≤ 3,000 characters, ≤ 50 blocks): long content is shortened, never broken."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.readmodels import TaskView
from bot.domain.routines import Routine, Step
from bot.slack.i18n import fmt_date, fmt_hours, t
from bot.slack.render import Block, context, escape, header, section, sections, shorten, user

MAX_BLOCKS = 50


def _hours(routine: Routine, lang: str) -> str:
    if routine.frame_minutes:
        key = "routines.frame_month" if routine.kind == "lopende" else "routines.frame_total"
        return t(key, lang, hours=fmt_hours(routine.frame_minutes, lang))
    return t("routines.frame_steps", lang, hours=fmt_hours(sum(step.minutes for step in routine.steps), lang))


def render_routine_list(listed: Sequence[tuple[Routine, bool]], lang: str) -> list[Block]:
    """One line per routine: name, title, kind, steps, hours, version, built-in or own."""
    lines = []
    for routine, builtin in listed:
        lines.append(t(
            "routines.line", lang, name=routine.name, title=escape(shorten(routine.title, 80)),
            kind=t(f"routines.kind.{routine.kind}", lang), steps=len(routine.steps), hours=_hours(routine, lang),
            version=routine.version, origin=t("routines.builtin" if builtin else "routines.own", lang),
        ))
    body = sections(lines)[: MAX_BLOCKS - 2]
    return [header(t("routines.title", lang)), *body, context(t("routines.hint", lang))]


def describe_step(routine: Routine, step: Step, lang: str) -> str:
    """`• *Teknisk SEO-revisjon* · 5 arbeidsdager etter start · SEO-rådgiver · 8 t · når «…» er nei`."""
    key, params = step.date.describe()
    parts = [f"*{escape(shorten(step.title, 120))}*", t(key, lang, **params),
             escape(routine.roles.get(step.role, step.role)), fmt_hours(step.minutes, lang)]
    if step.condition is not None:
        question = routine.question(step.condition.question)
        ckey, cparams = step.condition.describe()
        cparams["question"] = escape(shorten(question.text, 80)) if question else cparams["question"]
        cparams["value"] = t(f"routine.answer.{cparams['value']}", lang) if cparams["value"] in ("ja", "nei") \
            else escape(cparams["value"])
        parts.append(t(ckey, lang, **cparams))
    return "• " + " · ".join(parts)


def render_routine(routine: Routine, builtin: bool, lang: str) -> list[Block]:
    """Its questions, roles and steps, in words."""
    origin = t("routines.builtin" if builtin else "routines.own", lang)
    blocks: list[Block] = [
        header(f"{shorten(routine.title, 120)} v{routine.version}"),
        context(t("routines.show_meta", lang, name=routine.name, kind=t(f"routines.kind.{routine.kind}", lang),
                  steps=len(routine.steps), hours=_hours(routine, lang), origin=origin)),
    ]
    if routine.description:
        blocks.append(section(escape(shorten(routine.description, 600))))
    roles = ", ".join(f"{escape(label)} (`{key}`)" for key, label in routine.roles.items())
    blocks.append(section(f"*{t('routines.roles', lang)}*\n{roles}"))
    if routine.questions:
        questions = [t("routines.question", lang, key=q.key, text=escape(shorten(q.text, 200)),
                       answers=" / ".join(escape(a) for a in q.answers), default=escape(q.default))
                     for q in routine.questions]
        blocks += sections([f"*{t('routines.questions', lang)}*", *questions])
    steps = sections([f"*{t('routines.steps', lang)}*", *(describe_step(routine, s, lang) for s in routine.steps)])
    room = MAX_BLOCKS - len(blocks) - 1
    if len(steps) > room:
        steps = [*steps[: room - 1], context(t("routines.more_steps", lang, name=routine.name))]
    return [*blocks, *steps, context(t("routines.use_hint", lang, name=routine.name))]


def task_line(task: TaskView, lang: str) -> str:
    """`✓ «Teknisk revisjon» · fre. 15. jan. · @ola · 2 t av 6 t`."""
    when = fmt_date(task.deadline, lang) if task.deadline else "–"
    hours = fmt_hours(task.logged_minutes, lang)
    if task.estimate_minutes:
        hours = t("tasks.of_estimate", lang, logged=hours, estimate=fmt_hours(task.estimate_minutes, lang))
    over = " ⚠️" if task.over_estimate else ""
    done = "✓ " if task.done else ""
    return f"{done}«{escape(shorten(task.title, 150))}» · {when} · {user(task.owner_user_id)} · {hours}{over}"


def render_tasks(key: str, name: str, tasks: Sequence[TaskView], lang: str) -> list[Block]:
    title = t("tasks.title", lang, key=key, name=escape(shorten(name, 100)))
    if not tasks:
        return [section(f"*{title}*\n{t('tasks.none', lang, key=key)}")]
    body = sections([task_line(task, lang) for task in tasks])
    if len(body) > MAX_BLOCKS - 1:
        body = [*body[: MAX_BLOCKS - 2], context(t("tasks.more", lang))]
    return [section(f"*{title}*"), *body]
