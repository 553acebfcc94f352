"""Hourly rates on a project (docs/product.md §10): the project's own and people's own, changed by its PL or an
admin (`ramme P-3 timepris:1350 timepris:@ola=1100`; the modals, with a person picker and a rate per row, where
emptying a person's rate removes it), each change in the history as old → new.

The rate a log gets is decided in the log's INSERT (storage.projects.add_log, by bot.domain.money.rate_for's rule);
the workspace default is a setting (bot.usecases.workspace_settings).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.orm import Session

from bot.domain.errors import UserError
from bot.domain.money import RateChange
from storage import rates as rate_db
from storage.models import HistoryEntry, Project, ProjectRate


def check_people(people_rates: Iterable[tuple[str, int]], people: set[str], key: str | None,
                 form: RateChange | None = None) -> None:
    """Only someone in the project (PL, member, task owner) may have their own rate on it. `form`: the rates came
    from a form; the error goes on the field that named the person (and names nobody: a form's error is plain
    text)."""
    for user_id, _ in people_rates:
        if user_id not in people:
            field = form.field_of(user_id) if form is not None else "rate"
            suffix = "_form" if form is not None else ""
            if key is None:
                raise UserError(f"rate.person_not_in_new_project{suffix}", field=field, person=user_id)
            raise UserError(f"rate.person_not_in_project{suffix}", field=field, person=user_id, key=key)


def add_people(session: Session, project: Project, people_rates: Iterable[tuple[str, int]], people: set[str]) -> None:
    """A new project's own rates for people in it (its PL and members)."""
    people_rates = list(people_rates)
    check_people(people_rates, people, None)
    session.add_all(ProjectRate(team_id=project.team_id, project_id=project.id, user_id=user_id, rate_nok=rate)
                    for user_id, rate in people_rates)


def person_value(user_id: str, rate: int | None) -> str | None:
    """A person's rate as the history keeps it: `U012AB3CD=1100` (None: none)."""
    return None if rate is None else f"{user_id}={rate}"


def change_rates(session: Session, *, team_id: str, user_id: str, at: dt.datetime, project: Project,
                 change: RateChange) -> int:
    """Set the project's rate and people's rates on it (the caller checked the rights); every value that changes
    goes to the history. How many changed (0: they already were so)."""

    def record(field: str, old: object, new: object) -> None:
        session.add(HistoryEntry(team_id=team_id, project_id=project.id, user_id=user_id, at=at,
                                 action="frame_changed", field=field, old_value=None if old is None else str(old),
                                 new_value=None if new is None else str(new)))

    if change.people:
        check_people(change.people, rate_db.project_people(session, team_id, project), project.key,
                     change if change.fields else None)
    changed = 0
    if change.project is not None and change.project != project.rate_nok:
        record("rate_nok", project.rate_nok, change.project)
        project.rate_nok = change.project
        changed += 1
    current = rate_db.person_rates(session, team_id, project.id) if change.people or change.removed else {}
    for person, rate in change.people:
        if current.get(person) != rate:
            record("person_rate", person_value(person, current.get(person)), person_value(person, rate))
            rate_db.put_person_rate(session, team_id, project.id, person, rate)
            changed += 1
    for person in change.removed:
        if person in current:
            record("person_rate", person_value(person, current[person]), None)
            rate_db.delete_person_rate(session, team_id, project.id, person)
            changed += 1
    session.flush()
    return changed
