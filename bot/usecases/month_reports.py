"""The month-end report and approving a month (docs/product.md §10): `/prosjekt rapport|godkjenn|åpne`, the report's
*Godkjenn måneden* button, and the reports the clock posts (built a batch of projects at a time).

    rapport P-3 [november | 2026-11] [kunde [priser]]   (no month: the last month that ended)
    godkjenn P-3 november                                (the PL or an admin; a month that has ended)
    åpne P-3 november                                    (admins)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.domain.arguments import split_args
from bot.domain.errors import NotAllowed, UserError
from bot.domain.month_report import MonthReport, build_report, customer_version
from bot.domain.months import has_ended, last_ended, looks_like_month, occasion, parse_month
from bot.domain.parsing import unescape_slack
from bot.domain.periods import month_of
from bot.domain.terms import as_of
from bot.services import Services, Unit
from bot.slack.i18n import t
from bot.slack.outcome import Ephemeral, Outcome, ThreadReply
from bot.slack.render.month_report import REPORT_APPROVE, customer_text, report_blocks, report_title
from bot.usecases import projects
from bot.usecases.command_line import PROJECT_KEYS, Reference
from bot.usecases.command_request import Request
from bot.usecases.runner import clicked_channel, ephemeral_to, run_request
from storage import month_reports, outbox
from storage import projects as project_db
from storage import retainers as retainer_db
from storage import terms as term_db
from storage.models import Project
from storage.views import project_view

_MONTHISH = re.compile(r"\d{1,4}[-./]\d{1,4}", re.A)  # what can only be meant as a month here
CUSTOMER_WORDS = frozenset({"kunde", "customer", "kundeversjon"})
PRICE_WORDS = frozenset({"priser", "pris", "prices", "rates", "timepriser"})


def reports(session: Session, team_id: str, found: Sequence[Project], month: dt.date, *,
            today: dt.date, tz: str) -> dict[int, MonthReport]:
    """The reports of `month` for these projects, in a fixed number of statements whatever their number. The
    project as it was at the month's end (or today, in a month not ended): its terms (replayed from the history),
    what was carried into the month, and the health from the hours, cost, progress and tasks of that day."""
    day = min(month_of(month).end, today)
    rows = month_reports.month_rows(session, team_id, found, month)
    changed = term_db.changes(session, team_id, [p.id for p in found])
    then = {p.id: as_of(project_view(p), changed.get(p.id, []), day) for p in found}
    carried = retainer_db.carried(session, team_id, found, month, past=True, known=changed)
    until = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=ZoneInfo(tz))
    cards = outbox.card_data(session, team_id, list(then.values()), today=day, until=until, carried_in=carried)
    out = {}
    for p in found:
        r = rows[p.id]
        known = r.cost_kr_minutes > 0 or p.rate_nok is not None
        health = projects.snapshot_of(then[p.id], cards[p.id], today=day).health
        out[p.id] = build_report(then[p.id], month, r.logs, r.task_titles, goals=r.goals, approval=r.approval,
                                 health=health, frame_used=(r.used, r.used_billable),
                                 cost_kr=r.cost_kr_minutes // 60 if known else None,
                                 rollover_minutes=carried.get(p.id))
    return out


def _line(req: Request, rest: str) -> tuple[Project, dt.date | None, set[str]]:
    """The project, the month (None: not given) and the flags (`kunde`, `priser`) of a report/approval line."""
    args = split_args(rest, PROJECT_KEYS, allow_unknown_keys=True)
    words = list(args.positional)
    flags: set[str] = set()
    while words and words[-1].casefold() in CUSTOMER_WORDS | PRICE_WORDS:
        word = words.pop().casefold()
        flags.add("customer" if word in CUSTOMER_WORDS else "prices")
    month_text = None
    if len(words) >= 2 and words[-1].isdigit() and len(words[-1]) == 4 and looks_like_month(words[-2]):
        month_text = f"{words[-2]} {words[-1]}"
        words = words[:-2]
    elif words and (looks_like_month(words[-1]) or _MONTHISH.fullmatch(words[-1])):
        month_text = words.pop()  # (`2026-13` too: not a month, and said so)
    month = parse_month(month_text, req.unit.today) if month_text else None
    ref = Reference(args.options["project"], []) if "project" in args.options else \
        Reference(" ".join(words) or None, [])
    project = projects.resolve_project(req.unit.session, req.actor.team_id, ref.name, req.channel_id)
    return project, month, flags


def report(req: Request, rest: str) -> Outcome:
    project, month, flags = _line(req, rest)
    unit = req.unit
    month = month or last_ended(unit.today)
    found = reports(unit.session, req.actor.team_id, [project], month, today=unit.today, tz=unit.tz)[project.id]
    if "customer" in flags:
        return Outcome(ack={"response_type": "ephemeral",
                            "text": customer_text(customer_version(found, with_rates="prices" in flags), req.lang)})
    approvable = has_ended(month, unit.today)
    return Outcome(ack={"response_type": "ephemeral", "text": report_title(found, req.lang),
                        "blocks": report_blocks(found, req.lang, approvable=approvable)})


def _require_month(month: dt.date | None) -> dt.date:
    if month is None:
        raise UserError("month.missing", field="month")
    return month


def approve_month(unit: Unit, actor: projects.Actor, project: Project, month: dt.date) -> str:
    """Approve the project's month (the PL or an admin, a month that has ended); the message for the user."""
    if not has_ended(month, unit.today):
        raise UserError("month.not_ended", key=project.key, month=occasion(month), end=month_of(month).end)
    projects.require_pm_or_admin(project, actor)
    if not month_reports.approve(unit.session, actor.team_id, project.id, month, by=actor.user_id, at=actor.at):
        known = month_reports.approval(unit.session, actor.team_id, project.id, month)
        raise UserError("month.already_approved", key=project.key, month=occasion(month),
                        by=known.by if known else "")
    projects.record(unit.session, actor, project, "month_approved", new=occasion(month))
    return t("month.approved", unit.lang, key=project.key, month=occasion(month))


