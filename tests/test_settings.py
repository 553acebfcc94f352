"""`/prosjekt innstillinger`: workspace admins change language, time zone, the weekly summary and the follow-up
rules in a pre-filled modal; every change is recorded in history, and the clock plans again when it must."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from bot.domain.rules import FollowupRules, SummarySettings
from storage.models import HistoryEntry, Project, Workspace
from tests.conftest import ADMIN, MEMBER, PM, Bot, flat

NEW = "ny Kampanje kunde:Tine frist:15.12.2026 timer:40"


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def workspace(bot: Bot) -> Workspace:
    with bot.svc.sessions() as session:
        found = session.get(Workspace, bot.team_id)
        assert found is not None
        return found


def history(bot: Bot) -> list[tuple[str | None, str | None, str | None]]:
    with bot.svc.sessions() as session:
        rows = session.scalars(select(HistoryEntry).where(HistoryEntry.team_id == bot.team_id,
                                                          HistoryEntry.action == "settings")
                               .order_by(HistoryEntry.id)).all()
        assert all(row.project_id is None and row.user_id == ADMIN for row in rows)
        return [(row.field, row.old_value, row.new_value) for row in rows]


def open_settings(bot: Bot, *, channel: str | None = None) -> dict[str, Any]:
    count = len(bot.fake.calls_to("views.open"))
    assert bot.run("innstillinger", user=ADMIN, channel=channel) == {}
    return bot.fake.wait_for("views.open", count=count + 1)[-1].response["view"]


def test_only_workspace_admins_open_the_settings(bot: Bot) -> None:
    bot.run(NEW)
    for user in (PM, MEMBER):  # the PL of a project is no workspace admin
        refused = bot.run("innstillinger", user=user)
        assert refused["response_type"] == "ephemeral"
        assert refused["text"].startswith("Bare administratorer i arbeidsområdet kan endre innstillingene.")
    assert bot.run("settings", user=ADMIN) == {}
    view = bot.opened_view()
    assert view["callback_id"] == "workspace.settings"
    bot.settle()
    assert len(bot.fake.calls_to("views.open")) == 1
    assert {c.args["user"] for c in bot.fake.calls_to("users.info")} == {PM, MEMBER, ADMIN}


def test_the_modal_is_prefilled_with_the_current_settings(bot: Bot) -> None:
    view = open_settings(bot)
    assert block(view, "language")["element"]["initial_option"]["value"] == "nb"
    assert block(view, "timezone")["element"]["initial_value"] == "Europe/Oslo"
    assert block(view, "send_hour")["element"]["initial_value"] == "9"
    assert block(view, "ahead_days")["element"]["initial_value"] == "5, 1"
    assert block(view, "hours_thresholds")["element"]["initial_value"] == "80, 100"
    assert [block(view, name)["element"]["initial_value"] for name in
            ("nag_every", "max_nags", "min_time_used", "behind_points", "quiet_days")] == ["2", "5", "50", "20", "7"]
    switches = [o["value"] for o in block(view, "rules_on")["element"]["initial_options"]]
    assert switches == ["deadline_ahead", "deadline_today", "overdue", "hours_frame", "time_vs_progress", "quiet",
                        "pace"]
    assert [o["value"] for o in block(view, "summary_on")["element"]["initial_options"]] == ["enabled"]
    assert block(view, "summary_day")["element"]["initial_option"]["text"]["text"] == "Mandag"
    assert block(view, "summary_time")["element"]["initial_time"] == "09:00"
    assert block(view, "channel_summary")["element"]["initial_option"]["value"] == "default"
    assert "Som resten av arbeidsområdet (nå: på)" in flat(block(view, "channel_summary"))
    # in a direct message there is no channel to override
    dm = open_settings(bot, channel="D0ADMIN001")
    assert not any(b.get("block_id") == "channel_summary" for b in dm["blocks"])


def test_every_bad_field_gets_its_own_error_and_nothing_is_saved(bot: Bot) -> None:
    view = open_settings(bot)
    answer = bot.slack.submit(view, {
        "timezone": "Mars/Olympus", "send_hour": "24", "ahead_days": "5, 0", "nag_every": "to",
        "hours_thresholds": "100, 80", "min_time_used": "101", "quiet_days": "61",
        "summary_on": ["enabled", "portfolio"],
    }, user=ADMIN).json()
    assert answer["response_action"] == "errors"
    errors = answer["errors"]
    assert set(errors) == {"timezone", "send_hour", "ahead_days", "nag_every", "hours_thresholds", "min_time_used",
                           "quiet_days", "portfolio_channel"}
    assert errors["timezone"] == "Kjenner ikke tidssonen «Mars/Olympus». Skriv et IANA-navn, f.eks. Europe/Oslo."
    assert errors["send_hour"] == "Skriv et heltall fra 0 til 23 (du skrev «24»)."
    assert errors["hours_thresholds"].startswith("Skriv prosenter som heltall fra 1 til 200 i stigende rekkefølge")
    assert "fra 1 til 20" in errors["ahead_days"] and "fra 0 til 100" in errors["min_time_used"]
    assert "fra 1 til 60" in errors["quiet_days"]
    ws = workspace(bot)
    assert (ws.rules, ws.summary, ws.timezone) == (None, None, "Europe/Oslo")
    assert history(bot) == []
    # the user's text is shown inert in the error
    answer = bot.slack.submit(view, {"timezone": "<!channel>"}, user=ADMIN).json()
    assert answer["errors"] == {"timezone": "Kjenner ikke tidssonen «&lt;!channel&gt;». Skriv et IANA-navn, "
                                            "f.eks. Europe/Oslo."}


def test_saved_settings_are_stored_recorded_and_make_the_clock_plan_again(bot: Bot) -> None:
    bot.run(NEW)
    with bot.svc.sessions.begin() as session:
        session.execute(update(Project).where(Project.team_id == bot.team_id).values(replan=False))
    view = open_settings(bot)
    saved = bot.slack.submit(view, {
        "timezone": "europe/stockholm", "ahead_days": "3 1 10", "hours_thresholds": "75 %, 90, 110",
        "rules_on": ["deadline_ahead", "overdue", "hours_frame"], "summary_day": "4", "summary_time": "14:30",
        "summary_on": ["enabled", "portfolio"], "portfolio_channel": "CLEDELSE1",
    }, user=ADMIN)
    assert saved.text == ""
    ws = workspace(bot)
    rules, summary = FollowupRules.from_json(ws.rules), SummarySettings.from_json(ws.summary)
    assert ws.timezone == "Europe/Stockholm"
    assert (rules.ahead_days, rules.hours_thresholds) == ((10, 3, 1), (75, 90, 110))
    assert (rules.deadline_today, rules.time_vs_progress, rules.quiet, rules.overdue) == (False, False, False, True)
    assert (summary.weekday, summary.hour, summary.minute, summary.portfolio_channel) == (4, 14, 30, "CLEDELSE1")
    assert history(bot) == [
        ("timezone", "Europe/Oslo", "Europe/Stockholm"),
        ("rules.ahead_days", "5, 1", "10, 3, 1"),
        ("rules.deadline_today", "on", "off"),
        ("rules.hours_thresholds", "80, 100", "75, 90, 110"),
        ("rules.time_vs_progress", "on", "off"),
        ("rules.quiet", "on", "off"),
        ("rules.pace", "on", "off"),
        ("summary.weekday", "0", "4"),
        ("summary.hour", "9", "14"),
        ("summary.minute", "0", "30"),
        ("summary.portfolio_channel", None, "CLEDELSE1"),
    ]
    with bot.svc.sessions() as session:
        assert session.scalar(select(Project.replan).where(Project.team_id == bot.team_id)) is True
    bot.settle()
    confirm = bot.fake.calls_to("chat.postEphemeral")[-1].args
    assert (confirm["user"], confirm["text"]) == (ADMIN, "Innstillingene er lagret (11 endret). Se dem med "
                                                         "`/prosjekt innstillinger`.")
    # the modal now shows what was saved; a summary-only change does not make the clock plan again
    with bot.svc.sessions.begin() as session:
        session.execute(update(Project).where(Project.team_id == bot.team_id).values(replan=False))
    view = open_settings(bot)
    assert block(view, "ahead_days")["element"]["initial_value"] == "10, 3, 1"
    assert block(view, "portfolio_channel")["element"]["initial_conversation"] == "CLEDELSE1"
    assert bot.slack.submit(view, {"summary_day": "0"}, user=ADMIN).text == ""
    assert history(bot)[-1] == ("summary.weekday", "4", "0")
    with bot.svc.sessions() as session:
        assert session.scalar(select(Project.replan).where(Project.team_id == bot.team_id)) is False


def test_switching_the_language_answers_in_the_new_one(bot: Bot) -> None:
    view = open_settings(bot)
    bot.slack.submit(view, {"language": "en"}, user=ADMIN)
    bot.settle()
    assert bot.fake.calls_to("chat.postEphemeral")[-1].args["text"].startswith("The settings are saved (1 changed)")
    assert history(bot) == [("language", "nb", "en")]
    assert bot.run("hjelp")["text"] == "Prosjektbot – how to use /prosjekt"
    refused = bot.run("settings", user=PM)
    assert refused["text"].startswith("Only workspace admins can change the settings.")


def test_a_channel_can_switch_its_weekly_summary_off_and_back(bot: Bot) -> None:
    channel = bot.slack.channel_id
    view = open_settings(bot)
    bot.slack.submit(view, {"channel_summary": "off"}, user=ADMIN)
    assert SummarySettings.from_json(workspace(bot).summary).channels == {channel: False}
    assert not SummarySettings.from_json(workspace(bot).summary).channel_enabled(channel)
    again = open_settings(bot)
    assert block(again, "channel_summary")["element"]["initial_option"]["value"] == "off"
    # another channel's modal leaves this channel's override alone
    elsewhere = open_settings(bot, channel="C0ANDRE01")
    bot.slack.submit(elsewhere, {"channel_summary": "on"}, user=ADMIN)
    assert SummarySettings.from_json(workspace(bot).summary).channels == {channel: False, "C0ANDRE01": True}
    bot.slack.submit(again, {"channel_summary": "default"}, user=ADMIN)
    assert SummarySettings.from_json(workspace(bot).summary).channels == {"C0ANDRE01": True}
    assert history(bot) == [("summary.channel", f"{channel}=default", f"{channel}=off"),
                            ("summary.channel", "C0ANDRE01=default", "C0ANDRE01=on"),
                            ("summary.channel", f"{channel}=off", f"{channel}=default")]


def test_a_double_submit_changes_once_and_a_non_admin_cannot_submit(bot: Bot) -> None:
    view = open_settings(bot)
    refused = bot.slack.submit(view, {"send_hour": "8"}, user=MEMBER).json()
    assert refused["response_action"] == "errors"
    assert "Bare administratorer" in next(iter(refused["errors"].values()))
    assert history(bot) == []
    view = open_settings(bot)
    for _ in range(2):
        assert bot.slack.submit(view, {"send_hour": "8"}, user=ADMIN, view_id=view["id"]).text == ""
    assert history(bot) == [("rules.send_hour", "9", "8")]
    assert FollowupRules.from_json(workspace(bot).rules).send_hour == 8
