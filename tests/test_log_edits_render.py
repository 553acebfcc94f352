"""Correcting a log, the pure parts: the hours field filled in reads back as the same minutes (hypothesis), the task
picker keeps the log's own task among Slack's 100 options, what changed and its history line (old → new), and the
fingerprint that tells a stale edit."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.log_edits import LogRef, LogState, changes, deleted_values, history_values, read_history
from bot.domain.parsing import MAX_HOURS, parse_hours
from bot.domain.readmodels import ProjectView, TaskView
from bot.slack.render.log_edits import edit_modal, history_text, hours_input

DAY = dt.date(2026, 11, 26)
STATE = LogState(minutes=150, logged_on=DAY, task_id=None, task=None, description="Annonser", percent=40,
                 billable=True)


@given(minutes=st.integers(min_value=1, max_value=MAX_HOURS * 60), lang=st.sampled_from(["nb", "en"]))
def test_the_hours_filled_in_read_back_as_the_same_minutes(minutes: int, lang: str) -> None:
    assert parse_hours(hours_input(minutes, lang)) == minutes


def test_the_task_picker_keeps_the_logs_task_however_many_tasks_there_are() -> None:
    project = ProjectView(id=1, number=3, name="Kampanje", customer="Tine", kind="avgrenset", state="active",
                          channel_id="C1", pm_user_id="U1", start=DAY, deadline=None, frame_minutes=None,
                          budget_nok=None, created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    tasks = [TaskView(n, f"Steg {n}", None, None, False) for n in range(1, 201)]
    view = edit_modal(lang="nb", channel_id="C1", project=project, tasks=tasks, log_id=9, owner="U2",
                      state=STATE.with_changes(task_id=150, task="Steg 150"))
    picker = next(b["element"] for b in view["blocks"] if b.get("block_id") == "task")
    assert len(picker["options"]) == 100 and picker["initial_option"]["value"] == "150"
    assert picker["options"][0]["value"] == "-"


def test_what_changed_field_by_field_and_its_history_line() -> None:
    new = STATE.with_changes(minutes=120, logged_on=DAY - dt.timedelta(days=1), task_id=7, task="Bannere",
                             description="Annonser <!channel>", percent=None, billable=False)
    found = changes(STATE, new)
    assert [c.field for c in found] == ["minutes", "logged_on", "task", "description", "percent", "billable"]
    assert changes(STATE, STATE) == []
    old_json, new_json = history_values(LogRef(9, "U2", DAY), found)
    read = read_history(old_json, new_json)
    assert read is not None
    assert history_text("log_changed", read, "nb") == (
        "endret loggen til <@U2> fra tor. 26. nov.: timer 2,5\u00a0t → 2\u00a0t, dato tor. 26. nov. → ons. 25. nov., "
        "oppgave – → «Bannere», tekst «Annonser» → «Annonser &lt;!channel&gt;», ferdig 40\u00a0% → –, "
        "fakturering fakturerbar → intern")
    deleted = read_history(deleted_values(LogRef(9, "U2", DAY), STATE), None)
    assert deleted is not None
    assert history_text("log_deleted", deleted, "en").startswith("deleted the log of <@U2> from Thu 26 Nov: hours 2.5")
    assert read_history("not json", None) is None and read_history('{"log": 1}', None) is None


def test_the_fingerprint_changes_with_every_field() -> None:
    others = [STATE.with_changes(minutes=151), STATE.with_changes(logged_on=DAY - dt.timedelta(days=1)),
              STATE.with_changes(task_id=1), STATE.with_changes(description="Annonser."),
              STATE.with_changes(percent=None), STATE.with_changes(billable=False)]
    assert len({STATE.fingerprint(), *(x.fingerprint() for x in others)}) == 7
