"""The routine a project is made from, as the project's row keeps it (written with the project's INSERT)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    """The routine a project is made from, as its row stores it (bot.usecases.routines): answers and roles as
    JSON, a løpende routine's first month (made with the project), whether it was a built-in."""

    routine_name: str
    routine_version: int
    routine_answers: str
    routine_roles: str
    routine_month: dt.date | None = None
    routine_builtin: bool | None = None
