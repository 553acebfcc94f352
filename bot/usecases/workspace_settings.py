"""Workspace settings (docs/product.md §3 `innstillinger`): language, time zone, weekly summary and follow-up rules.

`save_settings` is the one place settings are written: it records every changed value in the history and asks the
clock to plan again when a change moves follow-ups. (A per-process cache of workspace settings is invalidated there.)
`parse_settings_form` reads the settings modal and reports every bad field at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from bot.domain.errors import FieldErrors, NotAllowed, UserError
from bot.domain.money import parse_rate
from bot.domain.rules import FollowupRules, NudgeSettings, SummarySettings
from bot.domain.workspace_settings import RULE_NUMBERS, RULE_SWITCHES, WorkspaceSettings, bounds
from storage import workspaces as workspace_db
from storage.models import Workspace

LANGUAGES = ("nb", "en")
AHEAD_DAYS = (1, 20)  # working days before a deadline
THRESHOLDS = (1, 200)  # % of the hours frame
MAX_LIST = 5
CHANNEL_DEFAULT, CHANNEL_ON, CHANNEL_OFF = "default", "on", "off"
# Follow-ups already planned were computed from these: changing one makes the clock plan the projects again.
REPLAN_FIELDS = {"timezone"} | {f"rules.{name}" for name in FollowupRules.model_fields}


@dataclass(frozen=True)
class SettingChange:
    field: str
    old: str | None
    new: str | None


def current_settings(session: Session, team_id: str) -> WorkspaceSettings:
    workspace = workspace_db.workspace_row(session, team_id)
    if workspace is None:
        raise UserError("settings.gone")
    return _settings_of(workspace)


def _settings_of(workspace: Workspace) -> WorkspaceSettings:
    return WorkspaceSettings(language=workspace.language, timezone=workspace.timezone,
                             rules=FollowupRules.from_json(workspace.rules),
                             summary=SummarySettings.from_json(workspace.summary),
                             default_rate_nok=workspace.default_rate_nok,
                             nudges=NudgeSettings.from_json(workspace.nudges))


def require_admin(is_admin: Callable[[], bool]) -> None:
    if not is_admin():
        raise NotAllowed("settings.admin_only")


def save_settings(session: Session, team_id: str, user_id: str, at: dt.datetime,
                  new: WorkspaceSettings) -> list[SettingChange]:
    """Store `new` on the workspace; each changed value goes to history (old → new). Returns the changes."""
    workspace = workspace_db.workspace_row(session, team_id, lock=True)
    if workspace is None:
        raise UserError("settings.gone")
    changes = diff_settings(_settings_of(workspace), new)
    if not changes:
        return []
    workspace_db.store_settings(workspace, language=new.language, timezone=new.timezone,
                                rules=new.rules.model_dump_json(), summary=new.summary.model_dump_json(),
                                default_rate_nok=new.default_rate_nok, nudges=new.nudges.model_dump_json())
    workspace_db.record_settings_changes(session, team_id, user_id, at,
                                         [(change.field, change.old, change.new) for change in changes])
    if any(change.field in REPLAN_FIELDS for change in changes):
        workspace_db.replan_active_projects(session, team_id)
    session.flush()
    return changes


def diff_settings(old: WorkspaceSettings, new: WorkspaceSettings) -> list[SettingChange]:
    """Every value that differs, as text for the history (`on`/`off`, lists as `80, 100`)."""
    changes = [SettingChange(name, _text(getattr(old, name)), _text(getattr(new, name)))
               for name in ("language", "timezone", "default_rate_nok") if getattr(old, name) != getattr(new, name)]
    changes += _diff_model("rules", old.rules, new.rules)
    changes += _diff_model("nudges", old.nudges, new.nudges)
    changes += _diff_model("summary", old.summary.model_copy(update={"channels": {}}),
                           new.summary.model_copy(update={"channels": {}}))
    for channel in sorted(old.summary.channels.keys() | new.summary.channels.keys()):
        before, after = old.summary.channels.get(channel), new.summary.channels.get(channel)
        if before != after:
            changes.append(SettingChange("summary.channel", f"{channel}={_override(before)}",
                                         f"{channel}={_override(after)}"))
    return changes


def _diff_model(prefix: str, old: BaseModel, new: BaseModel) -> list[SettingChange]:
    return [SettingChange(f"{prefix}.{name}", _text(getattr(old, name)), _text(getattr(new, name)))
            for name in type(old).model_fields if getattr(old, name) != getattr(new, name)]


def _override(value: bool | None) -> str:
    return CHANNEL_DEFAULT if value is None else CHANNEL_ON if value else CHANNEL_OFF


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return CHANNEL_ON if value else CHANNEL_OFF
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)


# --- the modal's values -------------------------------------------------------------------------------------
@functools.cache
def _zones() -> dict[str, str]:
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def parse_timezone(value: str) -> str:
    """An IANA time zone name such as `Europe/Oslo` (any case)."""
    zone = _zones().get(value.strip().casefold())
    if zone is None:
        raise UserError("settings.timezone_invalid", field="timezone", value=value[:60])
    return zone


def parse_number(value: str | None, field: str, lo: int, hi: int) -> int:
    text = (value or "").strip().rstrip("%").strip()
    if not re.fullmatch(r"\d{1,4}", text) or not lo <= int(text) <= hi:
        raise UserError("settings.number_invalid", field=field, value=(value or "")[:40], min=lo, max=hi)
    return int(text)


def _rule_number(value: str | None, name: str) -> int:
    return parse_number(value, name, *bounds(name))


def parse_numbers(value: str | None, field: str, lo: int, hi: int, *, ascending: bool) -> tuple[int, ...]:
    """`80, 100` (commas, semicolons or spaces between; `%` allowed): distinct integers lo–hi, ascending or
    descending as asked."""
    words = [w.strip().rstrip("%").strip() for w in re.split(r"[,;\s]+", (value or "").replace(" %", "%"))]
    words = [w for w in words if w]
    key = "settings.thresholds_invalid" if ascending else "settings.days_invalid"
    if not words or len(words) > MAX_LIST or not all(re.fullmatch(r"\d{1,4}", w) for w in words):
        raise UserError(key, field=field, value=(value or "")[:40], min=lo, max=hi)
    numbers = [int(w) for w in words]
    ordered = sorted(set(numbers), reverse=not ascending)
    if any(not lo <= n <= hi for n in numbers) or (ascending and numbers != ordered):
        raise UserError(key, field=field, value=(value or "")[:40], min=lo, max=hi)
    return tuple(ordered)


def parse_time(value: str | None, field: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", (value or "").strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise UserError("settings.time_invalid", field=field, value=(value or "")[:20])
    return int(match[1]), int(match[2])


def parse_settings_form(values: dict[str, Any], current: WorkspaceSettings,
                        channel_id: str | None) -> WorkspaceSettings:
    """The settings modal's values as new settings; every bad field is reported at once (FieldErrors)."""
    errors: list[UserError] = []

    def read(parse: Callable[[], Any], default: Any) -> Any:
        try:
            return parse()
        except UserError as exc:
            errors.append(exc)
            return default

    chosen = values.get("language")
    language: str = chosen if isinstance(chosen, str) and chosen in LANGUAGES else current.language
    timezone = read(lambda: parse_timezone(values.get("timezone") or ""), current.timezone)
    rate = (values.get("default_rate") or "").strip()  # empty: no default rate
    default_rate = read(lambda: parse_rate(rate, field="default_rate", form=True),
                        current.default_rate_nok) if rate else None
    switches = set(values.get("rules_on") or ())
    numbers = {name: read(functools.partial(_rule_number, values.get(name), name), getattr(current.rules, name))
               for name in RULE_NUMBERS}
    ahead = read(lambda: parse_numbers(values.get("ahead_days"), "ahead_days", *AHEAD_DAYS, ascending=False),
                 current.rules.ahead_days)
    thresholds = read(lambda: parse_numbers(values.get("hours_thresholds"), "hours_thresholds", *THRESHOLDS,
                                            ascending=True), current.rules.hours_thresholds)
    rules = FollowupRules(**{name: name in switches for name in RULE_SWITCHES}, **numbers, ahead_days=ahead,
                          hours_thresholds=thresholds)
    summary_on = set(values.get("summary_on") or ())
    hour, minute = read(lambda: parse_time(values.get("summary_time"), "summary_time"),
                        (current.summary.hour, current.summary.minute))
    weekday = read(lambda: parse_number(values.get("summary_day"), "summary_day", 0, 6), current.summary.weekday)
    portfolio = values.get("portfolio_channel") or None
    if "portfolio" in summary_on and portfolio is None:
        errors.append(UserError("settings.portfolio_channel_missing", field="portfolio_channel"))
    channels = dict(current.summary.channels)
    override = values.get("channel_summary")
    if channel_id and override in (CHANNEL_DEFAULT, CHANNEL_ON, CHANNEL_OFF):
        if override == CHANNEL_DEFAULT:
            channels.pop(channel_id, None)
        else:
            channels[channel_id] = override == CHANNEL_ON
    nudges = current.nudges
    if "nudge_on" in values:  # (a settings form opened before the nudge existed has none of its fields)
        at = read(lambda: parse_time(values.get("nudge_time"), "nudge_time"), (nudges.hour, nudges.minute))
        nudges = read(lambda: _nudges(values, at, current.nudges), current.nudges)
    if errors:
        raise FieldErrors(errors)
    summary = replace_summary(current.summary, enabled="enabled" in summary_on, weekday=weekday, hour=hour,
                              minute=minute, portfolio_channel=portfolio if "portfolio" in summary_on else None,
                              channels=channels)
    return replace(current, language=language, timezone=timezone, rules=rules, summary=summary,
                   default_rate_nok=default_rate, nudges=nudges)


def _nudges(values: dict[str, Any], at: tuple[int, int], current: NudgeSettings) -> NudgeSettings:
    """The nudge's part of the form: on/off, the time (`at`, read already), the days (at least one when on)."""
    hour, minute = at
    days = tuple(sorted({int(d) for d in values.get("nudge_days") or () if str(d).isdigit() and int(d) < 7}))
    enabled = "enabled" in (values.get("nudge_on") or ())
    if enabled and not days:
        raise UserError("settings.nudge_days_missing", field="nudge_days")
    return NudgeSettings(enabled=enabled, hour=hour, minute=minute, days=days or current.days)


def replace_summary(summary: SummarySettings, **changes: Any) -> SummarySettings:
    """A copy with `changes`, validated (model_copy would not validate)."""
    return SummarySettings.model_validate({**summary.model_dump(), **changes})
