"""A workspace's settings as one value (docs/product.md §3 `innstillinger`), and the follow-up rules' fields the
settings modal shows: switches (on/off) and numbers (within the range `FollowupRules` allows)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from bot.domain.rules import FollowupRules, NudgeSettings, SummarySettings

RULE_SWITCHES = ("deadline_ahead", "deadline_today", "overdue", "hours_frame", "time_vs_progress", "quiet", "pace",
                 "month_report_avgrenset")
RULE_NUMBERS = ("send_hour", "nag_every", "max_nags", "min_time_used", "behind_points", "quiet_days",
                "pace_over_pct", "pace_under_pct", "backdate_days")


@dataclass(frozen=True)
class WorkspaceSettings:
    language: str
    timezone: str
    rules: FollowupRules
    summary: SummarySettings
    default_rate_nok: int | None = None  # the hourly rate of projects without their own (bot.domain.money)
    nudges: NudgeSettings = field(default_factory=NudgeSettings)  # the nudge to log hours (bot.domain.nudges)


@functools.cache
def bounds(name: str) -> tuple[int, int]:
    """The range FollowupRules allows for a number (its Field(ge=…, le=…)): one source for both."""
    found = FollowupRules.model_json_schema()["properties"][name]
    return int(found["minimum"]), int(found["maximum"])
