"""The month-end report (docs/product.md §10): Block Kit for Slack, and the customer's version as plain text that
pastes cleanly into an e-mail. Within Slack's limits: long text shortened at a word, never cut mid-line or
mid-block; every user text escaped."""

from __future__ import annotations

from bot.domain.month_report import MonthReport, TaskHours
from bot.domain.months import occasion
from bot.slack.i18n import fmt_date, fmt_hours, fmt_month, fmt_nok, fmt_number, t
from bot.slack.render import Block, button, context, escape, header, section, sections, shorten, user
from bot.slack.render.cards import health_line

REPORT_APPROVE = "report.approve"
MAX_BLOCKS = 50
LOG_TEXT = 200  # characters of one log's text in the report
LOGS_PER_TASK = 25


def report_title(report: MonthReport, lang: str, *, plain_text: bool = False) -> str:
    """The report's title: for a message's text (mrkdwn, escaped), or for a header (`plain_text`: as it is)."""
    p = report.project
    name = shorten(p.name, 80)
    return t("report.title", lang, month=fmt_month(report.month, lang), key=p.key,
             name=name if plain_text else escape(name))


def _hours(report: MonthReport, lang: str) -> str:
    used = t("report.hours", lang, total=fmt_hours(report.total, lang), billable=fmt_hours(report.billable, lang),
             internal=fmt_hours(report.internal, lang))
    return used if not report.customer else t("report.hours_customer", lang, total=fmt_hours(report.billable, lang))


def _frame(report: MonthReport, lang: str) -> str | None:
    if not report.frame_minutes:
        return None
    frame = report.frame_minutes + (report.rollover_minutes or 0)
    pct = _pct(report.frame_used, frame, lang) if frame > 0 else "–"
    key = "report.frame_month" if report.project.kind == "lopende" else "report.frame_total"
    line = t(key, lang, used=fmt_hours(report.frame_used, lang), frame=fmt_hours(report.frame_minutes, lang), pct=pct)
    if report.rollover_minutes:
        key = "report.rollover" if report.rollover_minutes > 0 else "report.rollover_out"
        line += " " + t(key, lang, hours=fmt_hours(abs(report.rollover_minutes), lang))
    return line


def _pct(part: int, whole: int, lang: str) -> str:
    return fmt_number(int(100 * part / whole + 0.5), lang, 0)  # half up: 32,5 % is 33 %


def _cost(report: MonthReport, lang: str) -> str | None:
    if report.cost_kr is None or (report.customer and not report.with_rates):
        return None
    if not report.budget_nok:
        return t("report.cost", lang, cost=fmt_nok(report.cost_kr, lang))
    pct = _pct(report.cost_kr, report.budget_nok, lang)
    return t("report.cost_frame", lang, cost=fmt_nok(report.cost_kr, lang), budget=fmt_nok(report.budget_nok, lang),
             pct=pct)


def _split(billable: int, internal: int, lang: str) -> str:
    return fmt_hours(billable + internal, lang) + (
        " " + t("report.internal_part", lang, hours=fmt_hours(internal, lang)) if internal else "")


def _task_name(task: TaskHours, lang: str) -> str:
    return shorten(task.title, 120) if task.title is not None else t("report.no_task", lang)


