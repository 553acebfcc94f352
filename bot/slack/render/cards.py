"""The project card, the project list, the history and the help text."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.domain.health import Health
from bot.domain.log_edits import read_history
from bot.domain.money import cost_nok
from bot.domain.readmodels import HistoryLine, ProjectView, Snapshot
from bot.slack.i18n import fmt_date, fmt_hours, fmt_nok, fmt_number, t
from bot.slack.render import Block, bar, button, context, divider, escape, header, section, sections, shorten, user
from bot.slack.render.log_edits import history_text

HEALTH_EMOJI = {"green": "🟢", "yellow": "🟡", "red": "🔴"}


class CardAction(enum.StrEnum):
    """Action ids of the card's buttons (one place, used by rendering and by the handlers)."""

    LOG = "card.log"
    TASK = "card.task"
    FRAME = "card.frame"
    DELIVER = "card.deliver"


def health_line(health: Health, lang: str) -> str:
    level = t(f"health.level.{health.level}", lang)
    return f"{HEALTH_EMOJI[health.level]} *{level}* – {escape(t(health.reason, lang, **health.params))}"


def _pct(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    return fmt_number(round(value), lang, 0) + ("\u00a0%" if lang == "nb" else "%")


def _frame_lines(snap: Snapshot, lang: str) -> list[str]:
    p, f = snap.project, snap.figures
    lines: list[str] = []
    if p.frame_minutes and p.kind == "lopende" and p.rollover:
        # *Denne måneden: 12 t av 20 t + 3 t overført*: the % against the month's frame and what was carried
        carried = t("card.carried_in" if snap.carried_minutes >= 0 else "card.carried_out", lang,
                    hours=fmt_hours(abs(snap.carried_minutes), lang))
        lines.append(t("card.hours_rollover", lang, used=fmt_hours(snap.logged_minutes, lang),
                       frame=fmt_hours(p.frame_minutes, lang), carried=carried, pct=_pct(f.hours_used_pct, lang),
                       bar=bar(f.hours_used_pct)))
    elif p.frame_minutes:
        key = "card.hours_month" if p.kind == "lopende" else "card.hours"
        lines.append(
            t(key, lang, used=fmt_hours(snap.logged_minutes, lang), frame=fmt_hours(p.frame_minutes, lang),
              pct=_pct(f.hours_used_pct, lang), bar=bar(f.hours_used_pct))
        )
        if f.minutes_left is not None and f.minutes_left >= 0:
            lines[-1] += " · " + t("card.hours_left", lang, left=fmt_hours(f.minutes_left, lang))
    else:
        lines.append(t("card.hours_no_frame", lang, used=fmt_hours(snap.logged_minutes, lang)))
    if p.deadline is not None:
        lines.append(t("card.deadline", lang, start=fmt_date(p.start, lang), deadline=fmt_date(p.deadline, lang),
                       pct=_pct(f.time_used_pct, lang)))
    else:
        lines.append(t("card.started", lang, start=fmt_date(p.start, lang)))
    lines.append(t("card.progress", lang, pct=_pct(f.progress_pct, lang), bar=bar(f.progress_pct)))
    if f.forecast_minutes is not None and p.frame_minutes:
        lines.append(t("card.forecast", lang, hours=fmt_hours(f.forecast_minutes, lang),
                       finish=fmt_date(f.forecast_finish, lang) if f.forecast_finish else "–"))
    cost = cost_line(snap, lang)
    if cost:
        lines.append(cost)
    return lines


def cost_line(snap: Snapshot, lang: str) -> str | None:
    """Cost used against the cost frame (this month's for løpende), with a bar like the hours; without a rate
    anywhere it says so instead of 0 kr; without a cost frame, the cost alone (when there is any)."""
    p, pct = snap.project, snap.figures.cost_used_pct
    cost = fmt_nok(cost_nok(snap.cost_kr_minutes), lang)
    if p.budget_nok:
        budget = fmt_nok(p.budget_nok, lang)
        if not snap.rate_known:
            return t("card.cost_no_rate", lang, budget=budget, key=p.key)
        return t("card.cost_month" if p.kind == "lopende" else "card.cost", lang, cost=cost, budget=budget,
                 pct=_pct(pct, lang), bar=bar(pct))
    return t("card.cost_no_frame", lang, cost=cost) if snap.cost_kr_minutes else None


def _goal_line(goal_title: str, target: float | None, current: float | None, lang: str) -> str:
    line = f"• {escape(shorten(goal_title, 120))}"
    if target is not None:
        now = fmt_number(current or 0, lang)
        pct = f" ({_pct((current or 0) / target * 100, lang)})" if target else ""
        line += f": {now} / {fmt_number(target, lang)}{pct}"
    elif current is not None:
        line += f": {fmt_number(current, lang)}"
    return line


def render_project_card(snap: Snapshot, lang: str) -> list[Block]:
    """The card: frames with used/left, progress, health and why, goals, next deadlines, last logs, buttons."""
    p = snap.project
    pid = str(p.id)
    kind = t(f"kind.{p.kind}", lang)
    about = t("card.about", lang, customer=escape(p.customer), pm=user(p.pm_user_id), kind=kind)
    if p.state != "active":
        about += " · *" + t(f"state.{p.state}", lang) + "*"
    if snap.routine:
        about += "\n" + t("card.routine", lang, routine=escape(snap.routine), done=snap.tasks_done,
                          total=snap.tasks_done + len(snap.open_tasks))
    blocks: list[Block] = [
        header(f"{p.key} · {p.name}"),
        section(about + "\n" + health_line(snap.health, lang)),
        section("\n".join(_frame_lines(snap, lang))),
    ]
    if snap.goals:
        lines = [_goal_line(g.title, g.target_value, g.current_value, lang) for g in snap.goals[:10]]
        blocks.append(section(f"*{t('card.goals', lang)}*\n" + "\n".join(lines)))
    upcoming = [task for task in snap.open_tasks if task.deadline is not None][: 3 if snap.routine else 5]
    if upcoming or snap.open_tasks:
        lines = [
            f"• {fmt_date(task.deadline, lang)} – {escape(shorten(task.title, 100))} ({user(task.owner_user_id)})"
            for task in upcoming
            if task.deadline is not None
        ]
        undated = len(snap.open_tasks) - len(upcoming)
        if undated > 0:
            lines.append(t("card.more_tasks", lang, count=undated))
        blocks.append(section(f"*{t('card.next_deadlines', lang)}*\n" + "\n".join(lines)))
    if snap.over_estimate:
        over = ", ".join(
            f"«{escape(shorten(task.title, 60))}» {fmt_hours(task.logged_minutes, lang)} / "
            f"{fmt_hours(task.estimate_minutes or 0, lang)}" for task in snap.over_estimate[:5])
        blocks.append(context("⚠️ " + t("card.over_estimate", lang, tasks=over)))
    if snap.latest_logs:
        lines = [
            f"{user(log.user_id)} {fmt_hours(log.minutes, lang)} · {fmt_date(log.logged_on, lang)}"
            + (f" – {escape(shorten(log.description, 140))}" if log.description else "")
            for log in snap.latest_logs
        ]
        blocks.append(context("\n".join(lines)))
    buttons = [
        button(t("button.log", lang), CardAction.LOG, pid, style="primary"),
        button(t("button.task", lang), CardAction.TASK, pid),
        button(t("button.frame", lang), CardAction.FRAME, pid),
    ]
    if p.state != "delivered":
        buttons.append(button(t("button.deliver", lang), CardAction.DELIVER, pid))
    blocks.append({"type": "actions", "block_id": f"card:{pid}", "elements": buttons})
    return blocks


def card_text(snap: Snapshot, lang: str) -> str:
    """Notification text for the card (plain, escaped)."""
    return escape(f"{snap.project.key} {snap.project.name}: ") + t(snap.health.reason, lang, **snap.health.params)


def render_project_list(rows: Sequence[tuple[ProjectView, Health]], title: str, lang: str) -> list[Block]:
    if not rows:
        return [section(f"*{title}*\n" + t("list.empty", lang))]
    blocks: list[Block] = [section(f"*{title}*")]
    lines = []
    for project, health in rows:
        deadline = fmt_date(project.deadline, lang) if project.deadline else "–"
        lines.append(
            f"{HEALTH_EMOJI[health.level]} *{project.key}* {escape(shorten(project.name, 80))} · "
            f"{escape(shorten(project.customer, 60))} · {user(project.pm_user_id)} · {deadline}"
            + ("" if project.state == "active" else f" · _{t('state.' + project.state, lang)}_")
        )
    # Several sections so that a long list stays within Block Kit's 3,000 characters per section.
    blocks += sections(lines)
    return blocks[:50]


def _history_value(field: str | None, value: str | None, lang: str) -> str:
    if value is None:
        return "–"
    if field in ("frame_minutes",):
        return fmt_hours(int(value), lang)
    if field in ("budget_nok", "rate_nok"):
        return fmt_nok(int(value), lang)
    if field == "rollover":
        return t(f"rollover.{value}", lang)
    if field == "rollover_cap_pct":
        return f"{value}\u00a0%"  # (a whole percent)
    if field == "person_rate":
        person, _, rate = value.partition("=")
        return f"{user(person)} {fmt_nok(int(rate), lang)}"
    if field in ("start", "deadline"):
        return fmt_date(dt.date.fromisoformat(value), lang, year=True)
    if field == "state":
        return t(f"state.{value}", lang)
    if field == "member":
        return user(value)
    return escape(shorten(value, 100))


def render_history(project: ProjectView, entries: Sequence[HistoryLine], lang: str, tz: str) -> list[Block]:
    zone = ZoneInfo(tz)
    lines = []
    for entry in entries:
        local = entry.at.astimezone(zone)
        when = f"{fmt_date(local.date(), lang)} {local:%H:%M}"
        about_log = read_history(entry.old_value, entry.new_value) if entry.field == "log" else None
        if about_log is not None:  # a log corrected or deleted (`timer`): its fields, old → new
            lines.append(f"{when} · {user(entry.user_id)} {history_text(entry.action, about_log, lang)}")
            continue
        what = t(
            f"history.{entry.action}", lang, field=t(f"field.{entry.field}", lang) if entry.field else "",
            old=_history_value(entry.field, entry.old_value, lang),
            new=_history_value(entry.field if entry.action != "member_added" else "member", entry.new_value, lang),
        )
        lines.append(f"{when} · {user(entry.user_id)} {what}")
    title = t("history.title", lang, key=project.key, name=escape(project.name))
    body = "\n".join(lines) if lines else t("history.empty", lang)
    return [section(f"*{title}*"), section(body)]


def render_help(lang: str) -> list[Block]:
    return [header(t("help.title", lang)), section(t("help.body", lang)), divider(), context(t("help.footer", lang))]
