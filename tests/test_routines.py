"""Planning a project from a routine and saving a project as one (bot/domain/routines/planning.py, saving.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.errors import UserError
from bot.domain.routines import (
    DateRule,
    Routine,
    RoutineError,
    SourceTask,
    build_routine,
    builtin_routines,
    plan_steps,
    routine_from_tasks,
    slugify,
    steps_for_month,
)
from bot.domain.routines.daterules import first_working_day
from bot.domain.routines.saving import anchor_rule
from bot.domain.workdays import add_working_days, is_working_day
from bot.slack.i18n import t

BUILTIN = builtin_routines()
SEO, ADS, WEB, SOME = (BUILTIN[name] for name in ("seo-oppstart", "google-ads-kampanje", "ny-nettside",
                                                  "some-lopende"))


def routine(*steps: dict[str, Any], kind: str = "avgrenset", **fields: Any) -> Routine:
    return build_routine({"name": "r", "title": "R", "kind": kind, **fields, "steps": list(steps)})


def titles(plan_or_steps: Any) -> list[str]:
    steps = getattr(plan_or_steps, "steps", plan_or_steps)
    return [step.title for step in steps]


def refused(**kwargs: Any) -> UserError:
    with pytest.raises(UserError) as caught:
        plan_steps(**kwargs)
    return caught.value


# -- dates, owners, the frame --


def test_a_routine_planned_with_its_defaults() -> None:
    plan = plan_steps(SEO, start=date(2027, 3, 1), deadline=date(2027, 4, 30), roles={"pl": "UPL", "seo": "USEO"})
    assert (plan.routine, plan.version, plan.kind) == ("seo-oppstart", 1, "avgrenset")
    assert plan.answers == {"ga4": "nei", "gsc": "nei", "lokal": "nei"}
    assert "Sette opp GA4 og konverteringssporing" in titles(plan)  # ga4 = nei
    assert "Optimalisere Google Bedriftsprofil" not in titles(plan)  # lokal = ja
    assert plan.skipped == 1 and plan.clamped == 0
    first, last = plan.steps[0], plan.steps[-1]
    assert (first.title, first.date, first.owner, first.minutes) == ("Oppstartsmøte med kunden", date(2027, 3, 1),
                                                                     "UPL", 120)
    assert (last.title, last.date, last.rule) == ("Avslutningsmøte med kunden", date(2027, 4, 30),
                                                  DateRule("deadline", 0))
    by_title = {step.title: step for step in plan.steps}
    assert by_title["Teknisk SEO-revisjon"].owner == "USEO"
    assert by_title["Rette tekniske feil"].owner == "UPL"  # nobody for utvikler: the PL
    # Easter 2027 (25, 26, 29 March) lies between: frist-8 from Friday 30 April is Tuesday 20 April
    assert by_title["Rette tekniske feil"].date == date(2027, 4, 20)
    assert [step.date for step in plan.steps] == sorted(step.date for step in plan.steps)
    assert plan.frame_minutes == sum(step.minutes for step in plan.steps) == 61 * 60


def test_answers_choose_the_steps_and_the_frame_follows() -> None:
    base = plan_steps(SEO, start=date(2027, 3, 1), deadline=date(2027, 4, 30))
    plan = plan_steps(SEO, start=date(2027, 3, 1), deadline=date(2027, 4, 30),
                      answers={"ga4": "Ja", "lokal": "yes"})
    assert plan.answers == {"ga4": "ja", "gsc": "nei", "lokal": "ja"}
    assert "Sette opp GA4 og konverteringssporing" not in titles(plan)
    assert "Optimalisere Google Bedriftsprofil" in titles(plan)
    assert plan.frame_minutes == base.frame_minutes - 4 * 60 + 3 * 60  # type: ignore[operator]
    ads = plan_steps(ADS, start=date(2027, 3, 1), deadline=date(2027, 5, 28),
                     answers={"kampanjetype": "performance max"})
    assert "Sette opp produktfeed i Merchant Center" in titles(ads)
    assert "Lage bannere i alle formater" not in titles(ads)


def test_a_negated_condition() -> None:
    r = routine({"title": "A", "date": "start+0"}, {"title": "B", "date": "start+1", "condition": "ga4 != ja"},
                questions=[{"key": "ga4", "text": "GA4?", "default": "ja"}])
    assert titles(plan_steps(r, start=date(2027, 3, 1), deadline=None)) == ["A"]
    assert titles(plan_steps(r, start=date(2027, 3, 1), deadline=None, answers={"ga4": "nei"})) == ["A", "B"]


def test_nobody_at_all_leaves_the_owner_empty() -> None:
    plan = plan_steps(ADS, start=date(2027, 3, 1), deadline=date(2027, 5, 28))
    assert {step.owner for step in plan.steps} == {None}


def test_steps_on_the_same_day_keep_the_routines_order() -> None:
    r = routine(*({"title": f"S{i}", "date": "frist-0" if i % 2 else "start+0"} for i in range(6)))
    plan = plan_steps(r, start=date(2027, 3, 1), deadline=date(2027, 3, 1))
    assert titles(plan) == ["S0", "S1", "S2", "S3", "S4", "S5"]


# -- clamping --


def test_steps_before_the_start_are_clamped_to_it() -> None:
    # a three-week website: wireframes at frist-40 would be in January
    plan = plan_steps(WEB, start=date(2027, 3, 1), deadline=date(2027, 3, 19))
    wireframes = next(step for step in plan.steps if step.title == "Wireframes")
    assert (wireframes.date, wireframes.clamped) == (date(2027, 3, 1), True)
    launch = next(step for step in plan.steps if step.title == "Lansering")
    assert (launch.date, launch.clamped) == (date(2027, 3, 19), False)
    assert plan.clamped == sum(step.clamped for step in plan.steps) > 0
    assert all(date(2027, 3, 1) <= step.date <= date(2027, 3, 19) for step in plan.steps)
    assert t("routine.clamped", "nb") == "komprimert"


def test_steps_after_the_deadline_are_clamped_to_it() -> None:
    # Saturday deadline: the last working day is Friday 12 March
    plan = plan_steps(ADS, start=date(2027, 3, 1), deadline=date(2027, 3, 13))
    by_title = {step.title: step for step in plan.steps}
    assert (by_title["Lansere kampanjen"].date, by_title["Lansere kampanjen"].clamped) == (date(2027, 3, 11), False)
    late = by_title["Optimalisering og budsjettjustering"]  # start+18
    assert (late.date, late.clamped) == (date(2027, 3, 12), True)
    assert by_title["Evalueringsmøte med kunden"].date == date(2027, 3, 12)
    assert not by_title["Evalueringsmøte med kunden"].clamped


def test_a_project_with_no_working_day_gets_everything_on_its_deadline() -> None:
    plan = plan_steps(SEO, start=date(2027, 3, 26), deadline=date(2027, 3, 28))  # Good Friday to Easter Sunday
    assert {step.date for step in plan.steps} == {date(2027, 3, 28)}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(BUILTIN)), st.dates(date(2026, 1, 1), date(2028, 12, 31)), st.integers(0, 120))
def test_every_planned_step_is_a_working_day_inside_the_project(name: str, start: date, length: int) -> None:
    deadline = start + timedelta(days=length)
    plan = plan_steps(BUILTIN[name], start=start, deadline=deadline)
    for step in plan.steps:
        assert start <= step.date <= deadline
        if not step.rule.monthly:
            unclamped = step.rule.date_for(start=start, deadline=deadline)
            assert step.clamped == (unclamped != step.date)
        if add_working_days(start, 0) != deadline and any(is_working_day(start + timedelta(days=d))
                                                           for d in range(length + 1)):
            assert is_working_day(step.date)


# -- refusals --


def test_a_deadline_routine_without_a_deadline_is_refused_on_the_deadline_field() -> None:
    error = refused(routine=WEB, start=date(2027, 3, 1), deadline=None)
    assert (error.key, error.field, error.params["routine"]) == ("routine.deadline_needed", "deadline", "Ny nettside")
    assert "frist" in t(error.key, "nb", **error.params)
    # only the steps the project gets count: without the deadline step, no deadline is needed
    r = routine({"title": "A", "date": "start+0"}, {"title": "B", "date": "frist-1", "condition": "x = ja"},
                questions=[{"key": "x", "text": "X?", "default": "nei"}])
    assert titles(plan_steps(r, start=date(2027, 3, 1), deadline=None)) == ["A"]
    assert refused(routine=r, start=date(2027, 3, 1), deadline=None, answers={"x": "ja"}).field == "deadline"


def test_a_deadline_before_the_start_is_refused() -> None:
    error = refused(routine=SEO, start=date(2027, 3, 1), deadline=date(2027, 2, 26))
    assert (error.key, error.field) == ("project.deadline_before_start", "deadline")


@pytest.mark.parametrize(
    "answers, key, field",
    [
        ({"gtm": "ja"}, "routine.answer_unknown_question", "answers.gtm"),
        ({"ga4": "kanskje"}, "routine.answer_invalid", "answers.ga4"),
        ({"ga4": ""}, "routine.answer_invalid", "answers.ga4"),
    ],
)
def test_bad_answers_are_refused_on_their_field(answers: dict[str, str], key: str, field: str) -> None:
    error = refused(routine=SEO, start=date(2027, 3, 1), deadline=date(2027, 4, 30), answers=answers)
    assert (error.key, error.field) == (key, field)
    for lang in ("nb", "en"):
        assert "{" not in t(error.key, lang, **error.params)


def test_a_choice_answer_not_among_the_choices() -> None:
    error = refused(routine=ADS, start=date(2027, 3, 1), deadline=date(2027, 5, 28),
                    answers={"kampanjetype": "TikTok"})
    assert (error.key, error.field) == ("routine.answer_invalid", "answers.kampanjetype")
    assert "Søk / Performance Max / Display / YouTube" in t(error.key, "nb", **error.params)


def test_a_role_the_routine_does_not_have_is_refused() -> None:
    error = refused(routine=SEO, start=date(2027, 3, 1), deadline=date(2027, 4, 30), roles={"design": "U1"})
    assert (error.key, error.field, error.params["role"]) == ("routine.role_unknown", "roles", "design")


# -- løpende --


def test_a_lopende_project_gets_its_first_months_steps_from_the_start() -> None:
    plan = plan_steps(SOME, start=date(2027, 1, 15), deadline=None, roles={"pl": "UPL"})
    assert plan.kind == "lopende" and plan.frame_minutes == 20 * 60  # the routine's monthly frame
    monthly = [step for step in plan.steps if step.rule.monthly]
    # måned:3 (6 January), måned:5 and måned:10 (15 January, the start itself) stay in the month
    assert "Månedsrapport til kunden" not in titles(monthly)
    assert "Statusmøte med kunden" not in titles(monthly)
    assert ("Optimalisere betalte annonser", date(2027, 1, 15)) in [(s.title, s.date) for s in monthly]
    assert ("Planlegge publiseringen for neste måned", date(2027, 1, 29)) in [(s.title, s.date) for s in monthly]
    assert titles(plan)[0] == "Oppstartsmøte" and plan.steps[0].owner == "UPL"


def test_monthly_steps_for_a_later_month() -> None:
    steps = steps_for_month(SOME, 2027, 5, start=date(2027, 1, 15), roles={"some": "USOME"})
    by_title = {step.title: step for step in steps}
    assert not any(step.rule.anchor == "start" for step in steps)  # the start's steps come once
    assert by_title["Månedsrapport til kunden"].date == date(2027, 5, 5)  # 3rd working day (6 May Ascension)
    assert by_title["Månedsrapport til kunden"].owner == "USOME"
    assert by_title["Planlegge publiseringen for neste måned"].date == date(2027, 5, 31)
    assert "Lage korte videoer" not in by_title  # video = nei
    with_video = steps_for_month(SOME, 2027, 5, start=date(2027, 1, 15), answers={"video": "ja", "annonsering": "nei"})
    assert "Lage korte videoer" in titles(with_video) and "Optimalisere betalte annonser" not in titles(with_video)
    assert [step.date for step in steps] == sorted(step.date for step in steps)


def test_a_month_that_starts_on_a_holiday() -> None:
    steps = steps_for_month(SOME, 2027, 1, start=date(2026, 11, 2))
    assert {s.title: s.date for s in steps}["Månedsrapport til kunden"] == date(2027, 1, 6)
    steps = steps_for_month(SOME, 2026, 5, start=date(2026, 1, 5))
    assert {s.title: s.date for s in steps}["Månedsrapport til kunden"] == date(2026, 5, 6)


def test_no_monthly_steps_before_the_start_or_after_the_deadline() -> None:
    assert steps_for_month(SOME, 2026, 12, start=date(2027, 1, 15)) == []
    assert steps_for_month(SOME, 2027, 7, start=date(2027, 1, 15), deadline=date(2027, 6, 30)) == []
    june = steps_for_month(SOME, 2027, 6, start=date(2027, 1, 15), deadline=date(2027, 6, 20))  # a Sunday
    late = [step for step in june if step.clamped]
    assert late and {step.date for step in late} == {date(2027, 6, 18)}
    assert all(step.date <= date(2027, 6, 20) for step in june)


def test_an_avgrenset_routine_has_no_monthly_steps() -> None:
    assert steps_for_month(SEO, 2027, 3, start=date(2027, 3, 1)) == []


def test_a_sixty_step_routine_plans_in_one_pass() -> None:
    steps = [{"title": f"Steg {i}", "date": f"start+{i}" if i % 2 else f"frist-{i}", "hours": 1.5}
             for i in range(60)]
    big = routine(*steps)
    plan = plan_steps(big, start=date(2027, 1, 4), deadline=date(2027, 6, 30))
    assert len(plan.steps) == 60 and plan.frame_minutes == 60 * 90
    assert plan.steps[0].date == date(2027, 1, 5) and plan.steps[-1].date == date(2027, 6, 30)
    for _ in range(100):  # linear in the steps: 100 plans of 60 steps take milliseconds, not seconds
        plan_steps(big, start=date(2027, 1, 4), deadline=date(2027, 6, 30))


# -- saving a project as a routine --


def test_a_task_anchors_to_the_nearer_end() -> None:
    start, deadline = date(2027, 3, 1), date(2027, 4, 30)
    assert anchor_rule(date(2027, 3, 3), start=start, deadline=deadline) == DateRule("start", 2)
    assert anchor_rule(date(2027, 4, 28), start=start, deadline=deadline) == DateRule("deadline", 2)
    assert anchor_rule(date(2027, 4, 1), start=start, deadline=deadline) == DateRule("start", 20)  # Easter between
    assert anchor_rule(None, start=start, deadline=deadline) == DateRule("start", 0)
    assert anchor_rule(date(2027, 2, 1), start=start, deadline=deadline) == DateRule("start", 0)
    assert anchor_rule(date(2027, 5, 10), start=start, deadline=deadline) == DateRule("deadline", 0)
    assert anchor_rule(date(2027, 4, 28), start=start, deadline=None) == DateRule("start", 39)
    # 1 .. 19 March has 15 working days: the 8th, 10 March, is 7 from each end, and a tie counts from the start
    assert anchor_rule(date(2027, 3, 10), start=start, deadline=date(2027, 3, 19)) == DateRule("start", 7)
    assert anchor_rule(date(2027, 3, 11), start=start, deadline=date(2027, 3, 19)) == DateRule("deadline", 6)
    # a deadline on Good Friday counts from Wednesday 24 March
    assert anchor_rule(date(2027, 3, 23), start=start, deadline=date(2027, 3, 26)) == DateRule("deadline", 1)


def test_a_project_saved_as_a_routine() -> None:
    start, deadline = date(2027, 3, 1), date(2027, 4, 30)
    tasks = [
        SourceTask("Oppstartsmøte", date(2027, 3, 1), owner="UPL", minutes=90),
        SourceTask("Teknisk revisjon", date(2027, 3, 10), owner="USEO", minutes=480, description="Alle sider"),
        SourceTask("teknisk revisjon", date(2027, 3, 12), owner="USEO"),
        SourceTask("Rapport", date(2027, 4, 28), owner="UFREMMED"),
        SourceTask("Uten dato", None),
    ]
    saved = routine_from_tasks("Lansering nettbutikk", tasks, start=start, deadline=deadline,
                               owners_to_roles={"UPL": "pl", "USEO": "seo"}, role_labels={"seo": "SEO-rådgiver"})
    assert (saved.name, saved.title, saved.version, saved.kind) == ("lansering-nettbutikk", "Lansering nettbutikk",
                                                                    1, "avgrenset")
    assert saved.roles == {"pl": "PL", "seo": "SEO-rådgiver"}
    assert [(s.title, s.role, s.minutes, s.date.format()) for s in saved.steps] == [
        ("Oppstartsmøte", "pl", 90, "start+0"),
        ("Teknisk revisjon", "seo", 480, "start+7"),
        ("teknisk revisjon (2)", "seo", 0, "start+9"),
        ("Rapport", "pl", 0, "frist-2"),
        ("Uten dato", "pl", 0, "start+0"),
    ]
    assert saved.steps[1].description == "Alle sider"
    # planned again on the same dates, every dated task is back on its day
    plan = plan_steps(saved, start=start, deadline=deadline, roles={"pl": "UPL", "seo": "USEO"})
    assert {(s.title, s.date) for s in plan.steps} >= {(t.title, t.deadline) for t in tasks[:2]}


def test_a_saved_lopende_project_keeps_its_monthly_frame() -> None:
    saved = routine_from_tasks("SoMe Tine", [SourceTask("Oppstart", date(2027, 1, 4))], start=date(2027, 1, 4),
                               deadline=None, owners_to_roles={}, kind="lopende", version=3, frame_minutes=1200,
                               goals=["Følgere"])
    assert (saved.kind, saved.version, saved.hours_frame, saved.goals[0].name) == ("lopende", 3, 20.0, "Følgere")


@settings(max_examples=60, deadline=None)
@given(st.dates(date(2026, 1, 1), date(2028, 6, 30)), st.integers(1, 200), st.lists(st.integers(0, 200), max_size=30))
def test_saving_and_planning_again_gives_the_same_working_days(start: date, length: int, days: list[int]) -> None:
    first = first_working_day(start)
    deadline = add_working_days(first, length)
    dated = sorted({add_working_days(first, min(d, length)) for d in days})
    tasks = [SourceTask(f"Oppgave {i}", day) for i, day in enumerate(dated)]
    if not tasks:
        return
    saved = routine_from_tasks("Prosjekt", tasks, start=start, deadline=deadline, owners_to_roles={})
    plan = plan_steps(saved, start=start, deadline=deadline)
    assert {(s.title, s.date) for s in plan.steps} == {(t.title, t.deadline) for t in tasks}
    assert plan.clamped == 0


def test_names_from_titles() -> None:
    assert slugify("Lansering nettbutikk") == "lansering-nettbutikk"
    assert slugify("SØK & Få kunder!") == "sok-fa-kunder"
    assert slugify("Ærlig talt: Café") == "aerlig-talt-cafe"
    assert len(slugify("x" * 100)) == 60
    with pytest.raises(RoutineError) as caught:
        routine_from_tasks("!!!", [SourceTask("A", None)], start=date(2027, 1, 4), deadline=None, owners_to_roles={})
    assert (caught.value.key, caught.value.field) == ("routine.name_invalid", "name")


def test_too_many_tasks_to_save() -> None:
    tasks = [SourceTask(f"Oppgave {i}", None) for i in range(201)]
    with pytest.raises(RoutineError) as caught:
        routine_from_tasks("Stort", tasks, start=date(2027, 1, 4), deadline=None, owners_to_roles={})
    assert (caught.value.key, caught.value.field) == ("routine.too_many_steps", "steps")
