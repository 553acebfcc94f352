"""Block Kit rendering is pure: checked here against the same rules the fake Slack enforces."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.health import FrameFigures, Health
from bot.domain.readmodels import GoalLine, HistoryLine, LogLine, ProjectView, Snapshot, TaskView
from bot.slack.render import bar, escape, shorten
from bot.slack.render.cards import render_help, render_history, render_project_card, render_project_list
from bot.slack.render.modals import frame_modal, goal_modal, log_modal, new_project_modal, submitted_values, task_modal
from fakeslack.validation import check_message, check_view
from tests.conftest import flat

TODAY = dt.date(2026, 11, 26)
LANGS = ("nb", "en")


def a_project(**values: object) -> ProjectView:
    base: dict[str, object] = dict(
        id=7, number=7, name="Nettside Fjordkraft", customer="Fjordkraft AS", kind="avgrenset", state="active",
        channel_id="C1", pm_user_id="U1", start=dt.date(2026, 11, 2), deadline=dt.date(2026, 12, 15),
        frame_minutes=120 * 60, budget_nok=150_000, created_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    base.update(values)
    return ProjectView(**base)  # type: ignore[arg-type]


def figures(**values: object) -> FrameFigures:
    base: dict[str, object] = dict(
        period_start=dt.date(2026, 11, 2), period_end=dt.date(2026, 12, 15), working_days_total=32,
        working_days_used=19, time_used_pct=59.4, hours_used_pct=85.0, progress_pct=50.0, schedule_index=0.84,
        cost_index=0.59, forecast_minutes=204 * 60, forecast_finish=dt.date(2027, 1, 12), minutes_left=18 * 60,
        days_overdue=0, days_quiet=1)
    base.update(values)
    return FrameFigures(**base)  # type: ignore[arg-type]


def snapshot(project: ProjectView, *, goals: int = 1, tasks: int = 2, logs: int = 3,
             text: str = "Skrev tekster") -> Snapshot:
    return Snapshot(
        project=project, figures=figures(), health=Health("red", "health.forecast_over",
                                                          {"forecast": 204.0, "frame": 120.0, "over": 70.0}),
        logged_minutes=102 * 60,
        goals=[GoalLine(title=f"Mål {i} {text}", target_value=10000.0, current_value=4500.0) for i in range(goals)],
        open_tasks=[TaskView(id=i, title=f"Oppgave {i} {text}", owner_user_id="U2",
                             deadline=TODAY + dt.timedelta(days=i) if i % 2 == 0 else None, done=False)
                    for i in range(tasks)],
        tasks_done=1,
        latest_logs=[LogLine(user_id="U2", minutes=150, description=f"{text} {i}", logged_on=TODAY)
                     for i in range(logs)],
    )


@pytest.mark.parametrize("lang", LANGS)
def test_card_shows_frames_health_and_why_goals_deadlines_logs_and_buttons(lang: str) -> None:
    blocks = render_project_card(snapshot(a_project()), lang)
    assert check_message({"blocks": blocks}) is None
    text = flat(blocks)
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": "P-7 · Nettside Fjordkraft",
                                                    "emoji": True}}
    assert "🔴" in text and ("Prognose 204 t, 70 % over rammen" if lang == "nb" else "70% over") in text
    if lang == "nb":
        assert "102 t av 120 t (85 %)" in text and "150 000 kr" in text and "tir. 15. des." in text
        assert "4 500 / 10 000 (45 %)" in text
    else:
        assert "102 h of 120 h (85%)" in text and "NOK 150,000" in text and "Tue 15 Dec" in text
    assert "`▓▓▓▓▓▓▓▓▓░`" in text or "`▓▓▓▓▓▓▓▓░░`" in text
    assert [b["action_id"] for b in blocks[-1]["elements"]] == ["card.log", "card.task", "card.frame", "card.deliver"]


def test_card_stays_within_block_kit_limits_with_huge_content() -> None:
    long = "ord " * 1500  # 6,000 characters of user text in every title and log
    blocks = render_project_card(snapshot(a_project(name="N" * 120), goals=40, tasks=60, logs=3, text=long), "nb")
    assert check_message({"blocks": blocks}) is None
    assert len(blocks) <= 50
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


def test_card_of_a_delivered_project_has_no_deliver_button_and_says_so() -> None:
    blocks = render_project_card(snapshot(a_project(state="delivered")), "nb")
    assert "card.deliver" not in str(blocks[-1])
    assert "*levert*" in str(blocks)


def test_escape_and_shorten() -> None:
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
    assert shorten("en to tre fire fem", 12) == "en to tre…"
    assert shorten("kort", 12) == "kort"
    assert len(shorten("x" * 50, 10)) == 10  # one long word is cut, as there is no boundary
    assert bar(40) == "▓▓▓▓░░░░░░" and bar(250) == "▓" * 10 and bar(None) == "░" * 10 and bar(-5) == "░" * 10


def test_a_list_of_hundreds_of_projects_is_split_into_sections_within_limits() -> None:
    rows = [(a_project(id=i, number=i, name=f"Prosjekt {i} " + "x" * 60), Health("green", "health.on_track", {}))
            for i in range(300)]
    blocks = render_project_list(rows, "Alle", "nb")
    assert check_message({"blocks": blocks}) is None
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks)


def test_history_shows_who_what_and_old_to_new_in_local_time() -> None:
    at = dt.datetime(2026, 11, 26, 9, 5, tzinfo=dt.UTC)
    entries = [HistoryLine(user_id="U9", at=at, action="frame_changed", field="deadline", old_value="2026-12-15",
                           new_value="2026-12-18"),
               HistoryLine(user_id="U9", at=at, action="frame_changed", field="frame_minutes", old_value="7200",
                           new_value="9600")]
    text = flat(render_history(a_project(), entries, "nb", "Europe/Oslo"))
    assert "tor. 26. nov. 10:05 · <@U9> endret Frist: tir. 15. des. 2026 → fre. 18. des. 2026" in text
    assert "endret Timeramme: 120 t → 160 t" in text


@pytest.mark.parametrize("lang", LANGS)
def test_every_modal_is_one_slack_accepts(lang: str) -> None:
    project = a_project(name="Et veldig langt prosjektnavn " * 5)
    tasks = [TaskView(id=i, title=f"Oppgave {i} " + "y" * 100, owner_user_id=None, deadline=None, done=False)
             for i in range(120)]
    views = [
        new_project_modal(lang=lang, channel_id="C1", user_id="U1", today=TODAY),
        log_modal(lang=lang, channel_id="C1", project=project, choices=[], tasks=tasks, day=TODAY),
        log_modal(lang=lang, channel_id="C1", project=None, choices=[project] * 150, tasks=[], day=TODAY),
        task_modal(lang=lang, channel_id="C1", project=project),
        frame_modal(lang=lang, channel_id="C1", project=project),
        goal_modal(lang=lang, channel_id="C1", project=project),
    ]
    for view in views:
        assert check_view(view, expect_type="modal") is None, view["callback_id"]


def test_frame_modal_is_prefilled_with_the_current_frames() -> None:
    view = frame_modal(lang="nb", channel_id="C1", project=a_project(frame_minutes=37 * 60 + 30))
    elements = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert elements["hours"]["initial_value"] == "37,5"
    assert elements["deadline"]["initial_date"] == "2026-12-15"
    assert elements["budget"]["initial_value"] == "150000"


def test_submitted_values_reads_every_element_type() -> None:
    view = {"state": {"values": {
        "name": {"value": {"type": "plain_text_input", "value": "X"}},
        "deadline": {"value": {"type": "datepicker", "selected_date": "2026-12-15"}},
        "pm": {"value": {"type": "users_select", "selected_user": "U1"}},
        "members": {"value": {"type": "multi_users_select", "selected_users": ["U2", "U3"]}},
        "channel": {"value": {"type": "conversations_select", "selected_conversation": "C9"}},
        "kind": {"value": {"type": "static_select", "selected_option": {"value": "lopende"}}},
        "task": {"value": {"type": "static_select", "selected_option": None}},
    }}}
    assert submitted_values(view) == {"name": "X", "deadline": "2026-12-15", "pm": "U1", "members": ["U2", "U3"],
                                      "channel": "C9", "kind": "lopende", "task": None}


def test_help_in_both_languages() -> None:
    for lang in LANGS:
        blocks = render_help(lang)
        assert check_message({"blocks": blocks}) is None
        assert "/prosjekt" in str(blocks)
