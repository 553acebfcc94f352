"""Routines as data: the model's checks, YAML files with errors on their line, round trips, the built-ins
(bot/domain/routines/model.py, files.py) and their messages (bot/slack/i18n/routines.py)."""

from __future__ import annotations

import string
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.domain.errors import UserError
from bot.domain.routines import (
    MAX_STEPS,
    Condition,
    DateRule,
    Routine,
    RoutineError,
    build_routine,
    builtin_routines,
    dump_routine,
    load_routine,
)
from bot.slack.i18n import CATALOG, t

BASE = """\
name: test-rutine
title: Test
version: 1
kind: avgrenset
roles:
  seo: SEO-rådgiver
questions:
  - key: ga4
    text: Har kunden GA4?
    type: yesno
    default: nei
  - key: omfang
    text: Hvor stort?
    type: choice
    choices: [Lite, Stort]
    default: Lite
steps:
  - title: Oppstart
    hours: 2
    date: start+0
  - title: Sette opp GA4
    role: seo
    date: start+2
    condition: ga4 = nei
  - title: Rapport
    date: frist-2
"""


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def refused(text: str) -> RoutineError:
    with pytest.raises(RoutineError) as caught:
        load_routine(text)
    error = caught.value
    for lang in ("nb", "en"):  # every error reads in both languages with the params it has
        message = t(error.key, lang, **error.params)
        assert "{" not in message
        if error.field:
            t("routine.at_line", lang, line=error.line, field=error.field, reason=message)
    return error


def test_the_base_file_is_a_routine() -> None:
    routine = load_routine(BASE)
    assert routine.name == "test-rutine" and routine.kind == "avgrenset" and routine.version == 1
    assert routine.roles == {"pl": "PL", "seo": "SEO-rådgiver"}  # pl always exists
    assert [step.role for step in routine.steps] == ["pl", "seo", "pl"]
    assert routine.steps[0].minutes == 120 and routine.steps[2].minutes == 0
    assert routine.steps[1].date == DateRule("start", 2)
    assert routine.steps[1].condition == Condition("ga4", "nei")
    assert routine.questions[1].answers == ["Lite", "Stort"]
    assert routine.needs_deadline
    assert isinstance(RoutineError("routine.rule_invalid"), UserError)


def test_what_people_write_is_accepted_and_kept_canonical() -> None:
    text = (BASE.replace("kind: avgrenset", "kind: Løpende").replace("hours: 2", "hours: '2,5'")
            .replace("default: nei", "default: no").replace("ga4 = nei", "GA4 = Nei")
            .replace("default: Lite", "default: stort").replace("type: choice", "type: valg")
            .replace("date: frist-2", "date: month:last"))
    routine = load_routine(text)
    assert routine.kind == "lopende"
    assert routine.steps[0].hours == 2.5
    assert routine.questions[0].default == "nei" and routine.questions[1].default == "Stort"
    assert routine.questions[1].type == "choice"
    assert routine.steps[1].condition == Condition("ga4", "nei")
    assert routine.steps[2].date == DateRule("month", nth=-1)


