"""A routine (docs/product.md §9): a named, versioned recipe for one product the agency sells.

Pydantic, strict, `extra="forbid"`. Field checks raise PydanticCustomError with a catalog key as its type;
checks across fields (conditions against questions, steps against roles) raise RoutineError with the location
itself. `build_routine()` turns either into one RoutineError (bot/slack/i18n/routines.py has the messages).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bot.domain.errors import UserError
from bot.domain.routines.daterules import NO, YES, Condition, DateRule, yes_no

__all__ = [
    "MAX_STEPS",
    "GoalTemplate",
    "Question",
    "Routine",
    "RoutineError",
    "Step",
    "build_routine",
    "field_path",
]

MAX_STEPS = 200
PL = "pl"
Loc = tuple[str | int, ...]


class RoutineError(UserError):
    """A routine that is not valid: `key` (routine.*) and params say what, `field` where (`steps[4].date`, lists
    counted from 1 as people count), `line` the line in the YAML file (None when not from a file), `loc` the
    location as pydantic gives it (0-based) and `reason` a short technical English text for logs."""

    def __init__(
        self, key: str, /, *, loc: Loc = (), line: int | None = None, reason: str = "", **params: Any
    ) -> None:
        super().__init__(key, field=field_path(loc) or None, **params)
        self.loc = loc
        self.line = line
        self.reason = reason or key

    def __repr__(self) -> str:
        return f"RoutineError({self.key!r}, field={self.field!r}, line={self.line!r}, params={self.params!r})"


def field_path(loc: Loc) -> str:
    """`("steps", 3, "date")` -> `steps[4].date`."""
    path = ""
    for part in loc:
        if part == "[key]":  # pydantic's mark for a mapping's key: the key itself names the place
            continue
        path += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _custom(key: str, reason: str, **params: Any) -> PydanticCustomError:
    return PydanticCustomError(key, reason, params)


def _parsed(cls: type[DateRule] | type[Condition], key: str) -> Any:
    """Validate from text (or an instance) with `cls.parse`."""

    def parse(value: Any) -> Any:
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            try:
                return cls.parse(value)
            except ValueError:
                pass
        raise _custom(key, f"cannot read {value!r}", value=str(value))

    return PlainValidator(parse, json_schema_input_type=str)


_AS_TEXT = PlainSerializer(lambda value: value.format(), return_type=str)


def _slug(key: str, pattern: str, max_length: int) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, str) and re.fullmatch(pattern, value) and len(value) <= max_length:
            return value
        raise _custom(key, f"not a key: {value!r}", value=str(value))

    return BeforeValidator(check)


def _alias(mapping: Mapping[str, str], key: str) -> Any:
    """Accept the ways people write a value (`løpende`), keep the canonical one (`lopende`)."""

    def check(value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in mapping:
            return mapping[value.strip().lower()]
        choices = " / ".join(sorted(set(mapping.values())))
        raise _custom(key, f"unknown value {value!r}", value=str(value), choices=choices)

    return BeforeValidator(check)


def _hours(value: Any) -> Any:
    """`2,5` as written in Norwegian, from a YAML string."""
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return value
    return value


def _answer(value: Any) -> Any:
    """YAML reads `yes`/`no` as booleans: take them as `ja`/`nei`."""
    return (YES if value else NO) if isinstance(value, bool) else value


def _plain(line_breaks: bool) -> Any:
    """No control characters (YAML reads some as line breaks, Slack shows none), line breaks only where asked."""
    allowed = {"\n", "\t"} if line_breaks else set()

    def check(value: str) -> str:
        if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") and char not in allowed for char in value):
            raise _custom("routine.text_control", f"control character in {value!r}")
        return value

    return AfterValidator(check)


Slug = Annotated[str, _slug("routine.name_invalid", r"[a-z0-9]+(?:-[a-z0-9]+)*", 60)]
Key = Annotated[str, _slug("routine.key_invalid", r"[a-z][a-z0-9_]*", 30)]
_ONE_LINE, _LINES = _plain(False), _plain(True)
Text = Annotated[str, Field(min_length=1, max_length=300), _ONE_LINE]
Label = Annotated[str, Field(min_length=1, max_length=80), _ONE_LINE]
Unit = Annotated[str, Field(min_length=1, max_length=40), _ONE_LINE]
LongText = Annotated[str, Field(min_length=1, max_length=3000), _LINES]
Kind = Annotated[
    Literal["avgrenset", "lopende"],
    _alias({"avgrenset": "avgrenset", "lopende": "lopende", "løpende": "lopende"}, "routine.kind_invalid"),
]
QuestionType = Annotated[
    Literal["yesno", "choice"],
    _alias({"yesno": "yesno", "ja/nei": "yesno", "choice": "choice", "valg": "choice"},
           "routine.question_type_invalid"),
]
Hours = Annotated[float, BeforeValidator(_hours)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, str_strip_whitespace=True)


class GoalTemplate(_Strict):
    """A goal the project starts with; its target is filled in per customer."""

    name: Text
    unit: Unit | None = None


class Question(_Strict):
    key: Key
    text: Text
    type: QuestionType = "yesno"
    choices: Annotated[list[Label], Field(max_length=20)] = []
    default: Annotated[Label, BeforeValidator(_answer)]

    @property
    def answers(self) -> list[str]:
        return [YES, NO] if self.type == "yesno" else self.choices

    def canonical(self, value: str) -> str | None:
        """The answer as spelled in the routine (`Nei`, `no` -> `nei`), or None when it is not one."""
        if self.type == "yesno":
            return yes_no(value)
        folded = value.strip().casefold()
        return next((choice for choice in self.choices if choice.casefold() == folded), None)


class Step(_Strict):
    title: Text
    description: LongText | None = None
    role: Key = PL
    hours: Annotated[Hours, Field(ge=0, le=1000)] = 0.0
    date: Annotated[DateRule, _parsed(DateRule, "routine.rule_invalid"), _AS_TEXT]
    condition: Annotated[Condition, _parsed(Condition, "routine.condition_invalid"), _AS_TEXT] | None = None

    @property
    def minutes(self) -> int:
        return round(self.hours * 60)


class Routine(_Strict):
    name: Slug
    title: Text
    version: Annotated[int, Field(ge=1)] = 1
    kind: Kind
    description: LongText | None = None
    hours_frame: Annotated[Hours, Field(gt=0, le=100_000)] | None = None  # total (avgrenset) or per month
    cost_frame: Annotated[int, Field(gt=0, le=1_000_000_000)] | None = None  # NOK
    goals: Annotated[list[GoalTemplate], Field(max_length=20)] = []
    roles: Annotated[dict[Key, Label], Field(max_length=30, validate_default=True)] = {}
    questions: Annotated[list[Question], Field(max_length=20)] = []
    steps: Annotated[list[Step], Field(min_length=1, max_length=MAX_STEPS)]

    @field_validator("roles")
    @classmethod
    def _pl_always(cls, roles: dict[str, str]) -> dict[str, str]:
        return roles if PL in roles else {PL: "PL", **roles}

    @model_validator(mode="after")
    def _consistent(self) -> Routine:
        _check_questions(self.questions)
        _check_steps(self)
        return self

    @property
    def frame_minutes(self) -> int | None:
        return round(self.hours_frame * 60) if self.hours_frame is not None else None

    @property
    def needs_deadline(self) -> bool:
        return any(step.date.anchor == "deadline" for step in self.steps)

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)


def _check_questions(questions: list[Question]) -> None:
    seen: set[str] = set()
    for i, q in enumerate(questions):
        at: Loc = ("questions", i)
        if q.key in seen:
            raise RoutineError("routine.duplicate_question", loc=(*at, "key"), key=q.key)
        seen.add(q.key)
        if q.type == "yesno" and q.choices:
            raise RoutineError("routine.choices_not_allowed", loc=(*at, "choices"), key=q.key)
        if q.type == "choice" and len(q.choices) < 2:
            raise RoutineError("routine.choices_missing", loc=(*at, "choices"), key=q.key)
        folded = [choice.casefold() for choice in q.choices]
        if len(set(folded)) < len(folded):
            raise RoutineError("routine.choice_duplicate", loc=(*at, "choices"), key=q.key)
        default = q.canonical(q.default)
        if default is None:
            raise RoutineError("routine.default_not_choice", loc=(*at, "default"), value=q.default,
                               choices=" / ".join(q.answers))
        if default != q.default:  # the model is frozen, but its list is ours while validating
            questions[i] = q.model_copy(update={"default": default})


def _check_steps(routine: Routine) -> None:
    titles: set[str] = set()
    for i, step in enumerate(routine.steps):
        at: Loc = ("steps", i)
        title = step.title.casefold()
        if title in titles:
            raise RoutineError("routine.duplicate_step", loc=(*at, "title"), title=step.title)
        titles.add(title)
        if step.role not in routine.roles:
            raise RoutineError("routine.role_unknown", loc=(*at, "role"), role=step.role,
                               known=", ".join(routine.roles))
        if step.date.monthly and routine.kind == "avgrenset":
            raise RoutineError("routine.rule_monthly_in_avgrenset", loc=(*at, "date"), value=step.date.format())
        if step.condition is not None:
            condition = _checked_condition(routine, step.condition, (*at, "condition"))
            if condition != step.condition:
                routine.steps[i] = step.model_copy(update={"condition": condition})


def _checked_condition(routine: Routine, condition: Condition, loc: Loc) -> Condition:
    question = routine.question(condition.question)
    if question is None:
        raise RoutineError("routine.condition_unknown_question", loc=loc, question=condition.question,
                           known=", ".join(q.key for q in routine.questions) or "–")
    value = question.canonical(condition.value)
    if value is None:
        raise RoutineError("routine.condition_value", loc=loc, question=question.key, value=condition.value,
                           choices=" / ".join(question.answers))
    return Condition(question.key, value, condition.negated)


# ---------------------------------------------------------------- pydantic's errors as ours

_TYPE_KEYS = {
    "missing": "routine.field_missing",
    "extra_forbidden": "routine.field_unknown",
    "string_type": "routine.not_text",
    "float_type": "routine.not_number",
    "int_type": "routine.not_whole_number",
    "list_type": "routine.not_list",
    "dict_type": "routine.not_mapping",
    "model_type": "routine.not_mapping",
    "model_attributes_type": "routine.not_mapping",
    "string_too_short": "routine.text_empty",
    "string_too_long": "routine.text_too_long",
    "greater_than": "routine.number_min",
    "greater_than_equal": "routine.number_min",
    "less_than_equal": "routine.number_max",
    "too_long": "routine.too_many",
}
_MODELS: dict[str, type[BaseModel]] = {"goals": GoalTemplate, "questions": Question, "steps": Step}


def _known_fields(loc: Loc) -> str:
    model: type[BaseModel] = _MODELS.get(str(loc[0]), Routine) if len(loc) == 3 else Routine
    return ", ".join(model.model_fields)


def _from_pydantic(error: Mapping[str, Any]) -> RoutineError:
    loc: Loc = tuple(error["loc"])
    ctx = dict(error.get("ctx") or {})
    kind, reason = error["type"], error["msg"]
    name = next((str(part) for part in reversed(loc) if isinstance(part, str) and part != "[key]"), "")
    if kind.startswith("routine."):
        return RoutineError(kind, loc=loc, reason=reason, **{"name": name, **ctx})
    if not loc:
        return RoutineError("routine.not_a_routine", reason=reason)
    if loc == ("steps",) and kind in ("too_long", "too_short"):
        return RoutineError("routine.too_many_steps" if kind == "too_long" else "routine.no_steps", loc=loc,
                            reason=reason, max=MAX_STEPS)
    params: dict[str, Any] = {"name": name}
    if kind == "extra_forbidden":
        params["known"] = _known_fields(loc)
    for param, limit in (("max", "max_length"), ("max", "le"), ("min", "gt"), ("min", "ge")):
        if limit in ctx:
            params[param] = ctx[limit]
    return RoutineError(_TYPE_KEYS.get(kind, "routine.value_invalid"), loc=loc, reason=reason, **params)


def build_routine(data: Any, *, locate: Callable[[Loc], int | None] | None = None) -> Routine:
    """A valid routine from plain data (a YAML document, a modal's values), or a RoutineError: the first one,
    or with `locate` (a location's line in the file) the one on the earliest line, its `line` set."""
    try:
        return Routine.model_validate(data)
    except RoutineError as exc:
        if locate:
            exc.line = locate(exc.loc)
        raise
    except ValidationError as exc:
        errors = [_from_pydantic(error) for error in exc.errors(include_url=False)]
    if locate:
        for error in errors:
            error.line = locate(error.loc)
        errors.sort(key=lambda error: error.line or 0)
    raise errors[0]
