"""A person's week of hours as Block Kit (`bot.domain.my_week.MyWeek`): a line a day with a small bar, the hours
by project, the week's and last week's totals, and a *Før timer* button that opens the `logg` modal. The same
blocks go in App Home (at the top), in `/prosjekt timer uke`'s answer and in the Friday message; at most
`MAX_BLOCKS` blocks, whatever the week holds."""

from __future__ import annotations

import enum

from bot.domain.my_week import DayHours, MyWeek
from bot.domain.workdays import holiday_name
from bot.slack.i18n import fmt_date, fmt_hours, t
from bot.slack.render import Block, bar, button, context, escape, header, section, shorten

MAX_BLOCKS = 6
SHOWN_PROJECTS = 12  # the rest are counted
FULL_DAY = 450  # minutes a full bar stands for (7,5 t), unless a day of the week has more
BAR_WIDTH = 8


class WeekAction(enum.StrEnum):
    """Action ids of the week's buttons."""

    LOG = "week.log"  # opens the `logg` modal


def week_blocks(week: MyWeek, lang: str, *, title: str | None = None, log_button: bool = True) -> list[Block]:
    """The week; `title` replaces the header (*Mine timer*); `log_button`: with *Før timer*."""
    blocks: list[Block] = [
        header(title or t("week.title", lang)),
        context(t("week.span", lang, week=str(week.monday.isocalendar().week),
                  start=fmt_date(week.monday, lang), end=fmt_date(week.sunday, lang))),
        section("\n".join(_day_line(day, week, lang) for day in week.shown_days)),
        section(_projects(week, lang)),
        section(t("week.total", lang, hours=fmt_hours(week.total_minutes, lang),
                  last=fmt_hours(week.last_week_minutes, lang))),
    ]
    if log_button:
        blocks.append({"type": "actions", "block_id": "week", "elements": [
            button(t("week.log", lang), WeekAction.LOG, week.monday.isoformat(), style="primary")]})
    return blocks[:MAX_BLOCKS]


def week_text(week: MyWeek, lang: str) -> str:
    """The week in one line (a message's notification text)."""
    return t("week.text", lang, week=str(week.monday.isocalendar().week), hours=fmt_hours(week.total_minutes, lang),
             last=fmt_hours(week.last_week_minutes, lang))


def _day_line(day: DayHours, week: MyWeek, lang: str) -> str:
    label = f"`{fmt_date(day.day, lang)}`"
    if day.minutes:
        scale = max(FULL_DAY, week.most_minutes_a_day)
        return f"{label} {bar(100 * day.minutes / scale, BAR_WIDTH)} {fmt_hours(day.minutes, lang)}"
    holiday = holiday_name(day.day, lang)
    if holiday:
        return f"{label} — _{escape(holiday)}_"
    if day.day in week.missing_days:
        return f"{label} — _{t('week.no_hours', lang)}_"
    return f"{label} —"


def _projects(week: MyWeek, lang: str) -> str:
    if not week.projects:
        return f"{t('week.projects', lang)}\n{t('week.projects_empty', lang)}"
    lines = [f"• *{p.key}* {escape(shorten(p.name, 60))} – {fmt_hours(p.minutes, lang)}"
             for p in week.projects[:SHOWN_PROJECTS]]
    hidden = len(week.projects) - SHOWN_PROJECTS
    if hidden > 0:
        lines.append(f"_{t('week.more_projects', lang, count=hidden)}_")
    return "\n".join([t("week.projects", lang), *lines])
