"""What every table module shares: the one `Base` (its metadata names constraints the same way on SQLite and
PostgreSQL), the id column types, UTC datetimes, and the foreign key that keeps a child row in its workspace."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKeyConstraint, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TeamId = String(32)
UserId = String(32)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stored in UTC, always read back aware (SQLite would otherwise drop offsets and return naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give it a time zone")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime()}


def project_fk() -> ForeignKeyConstraint:
    # (team_id, project_id) -> projects(team_id, id): a child row can never point into another workspace.
    return ForeignKeyConstraint(["team_id", "project_id"], ["projects.team_id", "projects.id"], ondelete="CASCADE")
