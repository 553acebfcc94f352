"""`/prosjekt eksport [P-3 | kunde:"Tine" | alle] [november | 2026-11 | uke 48 | fra:… til:…]` and the
operator's `prosjektbot export`: one path from a filter to the rows (storage.export.stream) and two writers
(bot.slack.render.export_files).

The command answers at once with what is coming (it counts the rows first: an export with none says so, rather
than send empty files); the files are written after the ack (`SendExport`), streamed from the database into
temporary files, and uploaded to the user's direct message with the bot.

Rights: an admin exports everything; anyone else their own hours and every hour of the projects they lead.
`alle` is for admins; a project someone neither leads nor administers gives them their own hours on it, and the
answer says so.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date
from sqlalchemy.orm import Session

from bot.domain.arguments import Args, split_args
from bot.domain.errors import NotAllowed, NotFound, UserError
from bot.domain.export import ExportFilter, Totals, export_rows
from bot.domain.parsing import echo, unescape_slack
from bot.domain.periods import Period, parse_period, parse_range
from bot.services import Services
from bot.slack.i18n import t
from bot.slack.outcome import Outcome, SendExport
from bot.slack.render import escape
from bot.slack.render.export_files import write_files
from bot.slack.uploads import upload_files_to_user
from bot.usecases import people, projects
from bot.usecases.command_line import KEYS
from bot.usecases.command_request import Request
from storage import export as export_db

_ALL = {"alle", "all"}


@dataclass(frozen=True)
class Scope:
    """What an export holds and how the answer names it."""

    filter: ExportFilter
    what: str  # "P-3 Nettside", "kunden Tine", "alle prosjekter"
    slug: str  # for the file name: "P-3", "Tine", ""
    limited: str = ""  # a note on what the user may not see, "" when nothing is left out


def period_label(period: Period, lang: str) -> str:
    locale = "nb_NO" if lang == "nb" else "en_GB"
    if period.kind == "month":
        return t("export.period.month", lang, month=format_date(period.start, "LLLL y", locale=locale))
    if period.kind == "week":
        iso = period.start.isocalendar()
        return t("export.period.week", lang, week=str(iso.week), year=str(iso.year))
    return t("export.period.range", lang, start=f"{period.start:%d.%m.%Y}", end=f"{period.end:%d.%m.%Y}")


def match_customers(session: Session, team_id: str, name: str) -> tuple[str, ...]:
    """The workspace's customer names equal to `name` but for case and spacing; NotFound with the known ones."""
    wanted = " ".join(name.split()).casefold()
    known = export_db.customers(session, team_id)
    found = tuple(c for c in known if " ".join(c.split()).casefold() == wanted)
    if not found:
        listed = ", ".join(known[:12]) + (" …" if len(known) > 12 else "")
        raise NotFound("export.customer_unknown", field="customer", value=echo(name), known=listed or "–")
    return found


def _slug(text: str) -> str:
    return re.sub(r"[^\w-]+", "-", text).strip("-")[:40]


def _period_and_scope(args: Args, today: dt.date) -> tuple[Period, list[str]]:
    """The period the line names and the words left to name what to export (at most one)."""
    words = list(args.positional)
    if "from" in args.options or "to" in args.options:
        period = parse_range(args.options.get("from"), args.options.get("to"), today)
        return period, words
    if words and "customer" in args.options and (projects.KEY_RE.match(words[0]) or "project" in args.options):
        raise UserError("export.both")
    if words and (words[0].casefold() in _ALL or projects.KEY_RE.match(words[0]) or 0 in args.quoted
                  or "project" in args.options or "customer" in args.options):
        if "project" in args.options or "customer" in args.options:
            return parse_period(" ".join(words), today), []
        return parse_period(" ".join(words[1:]), today), words[:1]
    try:
        return parse_period(" ".join(words), today), []
    except UserError as whole:  # `Fjordkraft november`: a project's name, then the period
        if len(words) < 2:
            raise
        try:
            return parse_period(" ".join(words[1:]), today), words[:1]
        except UserError:
            raise whole from None