@pytest.mark.parametrize(
    "old, new, key, field, line_with",
    [
        ("date: start+2", "date: start+x", "routine.rule_invalid", "steps[2].date", "start+x"),
        ("date: start+2", "date: 2027-03-01", "routine.rule_invalid", "steps[2].date", "2027-03-01"),
        ("date: frist-2", "date: måned:3", "routine.rule_monthly_in_avgrenset", "steps[3].date", "måned:3"),
        ("ga4 = nei", "gsc = nei", "routine.condition_unknown_question", "steps[2].condition", "gsc = nei"),
        ("ga4 = nei", "ga4 = kanskje", "routine.condition_value", "steps[2].condition", "kanskje"),
        ("ga4 = nei", "ga4 nei", "routine.condition_invalid", "steps[2].condition", "ga4 nei"),
        ("role: seo", "role: design", "routine.role_unknown", "steps[2].role", "design"),
        ("role: seo", "role: SEO", "routine.key_invalid", "steps[2].role", "role: SEO"),
        ("default: Lite", "default: Middels", "routine.default_not_choice", "questions[2].default", "Middels"),
        ("default: nei", "default: kanskje", "routine.default_not_choice", "questions[1].default", "kanskje"),
        ("title: Rapport", "title: oppstart", "routine.duplicate_step", "steps[3].title", "oppstart"),
        ("key: omfang", "key: ga4", "routine.duplicate_question", "questions[2].key", 12),
        ("choices: [Lite, Stort]", "choices: [Lite]", "routine.choices_missing", "questions[2].choices", "[Lite]"),
        ("choices: [Lite, Stort]", "choices: [Lite, lite]", "routine.choice_duplicate", "questions[2].choices",
         "[Lite, lite]"),
        ("type: yesno", "type: yesno\n    choices: [ja, nei]", "routine.choices_not_allowed",
         "questions[1].choices", "[ja, nei]"),
        ("type: choice", "type: flervalg", "routine.question_type_invalid", "questions[2].type", "flervalg"),
        ("key: ga4", "key: GA4", "routine.key_invalid", "questions[1].key", "GA4"),
        ("  seo: SEO-rådgiver", "  Seo Rolle: SEO", "routine.key_invalid", "roles.Seo Rolle", "Seo Rolle"),
        ("kind: avgrenset", "kind: fast", "routine.kind_invalid", "kind", "kind: fast"),
        ("name: test-rutine", "name: Test Rutine", "routine.name_invalid", "name", "name: Test"),
        ("title: Rapport", 'title: "Rap\\x85port"', "routine.text_control", "steps[3].title", "Rap"),
        ("title: Test", "title: 2027", "routine.not_text", "title", "title: 2027"),
        ("title: Test", "title: ''", "routine.text_empty", "title", "title: ''"),
        ("title: Rapport", "title: " + "x" * 301, "routine.text_too_long", "steps[3].title", "x" * 301),
        ("version: 1", "version: 0", "routine.number_min", "version", "version: 0"),
        ("version: 1", "version: 1.5", "routine.not_whole_number", "version", "version: 1.5"),
        ("hours: 2", "hours: mye", "routine.not_number", "steps[1].hours", "mye"),
        ("hours: 2", "hours: -1", "routine.number_min", "steps[1].hours", "hours: -1"),
        ("hours: 2", "hours: 1001", "routine.number_max", "steps[1].hours", "1001"),
        ("hours: 2", "timer: 2", "routine.field_unknown", "steps[1].timer", "timer: 2"),
        ("version: 1", "versjon: 1", "routine.field_unknown", "versjon", "versjon"),
        ("    date: start+0\n", "", "routine.field_missing", "steps[1].date", "- title: Oppstart"),
        ("title: Test\n", "", "routine.field_missing", "title", "name: test-rutine"),
        ("  - title: Rapport\n    date: frist-2\n", "  - Rapport\n", "routine.not_mapping", "steps[3]", "- Rapport"),
        ("roles:\n  seo: SEO-rådgiver\n", "roles: [seo]\n", "routine.not_mapping", "roles", "roles: [seo]"),
    ],
)
def test_each_mistake_is_named_with_its_field_and_line(old: str, new: str, key: str, field: str,
                                                       line_with: str | int) -> None:
    assert old in BASE
    text = BASE.replace(old, new, 1)
    error = refused(text)
    assert (error.key, error.field) == (key, field)
    assert error.line == (line_with if isinstance(line_with, int) else line_of(text, line_with))
    assert error.key in CATALOG["nb"]


def test_the_unknown_field_message_lists_the_known_ones() -> None:
    error = refused(BASE.replace("hours: 2", "timer: 2"))
    assert "hours" in error.params["known"] and "date" in error.params["known"]
    assert "«timer»" in t(error.key, "nb", **error.params)


def test_the_error_on_the_earliest_line_is_the_one_reported() -> None:
    text = BASE.replace("date: frist-2", "date: frist+2").replace("hours: 2", "hours: mye")
    assert refused(text).field == "steps[1].hours"
    text = BASE.replace("date: frist-2", "date: frist+2").replace("kind: avgrenset", "kind: fast")
    assert refused(text).field == "kind"


def test_the_message_names_the_line_the_field_and_how_to_write_it() -> None:
    error = refused(BASE.replace("start+2", "om to dager"))
    reason = t(error.key, "nb", **error.params)
    message = t("routine.at_line", "nb", line=error.line, field=error.field, reason=reason)
    assert message.startswith("Linje 23 (steps[2].date): Forstod ikke datoregelen «om to dager».")
    assert "frist-5" in message


