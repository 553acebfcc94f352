"""The hours export's SQL: the logs an `ExportFilter` holds, streamed in one statement joined with their project,
task and month approval; their count and their people (asked before the rows, for the answer and the names).

`stream` reads through a server-side cursor on PostgreSQL (inside a read-only snapshot, so the rows are those of one
moment) and SQLite's stepping cursor, `CHUNK` rows at a time: memory stays flat whatever the month holds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Date, Select, and_, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from bot.domain.export import ExportFilter, LogRow
from storage import sql
from storage.models import MonthApproval, ProgressLog, Project, Task

CHUNK = 2000


class month_start(FunctionElement[Any]):  # noqa: N801 (an SQL function's name)
    """The first day of a date's month, as a DATE (month_approvals.month's form)."""

    type = Date()
    inherit_cache = True


@compiles(month_start)
def _month_start_default(element: month_start, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"  # SQLite: 'YYYY-MM-01'


@compiles(month_start, "postgresql")
def _month_start_pg(element: month_start, compiler: Any, **kw: Any) -> str:
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


def _where(f: ExportFilter) -> list[ColumnElement[bool]]:
    where = [ProgressLog.team_id == f.team_id, ProgressLog.logged_on >= f.period.start,
             ProgressLog.logged_on <= f.period.end]
    if f.project_id is not None:
        where.append(ProgressLog.project_id == f.project_id)
    if f.customers is not None:
        where.append(Project.customer.in_(f.customers))
    if f.viewer is not None:  # their own hours, and every hour of the projects they lead
        where.append(or_(ProgressLog.user_id == f.viewer, Project.pm_user_id == f.viewer))
    return where


def _logs(columns: list[Any], f: ExportFilter) -> Select[Any]:
    return (select(*columns).select_from(ProgressLog)
            .join(Project, and_(Project.team_id == ProgressLog.team_id, Project.id == ProgressLog.project_id))
            .where(*_where(f)))


def count(session: Session, f: ExportFilter) -> int:
    return int(sql.core(session).execute(_logs([func.count()], f)).scalar_one())


def people(session: Session, f: ExportFilter) -> list[str]:
    """The Slack ids of the people whose logs the export holds."""
    stmt = _logs([ProgressLog.user_id], f).distinct().order_by(ProgressLog.user_id)
    return list(sql.core(session).execute(stmt).scalars())


def customers(session: Session, team_id: str) -> list[str]:
    """Every customer name the workspace's projects have, each once."""
    stmt = select(Project.customer).where(Project.team_id == team_id).distinct().order_by(Project.customer)
    return list(sql.core(session).execute(stmt).scalars())


def _rows_statement(f: ExportFilter) -> Select[Any]:
    approved = and_(MonthApproval.team_id == ProgressLog.team_id, MonthApproval.project_id == ProgressLog.project_id,
                    MonthApproval.month == month_start(ProgressLog.logged_on))
    columns = [ProgressLog.logged_on, Project.number, Project.name, Project.customer, ProgressLog.user_id,
               Task.title, ProgressLog.minutes, ProgressLog.billable, ProgressLog.rate_nok, ProgressLog.description,
               MonthApproval.month.is_not(None)]
    return (_logs(columns, f)
            .outerjoin(Task, and_(Task.id == ProgressLog.task_id, Task.team_id == ProgressLog.team_id))
            .outerjoin(MonthApproval, approved)
            .order_by(ProgressLog.logged_on, Project.number, ProgressLog.created_at, ProgressLog.id))


def stream(session: Session, f: ExportFilter) -> Iterator[LogRow]:
    """The logs in date order (then project, then as logged), as they come from the database."""
    conn = sql.core(session)
    if conn.dialect.name == "postgresql":  # a server-side cursor lives in a transaction: a read-only snapshot
        dbapi = conn.connection.driver_connection
        from psycopg.pq import TransactionStatus  # (here: a process on SQLite does not load psycopg)

        if dbapi is not None and dbapi.info.transaction_status == TransactionStatus.IDLE:
            dbapi.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    result = conn.execution_options(yield_per=CHUNK).execute(_rows_statement(f))
    for day, number, name, customer, user_id, task, minutes, billable, rate, description, approved in result:
        yield LogRow(day, number, name, customer, user_id, task, minutes, bool(billable), rate, description or "",
                     bool(approved))
