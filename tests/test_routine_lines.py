"""The routine editor's text (bot/domain/routines/lines.py): a routine as lines and back is the same routine, and
each mistake is a RoutineError on its input and line, with a message in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.routines import MAX_STEPS, Routine, RoutineError, builtin_routines
from bot.domain.routines.lines import FIELDS, routine_from_lines, routine_lines
from bot.slack.i18n import CATALOG
from bot.slack.render.routine_editor import routine_editor_modal, step_inputs
from tests.test_routine_files import routines

SEO = builtin_routines()["seo-oppstart"]


def back(routine: Routine, lang: str, *, per_field: int = 3) -> Routine:
    """Write the routine's lines, spread its steps over inputs of `per_field` steps, and read them again."""
    lines = routine_lines(routine, lang)
    chunks = [lines.steps[i : i + per_field] for i in range(0, len(lines.steps), per_field)]
    steps = [(f"steps.{n}", "\n".join(chunk)) for n, chunk in enumerate(chunks, 1)]
    return routine_from_lines(routine.name, routine.version, lines.values, [*steps, ("steps.new", "")])


@settings(max_examples=150, deadline=None)
@given(routines(), st.sampled_from(["nb", "en"]), st.integers(1, 4))
def test_any_routine_survives_its_lines(routine: Routine, lang: str, per_field: int) -> None:
    assert back(routine, lang, per_field=per_field) == routine


@pytest.mark.parametrize("name", sorted(builtin_routines()))
def test_the_built_ins_survive_their_lines(name: str) -> None:
    routine = builtin_routines()[name]
    assert back(routine, "nb") == routine == back(routine, "en", per_field=100)


def test_the_lines_read_as_people_write_them() -> None:
    lines = routine_lines(SEO, "nb")
    assert "ga4: Har kunden GA4 satt opp? | ja/nei | standard: nei" in lines.values["questions"].splitlines()
    assert lines.values["roles"].splitlines()[:2] == ["pl: Prosjektleder", "seo: SEO-rådgiver"]
    assert "Organiske klikk (klikk/mnd)" in lines.values["goals"].splitlines()
    ga4 = next(step for step in lines.steps if step.startswith("Sette opp GA4"))
    assert ga4.splitlines()[0] == "Sette opp GA4 og konverteringssporing | seo | 4 t | start+3 | når ga4 = nei"
    assert ga4.splitlines()[1].startswith("> GA4 via Tag Manager")
    english = routine_lines(SEO, "en")
    assert "| 4 h | start+3 | when ga4 = nei" in "\n".join(english.steps)
    assert "| yes/no | default: nei" in english.values["questions"]


def fields(**changes: str) -> dict[str, str]:
    base = {"title": "Test", "kind": "avgrenset", "roles": "seo: SEO", "goals": "Klikk (antall)",
            "questions": "ga4: Har kunden GA4? | ja/nei | standard: nei\n"
                         "omfang: Hvor stort? | valg: Lite, Stort | standard: Lite"}
    return {**base, **changes}


STEPS = "Oppstart | pl | 2 t | start+0\n> Møte\nGA4 | seo | 4 t | start+2 | når ga4 = nei\nRapport | 1 t | frist-2"


def read(steps: str = STEPS, more: str = "", **changes: str) -> Routine:
    return routine_from_lines("test", 1, fields(**changes), [("steps.1", steps), ("steps.2", more)])


def refused(steps: str = STEPS, more: str = "", **changes: str) -> RoutineError:
    with pytest.raises(RoutineError) as caught:
        read(steps, more, **changes)
    error = caught.value
    assert error.key in CATALOG["nb"] and error.key in CATALOG["en"], error
    return error


def test_people_may_leave_out_what_has_a_default_and_write_it_loosely() -> None:
    routine = read("Oppstart | start\nGA4 | start+2 | seo | når ga4=nei | 2,5t\n\n  > beskrivelse\n>\n> mer",
                   hours="40 t", cost="150 000 kr", roles="seo:SEO", goals="Klikk\nSalg (kr) \nA (b) ()")
    first, ga4 = routine.steps
    assert (first.role, first.hours, first.date.format(), first.condition) == ("pl", 0, "start+0", None)
    assert (ga4.role, ga4.hours, ga4.date.format(), str(ga4.condition)) == ("seo", 2.5, "start+2", "ga4 = nei")
    assert ga4.description == "beskrivelse\n\nmer"
    assert (routine.hours_frame, routine.cost_frame) == (40, 150_000)
    assert routine.roles == {"pl": "PL", "seo": "SEO"}
    assert [(g.name, g.unit) for g in routine.goals] == [("Klikk", None), ("Salg", "kr"), ("A (b)", None)]


def test_steps_are_read_across_inputs_in_order() -> None:
    routine = read("Første | start+0", "Andre | start+1\n> om andre")
    assert [s.title for s in routine.steps] == ["Første", "Andre"] and routine.steps[1].description == "om andre"


