"""Card buttons and modals, an English workspace, and Slack's own trouble (429, bot not in the channel)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.app import create_app
from bot.web import make_wsgi
from fakeslack import Sender
from storage.models import Goal, Project, Task, Workspace
from tests.conftest import ADMIN, MEMBER, PM, SECRET, Bot, flat, serve, settings_for

NEW = 'ny Kampanje kunde:Tine frist:15.12.2026 timer:40'


def test_task_button_opens_a_modal_whose_task_appears_on_the_card(bot: Bot) -> None:
    bot.run(NEW)
    card = bot.card()
    bot.slack.click(card, "card.task", user=MEMBER)
    view = bot.opened_view()
    assert view["callback_id"] == "task.new"
    assert bot.slack.submit(view, {"title": "Sette opp sporing", "owner": MEMBER, "deadline": "2026-12-01"},
                            user=MEMBER).text == ""
    bot.settle()
    assert "tir. 1. des. – Sette opp sporing" in flat(bot.fake.messages(bot.slack.channel_id)[-1]["blocks"])
    # a deadline in the past is refused on its field
    bot.slack.click(card, "card.task", user=MEMBER)
    view = bot.fake.wait_for("views.open", count=2)[-1].response["view"]
    refused = bot.slack.submit(view, {"title": "For sent", "deadline": "2026-11-01"}, user=MEMBER).json()
    assert list(refused["errors"]) == ["deadline"]
    with bot.svc.sessions() as session:
        assert [t.title for t in session.scalars(select(Task).where(Task.team_id == bot.team_id))] == [
            "Sette opp sporing"]


def test_frame_button_lets_the_pm_change_frames_in_a_prefilled_modal(bot: Bot) -> None:
    bot.run(NEW)
    bot.slack.click(bot.card(), "card.frame", user=PM)
    view = bot.opened_view()
    hours = next(b for b in view["blocks"] if b.get("block_id") == "hours")
    assert hours["element"]["initial_value"] == "40"
    assert bot.slack.submit(view, {"hours": "55,5", "deadline": "2026-12-22"}, user=PM).text == ""
    with bot.svc.sessions() as session:
        project = session.scalar(select(Project).where(Project.team_id == bot.team_id))
    assert project is not None and (project.frame_minutes, project.deadline) == (3330, dt.date(2026, 12, 22))
    # the admin may submit it too; a member who got hold of the modal may not
    bot.slack.click(bot.card(), "card.frame", user=ADMIN)
    view = bot.fake.wait_for("views.open", count=2)[-1].response["view"]
    refused = bot.slack.submit(view, {"hours": "1"}, user=MEMBER).json()
    assert "Bare prosjektlederen" in next(iter(refused["errors"].values()))
    assert bot.slack.submit(view, {"hours": "60"}, user=ADMIN).text == ""


def test_goal_and_log_modals_from_the_command(bot: Bot) -> None:
    bot.run(NEW)
    assert bot.run("mål P-1") == {}
    view = bot.opened_view()
    bot.slack.submit(view, {"title": "Leads", "target": "200", "current": "35"}, user=MEMBER)
    with bot.svc.sessions() as session:
        goal = session.scalar(select(Goal).where(Goal.team_id == bot.team_id))
    assert goal is not None and (goal.title, goal.target_value, goal.current_value) == ("Leads", 200.0, 35.0)
    assert bot.run("logg") == {}  # the channel's only project is chosen
    view = bot.fake.wait_for("views.open", count=2)[-1].response["view"]
    assert "P-1" in flat(view["blocks"][0])
    refused = bot.slack.submit(view, {"hours": "-2t"}, user=MEMBER).json()
    assert list(refused["errors"]) == ["hours"]
    assert bot.slack.submit(view, {"hours": "45m", "percent": "10"}, user=MEMBER).text == ""
    assert "0,8 t av 40 t" in flat(bot.card()["blocks"])


def test_log_from_a_channel_without_a_project_lets_you_pick_one(bot: Bot) -> None:
    bot.run(NEW)
    bot.run("logg", channel="C0ELSEWHERE")
    view = bot.opened_view()
    picker = next(b for b in view["blocks"] if b.get("block_id") == "project")
    [option] = picker["element"]["options"]
    bot.slack.submit(view, {"project": option["value"], "hours": "1t"}, user=MEMBER)
    bot.settle()
    assert "1 t av 40 t" in flat(bot.card()["blocks"])


def test_ephemeral_status_card_is_replaced_through_its_response_url(bot: Bot) -> None:
    bot.run(NEW)
    status = bot.run("status")
    assert status["response_type"] == "ephemeral"
    bot.fake.reset()
    bot.slack.click({"blocks": status["blocks"]}, "card.deliver", user=PM, ephemeral=True)
    bot.settle()
    [replaced] = bot.fake.calls_to("response_url")
    assert replaced.args["replace_original"] is True
    assert "card.deliver" not in flat(replaced.args["blocks"])


def test_an_english_workspace_gets_english_everywhere(fake, database_url, sessions, engine, clock) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings_for(fake, database_url, prosjekt_language="en"), session_factory=sessions, now=clock)
    base, server = serve(make_wsgi(app, engine))
    slack = Sender(url=f"{base}/slack/events", secret=SECRET, team_id="T0ENGLISH1", fake=fake)
    try:
        created = slack.command("new Launch customer:Acme deadline:friday hours:12", user=PM).json()
        assert created["text"].startswith("Created *P-1* Launch")
        logged = slack.command("log 1h 30m Kickoff 10%", user=PM).json()
        assert flat(logged["text"]) == "Logged 1.5 h on *P-1* Launch (1.5 h in all)."
        wrong = slack.command("log P-1 lots", user=PM).json()
        assert wrong["text"].startswith("Give the hours first") and "You wrote:" in wrong["text"]
        card = flat(slack.command("status", user=PM).json()["blocks"])
        assert "Fri 27 Nov" in card and "Log progress" in card and "Hours:" in card
        with app.services.sessions() as session:  # type: ignore[attr-defined]
            assert session.get(Workspace, "T0ENGLISH1").language == "en"  # type: ignore[union-attr]
    finally:
        server.shutdown()
        server.server_close()


def test_rate_limits_and_server_errors_from_slack_are_retried(bot: Bot) -> None:
    bot.run(NEW)
    card = bot.card()
    bot.fake.rate_limit_next("chat.update", retry_after=1)
    bot.fake.http_error_next("chat.update", status=503)
    bot.run("logg 2t Annonser")
    bot.settle()
    statuses = [c.status for c in bot.fake.calls_to("chat.update")]
    assert statuses == [429, 503, 200]
    assert "2 t av 40 t" in flat(bot.fake.messages(bot.slack.channel_id)[-1]["blocks"])
    assert bot.fake.messages(bot.slack.channel_id)[-1]["ts"] == card["ts"]


def test_a_channel_the_bot_cannot_post_in_gets_an_explanation_and_the_project_stands(bot: Bot) -> None:
    bot.fake.add_channel("C0PRIVATE1", name="hemmelig", is_member=False)
    answer = bot.run(NEW, channel="C0PRIVATE1")
    assert "P-1" in answer["text"]
    bot.settle()
    [explained] = bot.fake.calls_to("response_url")
    assert "/invite @Prosjektbot" in explained.args["text"]
    assert bot.fake.messages("C0PRIVATE1") == []
    with bot.svc.sessions() as session:
        project = session.scalar(select(Project).where(Project.team_id == bot.team_id))
    assert project is not None and project.card_ts is None


def test_a_channel_where_the_workspace_lets_no_bot_post_gets_the_same_explanation(bot: Bot) -> None:
    """restricted_action (an announcement channel, say) is one of the answers the clock already took as "cannot
    post here"; the card's post takes it the same way instead of losing the card."""
    bot.fake.fail_next("chat.postMessage", "restricted_action")
    assert "P-1" in bot.run(NEW)["text"]
    bot.settle()
    [explained] = bot.fake.calls_to("response_url")
    assert "/invite @Prosjektbot" in explained.args["text"] and "P-1" in explained.args["text"]
    with bot.svc.sessions() as session:
        project = session.scalar(select(Project).where(Project.team_id == bot.team_id))
    assert project is not None and project.card_ts is None