def approve(req: Request, rest: str) -> Outcome:
    project, month, _ = _line(req, rest)
    return Outcome(ack={"response_type": "ephemeral",
                        "text": approve_month(req.unit, req.actor, project, _require_month(month))})


def reopen(req: Request, rest: str) -> Outcome:
    """`åpne P-3 november`: an approved month open to hours again (admins)."""
    project, month, _ = _line(req, rest)
    month = _require_month(month)
    if not req.actor.is_admin():
        raise NotAllowed("month.reopen_admin_only")
    if not month_reports.reopen(req.unit.session, req.actor.team_id, project.id, month):
        raise UserError("month.not_approved", key=project.key, month=occasion(month))
    projects.record(req.unit.session, req.actor, project, "month_reopened", new=occasion(month))
    return req.say("month.reopened", key=project.key, month=occasion(month))


def names_a_month(rest: str) -> bool:
    """Whether a `gjenåpne`/`reopen` line ends with a month: then it reopens the month, not the project."""
    words = unescape_slack(rest).split()
    return bool(words) and (looks_like_month(words[-1]) or (len(words) >= 2 and looks_like_month(words[-2])
                                                            and words[-1].isdigit()))


def on_approve_button(svc: Services, body: dict[str, Any]) -> Outcome:
    """*Godkjenn måneden* on a report: approve, say so to the clicker, and note it in the report's thread."""
    action = body["actions"][0]
    user_id = body["user"]["id"]
    container = body.get("container") or {}
    channel_id = clicked_channel(body)

    def click(unit: Unit, actor: projects.Actor) -> Outcome:
        project_id, _, month_text = str(action.get("value") or "").partition(":")
        try:
            project = project_db.project_by_id(unit.session, unit.team_id, int(project_id))
            month = dt.date.fromisoformat(f"{month_text}-01")
        except ValueError:
            project = None
        if project is None:
            raise UserError("project.gone")
        text = approve_month(unit, actor, project, month)
        effects: list[Any] = [Ephemeral(channel_id, user_id, text)]
        if container.get("message_ts") and not container.get("is_ephemeral"):
            effects.append(ThreadReply(channel_id, container["message_ts"],
                                       t("month.approved_thread", unit.lang, month=occasion(month), by=user_id)))
        return Outcome(effects=effects)

    return run_request(svc, body["team"]["id"], user_id, click, ephemeral_to(channel_id, user_id), write=True)


__all__ = ["REPORT_APPROVE", "approve", "names_a_month", "on_approve_button", "reopen", "report", "reports"]
