"""The hours export (issue 13): which logs it holds (`ExportFilter`), one row per log (`ExportRow`), and the
totals per project and person (`Totals`). Pure: storage streams the rows, bot.slack.render.export_files writes
them, the use case and the CLI decide the filter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from bot.domain.periods import Period


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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One log as the files show it. Hours in hundredths and the amount in øre, as integers (rounded half up):
    exact, and a fraction of Decimal's cost per row."""

    day: dt.date
    project_key: str
    project_name: str
    customer: str
    person: str
    task: str
    minutes: int
    billable: bool
    rate: int | None
    amount_ore: int | None  # billable minutes × the rate; None: not billable, or no rate known
    description: str
    approved: bool

    @property
    def hours_cents(self) -> int:
        return hundredths(self.minutes)


def hundredths(minutes: int) -> int:
    """Hours in hundredths of an hour, rounded half up: 20 min -> 33, 25 min -> 42."""
    return (minutes * 200 + 60) // 120


def amount_ore(minutes: int, rate: int | None, billable: bool) -> int | None:
    """Minutes × kroner an hour, in øre rounded half up; None when not billable or no rate is known."""
    if not billable or rate is None:
        return None
    return (minutes * rate * 200 + 60) // 120


def export_rows(logs: Iterable[LogRow], names: Mapping[str, str]) -> Iterator[ExportRow]:
    """Each log as a row; a person by their real name when known, else their Slack id."""
    for log in logs:
        yield ExportRow(log.logged_on, f"P-{log.project_number}", log.project_name, log.customer,
                        names.get(log.user_id) or log.user_id, log.task or "", log.minutes, log.billable,
                        log.rate_nok, amount_ore(log.minutes, log.rate_nok, log.billable), log.description,
                        log.approved)


@dataclass
class Total:
    project_key: str
    project_name: str
    person: str
    minutes: int = 0
    billable_minutes: int = 0
    amount_ore: int = 0


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
        if row.amount_ore is not None:
            total.amount_ore += row.amount_ore

    def sorted(self) -> list[Total]:
        """By project number, then person."""
        return sorted(self._by.values(), key=lambda t: (int(t.project_key[2:]), t.person.casefold()))

    def grand(self) -> Total:
        whole = Total("", "", "")
        for total in self._by.values():
            whole.minutes += total.minutes
            whole.billable_minutes += total.billable_minutes
            whole.amount_ore += total.amount_ore
        return whole
