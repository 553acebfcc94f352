"""The weekly summary and the portfolio as Slack messages, and the portfolio chart. Pure: domain objects in,
message payloads (or PNG bytes) out.

A summary is a list of messages: the first is posted in the channel, the rest as replies in its thread. Each
stays inside Block Kit's limits (at most 50 blocks, 3,000 characters per section): content is split between
whole projects (or whole lines) into more messages, never cut mid-word. Beyond `max_messages` (10 by default:
a longer thread is read by nobody; an ephemeral answer can carry 6) what does not fit is condensed into one
"…and N more projects" line; the order (red first) leaves out the green ones first.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.domain.money import cost_nok
from bot.domain.summary import ChannelSummary, Due, OverEstimate, Portfolio, ProjectSummary, Week
from bot.slack.i18n import fmt_date, fmt_hours, fmt_nok, t
from bot.slack.render import Block, bar, context, escape, header, section, shorten, user
from bot.slack.render.cards import HEALTH_EMOJI, _goal_line, _pct, health_line

Message = dict[str, Any]

MESSAGE_BLOCKS = 45  # under Slack's 50, with room for a "(2/3)" line on replies and a "…and N more" line
MESSAGE_CHARS = 12_000  # beyond this a message is hard to read: the rest goes on in the thread
SECTION_CHARS = 2_900  # lines are packed into sections below Slack's 3,000
LIST_ITEMS = 4  # deadlines, overdue items and goals shown per project
PEOPLE = 6  # people shown per project
PORTFOLIO_TOP = 8  # frames at risk and deadlines listed at the top of the portfolio
CHART_PROJECTS = 25  # bars in the chart: the projects most at risk
THREAD_MESSAGES = 10  # at most this many messages a summary (the post and its thread); the rest is counted


@dataclass(frozen=True)
class _Unit:
    block: Block
    projects: int  # how many projects the block shows (for the "…and N more" line when condensed)


# -- channel summary ----------------------------------------------------------------------------------------
def channel_summary_messages(summary: ChannelSummary, lang: str, *,
                             max_messages: int | None = THREAD_MESSAGES) -> list[Message]:
    """The channel's weekly summary: totals at the top, a section per project with news (red first), one
    compact line per project with nothing new this week."""
    week, totals = summary.week, summary.totals
    title = t("summary.title", lang, week=week.number)
    if not summary.projects:
        empty = t("summary.empty", lang, channel=summary.channel_id)
        return [{"text": title, "blocks": [header(title), section(empty)]}]
    head = [header(title), section(
        t("summary.totals", lang, projects=counted("summary.projects", totals.projects, lang),
          channel=summary.channel_id, red=totals.red,
          yellow=totals.yellow, green=totals.green) + "\n"
        + t("summary.totals_week", lang, week=week.number, hours=fmt_hours(totals.week_minutes, lang),
            upcoming=totals.upcoming, overdue=totals.overdue))]
    units = [_Unit(section(project_text(p, week, lang)), 1) for p in summary.projects if p.news]
    quiet = [p for p in summary.projects if not p.news]
    if quiet:
        units += _line_units(t("summary.quiet_title", lang, week=week.number, count=len(quiet)),
                             [_quiet_line(p, lang) for p in quiet])
    text = t("summary.text", lang, week=week.number, projects=counted("summary.projects", totals.projects, lang),
             hours=fmt_hours(totals.week_minutes, lang))
    return _pack(head, units, text, lambda part, parts: t("summary.part", lang, week=week.number, part=part,
                                                           parts=parts),
                 lambda count: counted("summary.more_projects", count, lang), max_messages)


def project_text(p: ProjectSummary, week: Week, lang: str) -> str:
    """One project in the summary: who and what, health and why, hours as a bar, the week, deadlines, goals."""
    lines = [
        f"*{p.key}* {escape(shorten(p.name, 80))} · {escape(shorten(p.customer, 60))} · {user(p.pm_user_id)}",
        health_line(p.health, lang),
        _hours(p, lang) + " · " + t("summary.progress", lang, pct=_pct(p.figures.progress_pct, lang)),
    ]
    if p.budget_nok:
        lines.append(_cost(p, lang))
    if p.week_by_person:
        people = [f"{user(u)} {fmt_hours(m, lang)}" for u, m in p.week_by_person[:PEOPLE]]
        lines.append(t("summary.week", lang, week=week.number, hours=fmt_hours(p.week_minutes, lang),
                       people=", ".join(people) + _more(len(p.week_by_person) - PEOPLE, lang)))
    else:
        lines.append(t("summary.week_none", lang, week=week.number))
    if p.upcoming:
        lines.append(t("summary.upcoming", lang, items=_dues(p.upcoming, lang)))
    if p.overdue:
        lines.append(t("summary.overdue", lang, items=_dues(p.overdue, lang)))
    if p.over_estimate:
        items = "; ".join(_over(o, lang) for o in p.over_estimate[:LIST_ITEMS])
        lines.append(t("summary.over_estimate", lang, items=items + _more(len(p.over_estimate) - LIST_ITEMS, lang)))
    if p.goals:
        lines.append(t("summary.goals", lang))
        lines += [_goal_line(g.title, g.target, g.current, lang) for g in p.goals[:LIST_ITEMS]]
        lines[-1] += _more_line(len(p.goals) - LIST_ITEMS, lang)
    return "\n".join(lines)


def _hours(p: ProjectSummary, lang: str) -> str:
    if not p.frame_minutes:
        return t("summary.hours_no_frame", lang, used=fmt_hours(p.logged_minutes, lang))
    pct = p.figures.hours_used_pct
    return t("summary.hours_month" if p.kind == "lopende" else "summary.hours", lang, bar=bar(pct),
             pct=_pct(pct, lang), used=fmt_hours(p.logged_minutes, lang), frame=fmt_hours(p.frame_minutes, lang))


def _cost(p: ProjectSummary, lang: str) -> str:
    """Cost used of the cost frame (shown where a cost frame exists)."""
    pct = p.figures.cost_used_pct
    return t("summary.cost_month" if p.kind == "lopende" else "summary.cost", lang, bar=bar(pct), pct=_pct(pct, lang),
             cost=fmt_nok(cost_nok(p.cost_kr_minutes), lang), budget=fmt_nok(p.budget_nok or 0, lang))


def _due(due: Due, lang: str) -> str:
    if due.task is None:
        return f"{fmt_date(due.day, lang)} {t('summary.project_deadline', lang)}"
    return f"{fmt_date(due.day, lang)} «{escape(shorten(due.task, 60))}» ({user(due.owner)})"


def _over(over: OverEstimate, lang: str) -> str:
    """As on the card: «title» logged / estimated, and whose step it is."""
    return (f"«{escape(shorten(over.title, 60))}» {fmt_hours(over.logged_minutes, lang)} / "
            f"{fmt_hours(over.estimate_minutes, lang)} ({user(over.owner)})")


def _dues(dues: Sequence[Due], lang: str) -> str:
    return "; ".join(_due(d, lang) for d in dues[:LIST_ITEMS]) + _more(len(dues) - LIST_ITEMS, lang)


def counted(key: str, count: int, lang: str) -> str:
    """`key` with `count`, in its singular form (`key_one`) for 1."""
    return t(f"{key}_one" if count == 1 else key, lang, count=count)


def _more(count: int, lang: str) -> str:
    return " " + t("summary.more", lang, count=count) if count > 0 else ""


def _more_line(count: int, lang: str) -> str:
    return "\n" + t("summary.more", lang, count=count) if count > 0 else ""


def _quiet_line(p: ProjectSummary, lang: str) -> str:
    line = t("summary.quiet_line", lang, emoji=HEALTH_EMOJI[p.health.level], key=p.key,
             name=escape(shorten(p.name, 80)), reason=escape(t(p.health.reason, lang, **p.health.params)),
             hours=_hours(p, lang), progress=t("summary.progress", lang, pct=_pct(p.figures.progress_pct, lang)))
    if p.over_estimate:  # a quiet week does not hide a step that has used more than its estimate
        line += " · " + counted("summary.over_estimate_count", len(p.over_estimate), lang)
    return line


# -- portfolio ----------------------------------------------------------------------------------------------
def portfolio_messages(portfolio: Portfolio, lang: str, *,
                       max_messages: int | None = THREAD_MESSAGES) -> list[Message]:
    """The agency's portfolio: totals, frames at risk, deadlines of the next 7 days and hours by person at the
    top; then every active project, one line each, grouped by health (red first)."""
    week, totals = portfolio.week, portfolio.totals
    title = t("portfolio.title", lang, week=week.number)
    if not totals.projects:
        return [{"text": title, "blocks": [header(title), section(t("portfolio.empty", lang))]}]
    head: list[Block] = [header(title), section(
        t("portfolio.totals", lang, projects=counted("summary.projects", totals.projects, lang),
          channels=counted("portfolio.channels", portfolio.channels, lang), red=totals.red,
          yellow=totals.yellow, green=totals.green) + "\n"
        + t("portfolio.totals_week", lang, week=week.number, hours=fmt_hours(totals.week_minutes, lang),
            people=counted("portfolio.people_count", totals.people, lang), at_risk=totals.at_risk,
            upcoming=totals.upcoming))]
    if portfolio.at_risk:
        lines = [_risk_line(p, lang) for p in portfolio.at_risk[:PORTFOLIO_TOP]]
        head.append(section(f"*{t('portfolio.at_risk', lang)}*\n" + "\n".join(lines)
                            + _more_line(len(portfolio.at_risk) - PORTFOLIO_TOP, lang)))
    if portfolio.deadlines:
        lines = [f"{_due(d, lang)} · *{p.key}* {escape(shorten(p.name, 60))}"
                 for p, d in portfolio.deadlines[:PORTFOLIO_TOP]]
        head.append(section(f"*{t('portfolio.deadlines', lang)}*\n" + "\n".join(lines)
                            + _more_line(len(portfolio.deadlines) - PORTFOLIO_TOP, lang)))
    if portfolio.week_by_person:
        people = [f"{user(u)} {fmt_hours(m, lang)}" for u, m in portfolio.week_by_person[:15]]
        head.append(context(t("portfolio.people", lang, week=week.number) + ": " + ", ".join(people)
                            + _more(len(portfolio.week_by_person) - 15, lang)))
    units: list[_Unit] = []
    for level, found in portfolio.groups.items():
        if found:
            heading = t("portfolio.group", lang, emoji=HEALTH_EMOJI[level], level=t(f"health.level.{level}", lang),
                        count=len(found))
            units += _line_units(heading, [_portfolio_line(p, week, lang) for p in found])
    text = t("portfolio.text", lang, week=week.number, projects=counted("summary.projects", totals.projects, lang),
             red=totals.red,
             yellow=totals.yellow)
    return _pack(head, units, text, lambda part, parts: t("portfolio.part", lang, week=week.number, part=part,
                                                           parts=parts),
                 lambda count: counted("summary.more_projects", count, lang), max_messages)


def _risk_line(p: ProjectSummary, lang: str) -> str:
    line = f"*{p.key}* {escape(shorten(p.name, 60))} · {_hours(p, lang)}"
    if p.budget_nok:
        line += " · " + _cost(p, lang)
    if p.health.reason == "health.forecast_over":  # the other reasons only repeat the hours
        line += " · " + escape(t(p.health.reason, lang, **p.health.params))
    return line


def _portfolio_line(p: ProjectSummary, week: Week, lang: str) -> str:
    pct = f"`{bar(p.figures.hours_used_pct)}` {_pct(p.figures.hours_used_pct, lang)}" if p.frame_minutes else "–"
    if p.budget_nok:  # the cost used of the cost frame, after the hours'
        pct += f" · {fmt_nok(cost_nok(p.cost_kr_minutes), lang)} ({_pct(p.figures.cost_used_pct, lang)})"
    return (f"{HEALTH_EMOJI[p.health.level]} *{p.key}* {escape(shorten(p.name, 60))} · "
            f"{escape(shorten(p.customer, 40))} · <#{p.channel_id}> · "
            f"{escape(t(p.health.reason, lang, **p.health.params))} · {pct} · "
            f"{t('summary.week_short', lang, week=week.number, hours=fmt_hours(p.week_minutes, lang))}")


# -- packing into messages ----------------------------------------------------------------------------------
def _line_units(title: str, lines: Sequence[str]) -> list[_Unit]:
    """Lines packed into sections below 3,000 characters, whole lines only; the title opens the first."""
    units: list[_Unit] = []
    chunk: list[str] = [title]
    size, count = len(title), 0
    for line in lines:
        if size + 1 + len(line) > SECTION_CHARS and count:
            units.append(_Unit(section("\n".join(chunk)), count))
            chunk, size, count = [], -1, 0
        chunk.append(line)
        size += 1 + len(line)
        count += 1
    units.append(_Unit(section("\n".join(chunk)), count))
    return units


def _chars(block: Block) -> int:
    text = block.get("text") or {}
    return len(text.get("text", "")) if isinstance(text, dict) else 0


def _pack(head: list[Block], units: Sequence[_Unit], text: str, part_text: Callable[[int, int], str],
          more: Callable[[int], str], max_messages: int | None) -> list[Message]:
    pages: list[list[Block]] = []
    page, size = list(head), sum(_chars(b) for b in head)
    for i, unit in enumerate(units):
        if len(page) + 1 > MESSAGE_BLOCKS - 1 or size + _chars(unit.block) > MESSAGE_CHARS:
            if max_messages is not None and len(pages) + 1 >= max_messages:
                page.append(context(more(sum(u.projects for u in units[i:]))))
                break
            pages.append(page)
            page, size = [], 0
        page.append(unit.block)
        size += _chars(unit.block)
    pages.append(page)
    messages: list[Message] = [{"text": text, "blocks": pages[0]}]
    for number, blocks in enumerate(pages[1:], start=2):
        part = part_text(number, len(pages))
        messages.append({"text": part, "blocks": [context(part), *blocks]})
    return messages


# -- chart --------------------------------------------------------------------------------------------------
def chart_png(portfolio: Portfolio, lang: str = "nb", *, top: int = CHART_PROJECTS) -> bytes:
    """Hours used as a share of the frame for the projects most at risk (most used first), with the 80 % and
    100 % lines, as a PNG. Shares, not hours, so a 10-hour and a 500-hour frame compare at a glance.

    Bounded whatever the portfolio's size: at most `top` bars. Rendered with matplotlib's Agg backend through
    a bare Figure (no pyplot: no global state, safe in threads, no screen)."""
    from matplotlib.figure import Figure  # imported here: matplotlib takes a while to load, only charts need it

    framed = [p for found in portfolio.groups.values() for p in found if p.frame_minutes]
    framed.sort(key=lambda p: (-(p.figures.hours_used_pct or 0), p.number))
    shown = framed[:top][::-1]  # barh draws bottom-up: the most used on top
    fig = Figure(figsize=(9, 1.6 + 0.32 * max(1, len(shown))), dpi=100, layout="constrained")
    ax = fig.subplots()
    used = [p.figures.hours_used_pct or 0.0 for p in shown]
    colours = {"red": "#d93f3f", "yellow": "#e8b200", "green": "#2e9b4f"}
    ax.barh([f"{p.key} {shorten(p.name, 32)}" for p in shown], [min(u, 150.0) for u in used],
            color=[colours[p.health.level] for p in shown], height=0.6)
    for y, (p, pct) in enumerate(zip(shown, used, strict=True)):
        label = f" {_pct(pct, lang)} ({fmt_hours(p.logged_minutes, lang)} / {fmt_hours(p.frame_minutes or 0, lang)})"
        ax.text(min(pct, 150.0), y, label.replace("\u00a0", " "), va="center", fontsize=8)
    ax.axvline(100, color="#333333", linewidth=1, label=t("chart.frame", lang))
    ax.axvline(80, color="#999999", linewidth=1, linestyle="--")
    ax.set_xlim(0, 190)
    ax.set_xlabel(t("chart.used", lang))
    title = t("chart.title", lang, week=portfolio.week.number)
    if len(framed) > top:
        title += "  " + t("chart.more", lang, count=len(framed) - top)
    ax.set_title(title)
    ax.tick_params(axis="y", labelsize=8)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
