"""SQLAlchemy 2 models. Every row carries the Slack `team_id` of its workspace. The shared base is in
`storage.schema_base`; tables of the work around projects in `storage.models_work`, the nudge's in
`storage.models_nudges`, re-exported here."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models_nudges import NudgePerson
from storage.models_work import HandledRequest, HomeUser, MonthApproval, RoutineMonth, RoutineRow
from storage.schema_base import Base, TeamId, UserId, project_fk, utcnow


class Workspace(Base):
    """A Slack workspace (team) that uses the bot."""

    __tablename__ = "workspaces"
    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    language: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    last_project_number: Mapped[int] = mapped_column(Integer, default=0)
    rules: Mapped[str | None] = mapped_column(Text)  # follow-up rules as JSON (FollowupRules); None: defaults
    summary: Mapped[str | None] = mapped_column(Text)  # weekly summary settings as JSON (SummarySettings)
    default_rate_nok: Mapped[int | None] = mapped_column(Integer)  # hourly rate of projects without their own
    nudges: Mapped[str | None] = mapped_column(Text)  # the nudge to log hours as JSON (NudgeSettings); None: off
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WorkspaceUser(Base):
    """What we know of a Slack user: admin flags (from users.info), cached to keep rights checks fast."""

    __tablename__ = "workspace_users"
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(UserId, primary_key=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    checked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Project(Base):
    __tablename__ = "projects"
    __table_args__ = (
        UniqueConstraint("team_id", "number"),
        UniqueConstraint("team_id", "name_key"),
        UniqueConstraint("team_id", "id"),
        CheckConstraint("kind in ('avgrenset', 'lopende')", name="kind"),
        CheckConstraint("state in ('active', 'paused', 'delivered')", name="state"),
        CheckConstraint("frame_minutes is null or frame_minutes > 0", name="frame_positive"),
        CheckConstraint("budget_nok is null or budget_nok > 0", name="budget_positive"),
        Index("ix_projects_team_channel", "team_id", "channel_id"),
        # Partial: only the projects marked for planning (query them with `where(Project.replan)`, which SQLite
        # gets as `replan = 1`: its predicate must read the same to be used).
        Index("ix_projects_replan", "team_id", "id", postgresql_where=text("replan"), sqlite_where=text("replan = 1")),
        # Partial: only løpende projects with monthly steps; the clock finds the ones behind the month in it.
        Index(
            "ix_projects_routine_month",
            "team_id",
            "state",
            "routine_month",
            postgresql_where=text("routine_month IS NOT NULL"),
            sqlite_where=text("routine_month IS NOT NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"))
    number: Mapped[int] = mapped_column(Integer)  # shown as P-<number>
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(600))  # casefolded name (may be longer), unique per workspace
    customer: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="active")
    channel_id: Mapped[str] = mapped_column(String(32))
    pm_user_id: Mapped[str] = mapped_column(UserId)
    start: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    frame_minutes: Mapped[int | None] = mapped_column(Integer)  # total, or per month for løpende
    budget_nok: Mapped[int | None] = mapped_column(BigInteger)
    card_channel_id: Mapped[str | None] = mapped_column(String(32))
    card_ts: Mapped[str | None] = mapped_column(String(32))
    # Set by every change that can change what the clock should plan; the clock plans these projects next tick.
    replan: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_by: Mapped[str] = mapped_column(UserId)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The routine it was made from (bot.domain.routines), at that version, with its answers and roles as JSON.
    routine_name: Mapped[str | None] = mapped_column(String(60))
    routine_version: Mapped[int | None] = mapped_column(Integer)
    routine_answers: Mapped[str | None] = mapped_column(Text)
    routine_roles: Mapped[str | None] = mapped_column(Text)
    # Made from the built-in of that name (not the workspace's own copy, which may share its name and version 1).
    routine_builtin: Mapped[bool | None] = mapped_column()
    # A løpende routine's monthly steps are made up to this month (its first day); None: it gets none.
    routine_month: Mapped[dt.date | None] = mapped_column(Date)
    rate_nok: Mapped[int | None] = mapped_column(Integer)  # hourly rate; None: the workspace default
    rollover: Mapped[bool] = mapped_column(default=False, server_default=false())  # løpende: unused hours carried
    rollover_cap_pct: Mapped[int | None] = mapped_column(Integer)  # ± this % of the monthly frame at most; None: 25

    @property
    def key(self) -> str:
        return f"P-{self.number}"


class Member(Base):
    """A person on a project and their role there ('pm' or 'member')."""

    __tablename__ = "members"
    __table_args__ = (project_fk(), CheckConstraint("role in ('pm', 'member')", name="role"))
    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    project_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(UserId, primary_key=True)
    role: Mapped[str] = mapped_column(String(8), default="member")


class ProjectRate(Base):
    """A person's own hourly rate on a project (wins over the project's and the workspace's)."""

    __tablename__ = "project_rates"
    __table_args__ = (project_fk(), CheckConstraint("rate_nok > 0", name="rate_positive"))
    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    project_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(UserId, primary_key=True)
    rate_nok: Mapped[int] = mapped_column(Integer)