@pytest.mark.parametrize(("steps", "key", "line"), [
    ("Oppstart | start+0\nRevisjon | seo | 2 t | start+x", "routine.rule_invalid", 2),
    ("Oppstart | start+0\n> m\nRevisjon | seo | start+1 | når gsc = nei", "routine.condition_unknown_question", 3),
    ("Oppstart | design | start+0", "routine.role_unknown", 1),
    ("Oppstart | start+0 | når omfang = Enorm", "routine.condition_value", 1),
    ("Oppstart | start+0\nRapport | start+1\noppstart | frist-1", "routine.duplicate_step", 3),
    ("Oppstart | seo", "routine.edit.step_date", 1),
    ("> beskrivelse\nOppstart | start+0", "routine.edit.description_first", 1),
    ("Oppstart | seo | pl | start+0", "routine.edit.step_line", 1),
    ("Oppstart | måned:3", "routine.rule_monthly_in_avgrenset", 1),
])
def test_a_wrong_step_is_an_error_on_its_input_and_line(steps: str, key: str, line: int) -> None:
    error = refused(steps)
    assert (error.key, error.field, error.line) == (key, "steps.1", line)


def test_a_wrong_step_in_the_second_input_counts_lines_there() -> None:
    error = refused("Oppstart | start+0", "\nNy | seo | 1 t | frsit-3")
    assert (error.key, error.field, error.line, error.params["value"]) == ("routine.rule_invalid", "steps.2", 2,
                                                                          "frsit-3")


@pytest.mark.parametrize(("change", "key", "field", "line"), [
    ({"questions": "ga4: Har kunden GA4? | ja/nei | standard: kanskje"}, "routine.default_not_choice", "questions", 1),
    ({"questions": "ga4: GA4? | ja/nei | standard: nei\nomfang: Hvor? | valg: A | standard: A"},
     "routine.choices_missing", "questions", 2),
    ({"questions": "ga4 Har kunden GA4?"}, "routine.edit.question_line", "questions", 1),
    ({"questions": "ga4: Har kunden GA4? | ja/nei"}, "routine.edit.question_default", "questions", 1),
    ({"roles": "seo: SEO\n\nseo: SEO igjen"}, "routine.edit.role_twice", "roles", 3),
    ({"roles": "seo SEO"}, "routine.edit.role_line", "roles", 1),
    ({"roles": "seo: SEO\nSEO Team: x"}, "routine.key_invalid", "roles", 2),
    ({"goals": "Klikk\n" + "x" * 301}, "routine.text_too_long", "goals", 2),
    ({"hours": "mange"}, "routine.edit.hours", "hours", None),
    ({"cost": "dyrt"}, "parse.nok_invalid", "cost", None),
    ({"title": ""}, "routine.text_empty", "title", None),
])
def test_a_wrong_field_is_an_error_on_it(change: dict[str, str], key: str, field: str, line: int | None) -> None:
    error = refused(**change)
    assert (error.key, error.field, error.line) == (key, field, line)


def test_more_than_200_steps_is_refused_on_the_input_with_the_step_too_many() -> None:
    many = "\n".join(f"Steg {i} | start+{i}" for i in range(1, MAX_STEPS + 1))
    assert len(routine_from_lines("test", 1, fields(), [("steps.1", many)]).steps) == MAX_STEPS
    error = refused(many, "\nEtt til | start+0\nTo til | start+0")
    assert (error.key, error.field, error.line, error.params["max"]) == ("routine.too_many_steps", "steps.2", 2,
                                                                         MAX_STEPS)


def test_no_steps_is_refused_on_the_first_steps_input() -> None:
    error = refused("", "")
    assert (error.key, error.field) == ("routine.no_steps", "steps.1")


def test_separators_in_text_are_escaped_and_read_back() -> None:
    data: dict[str, Any] = {
        "name": "test", "title": "T", "kind": "avgrenset",
        "questions": [{"key": "q", "text": "A | B?", "type": "choice", "choices": ["x, y", "z|w", "a\\"],
                       "default": "x, y"}],
        "steps": [{"title": "> Start | nå \\ igjen\\", "date": "start+0", "condition": "q != z|w",
                   "description": "> sitat\n | strek"}],
    }
    from bot.domain.routines import build_routine

    routine = build_routine(data)
    lines = routine_lines(routine, "nb")
    assert lines.steps[0].startswith("\\> Start \\| nå \\ igjen\\\\ | pl | 0 t | start+0 | når q != z\\|w")
    assert back(routine, "nb") == routine


def test_steps_are_spread_over_inputs_that_fit_slack_with_room_to_type() -> None:
    steps = [f"Steg {i} | seo | 1 t | start+{i}" + (f"\n> {'beskrivelse ' * 125}" * 2 if i == 30 else "")
             for i in range(1, 61)]
    chunks = step_inputs(steps)
    assert chunks is not None
    assert "\n".join(text for text, _, _ in chunks) == "\n".join(steps)  # every line, in order, once
    assert all(len(text) <= 3000 for text, _, _ in chunks)
    # 25 to an input; step 30's long description goes on in the next input, which says so
    assert [(first, last) for _, first, last in chunks] == [(1, 25), (26, 30), (30, 55), (56, 60)]
    assert chunks[2][0].startswith("> beskrivelse")
    assert step_inputs(["Steg | start+0\n> " + "x" * 2999]) is None  # a line longer than an input holds


def test_a_routine_too_big_for_a_modal_is_not_shown_in_one() -> None:
    long = SEO.model_copy(update={"steps": [SEO.steps[0].model_copy(update={"description": "x" * 3000})]})
    assert routine_editor_modal(lang="nb", routine=long, builtin=False, channel_id="C1") is None
    view = routine_editor_modal(lang="nb", routine=SEO, builtin=True, channel_id="C1")
    assert view is not None and set(routine_lines(SEO, "nb").values) == set(FIELDS)
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == [*FIELDS, "steps.1", "steps.new"]
