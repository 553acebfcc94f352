"""The nudge to log hours (docs/product.md §11), end to end over signed HTTP with the clock driven as `prosjektbot
clock` drives it: at 15:30 on a working day, a direct message to exactly the people on active projects who logged
nothing dated that day (checked when it is sent), sent once by two clocks, none on a holiday or to a deactivated
account; its buttons (the `logg` modal for the project chosen, *Ingen timer i dag*, *Slå av påminnelser*), and
`varsler av|på`. On a database of its own per test (conftest's `bot` in a module marked `own_database`)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.domain.rules import NudgeSettings
from fakeslack import FakeSlack
from storage.models import Followup, HistoryEntry, NudgePerson, ProgressLog, Project, Workspace
from tests.conftest import ADMIN, MEMBER, OTHER, PM, Bot, Clocks, at, flat
from tests.conftest import Clock as TimeNow

GONE = "UGONE0001"  # a member whose Slack account is deactivated
IDLE = "UIDLE0001"  # only on a paused project


pytestmark = pytest.mark.own_database  # a clock serves every workspace in its database


@pytest.fixture(autouse=True)
def people(fake: FakeSlack) -> None:
    fake.add_user(GONE, name="borte", deleted=True)
    fake.add_user(IDLE, name="idle")


def settings_view(bot: Bot) -> dict[str, Any]:
    count = len(bot.fake.calls_to("views.open"))
    assert bot.run("innstillinger", user=ADMIN) == {}
    return bot.fake.wait_for("views.open", count=count + 1)[-1].response["view"]


def nudges_on(bot: Bot, **values: Any) -> None:
    assert bot.slack.submit(settings_view(bot), {"nudge_on": ["enabled"], **values}, user=ADMIN).text == ""


def dms(bot: Bot, user: str) -> list[dict[str, Any]]:
    bot.settle()
    return bot.fake.messages(user)


def agency(bot: Bot, clock: TimeNow) -> None:
    """P-1 (Kari PL, Ola and the deactivated account members), P-2 (Kari PL, Per owns a task), P-3 paused (idle's)."""
    clock.now = at("2026-11-30", 10)
    bot.run(f"ny Nettside kunde:Tine frist:28.02.2027 medlemmer:<@{MEMBER}>,<@{GONE}>")
    bot.run("ny Kampanje kunde:Tine frist:28.02.2027", channel="CKAMPANJE")
    bot.run(f"oppgave P-2 Annonsetekster ansvarlig:<@{OTHER}>", channel="CKAMPANJE")
    bot.run(f"ny Pause kunde:Tine frist:28.02.2027 medlemmer:<@{IDLE}>", channel="CPAUSE")
    bot.run("pause P-3", channel="CPAUSE")


def test_the_nudge_at_1530_goes_once_to_exactly_those_who_logged_nothing_that_day(
        bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    agency(bot, clock)
    first, second = clocks(), clocks(separate=True)
    first.run_pass(at("2026-12-01", 15, 31))  # off by default: nothing
    assert dms(bot, OTHER) == [] and dms(bot, PM) == []
    nudges_on(bot)
    clock.now = at("2026-11-30", 15)
    bot.run("logg P-2 1t Tekster", user=OTHER)  # Per logged yesterday, not today
    clock.now = at("2026-12-01", 9, 50)
    bot.run("logg P-1 2t Utvikling", user=MEMBER)  # Ola logged in the morning
    first.run_pass(at("2026-12-01", 15, 29))  # before the slot: nothing planned
    with bot.svc.sessions() as session:
        assert session.scalars(select(Followup).where(Followup.rule.like("nudge%"))).all() == []
    clock.now = at("2026-12-01", 15, 29)
    bot.run("logg P-2 30m Oppfølging")  # Kari logs at 15:29
    for follow, minute in ((first, 30), (second, 30), (first, 31), (second, 32)):
        follow.run_pass(at("2026-12-01", 15, minute))
    [nudge] = dms(bot, OTHER)
    assert flat(nudge["text"]) == "⏱️ Du har ikke ført timer i dag"
    assert [b["text"]["text"] for b in nudge["blocks"][1]["elements"]] == ["P-2 Kampanje"]
    assert [b["text"]["text"] for b in nudge["blocks"][2]["elements"]] == ["Ingen timer i dag", "Slå av påminnelser"]
    assert dms(bot, PM) == [] and dms(bot, MEMBER) == []  # both logged something dated today
    assert dms(bot, GONE) == [] and dms(bot, IDLE) == [] and dms(bot, ADMIN) == []
    assert [c.args["user"] for c in bot.fake.calls_to("users.info") if c.args.get("user") == GONE] == [GONE]
    with bot.svc.sessions() as session:
        rows = {f.subject: (f.state, f.error) for f in session.scalars(
            select(Followup).where(Followup.team_id == bot.team_id, Followup.rule == "nudge"))}
        gone = session.get(NudgePerson, (bot.team_id, GONE))
    assert rows == {f"user:{PM}": ("cancelled", "logged"), f"user:{MEMBER}": ("cancelled", "logged"),
                    f"user:{OTHER}": ("sent", None), f"user:{GONE}": ("cancelled", "deactivated")}
    assert gone is not None and gone.deactivated
    # the next day, the account known to be gone is not even planned; Slack is asked only about the people it was
    # not asked about yet (Kari and Ola logged yesterday: their nudges went nowhere near Slack)
    asked = len(bot.fake.calls_to("users.info"))
    first.run_pass(at("2026-12-02", 15, 30))
    assert len(dms(bot, OTHER)) == 2 and len(dms(bot, PM)) == 1 and len(dms(bot, MEMBER)) == 1
    assert sorted(c.args["user"] for c in bot.fake.calls_to("users.info")[asked:]) == sorted([PM, MEMBER])
    with bot.svc.sessions() as session:
        assert session.scalars(select(Followup.subject).where(
            Followup.team_id == bot.team_id, Followup.occasion == "2026-12-02")).all().count(f"user:{GONE}") == 0
    # the account is reactivated: within a week of Slack's answer nothing changes; after it, Slack is asked again
    bot.fake.add_user(GONE, name="borte")
    first.run_pass(at("2026-12-07", 15, 30))
    assert dms(bot, GONE) == []
    first.run_pass(at("2026-12-09", 15, 30))
    assert [flat(m["text"]) for m in dms(bot, GONE)] == ["⏱️ Du har ikke ført timer i dag"]


def test_no_nudge_on_a_holiday_nor_on_a_day_left_out_and_the_time_is_the_settings(
        bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    agency(bot, clock)
    view = settings_view(bot)
    bad = bot.slack.submit(view, {"nudge_on": ["enabled"], "nudge_days": [], "nudge_time": "25:00"}, user=ADMIN)
    assert set(bad.json()["errors"]) == {"nudge_days", "nudge_time"}
    assert "Velg minst én dag" in flat(bad.json()["errors"]["nudge_days"])
    nudges_on(bot, nudge_time="10:00", nudge_days=["0", "1", "2", "3"])  # Monday–Thursday at 10
    follow = clocks()
    follow.run_pass(at("2026-12-01", 9, 59))
    assert dms(bot, OTHER) == []
    follow.run_pass(at("2026-12-01", 10, 0))
    assert len(dms(bot, OTHER)) == 1
    follow.run_pass(at("2026-12-04", 10, 1))  # a Friday, left out
    follow.run_pass(at("2026-12-24", 10, 1))  # Thursday 24 December: the week's last working day (see the Friday)
    follow.run_pass(at("2026-12-25", 10, 1))  # Christmas Day (and a Friday): no nudge of any kind
    follow.run_pass(at("2027-01-01", 10, 1))  # New Year's Day
    with bot.svc.sessions() as session:
        days = sorted({f.occasion for f in session.scalars(select(Followup).where(Followup.rule.like("nudge%")))})
    assert days == ["2026-12-01", "2026-12-24"]
    view = settings_view(bot)
    assert view["blocks"][[b.get("block_id") for b in view["blocks"]].index("nudge_time")]["element"][
        "initial_time"] == "10:00"


def test_a_project_button_opens_the_log_modal_for_that_project_and_the_log_is_saved(
        bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    """Up to five buttons: the projects logged on most in the last two weeks first."""
    clock.now = at("2026-11-23", 10)
    for n in range(1, 8):
        bot.run(f"ny Prosjekt{n} kunde:Tine frist:28.02.2027 medlemmer:<@{MEMBER}>", channel=f"CKANAL{n}")
    for key, hours in (("P-6", 3), ("P-2", 5), ("P-7", 1)):
        bot.run(f"logg {key} {hours}t Arbeid", user=MEMBER)  # on 23 November: within the two weeks
    clock.now = at("2026-11-10", 10)
    bot.run("logg P-1 9t Gammelt", user=MEMBER)  # long ago: does not count
    nudges_on(bot)
    clocks().run_pass(at("2026-12-02", 15, 30))
    [nudge] = dms(bot, MEMBER)
    buttons = nudge["blocks"][1]["elements"]
    assert [b["text"]["text"] for b in buttons] == ["P-2 Prosjekt2", "P-6 Prosjekt6", "P-7 Prosjekt7",
                                                    "P-1 Prosjekt1", "P-3 Prosjekt3"]
    clock.now = at("2026-12-02", 15, 35)  # Ola clicks a few minutes after it came
    opened = len(bot.fake.calls_to("views.open"))
    response = bot.slack.click(nudge, buttons[1]["action_id"], user=MEMBER, channel="D" + MEMBER[1:])
    assert response.status_code == 200
    view = bot.fake.wait_for("views.open", count=opened + 1)[-1].response["view"]
    assert view["callback_id"] == "progress.log" and "P-6" in flat(view["blocks"][0])
    assert view["blocks"][[b.get("block_id") for b in view["blocks"]].index("date")]["element"][
        "initial_date"] == "2026-12-02"  # the day it is about: today
    clock.now = at("2026-12-02", 15, 40)
    assert bot.slack.submit(view, {"hours": "1,5t", "description": "Fra påminnelsen"}, user=MEMBER).text == ""
    with bot.svc.sessions() as session:
        [log] = session.scalars(select(ProgressLog).where(ProgressLog.description == "Fra påminnelsen")).all()
        project = session.get(Project, log.project_id)
    assert project is not None and project.key == "P-6"
    assert (log.user_id, log.minutes, log.logged_on.isoformat()) == (MEMBER, 90, "2026-12-02")


def test_no_hours_today_dismisses_the_nudge_for_the_day(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    agency(bot, clock)
    nudges_on(bot)
    follow = clocks()
    follow.run_pass(at("2026-12-02", 15, 30))
    [nudge] = dms(bot, OTHER)
    assert bot.slack.click(nudge, "nudge.none_today", user=PM, channel="D" + OTHER[1:]).status_code == 200
    bot.settle()
    assert flat(dms(bot, OTHER)[0]["text"]) == "⏱️ Du har ikke ført timer i dag"  # someone else's click: nothing
    assert bot.slack.click(nudge, "nudge.none_today", user=OTHER, channel="D" + OTHER[1:]).status_code == 200
    [answered] = dms(bot, OTHER)
    assert answered["text"].startswith("👍 Ingen timer i dag: notert.")
    assert [b["text"]["text"] for b in answered["blocks"][1]["elements"]] == ["Slå av påminnelser"]
    follow.run_pass(at("2026-12-02", 16, 0))
    follow.run_pass(at("2026-12-02", 17, 0))
    assert len(dms(bot, OTHER)) == 1
    with bot.svc.sessions() as session:
        row = session.scalars(select(Followup).where(Followup.subject == f"user:{OTHER}")).one()
    assert (row.resolution, row.resolved_by) == ("dismissed", OTHER)


def test_switching_nudges_off_and_on_by_command_and_by_button(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    agency(bot, clock)
    assert flat(bot.run("varsler på", user=OTHER)["text"]) == (  # on already, but the workspace sends none yet
        "🔔 Påminnelsene dine er allerede slått på. (Arbeidsområdet sender ingen påminnelser ennå: en admin slår dem "
        "på i `/prosjekt innstillinger`.)")
    assert flat(bot.run("varsler", user=OTHER)["text"]).startswith("🔔 Påminnelser om timeføring er slått på")
    assert flat(bot.run("varsler kanskje", user=OTHER)["text"]).startswith(
        "«kanskje» går ikke: skriv `/prosjekt varsler av` eller `/prosjekt varsler på`.")
    assert flat(bot.run("notifications maybe", user=OTHER)["text"]).startswith("«maybe» går ikke: skriv")
    nudges_on(bot)
    assert flat(bot.run("varsler av", user=OTHER)["text"]).startswith("🔕 Påminnelser om timeføring er slått av")
    assert flat(bot.run("varsler av", user=OTHER)["text"]).startswith("🔕 Påminnelsene dine er allerede slått av")
    follow = clocks()
    follow.run_pass(at("2026-12-01", 15, 30))
    assert dms(bot, OTHER) == []
    with bot.svc.sessions() as session:  # not even planned
        assert session.scalars(select(Followup).where(Followup.subject == f"user:{OTHER}")).all() == []
    assert flat(bot.run("notifications on", user=OTHER)["text"]) == "🔔 Påminnelser om timeføring er slått på for deg."
    follow.run_pass(at("2026-12-02", 15, 30))
    [nudge] = dms(bot, OTHER)
    # off by the message's own button: the message says so and offers the way back
    assert bot.slack.click(nudge, "nudge.off", user=OTHER, channel="D" + OTHER[1:]).status_code == 200
    [answered] = dms(bot, OTHER)
    assert answered["text"].startswith("🔕 Påminnelser om timeføring er slått av for deg.")
    follow.run_pass(at("2026-12-03", 15, 30))
    assert len(dms(bot, OTHER)) == 1
    assert bot.slack.click(answered, "nudge.on", user=OTHER, channel="D" + OTHER[1:]).status_code == 200
    assert dms(bot, OTHER)[0]["text"] == "🔔 Påminnelser om timeføring er slått på for deg."
    follow.run_pass(at("2026-12-07", 15, 30))
    assert len(dms(bot, OTHER)) == 2
    # an admin sees nobody's choice: the settings modal names no person
    assert OTHER not in flat(settings_view(bot))


def test_on_the_weeks_last_working_day_everyone_gets_their_week_instead(
        bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    """Friday 4 December: the week's hours by day and by project, days without hours marked, to everyone with nudges
    on who is on an active project, logged today or not; once, by two clocks. With Christmas Day on a Friday, the
    week's comes on Thursday 24 December, and none on the 25th."""
    agency(bot, clock)
    nudges_on(bot)
    for day, hours in (("2026-12-01", "2t"), ("2026-12-03", "1,5t"), ("2026-12-04", "1t")):
        clock.now = at(day, 10)
        bot.run(f"logg P-1 {hours} Utvikling", user=MEMBER)  # Tuesday, Thursday and Friday (before the slot)
    first, second = clocks(), clocks(separate=True)
    assert bot.run("varsler av", user=PM)["text"].startswith("🔕")
    for follow in (first, second, first):
        follow.run_pass(at("2026-12-04", 15, 31))
    [week] = dms(bot, MEMBER)
    text = flat(week["blocks"])
    assert flat(week["text"]) == "Mine timer uke 49: 4,5 t (forrige uke: 0 t)"
    assert flat(week["blocks"][0]["text"]["text"]) == "📅 Uka di: 4,5 t ført"
    assert text.count("ingen timer") == 2  # Monday and Wednesday; Tuesday, Thursday and Friday have hours
    assert "*P-1* Nettside – 4,5 t" in text
    assert [e["text"]["text"] for e in week["blocks"][-1]["elements"]] == ["Slå av påminnelser"]
    [others] = dms(bot, OTHER)
    assert flat(others["blocks"]).count("ingen timer") == 5 and "Ingen timer ført denne uka ennå." in flat(others)
    assert dms(bot, PM) == [] and dms(bot, GONE) == [] and dms(bot, IDLE) == []  # off, deactivated, paused only
    with bot.svc.sessions() as session:
        rules = {f.rule for f in session.scalars(select(Followup).where(Followup.team_id == bot.team_id,
                                                                        Followup.rule.like("nudge%")))}
    assert rules == {"nudge_week"}  # instead of the daily one
    # Christmas week: Thursday 24 December is the last working day
    first.run_pass(at("2026-12-24", 15, 31))
    second.run_pass(at("2026-12-25", 15, 31))
    christmas = dms(bot, MEMBER)[-1]
    assert len(dms(bot, MEMBER)) == 2 and "Første juledag" in flat(christmas["blocks"])
    assert flat(christmas["text"]).startswith("Mine timer uke 52: 0 t")


def test_in_english_and_the_setting_in_the_history(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    agency(bot, clock)
    assert bot.slack.submit(settings_view(bot), {"language": "en", "nudge_on": ["enabled"], "nudge_time": "16:05"},
                            user=ADMIN).text == ""
    clocks().run_pass(at("2026-12-02", 16, 5))
    [nudge] = dms(bot, OTHER)
    assert flat(nudge["text"]) == "⏱️ You have not logged any hours today"
    assert [b["text"]["text"] for b in nudge["blocks"][2]["elements"]] == ["No hours today", "Turn off reminders"]
    assert flat(bot.run("notifications off", user=OTHER)["text"]).startswith("🔕 Reminders to log hours are off")
    with bot.svc.sessions() as session:
        changed = {(h.field, h.old_value, h.new_value) for h in session.scalars(
            select(HistoryEntry).where(HistoryEntry.team_id == bot.team_id, HistoryEntry.action == "settings"))}
    assert {("nudges.enabled", "off", "on"), ("nudges.hour", "15", "16"), ("nudges.minute", "30", "5")} <= changed
    assert not any(OTHER in str(entry) for entry in changed)  # a person's own choice is not in any history


def test_a_settings_form_without_the_nudges_fields_leaves_them_as_they_are(bot: Bot) -> None:
    """A form opened before the nudge existed (or any form without its fields) changes nothing of it."""
    nudges_on(bot, nudge_time="14:45")
    view = settings_view(bot)
    view = {**view, "blocks": [b for b in view["blocks"] if not str(b.get("block_id", "")).startswith("nudge_")
                               and "Påminnelse om timeføring" not in flat(b)]}
    assert bot.slack.submit(view, {"default_rate": "1000"}, user=ADMIN).text == ""
    with bot.svc.sessions() as session:
        workspace = session.get(Workspace, bot.team_id)
        assert workspace is not None and workspace.default_rate_nok == 1000
        assert NudgeSettings.from_json(workspace.nudges) == NudgeSettings(enabled=True, hour=14, minute=45)


def test_slack_telling_of_a_deactivated_account_stops_its_nudges_at_once_and_of_a_reactivation_starts_them(
        bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    agency(bot, clock)
    nudges_on(bot)
    first = clocks()
    first.run_pass(at("2026-12-01", 15, 30))
    assert len(dms(bot, MEMBER)) == 1  # Ola logged nothing: nudged, and Slack said the account is active

    def user_change(deleted: bool) -> None:
        bot.fake.add_user(MEMBER, name="ola", deleted=deleted)
        user = {"id": MEMBER, "team_id": bot.team_id, "name": "ola", "deleted": deleted, "profile": {}}
        assert bot.slack.event({"type": "user_change", "user": user, "event_ts": "1764600000.000100",
                                "cache_ts": 1764600000}).status_code == 200

    user_change(deleted=True)
    for junk in ({"type": "user_change", "user": "U1"}, {"type": "user_change"}):  # malformed: acked, ignored
        assert bot.slack.event(junk).status_code == 200
    first.run_pass(at("2026-12-02", 15, 30))
    assert len(dms(bot, MEMBER)) == 1  # without the event, a second nudge: Slack is asked at most once a week
    assert len(dms(bot, OTHER)) == 2  # the others are nudged as before
    user_change(deleted=False)
    first.run_pass(at("2026-12-03", 15, 30))
    assert len(dms(bot, MEMBER)) == 2
