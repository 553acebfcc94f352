"""The message shortcut *Logg som fremdrift*: any message becomes a progress log, through the `logg` modal
pre-filled with the message's text and a link to it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.usecases.shortcuts import readable
from storage.models import ProgressLog
from tests.conftest import MEMBER, PM, Bot, flat

NEW = "ny Kampanje kunde:Tine frist:15.12.2026 timer:40"


def logs(bot: Bot) -> list[tuple[str, int, str]]:
    with bot.svc.sessions() as session:
        rows = session.scalars(select(ProgressLog).where(ProgressLog.team_id == bot.team_id)
                               .order_by(ProgressLog.id)).all()
        return [(row.user_id, row.minutes, row.description) for row in rows]


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def test_a_message_becomes_a_progress_log(bot: Bot) -> None:
    bot.run(NEW)
    channel = bot.slack.channel_id
    text = "Ferdig med <https://tine.no/kampanje|landingssiden> for <@UKARI0001|kari> &amp; sendt til kunden"
    ts = bot.fake.add_message(channel, text, user=MEMBER)
    assert bot.slack.message_shortcut({"type": "message", "user": MEMBER, "ts": ts, "text": text},
                                      user=MEMBER).status_code == 200
    view = bot.opened_view()
    [link] = [c.response["permalink"] for c in bot.fake.calls_to("chat.getPermalink")]
    assert view["callback_id"] == "progress.log"
    assert block(view, "description")["element"]["initial_value"] == (
        f"Ferdig med landingssiden (https://tine.no/kampanje) for @kari & sendt til kunden\n{link}")
    assert block(view, "project")["element"]["initial_option"]["text"]["text"] == "P-1 Kampanje"
    assert f"Fra <{link}|en melding> i <#{channel}>" in flat(view["blocks"][0])
    for _ in range(2):  # a double submit logs once
        assert bot.slack.submit(view, {"hours": "1t 30m", "percent": "25"}, user=MEMBER).text == ""
    [(user, minutes, description)] = logs(bot)
    assert (user, minutes) == (MEMBER, 90) and description.endswith(link) and "landingssiden" in description
    card = flat(bot.card()["blocks"])
    assert "1,5 t av 40 t" in card and "25 %" in card
    assert flat(bot.fake.calls_to("chat.postEphemeral")[-1].args["text"]).startswith("Logget 1,5 t på *P-1* Kampanje")


def test_a_thread_reply_in_a_channel_without_a_project_lets_you_pick_one(bot: Bot) -> None:
    bot.run(NEW)
    bot.run("ny Nettside kunde:Fjordkraft frist:18.12.2026 timer:100", channel="C0ANDRE01")
    parent = bot.fake.add_message("C0PRAT0001", "Hvordan går det?", user=PM)
    reply = bot.fake.add_message("C0PRAT0001", "Skrev 3 annonser", user=MEMBER, thread_ts=parent)
    bot.slack.message_shortcut({"type": "message", "user": MEMBER, "ts": reply, "thread_ts": parent,
                                "text": "Skrev 3 annonser"}, user=MEMBER, channel="C0PRAT0001")
    view = bot.opened_view()
    picker = block(view, "project")["element"]
    assert "initial_option" not in picker
    assert [o["text"]["text"] for o in picker["options"]] == ["P-1 Kampanje", "P-2 Nettside"]
    assert f"?thread_ts={parent}&cid=C0PRAT0001" in block(view, "description")["element"]["initial_value"]
    refused = bot.slack.submit(view, {"project": picker["options"][1]["value"], "hours": "mange"}, user=MEMBER)
    assert list(refused.json()["errors"]) == ["hours"]
    assert logs(bot) == []
    bot.slack.submit(view, {"project": picker["options"][1]["value"], "hours": "2"}, user=MEMBER)
    assert [(u, m) for u, m, _ in logs(bot)] == [(MEMBER, 120)]
    assert "2 t av 100 t" in flat(bot.card("C0ANDRE01")["blocks"])


def test_without_projects_the_shortcut_says_how_to_start(bot: Bot) -> None:
    bot.slack.message_shortcut({"type": "message", "user": MEMBER, "ts": "1764150000.000100", "text": "Hei"},
                               user=MEMBER)
    bot.settle()
    [answer] = bot.fake.calls_to("response_url")
    assert answer.args["response_type"] == "ephemeral"
    assert answer.args["text"] == "Det finnes ingen aktive prosjekter ennå. Lag et med `/prosjekt ny`."
    assert bot.fake.calls_to("views.open") == []


def test_a_long_message_keeps_its_link_and_a_missing_permalink_still_opens_the_modal(bot: Bot) -> None:
    bot.run(NEW)
    long_text = "ord " * 800
    bot.slack.message_shortcut({"type": "message", "user": MEMBER, "ts": "1764150000.000200", "text": long_text},
                               user=MEMBER)
    view = bot.opened_view()
    description = block(view, "description")["element"]["initial_value"]
    assert len(description) <= 2000 and description.endswith("/p1764150000000200")
    bot.fake.fail_next("chat.getPermalink", "message_not_found")
    bot.slack.message_shortcut({"type": "message", "user": MEMBER, "ts": "1764150000.000300", "text": "Møte"},
                               user=MEMBER)
    view = bot.fake.wait_for("views.open", count=2)[-1].response["view"]
    assert block(view, "description")["element"]["initial_value"] == "Møte"


def test_slack_markup_reads_as_a_person_reads_it() -> None:
    assert readable("<!here> <#C1|kunde> <#C2> <@U1> <!subteam^S1|@design> <mailto:a@b.no|a@b.no> &lt;ok&gt;") == (
        "@here #kunde #C2 @U1 @design a@b.no (mailto:a@b.no) <ok>")
