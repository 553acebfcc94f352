"""Tables of the work around projects: a workspace's own routines and the months made from them, approved months,
who opened App Home, and the Slack deliveries already handled. Re-exported by `storage.models`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema_base import Base, TeamId, UserId, project_fk, utcnow


class RoutineRow(Base):
    """One version of a workspace's own routine: its YAML file as `body` (bot.domain.routines.load_routine reads
    it); name, title and kind kept beside it for lists. The built-ins are files, not rows."""

    __tablename__ = "routines"
    __table_args__ = (
        UniqueConstraint("team_id", "name", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"))
    name: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(UserId)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RoutineMonth(Base):
    """A month whose monthly steps a løpende project got from its routine: the key that makes them once, whichever
    clock makes them (inserted ON CONFLICT DO NOTHING in the transaction that makes the tasks)."""

    __tablename__ = "routine_months"
    __table_args__ = (project_fk(),)
    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    project_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # its first day
    steps: Mapped[int] = mapped_column(Integer)  # tasks made
    made_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MonthApproval(Base):
    """A project's month (its first day) approved: its hours can no longer be added or changed until reopened."""

    __tablename__ = "month_approvals"
    __table_args__ = (project_fk(),)
    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    project_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    approved_by: Mapped[str] = mapped_column(UserId)
    approved_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class HomeUser(Base):
    """Someone who has opened the bot's App Home: their Home is published again when a change touches them."""

    __tablename__ = "home_users"
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(UserId, primary_key=True)
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class HandledRequest(Base):
    """Ids of Slack deliveries already acted on (event ids, view submissions), so retries take effect once."""

    __tablename__ = "handled_requests"
    team_id: Mapped[str] = mapped_column(TeamId, primary_key=True)
    request_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    handled_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