def test_a_change_made_while_the_new_card_is_on_its_way_still_reaches_the_card(bot: Bot) -> None:
    """The log lands before Slack has answered the card's chat.postMessage, so its ts is not known yet."""
    bot.fake.delay_next("chat.postMessage", 0.5)
    bot.run(NEW)
    assert "Logget" in bot.run("logg 3t Oppstart")["text"]
    assert "3 t av 40 t" in flat(bot.card()["blocks"])
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


def test_status_history_and_state_without_a_project_open_a_picker(bot: Bot) -> None:
    bot.run(NEW)
    bot.run('ny Annen kunde:Tine frist:15.12.2026')  # two active projects in the channel: no inference
    assert bot.run("status") == {}
    view = bot.opened_view()
    options = next(b for b in view["blocks"] if b.get("block_id") == "project")["element"]["options"]
    assert [o["text"]["text"] for o in options] == ["P-1 Kampanje", "P-2 Annen"]
    shown = bot.slack.submit(view, {"project": options[1]["value"]}, user=MEMBER).json()
    assert shown["response_action"] == "update"
    assert shown["view"]["title"]["text"] == "P-2" and "Annen" in flat(shown["view"]["blocks"])
    assert "card.log" not in flat(shown["view"]["blocks"])  # read-only in a modal
    bot.run("levert")
    view = bot.fake.wait_for("views.open", count=2)[-1].response["view"]
    assert view["title"]["text"] == "Marker levert"
    assert bot.slack.submit(view, {"project": options[0]["value"]}, user=PM).text == ""
    bot.settle()
    with bot.svc.sessions() as session:
        rows = session.execute(select(Project.number, Project.state).where(Project.team_id == bot.team_id))
        states = dict(rows.all())
    assert states == {1: "delivered", 2: "active"}
    assert "P-1 Kampanje er markert som levert" in bot.fake.calls_to("chat.postEphemeral")[-1].args["text"]
    assert "P-2" in bot.run("historikk")["text"]  # one active project left in the channel: inferred
    bot.run("historikk", channel="C0ELSEWHERE")  # none there: picked, delivered ones included
    view = bot.fake.wait_for("views.open", count=3)[-1].response["view"]
    picked = bot.slack.submit(view, {"project": options[0]["value"]}, user=MEMBER).json()
    assert "endret tilstand: aktiv → levert" in flat(picked["view"]["blocks"])
