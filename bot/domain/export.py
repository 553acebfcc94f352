"""The hours export (issue 13): which logs it holds (`ExportFilter`), one row per log (`ExportRow`), and the
totals per project and person (`Totals`). Pure: storage streams the rows, bot.slack.render.export_files writes
them, the use case and the CLI decide the filter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from bot.domain.periods import Period

CENT = Decimal("0.01")


@dataclass(frozen=True)
class ExportFilter:
    """The logs of workspace `team_id` dated in `period`; of one project, or of the projects of some customers
    (exact names), when given. `viewer`: only the logs this user may see (their own hours and every hour of the
    projects they lead); None: all (an admin, the operator)."""

    team_id: str
    period: Period
    project_id: int | None = None
    customers: tuple[str, ...] | None = None
    viewer: str | None = None


@dataclass(frozen=True)
class LogRow:
    """One log as storage reads it (the export's one statement)."""

    logged_on: dt.date
    project_number: int
    project_name: str
    customer: str
    user_id: str
    task: str | None
    minutes: int
    billable: bool
    rate_nok: int | None
    description: str
    approved: bool


@dataclass(frozen=True)
class ExportRow:
    """One log as the files show it: hours and money as Decimals (hours to 2 decimals, the amount to øre)."""

    day: dt.date
    project_key: str
    project_name: str
    customer: str
    person: str
    task: str
    hours: Decimal
    billable: bool
    rate: int | None
    amount: Decimal | None  # billable hours × the rate; None: not billable, or no rate known
    description: str
    approved: bool
    minutes: int = 0


def amount_of(minutes: int, rate: int | None, billable: bool) -> Decimal | None:
    if not billable or rate is None:
        return None
    return (Decimal(minutes) * rate / 60).quantize(CENT, ROUND_HALF_UP)


def hours_of(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(CENT, ROUND_HALF_UP)


def export_rows(logs: Iterable[LogRow], names: Mapping[str, str]) -> Iterator[ExportRow]:
    """Each log as a row; a person by their real name when known, else their Slack id."""
    for log in logs:
        yield ExportRow(
            day=log.logged_on, project_key=f"P-{log.project_number}", project_name=log.project_name,
            customer=log.customer, person=names.get(log.user_id) or log.user_id, task=log.task or "",
            hours=hours_of(log.minutes), billable=log.billable, rate=log.rate_nok,
            amount=amount_of(log.minutes, log.rate_nok, log.billable), description=log.description,
            approved=log.approved, minutes=log.minutes,
        )


@dataclass
class Total:
    project_key: str
    project_name: str
    person: str
    minutes: int = 0
    billable_minutes: int = 0
    amount: Decimal = field(default_factory=Decimal)

    @property
    def hours(self) -> Decimal:
        return hours_of(self.minutes)

    @property
    def billable_hours(self) -> Decimal:
        return hours_of(self.billable_minutes)


class Totals:
    """Sums per (project, person), added to row by row as the rows stream past: memory grows with the number of
    project-person pairs, not with the rows."""

    def __init__(self) -> None:
        self._by: dict[tuple[str, str], Total] = {}
        self.rows = 0

    def add(self, row: ExportRow) -> None:
        self.rows += 1
        key = (row.project_key, row.person)
        total = self._by.get(key)
        if total is None:
            total = self._by[key] = Total(row.project_key, row.project_name, row.person)
        total.minutes += row.minutes
        if row.billable:
            total.billable_minutes += row.minutes
        if row.amount is not None:
            total.amount += row.amount

    def sorted(self) -> list[Total]:
        """By project number, then person."""
        return sorted(self._by.values(), key=lambda t: (int(t.project_key[2:]), t.person.casefold()))

    def grand(self) -> Total:
        whole = Total("", "", "")
        for total in self._by.values():
            whole.minutes += total.minutes
            whole.billable_minutes += total.billable_minutes
            whole.amount += total.amount
        return whole
