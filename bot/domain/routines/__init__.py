"""Routines (docs/product.md §9): the model, date rules in working days, YAML files, planning a project from a
routine and saving a project as one. Pure: no Slack, no SQL, no clock reads. Messages: bot/slack/i18n/routines.py.

* `daterules`: `DateRule` (`start+N`, `frist-N`, `måned:N`, `måned:siste`) and `Condition` (`ga4 = nei`).
* `model`: `Routine` and its parts, `RoutineError`, `build_routine`.
* `files`: `load_routine`, `dump_routine`, `builtin_routines` (the YAML files in `builtin/`).
* `planning`: `plan_steps`, `steps_for_month`.
* `saving`: `routine_from_tasks`.
* `lines`: `routine_lines`, `routine_from_lines` (the text of the `rutine rediger` editor).
"""

from bot.domain.routines.daterules import Condition, DateRule
from bot.domain.routines.files import builtin_routines, dump_routine, load_routine
from bot.domain.routines.model import (
    MAX_STEPS,
    GoalTemplate,
    Question,
    Routine,
    RoutineError,
    Step,
    build_routine,
)
from bot.domain.routines.planning import (
    Plan,
    PlannedStep,
    plan_steps,
    resolve_answers,
    resolve_roles,
    steps_for_month,
)
from bot.domain.routines.saving import SourceTask, routine_from_tasks, slugify

__all__ = [
    "MAX_STEPS",
    "Condition",
    "DateRule",
    "GoalTemplate",
    "Plan",
    "PlannedStep",
    "Question",
    "Routine",
    "RoutineError",
    "SourceTask",
    "Step",
    "build_routine",
    "builtin_routines",
    "dump_routine",
    "load_routine",
    "plan_steps",
    "resolve_answers",
    "resolve_roles",
    "routine_from_tasks",
    "slugify",
    "steps_for_month",
]