def scope_for(req: Request, rest: str) -> tuple[Scope, Period]:
    args = split_args(rest, KEYS["export"])
    today = req.unit.today
    period, named = _period_and_scope(args, today)
    if len(named) > 1 or (named and "customer" in args.options):
        raise UserError("export.usage")
    session, actor, lang = req.unit.session, req.actor, req.lang
    base = ExportFilter(team_id=actor.team_id, period=period)
    if named and named[0].casefold() in _ALL and 0 not in args.quoted:
        if not actor.is_admin():
            raise NotAllowed("export.all_admin_only")
        return Scope(base, t("export.what.all", lang), ""), period
    ref = args.options.get("project") or (named[0] if named else None)
    if ref is not None:
        if "customer" in args.options:
            raise UserError("export.both")
        project = projects.resolve_project(session, actor.team_id, unescape_slack(ref), req.channel_id)
        what = t("export.what.project", lang, key=project.key, name=escape(project.name))
        f = ExportFilter(actor.team_id, period, project_id=project.id)
        if project.pm_user_id == actor.user_id or actor.is_admin():
            return Scope(f, what, project.key), period
        limited = t("export.limited_project", lang, key=project.key, pm=project.pm_user_id)
        return Scope(ExportFilter(actor.team_id, period, project_id=project.id, viewer=actor.user_id), what,
                     project.key, limited), period
    viewer = None if actor.is_admin() else actor.user_id
    limited = t("export.limited", lang) if viewer else ""
    if "customer" in args.options:
        found, period = _customer(req, unescape_slack(args.options["customer"]), period,
                                  given=bool(args.positional) or "from" in args.options or "to" in args.options)
        f = ExportFilter(actor.team_id, period, customers=found, viewer=viewer)
        return Scope(f, t("export.what.customer", lang, customer=escape(found[0])), _slug(found[0]), limited), period
    return Scope(ExportFilter(actor.team_id, period, viewer=viewer), t("export.what.all", lang), "", limited), period


def _customer(req: Request, text: str, period: Period, *, given: bool) -> tuple[tuple[str, ...], Period]:
    """The customers `kunde:` names, and the period: an unquoted value runs to the line's end, so in
    `kunde:Tine november` the period is the value's last words when the whole value is no customer."""
    team_id = req.actor.team_id
    try:
        return match_customers(req.unit.session, team_id, text), period
    except NotFound:
        words = text.split()
        for cut in range(len(words) - 1, 0, -1) if not given else ():
            try:
                tail = parse_period(" ".join(words[cut:]), req.unit.today)
            except UserError:
                continue
            return match_customers(req.unit.session, team_id, " ".join(words[:cut])), tail
        raise


def command(req: Request, rest: str) -> Outcome:
    """`/prosjekt eksport …`: the answer now, the files after it."""
    scope, period = scope_for(req, rest)
    lang = req.lang
    label = period_label(period, lang)
    rows = export_db.count(req.unit.session, scope.filter)
    if rows == 0:
        return req.say("export.none", what=scope.what, period=label, limited=scope.limited)
    stem = "-".join(part for part in (t("export.file", lang), scope.slug, period.slug) if part)
    send = SendExport(team_id=req.actor.team_id, user_id=req.actor.user_id, lang=lang, filter=scope.filter,
                      stem=stem, what=scope.what, period=label)
    return Outcome(ack=req.say("export.sending", rows=rows, what=scope.what, period=label,
                               limited=scope.limited).ack, effects=[send])


def operator_filter(session: Session, team_id: str, period: Period, *, project: str | None = None,
                    customer: str | None = None) -> ExportFilter:
    """`prosjektbot export`'s filter: everything (the operator sees all), of one project or customer."""
    if project is not None and customer is not None:
        raise UserError("export.both")
    project_id = projects.resolve_project(session, team_id, project, "").id if project is not None else None
    customers = match_customers(session, team_id, customer) if customer is not None else None
    return ExportFilter(team_id, period, project_id=project_id, customers=customers)


def write_export(session: Session, f: ExportFilter, lang: str, names: dict[str, str], *,
                 csv_path: Path | None = None, xlsx_path: Path | None = None) -> Totals:
    """The one path from a filter to the files: rows streamed from storage, written as they come."""
    return write_files(export_rows(export_db.stream(session, f), names), lang, csv_path=csv_path,
                       xlsx_path=xlsx_path)


def send(svc: Services, effect: SendExport) -> None:
    """After the ack: the people's names from Slack (outside any transaction), the two files written from one
    stream of rows into a temporary folder, and both uploaded in one message to the user's DM."""
    with svc.unit(effect.team_id, read_only=True) as unit:
        ids = export_db.people(unit.session, effect.filter)
    names = people.real_names(svc.client, ids)
    with tempfile.TemporaryDirectory(prefix="prosjektbot-export-") as folder:
        csv_path, xlsx_path = Path(folder, f"{effect.stem}.csv"), Path(folder, f"{effect.stem}.xlsx")
        with svc.unit(effect.team_id, read_only=True) as unit:
            totals = write_export(unit.session, effect.filter, effect.lang, names, csv_path=csv_path,
                                  xlsx_path=xlsx_path)
        comment = t("export.comment", effect.lang, what=effect.what, period=effect.period, rows=totals.rows)
        sent = upload_files_to_user(svc.client, user_id=effect.user_id, comment=comment,
                                    files=[(csv_path, csv_path.name), (xlsx_path, xlsx_path.name)])
    if not sent:  # the user was told the files are coming: say they are not (the DM may still take a message)
        svc.client.chat_postMessage(channel=effect.user_id, text=t("export.failed", effect.lang))
