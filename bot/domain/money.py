"""Hourly rates and cost (docs/product.md §10). Pure: what users type for a rate, which rate a log gets, and cost.

A rate (*timepris*) is whole kroner an hour. A log gets the person's rate on the project, else the project's, else
the workspace default, else none; it keeps that rate (`progress_logs.rate_nok`), so changing a rate never changes
the cost of hours logged before. Cost is summed as minutes × rate (`log_days.cost_kr_minutes`): kroner are that
sum / 60, rounded only when shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bot.domain.errors import UserError
from bot.domain.parsing import echo, parse_user

MAX_RATE = 100_000  # kr an hour
INTERNAL_WORDS = frozenset({"intern", "internal"})  # `logg P-3 1t intern Internmøte`: not billable

_RATE = re.compile(r"(?:kr\.? ?|nok ?)?(\d{1,3}(?:[ \u00a0.]\d{3})+|\d+)(?: ?(?:kr\.?|nok|,-|\.-))?(?: ?(?:/t|/h))?",
                   re.IGNORECASE | re.ASCII)


def parse_rate(text: str, *, field: str = "rate", form: bool = False) -> int:
    """A rate: a positive whole number of kroner (`1250`, `1 250`, `1250 kr`, `kr 1250`), at most MAX_RATE. The
    error says how to write it in a command (`timepris:1250`), or in a form's field (`form`)."""
    match = _RATE.fullmatch(" ".join(text.split()))
    amount = int(re.sub(r"\D", "", match[1])) if match else None
    if amount is None or not 0 < amount <= MAX_RATE:
        raise UserError("rate.invalid_form" if form else "rate.invalid", field=field, value=echo(text), max=MAX_RATE)
    return amount


def parse_rate_field(text: str) -> int:
    """A rate typed in a form's field."""
    return parse_rate(text, form=True)


@dataclass(frozen=True)
class RateChange:
    """What `timepris:` said: the project's rate and people's own rates on the project (None: leave as it is)."""

    project: int | None = None
    people: tuple[tuple[str, int], ...] = ()  # (user id, rate), in the order given
    removed: tuple[str, ...] = ()  # people whose own rate goes (the form: a person with the rate emptied)
    fields: tuple[tuple[str, str], ...] = ()  # the form: (user id, the field that named them), for errors there

    def __bool__(self) -> bool:
        return self.project is not None or bool(self.people) or bool(self.removed)

    def field_of(self, user_id: str) -> str:
        """The field an error about this person belongs on (`rate` on the command line)."""
        return dict(self.fields).get(user_id, "rate")


def parse_rates(values: list[str], *, field: str = "rate") -> RateChange:
    """`timepris:` values, raw as Slack sent them: `1250` (the project's), `@ola=1100` (a person's, repeatable)."""
    project: int | None = None
    people: dict[str, int] = {}
    for value in values:
        who, equals, amount = value.partition("=")
        if not equals:
            if project is not None:
                raise UserError("rate.twice", field=field)
            project = parse_rate(value, field=field)
            continue
        try:
            user_id = parse_user(who)
        except UserError:
            raise UserError("rate.person_invalid", field=field, value=echo(who)) from None
        if user_id in people:
            raise UserError("rate.twice", field=field)
        people[user_id] = parse_rate(amount, field=field)
    return RateChange(project, tuple(people.items()))


def person_rate_fields(index: int) -> tuple[str, str]:
    """The form's fields of its `index`th (from 1) person's own rate: the person, the rate."""
    return f"person_{index}", f"person_rate_{index}"


def parse_person_rates(values: Mapping[str, Any], project: int | None = None) -> RateChange:
    """The form's people and their own rates (a person picker and a rate field per row, as many rows as it has):
    a person with a rate gets it, a person with the rate emptied gets none, a rate without a person is refused, as
    is a person twice; a rate as the command reads it. `project`: the project's own rate from the same form."""
    people: dict[str, int] = {}
    removed: list[str] = []
    fields: dict[str, str] = {}
    index = 1
    while person_rate_fields(index)[0] in values:
        person_field, rate_field = person_rate_fields(index)
        user_id, text = values.get(person_field), (values.get(rate_field) or "").strip()
        index += 1
        if not user_id:
            if text:
                raise UserError("rate.person_missing_form", field=person_field)
            continue
        if user_id in fields:
            raise UserError("rate.person_twice_form", field=person_field)
        fields[user_id] = person_field
        if not text:
            removed.append(user_id)
            continue
        try:
            people[user_id] = parse_rate(text, form=True)
        except UserError as exc:
            exc.field = rate_field
            raise
    return RateChange(project, tuple(people.items()), tuple(removed), tuple(fields.items()))


def rate_for(person: int | None, project: int | None, default: int | None) -> int | None:
    """The rate a log gets: the person's on the project, else the project's, else the workspace default."""
    return next((rate for rate in (person, project, default) if rate is not None), None)


def cost_nok(cost_kr_minutes: int) -> int:
    """Kroner from a sum of minutes × rate, rounded half up."""
    return int((Decimal(cost_kr_minutes) / 60).to_integral_value(rounding=ROUND_HALF_UP))