@pytest.mark.parametrize("text", ["", "# bare en kommentar\n", "- a\n- b\n", "bare tekst\n", "42\n"])
def test_a_file_that_is_not_a_routine(text: str) -> None:
    error = refused(text)
    assert error.key == "routine.not_a_routine" and error.line == 1


@pytest.mark.parametrize(
    "text, line",
    [
        ("name: a\ntitle: [Test\nkind: avgrenset\n", 3),
        ("name: a\n  title: Test\n", 2),
        ("name: a\ntitle: Test\n\tkind: avgrenset\n", 3),
        ("name: a\n---\nname: b\n", 2),
    ],
)
def test_a_file_that_is_not_yaml(text: str, line: int) -> None:
    error = refused(text)
    assert error.key == "routine.yaml_invalid" and error.line == line


def test_a_key_written_twice_is_refused_not_silently_dropped() -> None:
    text = BASE + "steps:\n  - title: Bare denne\n    date: start+0\n"
    error = refused(text)
    assert (error.key, error.params["name"], error.line) == ("routine.duplicate_key", "steps", BASE.count("\n") + 1)
    error = refused(BASE.replace("    hours: 2\n", "    hours: 2\n    hours: 3\n"))
    assert (error.key, error.line) == ("routine.duplicate_key", line_of(BASE, "hours: 2") + 1)


def test_yaml_anchors_and_merges_may_be_used() -> None:
    text = BASE.replace("  - title: Rapport\n    date: frist-2\n",
                        "  - &rapport {title: Rapport, date: frist-2, hours: 1}\n"
                        "  - <<: *rapport\n    title: Sluttrapport\n    hours: 2\n")
    steps = load_routine(text).steps
    assert [(s.title, s.date.format(), s.hours) for s in steps[2:]] == [("Rapport", "frist-2", 1.0),
                                                                        ("Sluttrapport", "frist-2", 2.0)]


def test_a_huge_file_is_refused_before_it_is_read() -> None:
    assert refused("x" * 1_000_001).key == "routine.file_too_large"


def test_steps_are_one_to_two_hundred() -> None:
    steps = "".join(f"  - title: Steg {i}\n    date: start+{i % 50}\n" for i in range(MAX_STEPS))
    head = BASE.split("steps:")[0]
    assert len(load_routine(head + "steps:\n" + steps).steps) == MAX_STEPS
    error = refused(head + "steps:\n" + steps + "  - title: Ett for mye\n    date: start+1\n")
    assert (error.key, error.field, error.params["max"]) == ("routine.too_many_steps", "steps", MAX_STEPS)
    assert error.line == line_of(head, "steps:") if "steps:" in head else error.line == head.count("\n") + 1
    assert refused(head + "steps: []\n").key == "routine.no_steps"
    assert refused(head + "steps: Oppstart\n").key == "routine.not_list"


def test_errors_from_data_have_a_field_and_no_line() -> None:
    data = load_routine(BASE).model_dump(mode="json")
    data["steps"][1]["role"] = "design"
    with pytest.raises(RoutineError) as caught:
        build_routine(data)
    assert (caught.value.key, caught.value.field, caught.value.line) == ("routine.role_unknown", "steps[2].role", None)
    assert caught.value.loc == ("steps", 1, "role")


def test_a_routine_is_frozen() -> None:
    routine = load_routine(BASE)
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        routine.title = "Annet"  # type: ignore[misc]


# -- round trips --


def test_dump_reads_back_the_same_routine() -> None:
    routine = load_routine(BASE)
    text = dump_routine(routine)
    assert load_routine(text) == routine
    assert text.startswith("name: test-rutine\ntitle: Test\nversion: 1\nkind: avgrenset\n")
    assert "condition: ga4 = nei" in text and "date: start+2" in text


_texts = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1,
                 max_size=30).filter(lambda s: s.strip() != "")
_paragraphs = st.lists(_texts, min_size=1, max_size=3).map("\n".join)
_keys = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


