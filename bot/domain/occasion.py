"""What a follow-up is about (docs/product.md §4, §5): its rule, and the occasion that names it within its subject.

A follow-up is stored as (rule, subject, occasion), unique, so the occasion is text in the database: the deadline
date, the threshold and frame, the week … Here each rule's occasion is a small value with one way to write it
(`str`) and one to read it (`parse_occasion`); nothing else splits occasion strings.

    ahead     5:2026-12-18               5 working days before the deadline of 18 December
    today     2026-12-18                 on the deadline's warning day
    overdue   2026-12-18:2               the second nag
    pl_dm     2026-12-18                 the PL's DM once the nags are used up
    snoozed   41:2026-12-18:2026-12-21   the reminder ⏰ on follow-up 41 planned for the end of its hold
    hours     80:2400, 80:600:2026-11    80 % of a 2,400-minute frame (of November's frame, for løpende)
    cost      80:150000, 80:40000:2026-11   80 % of a 150,000 kr cost frame (of November's, for løpende)
    behind    first, after:2026-11-27T08:00   the first, or the next after the one sent then (UTC)
    quiet     2026-11-20:first           no log since 20 November (then after:… as for behind)
    pace_high, pace_low: 2026-11         a løpende project's pace in November (once a month each way)
    summary, portfolio: 2026-W49         the ISO week
    report    2026-11                    the month the report is about
    nudge, nudge_week: 2026-12-03        the day (subject user:<id>)

A frame alert ⏰ planned again carries ":snz<follow-up>:<day the hold ends>" after its occasion.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from enum import StrEnum


class Rule(StrEnum):
    AHEAD = "ahead"
    TODAY = "today"
    OVERDUE = "overdue"
    PL_DM = "pl_dm"
    SNOOZED = "snoozed"
    HOURS = "hours"
    COST = "cost"  # the cost frame crossed (the hours frame's thresholds and switch)
    BEHIND = "behind"
    QUIET = "quiet"
    PACE_HIGH = "pace_high"  # løpende: for høyt tempo this month (bot.domain.retainer)
    PACE_LOW = "pace_low"  # løpende: risiko for underleveranse this month
    SUMMARY = "summary"  # the weekly summary in a project channel
    PORTFOLIO = "portfolio"  # the weekly portfolio post in the leadership channel
    REPORT = "report"  # the month-end report in a project's channel (bot.clock.month_reports)
    NUDGE = "nudge"  # a person's direct message: no hours logged today (bot.clock.nudges)
    NUDGE_WEEK = "nudge_week"  # on the week's last working day instead: the week's hours


DEADLINE_RULES = (Rule.AHEAD, Rule.TODAY, Rule.OVERDUE, Rule.PL_DM, Rule.SNOOZED)
FRAME_ALERTS = (Rule.HOURS, Rule.COST, Rule.BEHIND, Rule.QUIET, Rule.PACE_HIGH, Rule.PACE_LOW)


@dataclass(frozen=True)
class Ahead:
    days: int  # working days left
    deadline: dt.date

    def __str__(self) -> str:
        return f"{self.days}:{self.deadline}"


@dataclass(frozen=True)
class OnDeadline:
    """The day's reminder (today), or the PL's DM (pl_dm)."""

    deadline: dt.date

    def __str__(self) -> str:
        return str(self.deadline)


@dataclass(frozen=True)
class Nag:
    deadline: dt.date
    number: int  # 1 for the first

    def __str__(self) -> str:
        return f"{self.deadline}:{self.number}"


@dataclass(frozen=True)
class Snoozed:
    followup_id: int  # the follow-up ⏰ was put on
    deadline: dt.date
    until: dt.date  # the day the hold ends

    def __str__(self) -> str:
        return f"{self.followup_id}:{self.deadline}:{self.until}"


@dataclass(frozen=True)
class Again:
    """A frame alert planned again by ⏰ on `followup_id`, for the day the hold ends."""

    followup_id: int
    until: dt.date

    def __str__(self) -> str:
        return f":snz{self.followup_id}:{self.until}"


def _suffix(again: Again | None) -> str:
    return str(again) if again else ""


def _after(sent: dt.datetime | None) -> str:
    return f"after:{sent.date().isoformat()}T{sent:%H:%M}" if sent else "first"  # (strftime's %Y may not pad)


@dataclass(frozen=True)
class HoursCrossed:
    threshold: int  # % of the frame
    frame_minutes: int
    month: dt.date | None = None  # løpende: the first day of the month whose frame it is
    again: Again | None = None

    def __str__(self) -> str:
        month = f":{self.month.isoformat()[:7]}" if self.month else ""
        return f"{self.threshold}:{self.frame_minutes}{month}{_suffix(self.again)}"


@dataclass(frozen=True)
class CostCrossed:
    threshold: int  # % of the cost frame
    budget_nok: int
    month: dt.date | None = None  # løpende: the first day of the month whose frame it is
    again: Again | None = None

    def __str__(self) -> str:
        month = f":{self.month.isoformat()[:7]}" if self.month else ""
        return f"{self.threshold}:{self.budget_nok}{month}{_suffix(self.again)}"


@dataclass(frozen=True)
class Behind:
    after: dt.datetime | None = None  # the alert before it was sent then (UTC, to the minute); None: the first
    again: Again | None = None

    def __str__(self) -> str:
        return f"{_after(self.after)}{_suffix(self.again)}"


@dataclass(frozen=True)
class Quiet:
    last_activity: dt.date
    after: dt.datetime | None = None  # as for Behind
    again: Again | None = None

    def __str__(self) -> str:
        return f"{self.last_activity}:{_after(self.after)}{_suffix(self.again)}"


@dataclass(frozen=True)
class Week:
    year: int  # ISO year and week
    week: int

    @classmethod
    def of(cls, day: dt.date) -> Week:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"


@dataclass(frozen=True)
class Day:
    """A day: the one a person's nudge to log hours is about (bot.domain.nudges)."""

    day: dt.date

    def __str__(self) -> str:
        return self.day.isoformat()


