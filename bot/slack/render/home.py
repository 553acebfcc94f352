"""App Home: a person's projects, tasks, overdue items and projects at risk, within Block Kit's limits for a Home
(100 blocks, 3,000 characters a section): long lists are cut with "and N more", never rejected by Slack. At the top,
the person's hours this week (`bot.slack.render.my_week`, at most its MAX_BLOCKS)."""

from __future__ import annotations

import enum
from typing import Any

from bot.domain.health import Health
from bot.domain.readmodels import HomeData, ProjectView, TaskView
from bot.slack.i18n import fmt_date, t
from bot.slack.render import Block, button, context, divider, escape, header, sections, shorten
from bot.slack.render.cards import HEALTH_EMOJI
from bot.slack.render.my_week import week_blocks

MAX_BLOCKS = 100
SHOWN = {"projects": 40, "tasks": 25, "overdue": 25, "at_risk": 25}  # lines per list; the rest is counted


class HomeAction(enum.StrEnum):
    """Action ids of the App Home's buttons."""

    NEW_PROJECT = "home.new_project"


def render_home(data: HomeData, lang: str) -> dict[str, Any]:
    blocks: list[Block] = [*week_blocks(data.week, lang), divider()] if data.week is not None else []
    blocks += [
        header(t("home.title", lang)),
        context(t("home.intro", lang)),
        {"type": "actions", "block_id": "home", "elements": [
            button(t("home.new_project", lang), HomeAction.NEW_PROJECT, "new", style="primary")]},
    ]
    blocks += _list(t("home.projects", lang, count=data.projects_total),
                    [_project_line(p, h, lang) for p, h in data.projects], t("home.projects_empty", lang),
                    SHOWN["projects"], lang, total=data.projects_total)
    blocks += _list(t("home.tasks", lang), [_task_line(task, p, data, lang) for task, p in data.tasks],
                    t("home.tasks_empty", lang), SHOWN["tasks"], lang)
    overdue = [_overdue_line(None, p, data, lang) for p in data.overdue_projects]
    overdue += [_overdue_line(task, p, data, lang) for task, p in data.overdue_tasks]
    blocks += _list(t("home.overdue", lang), overdue, t("home.overdue_empty", lang), SHOWN["overdue"], lang)
    blocks += _list(t("home.at_risk", lang), [_risk_line(p, h, lang) for p, h in data.at_risk],
                    t("home.at_risk_empty", lang), SHOWN["at_risk"], lang)
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS]}


def _list(title: str, lines: list[str], empty: str, shown: int, lang: str, *, total: int | None = None) -> list[Block]:
    if not lines:
        return [divider(), header(title), context(empty)]
    body = lines[:shown]
    hidden = (total if total is not None else len(lines)) - len(body)
    if hidden > 0:
        body.append("_" + t("home.more", lang, count=hidden) + "_")
    return [divider(), header(title), *sections(body)]


def _name(project: ProjectView, limit: int = 60) -> str:
    return f"*{project.key}* {escape(shorten(project.name, limit))}"


def _reason(health: Health, lang: str) -> str:
    return escape(t(health.reason, lang, **health.params))


def _deadline(project: ProjectView, lang: str) -> str:
    return t("home.deadline", lang, deadline=fmt_date(project.deadline, lang)) if project.deadline else ""


def _project_line(project: ProjectView, health: Health, lang: str) -> str:
    parts = [f"{HEALTH_EMOJI[health.level]} {_name(project)}", f"<#{project.channel_id}>"]
    if project.deadline:
        parts.append(_deadline(project, lang))
    if project.state != "active":
        parts.append(f"_{t('state.' + project.state, lang)}_")
    return " · ".join(parts) + f"\n      {_reason(health, lang)}"


def _task_line(task: TaskView, project: ProjectView, data: HomeData, lang: str) -> str:
    assert task.deadline is not None
    when = t("home.today", lang) if task.deadline == data.today else fmt_date(task.deadline, lang)
    return f"• *{when}* – {escape(shorten(task.title, 100))} · {_name(project, 40)}"


def _overdue_line(task: TaskView | None, project: ProjectView, data: HomeData, lang: str) -> str:
    deadline = task.deadline if task is not None else project.deadline
    assert deadline is not None
    days = (data.today - deadline).days
    late = t("health.overdue_one" if days == 1 else "health.overdue", lang, days=days)
    what = f"{escape(shorten(task.title, 100))} · {_name(project, 40)}" if task is not None else _name(project)
    return f"• 🔴 {what} · {t('home.deadline', lang, deadline=fmt_date(deadline, lang))} ({late})"


def _risk_line(project: ProjectView, health: Health, lang: str) -> str:
    return f"{HEALTH_EMOJI[health.level]} {_name(project)} – {_reason(health, lang)}"

