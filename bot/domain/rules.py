"""Per-workspace settings stored as JSON, with the product's defaults: follow-up rules (docs/product.md §4) and
the weekly summary (docs/product.md §5)."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _StoredSettings(BaseModel):
    """Settings stored as JSON on the workspace; a missing or unreadable value means the defaults."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    @classmethod
    def from_json(cls, text: str | None) -> Self:
        if not text:
            return cls()
        try:
            return cls.model_validate_json(text)
        except ValidationError:
            return cls()


class FollowupRules(_StoredSettings):
    """The follow-up rules, each switchable and tunable, on `workspaces.rules`."""

    send_hour: int = Field(default=9, ge=0, le=23)  # follow-ups go out at this local hour on working days
    deadline_ahead: bool = True
    ahead_days: tuple[int, ...] = (5, 1)  # working days before a deadline
    deadline_today: bool = True
    overdue: bool = True
    nag_every: int = Field(default=2, ge=1, le=20)  # working days between nags
    max_nags: int = Field(default=5, ge=1, le=20)  # then the PL gets a DM
    hours_frame: bool = True
    hours_thresholds: tuple[int, ...] = (80, 100)  # % of the hours frame (this month's for løpende)
    time_vs_progress: bool = True
    min_time_used: int = Field(default=50, ge=0, le=100)  # % of the time frame used before it is checked
    behind_points: int = Field(default=20, ge=1, le=100)
    quiet: bool = True
    quiet_days: int = Field(default=7, ge=1, le=60)
    pace: bool = True  # løpende: the month's pace, both ways (bot.domain.retainer)
    pace_over_pct: int = Field(default=10, ge=1, le=100)  # projected over the month's frame by more than this %
    pace_under_pct: int = Field(default=70, ge=1, le=100)  # projected to less than this % of it
    # The month-end report (docs/product.md §10) goes to every løpende project; also to an avgrenset one with hours
    # logged in the month when this is on.
    month_report_avgrenset: bool = False
    # Hours dated more than this many days back may be logged only by the project's PL or an admin
    # (bot.usecases.log_dates).
    backdate_days: int = Field(default=31, ge=1, le=366)


class SummarySettings(_StoredSettings):
    """The weekly summary (docs/product.md §5), on `workspaces.summary`."""

    enabled: bool = True
    weekday: int = Field(default=0, ge=0, le=6)  # 0 = Monday; moved to the next working day on a holiday
    hour: int = Field(default=9, ge=0, le=23)
    minute: int = Field(default=0, ge=0, le=59)
    portfolio_channel: str | None = None  # the leadership channel for the portfolio post; None: no portfolio post
    channels: dict[str, bool] = Field(default_factory=dict)  # per-channel override: summary on (True) / off (False)

    def channel_enabled(self, channel_id: str) -> bool:
        return self.channels.get(channel_id, self.enabled)


class NudgeSettings(_StoredSettings):
    """The daily nudge to log hours (docs/product.md §11), on `workspaces.nudges`: off until an admin turns it on."""

    enabled: bool = False
    hour: int = Field(default=15, ge=0, le=23)
    minute: int = Field(default=30, ge=0, le=59)
    days: tuple[int, ...] = (0, 1, 2, 3, 4)  # 0 = Monday; a public holiday among them gets none