class Goal(Base):
    __tablename__ = "goals"
    __table_args__ = (project_fk(), UniqueConstraint("team_id", "project_id", "title_key"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(TeamId)
    project_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    title_key: Mapped[str] = mapped_column(String(900))
    target_value: Mapped[float | None] = mapped_column()
    current_value: Mapped[float | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        project_fk(),
        Index("ix_tasks_project", "team_id", "project_id", "deadline"),
        Index("ix_tasks_owner", "team_id", "owner_user_id", "deadline"),  # App Home: my tasks
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(TeamId)
    project_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    owner_user_id: Mapped[str | None] = mapped_column(UserId)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    done_at: Mapped[dt.datetime | None] = mapped_column()
    done_by: Mapped[str | None] = mapped_column(UserId)
    created_by: Mapped[str] = mapped_column(UserId)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    estimate_minutes: Mapped[int | None] = mapped_column(Integer)  # a routine step's hours
    description: Mapped[str | None] = mapped_column(Text)


class ProgressLog(Base):
    __tablename__ = "progress_logs"
    __table_args__ = (
        project_fk(),
        CheckConstraint("minutes > 0", name="minutes_positive"),
        CheckConstraint("percent is null or (percent >= 0 and percent <= 100)", name="percent_range"),
        # The card's "latest logs" without sorting or reading a project's whole history.
        Index("ix_logs_project_latest", "team_id", "project_id", "created_at", "id"),
        # Logs by day with their minutes, from the index alone: the clock's sums per project (this month's, all)
        # and its "last log" day. (Cards and answers sum log_days instead.)
        Index("ix_logs_project_minutes", "team_id", "project_id", "logged_on", "minutes"),
        # The latest reported % of each project in one index probe (the clock's daily pass asks it of all).
        Index(
            "ix_logs_project_percent",
            "team_id",
            "project_id",
            "id",
            "percent",
            postgresql_where=text("percent is not null"),
            sqlite_where=text("percent is not null"),
        ),
        # A person's logs by day (the nudge: did they log today, where did they log lately), from the index alone.
        Index("ix_logs_user_day", "team_id", "user_id", "logged_on", "project_id", "minutes"),
        # The minutes logged against each task (`logg … oppgave:`), from the index alone and only over the logs
        # that name one: the weekly summary's steps over their estimate, the card's and `oppgaver`'s hours.
        Index(
            "ix_logs_project_task",
            "team_id",
            "project_id",
            "task_id",
            "minutes",
            postgresql_where=text("task_id is not null"),
            sqlite_where=text("task_id is not null"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(TeamId)
    project_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(UserId)
    minutes: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[int | None] = mapped_column(Integer)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    logged_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    rate_nok: Mapped[int | None] = mapped_column(Integer)  # the rate it was logged at; None: none known
    billable: Mapped[bool] = mapped_column(default=True, server_default=true())  # False: internal, hours only


class LogDay(Base):
    """The minutes logged on a project per day, kept by database triggers on `progress_logs` (migration 0007) in
    the transaction of the log itself: a card's or an answer's hours read a row a day, not every log. (On
    PostgreSQL the trigger runs at the commit: a transaction sees its own new logs here once it has committed.)"""

    __tablename__ = "log_days"
    __table_args__ = (project_fk(), CheckConstraint("minutes >= 0", name="minutes_not_negative"))
    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    project_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    logged_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    minutes: Mapped[int] = mapped_column(Integer)
    billable_minutes: Mapped[int] = mapped_column(Integer, server_default="0")
    cost_kr_minutes: Mapped[int] = mapped_column(BigInteger, server_default="0")  # Σ minutes × rate; kr = / 60


class HistoryEntry(Base):
    """Every change to a project: who, when, what, old → new."""

    __tablename__ = "history"
    __table_args__ = (project_fk(), Index("ix_history_project", "team_id", "project_id", "at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(TeamId)
    project_id: Mapped[int | None] = mapped_column(Integer)  # None: a workspace-wide change (settings)
    user_id: Mapped[str] = mapped_column(UserId)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(32))
    field: Mapped[str | None] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class Followup(Base):
    """One follow-up the clock planned: unique per (rule, subject, occasion), so it is planned once.

    Delivery claims due rows atomically (a lease, so a dead clock's claims are taken over) and records the
    message it posted; reactions and buttons on that message resolve it."""

    __tablename__ = "followups"
    __table_args__ = (
        project_fk(),
        UniqueConstraint("team_id", "rule", "subject", "occasion"),
        Index("ix_followups_due", "state", "due_at"),
        Index("ix_followups_message", "team_id", "channel_id", "message_ts"),
        Index("ix_followups_subject", "team_id", "subject", "rule"),
        Index("ix_followups_project_rule", "team_id", "project_id", "rule"),
        CheckConstraint("state in ('planned', 'claimed', 'sent', 'failed', 'cancelled')", name="state"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(TeamId)
    project_id: Mapped[int | None] = mapped_column(Integer)  # None: a channel post (weekly summary, portfolio)
    task_id: Mapped[int | None] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(32))  # "project:12" or "task:34"
    occasion: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[dt.datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(16), default="planned")
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[dt.datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(200))
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[dt.datetime | None] = mapped_column()
    # A post in several parts (a long weekly summary: the first in the channel, the rest in its thread): how many
    # are out, so a clock that takes over goes on from there.
    parts_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_at: Mapped[dt.datetime | None] = mapped_column()  # could not be posted (state failed); the series goes on
    # What people did with it: done / acknowledged / closed; a hold pauses this subject's nags until then.
    resolution: Mapped[str | None] = mapped_column(String(16))
    resolved_by: Mapped[str | None] = mapped_column(UserId)
    hold_until: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


__all__ = [
    "Base",
    "Followup",
    "Goal",
    "HandledRequest",
    "HistoryEntry",
    "HomeUser",
    "Member",
    "MonthApproval",
    "NudgePerson",
    "ProgressLog",
    "Project",
    "ProjectRate",
    "RoutineMonth",
    "RoutineRow",
    "Task",
    "Workspace",
    "WorkspaceUser",
    "func",
]