@st.composite
def routines(draw: st.DrawFn) -> Routine:
    kind = draw(st.sampled_from(["avgrenset", "lopende"]))
    questions: list[dict[str, Any]] = []
    for key in draw(st.lists(_keys, max_size=3, unique=True)):
        if draw(st.booleans()):
            questions.append({"key": key, "text": draw(_texts), "type": "yesno",
                              "default": draw(st.sampled_from(["ja", "nei"]))})
        else:
            choices = draw(st.lists(_texts.map(str.strip), min_size=2, max_size=4, unique_by=str.casefold))
            questions.append({"key": key, "text": draw(_texts), "type": "choice", "choices": choices,
                              "default": draw(st.sampled_from(choices))})
    roles = {key: draw(_texts) for key in draw(st.lists(_keys, max_size=3))}
    monthly = st.builds(lambda nth: DateRule("month", nth=nth), st.integers(1, 20) | st.integers(-20, -1))
    once = st.builds(DateRule, st.sampled_from(["start", "deadline"]), st.integers(0, 1000))
    steps = []
    for title in draw(st.lists(_texts.map(str.strip), min_size=1, max_size=8, unique_by=str.casefold)):
        step: dict[str, Any] = {"title": title, "role": draw(st.sampled_from(["pl", *roles])),
                                "hours": draw(st.floats(0, 1000)),
                                "date": draw(once | monthly if kind == "lopende" else once).format()}
        if questions and draw(st.booleans()):
            question = draw(st.sampled_from(questions))
            value = draw(st.sampled_from(question.get("choices", ["ja", "nei"])))
            step["condition"] = Condition(question["key"], value, draw(st.booleans())).format()
        if draw(st.booleans()):
            step["description"] = draw(_paragraphs)
        steps.append(step)
    data: dict[str, Any] = {
        "name": draw(st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)),
        "title": draw(_texts), "version": draw(st.integers(1, 10**6)), "kind": kind, "roles": roles,
        "questions": questions, "steps": steps,
        "goals": [{"name": draw(_texts), "unit": draw(st.none() | st.sampled_from(["%", "klikk/mnd", "kr"]))}
                  for _ in range(draw(st.integers(0, 2)))],
    }
    if draw(st.booleans()):
        data["hours_frame"] = draw(st.floats(0.25, 100_000))
    if draw(st.booleans()):
        data["cost_frame"] = draw(st.integers(1, 1_000_000_000))
    return build_routine(data)


@settings(max_examples=150, deadline=None)
@given(routines())
def test_any_routine_survives_dump_and_load(routine: Routine) -> None:
    assert load_routine(dump_routine(routine)) == routine


@settings(max_examples=50, deadline=None)
@given(routines())
def test_any_routine_survives_its_plain_data(routine: Routine) -> None:
    assert build_routine(routine.model_dump(mode="json")) == routine


@settings(max_examples=200, deadline=None)
@given(st.text(string.printable + "æøåÆØÅ«»", max_size=200))
@example("{}:")  # a mapping as a key: found by this test (the duplicate-key check crashed with TypeError)
@example("[a]: 1\n[a]: 2")
def test_any_text_is_a_routine_or_a_routine_error(text: str) -> None:
    try:
        load_routine(text)
    except RoutineError as error:
        assert error.key in CATALOG["nb"]


# -- the built-ins --


def test_the_built_in_routines_load() -> None:
    routines = builtin_routines()
    assert {"seo-oppstart", "google-ads-kampanje", "ny-nettside", "some-lopende"} <= routines.keys()
    assert builtin_routines() == routines and builtin_routines() is not routines  # cached, a copy each call
    for name, routine in routines.items():
        assert routine.name == name and routine.version >= 1
        assert load_routine(dump_routine(routine)) == routine
    assert any(r.kind == "lopende" and any(s.date.monthly for s in r.steps) for r in routines.values())
    assert any(s.condition for s in routines["seo-oppstart"].steps)
    assert routines["seo-oppstart"].question("ga4") is not None
    assert len(routines["ny-nettside"].steps) >= 15 and routines["ny-nettside"].needs_deadline
    monthly = {s.date.format() for s in routines["some-lopende"].steps}
    assert {"måned:3", "måned:siste"} <= monthly


def test_a_mistake_in_a_built_in_file_is_pointed_at() -> None:
    from importlib import resources

    text = (resources.files("bot.domain.routines") / "builtin" / "seo-oppstart.yaml").read_text("utf-8")
    broken = text.replace("date: start+8\n    condition: lokal = ja", "date: start+8\n    condition: lokal = kanskje")
    error = refused(broken)
    assert error.key == "routine.condition_value" and error.field == "steps[8].condition"
    assert error.line == line_of(broken, "lokal = kanskje")