@dataclass(frozen=True)
class Month:
    """A month (`month`: its first day): the one a report is about, or a løpende project's month whose pace the
    rule (either way) is about; only a pace alert ⏰ planned again has `again`."""

    month: dt.date
    again: Again | None = None

    def __str__(self) -> str:
        return f"{self.month.year:04d}-{self.month.month:02d}{_suffix(self.again)}"


AboutDeadline = Ahead | OnDeadline | Nag | Snoozed
FrameAlert = HoursCrossed | CostCrossed | Behind | Quiet | Month
Occasion = AboutDeadline | FrameAlert | Week | Day

_DATE = r"\d{4}-\d{2}-\d{2}"
_N = r"(?:0|[1-9]\d*)"  # a number as str() writes it, so that every text read is written back the same
_AFTER = rf"(?:first|after:(?P<after>{_DATE}T\d{{2}}:\d{{2}}))"
_AGAIN = rf"(?::snz(?P<by>{_N}):(?P<until>{_DATE}))?"
_FORMS: dict[str, re.Pattern[str]] = {rule: re.compile(form, re.ASCII) for rule, form in {
    Rule.AHEAD: rf"(?P<days>{_N}):(?P<deadline>{_DATE})",
    Rule.TODAY: rf"(?P<deadline>{_DATE})",
    Rule.PL_DM: rf"(?P<deadline>{_DATE})",
    Rule.OVERDUE: rf"(?P<deadline>{_DATE}):(?P<number>{_N})",
    Rule.SNOOZED: rf"(?P<id>{_N}):(?P<deadline>{_DATE}):(?P<until_day>{_DATE})",
    Rule.HOURS: rf"(?P<threshold>{_N}):(?P<frame>{_N})(?::(?P<month>\d{{4}}-\d{{2}}))?{_AGAIN}",
    Rule.COST: rf"(?P<threshold>{_N}):(?P<frame>{_N})(?::(?P<month>\d{{4}}-\d{{2}}))?{_AGAIN}",
    Rule.BEHIND: rf"{_AFTER}{_AGAIN}",
    Rule.QUIET: rf"(?P<last>{_DATE}):{_AFTER}{_AGAIN}",
    Rule.PACE_HIGH: rf"(?P<month>\d{{4}}-\d{{2}}){_AGAIN}",
    Rule.PACE_LOW: rf"(?P<month>\d{{4}}-\d{{2}}){_AGAIN}",
    Rule.SUMMARY: r"(?P<year>\d{4})-W(?P<week>\d{2})",
    Rule.PORTFOLIO: r"(?P<year>\d{4})-W(?P<week>\d{2})",
    Rule.REPORT: r"(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])",
    Rule.NUDGE: rf"(?P<day>{_DATE})",
    Rule.NUDGE_WEEK: rf"(?P<day>{_DATE})",
}.items()}


