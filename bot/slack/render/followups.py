"""Follow-up messages: what it is about, who owns it, the figures, and what to do (buttons and reactions)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from bot.domain.money import cost_nok
from bot.domain.occasion import Ahead, CostCrossed, HoursCrossed, parse_occasion
from bot.domain.readmodels import FollowupView, Snapshot, TaskView
from bot.domain.retainer import project_month
from bot.slack.i18n import fmt_date, fmt_hours, fmt_nok, fmt_number, t
from bot.slack.render import Block, button, context, escape, section, shorten, user
from bot.slack.render.cards import CardAction


class FollowupAction(StrEnum):
    DONE = "followup.done"
    SNOOZE = "followup.snooze"


SNOOZE_DAYS = (1, 3, 5)  # working days: 1 dag / 3 dager / 1 uke


def _subject(snap: Snapshot, task: TaskView | None) -> str:
    project = f"*{snap.project.key}* {escape(shorten(snap.project.name, 80))}"
    return f"«{escape(shorten(task.title, 120))}» ({project})" if task else project


def render_followup(followup: FollowupView, snap: Snapshot, task: TaskView | None, today: dt.date,
                    lang: str) -> tuple[str, list[Block]]:
    """(notification text, blocks) for a follow-up as it is now; used when sending and when updating it."""
    p, f = snap.project, snap.figures
    owner = task.owner_user_id if task and task.owner_user_id else p.pm_user_id
    deadline = task.deadline if task and task.deadline else p.deadline
    occasion = parse_occasion(followup.rule, followup.occasion)
    params: dict[str, Any] = {
        "subject": _subject(snap, task), "owner": user(owner), "pm": user(p.pm_user_id), "key": p.key,
        "deadline": fmt_date(deadline, lang) if deadline else "–",
        "used": fmt_hours(snap.logged_minutes, lang),
        "frame": fmt_hours(snap.month_frame_minutes or 0, lang) if p.frame_minutes else "–",  # (+ carried)
        "projected": fmt_hours(project_month(snap.logged_minutes, f.period_start, f.period_end, today)
                               .projected_minutes, lang),
        "progress": "–" if f.progress_pct is None else fmt_number(round(f.progress_pct), lang, 0),
        "time": "–" if f.time_used_pct is None else fmt_number(round(f.time_used_pct), lang, 0),
        "forecast": fmt_hours(f.forecast_minutes, lang) if f.forecast_minutes else "–",
        "finish": fmt_date(f.forecast_finish, lang) if f.forecast_finish else "–",
        "days": (today - deadline).days if deadline else 0, "quiet": f.days_quiet,
        "threshold": str(occasion.threshold) if isinstance(occasion, HoursCrossed | CostCrossed) else "",
        "cost": fmt_nok(cost_nok(snap.cost_kr_minutes), lang),
        "budget": fmt_nok(p.budget_nok, lang) if p.budget_nok else "–",
        "ahead": str(occasion.days) if isinstance(occasion, Ahead) else "",
    }
    text = t(f"followup.{followup.rule}", lang, **params)
    lines = [text, t(f"followup.{followup.rule}.detail", lang, **params)]
    if followup.resolution:
        lines.append(t(f"followup.resolved.{followup.resolution}", lang, who=user(followup.resolved_by)))
    blocks: list[Block] = [section("\n".join(lines))]
    if followup.resolution in (None, "snoozed", "on_it"):
        pid, fid = str(p.id), str(followup.id)
        options = [{"text": {"type": "plain_text", "text": t(f"followup.snooze.{d}", lang)}, "value": f"{fid}:{d}"}
                   for d in SNOOZE_DAYS]
        blocks.append({"type": "actions", "block_id": f"followup:{fid}", "elements": [
            button(t("followup.button.done", lang), FollowupAction.DONE, fid, style="primary"),
            {"type": "static_select", "action_id": FollowupAction.SNOOZE,
             "placeholder": {"type": "plain_text", "text": t("followup.button.snooze", lang)}, "options": options},
            button(t("followup.button.log", lang), CardAction.LOG, pid),
        ]})
        blocks.append(context(t("followup.react", lang)))
    return text, blocks