def report_blocks(report: MonthReport, lang: str, *, approvable: bool) -> list[Block]:
    """The report in the channel (or to one person): hours, frame, cost, people, tasks, what was done, goals,
    health, approval."""
    p = report.project
    blocks: list[Block] = [header(report_title(report, lang, plain_text=True))]
    about = [t("report.about", lang, customer=escape(shorten(p.customer, 80)), pm=user(p.pm_user_id)),
             _hours(report, lang), _frame(report, lang), _cost(report, lang)]
    blocks.append(section("\n".join(line for line in about if line)))
    if report.people:
        blocks.append(section(f"*{t('report.by_person', lang)}*\n" + "\n".join(
            f"• {user(x.user_id)}: {_split(x.billable, x.internal, lang)}" for x in report.people[:40])))
    if report.tasks:
        blocks.append(section(f"*{t('report.by_task', lang)}*\n" + "\n".join(
            f"• {escape(_task_name(x, lang))}: {_split(x.billable, x.internal, lang)}" for x in report.tasks[:40])))
    tail: list[Block] = []
    if report.goals:
        tail.append(section(f"*{t('report.goals', lang)}*\n" + "\n".join(
            _goal(g.title, g.target_value, g.current_value, lang) for g in report.goals[:15])))
    if report.health is not None:
        tail.append(section(health_line(report.health, lang)))
    if report.approval is not None:
        tail.append(context(t("report.approved_by", lang, by=report.approval.by,
                              at=fmt_date(report.approval.at.date(), lang, year=True))))
    elif approvable:
        tail.append({"type": "actions", "elements": [
            button(t("report.approve", lang), REPORT_APPROVE, f"{p.id}:{occasion(report.month)}", style="primary")]})
    done = _done_lines(report, lang)
    if done:
        room = MAX_BLOCKS - len(blocks) - len(tail) - 1
        parts = sections([f"*{t('report.done', lang)}*", *done])
        if len(parts) > room:
            parts = [*parts[:room - 1], context(t("report.more", lang))]
        blocks += parts
    return blocks + tail


def _done_lines(report: MonthReport, lang: str) -> list[str]:
    lines: list[str] = []
    for task in report.tasks:
        if not task.logs:
            continue
        lines.append(f"_{escape(_task_name(task, lang))}_")
        for log in task.logs[:LOGS_PER_TASK]:
            mark = "" if log.billable else " " + t("report.internal_mark", lang)
            lines.append(f"• {fmt_date(log.day, lang)} · {user(log.user_id)} · {fmt_hours(log.minutes, lang)}{mark}"
                         f" – {escape(shorten(log.text, LOG_TEXT))}")
        if len(task.logs) > LOGS_PER_TASK:
            lines.append(t("report.more_logs", lang, n=len(task.logs) - LOGS_PER_TASK))
    return lines


def _goal(title: str, target: float | None, current: float | None, lang: str) -> str:
    value = fmt_number(current, lang) if current is not None else "–"
    if target is not None:
        value = t("report.goal_of", lang, current=value, target=fmt_number(target, lang))
    return f"• {escape(shorten(title, 120))}: {value}"


def customer_text(report: MonthReport, lang: str) -> str:
    """The customer's version as one plain-text message: no blocks, no formatting marks, to copy into an e-mail.
    (Only what Slack needs escaped is: &, < and >; people are mentions, which Slack shows and copies as names.)"""
    p = report.project
    lines = [report_title(report, lang), t("report.customer_of", lang, customer=escape(p.customer)), "",
             _hours(report, lang)]
    lines += [line for line in (_frame(report, lang), _cost(report, lang)) if line]
    if report.people:
        lines += ["", t("report.by_person", lang) + ":"]
        for x in report.people:
            amount = ""
            if report.with_rates and x.amount_kr:
                rate = t("report.per_hour", lang, rate=fmt_nok(x.rates[0], lang)) + " · " if len(x.rates) == 1 else ""
                amount = f" ({rate}{fmt_nok(x.amount_kr, lang)})"
            lines.append(f"- {user(x.user_id)}: {fmt_hours(x.billable, lang)}{amount}")
    if report.tasks:
        lines += ["", t("report.by_task", lang) + ":"]
        lines += [f"- {escape(_task_name(x, lang))}: {fmt_hours(x.billable, lang)}" for x in report.tasks]
    done = [task for task in report.tasks if task.logs]
    if done:
        lines += ["", t("report.done", lang) + ":"]
        for task in done:
            lines.append(escape(_task_name(task, lang)))
            lines += [f"- {fmt_date(x.day, lang)}: {escape(shorten(x.text, LOG_TEXT))}" for x in task.logs]
    if report.goals:
        lines += ["", t("report.goals", lang) + ":"]
        lines += [_goal(g.title, g.target_value, g.current_value, lang).replace("• ", "- ", 1) for g in report.goals]
    return _fit("\n".join(lines), 39_000)


def _fit(text: str, limit: int) -> str:
    """Slack takes 40,000 characters in a message's text: whole lines up to that."""
    if len(text) <= limit:
        return text
    return text[:text.rfind("\n", 0, limit - 2)] + "\n…"