def parse_occasion(rule: str, text: str) -> Occasion:
    """The occasion `text` of a follow-up by `rule`; ValueError when it is not one."""
    form = _FORMS.get(rule)
    found = form.fullmatch(text) if form is not None else None
    if found is None:
        raise ValueError(f"not an occasion of rule {rule!r}: {text!r}")
    g = found.groupdict()
    day = dt.date.fromisoformat
    after = dt.datetime.fromisoformat(g["after"]) if g.get("after") else None
    again = Again(int(g["by"]), day(g["until"])) if g.get("by") else None
    match Rule(rule):
        case Rule.AHEAD:
            return Ahead(int(g["days"]), day(g["deadline"]))
        case Rule.TODAY | Rule.PL_DM:
            return OnDeadline(day(g["deadline"]))
        case Rule.OVERDUE:
            return Nag(day(g["deadline"]), int(g["number"]))
        case Rule.SNOOZED:
            return Snoozed(int(g["id"]), day(g["deadline"]), day(g["until_day"]))
        case Rule.HOURS:
            month = day(f"{g['month']}-01") if g["month"] else None
            return HoursCrossed(int(g["threshold"]), int(g["frame"]), month, again)
        case Rule.COST:
            month = day(f"{g['month']}-01") if g["month"] else None
            return CostCrossed(int(g["threshold"]), int(g["frame"]), month, again)
        case Rule.BEHIND:
            return Behind(after, again)
        case Rule.QUIET:
            return Quiet(day(g["last"]), after, again)
        case Rule.PACE_HIGH | Rule.PACE_LOW:
            return Month(day(f"{g['month']}-01"), again)
        case Rule.REPORT:
            return Month(dt.date(int(g["year"]), int(g["month"]), 1))
        case Rule.NUDGE | Rule.NUDGE_WEEK:
            return Day(day(g["day"]))
        case _:
            return Week.of(dt.date.fromisocalendar(int(g["year"]), int(g["week"]), 1))  # (a week that exists)


def deadline_of(rule: str, text: str) -> dt.date | None:
    """The deadline a follow-up is about; None for one that is about no deadline (or an unreadable one)."""
    try:
        occasion = parse_occasion(rule, text)
    except ValueError:
        return None
    return occasion.deadline if isinstance(occasion, AboutDeadline) else None


def snoozed_again(alert: Occasion, followup_id: int, until: dt.date) -> FrameAlert:
    """The frame alert ⏰ on `followup_id` plans for `until`: the same alert, marked (a mark before is replaced)."""
    if not isinstance(alert, FrameAlert):
        raise ValueError(f"only a frame alert is planned again as itself, not {alert!r}")
    return replace(alert, again=Again(followup_id, until))


def planned_by_snooze(occasion: Occasion, snoozed: Occasion, followup_id: int) -> bool:
    """Whether `occasion` is what a ⏰ on follow-up `followup_id` (about `snoozed`) planned for the end of its hold:
    the snoozed reminder of a deadline, or the frame alert again."""
    if isinstance(occasion, Snoozed):
        return occasion.followup_id == followup_id
    if isinstance(occasion, FrameAlert) and isinstance(snoozed, FrameAlert) and occasion.again is not None:
        same_alert = replace(occasion, again=None) == replace(snoozed, again=None)
        return same_alert and occasion.again.followup_id == followup_id
    return False
