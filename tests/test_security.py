"""Signatures, replays, retries, escaping and workspace scoping, over real HTTP."""

from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from fakeslack import Sender
from storage.models import Project
from tests.conftest import MEMBER, PM, Bot


def projects_of(bot: Bot, team_id: str) -> int:
    with bot.svc.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Project).where(Project.team_id == team_id)) or 0)


NEW = 'ny Kampanje kunde:Tine frist:15.12.2026'


def test_unsigned_wrongly_signed_and_stale_requests_get_401_and_change_nothing(bot: Bot) -> None:
    body = bot.slack.command_body(NEW, user=PM)
    form = "application/x-www-form-urlencoded"
    assert bot.slack.signed_post(body, form, signature="v0=" + "0" * 64).status_code == 401
    stale = int(time.time()) - 6 * 60
    assert bot.slack.signed_post(body, form, timestamp=stale).status_code == 401
    tampered = Sender(url=bot.slack.url, secret="not-the-secret", team_id=bot.team_id, fake=bot.fake)
    assert tampered.command(NEW, user=PM).status_code == 401
    no_headers = bot.slack.session.post(bot.slack.url, data=body, headers={"Content-Type": form}, timeout=5)
    assert no_headers.status_code == 401
    assert projects_of(bot, bot.team_id) == 0
    assert bot.fake.calls_to("chat.postMessage") == []
    # the same body, signed correctly, works: the 401s were about the signature, not the body
    assert bot.slack.signed_post(body, form).status_code == 200
    assert projects_of(bot, bot.team_id) == 1


def test_a_project_named_channel_pings_nobody(bot: Bot) -> None:
    # Slack sends what the user typed as `<!channel>` and `&lt;` escapes (should_escape: true)
    answer = bot.run('ny "<!channel> &lt;!here&gt; <@U0BOSS>" kunde:"<!everyone> &amp; Co" frist:15.12.2026')
    assert "<!channel>" not in answer["text"]
    card = bot.card()
    rendered = json.dumps([b for b in card["blocks"] if b["type"] != "header"])
    for mention in ("<!channel>", "<!here>", "<!everyone>", "<@U0BOSS>"):
        assert mention not in rendered
    assert "&lt;!everyone&gt; &amp; Co" in rendered  # shown as typed, escaped once
    assert card["blocks"][0]["text"] == {"type": "plain_text", "text": "P-1 · <!channel> <!here> <@U0BOSS>",
                                         "emoji": True}  # plain text: Slack shows it literally
    assert "&lt;!channel&gt;" in answer["text"] and "&lt;!channel&gt;" in card["text"]
    assert "<!channel>" not in card["text"]
    listing = json.dumps(bot.run("liste")["blocks"])
    assert "<!channel>" not in listing and "&lt;!channel&gt;" in listing


def test_event_retries_take_effect_once(bot: Bot) -> None:
    event = {"type": "app_mention", "user": MEMBER, "text": "<@UBOT> hjelp", "ts": "1764150000.000100",
             "channel": bot.slack.channel_id, "event_ts": "1764150000.000100"}
    first = bot.slack.event(event, event_id="Ev0RETRY1")
    retry = bot.slack.event(event, event_id="Ev0RETRY1", retry=1)
    again = bot.slack.event(event, event_id="Ev0RETRY1", retry=2)
    assert first.status_code == retry.status_code == again.status_code == 200
    bot.settle()
    replies = bot.fake.calls_to("chat.postMessage")
    assert len(replies) == 1
    assert replies[0].args["thread_ts"] == "1764150000.000100"
    assert "/prosjekt hjelp" in replies[0].args["text"]
    bot.slack.event(event, event_id="Ev0OTHER2")  # a different event is a new one
    bot.settle()
    assert len(bot.fake.calls_to("chat.postMessage")) == 2


def test_workspaces_never_see_each_other(bot: Bot) -> None:
    bot.run(NEW)
    card = bot.card()
    other = Sender(url=bot.slack.url, secret=bot.slack.secret, team_id="T0OTHERTEAM", fake=bot.fake,
                     channel_id=bot.slack.channel_id)
    # same channel id, same key, another workspace: nothing is found
    answer = other.command("status P-1", user=PM).json()
    assert "Fant ikke prosjektet" in answer["text"]
    assert "Kampanje" not in json.dumps(other.command("liste alle", user=PM).json())
    # a button carrying a project id from another workspace finds nothing and changes nothing
    other.click(card, "card.deliver", user=PM)
    bot.settle()
    with bot.svc.sessions() as session:
        state = session.scalar(select(Project.state).where(Project.team_id == bot.team_id))
    assert state == "active"
    [why] = bot.fake.calls_to("chat.postEphemeral")
    assert "Fant ikke prosjektet" in why.args["text"]
    # and the other workspace numbers its own projects from 1
    assert "P-1" in other.command(NEW, user=PM).json()["text"]
    assert projects_of(bot, "T0OTHERTEAM") == 1 and projects_of(bot, bot.team_id) == 1


def test_what_the_user_typed_is_echoed_inert_in_every_error(bot: Bot) -> None:
    """Found by the fuzz test: an unknown project reference was echoed back as a live `<!channel>`."""
    bot.run(NEW)
    for text in ("status <!channel>", "logg <!here> 2t", 'ny "x" kunde:y type:<!everyone>',
                 "mål P-1 Trafikk mål:<!channel>", "logg P-1 <@U0BOSS>t"):
        answer = bot.run(text)["text"]
        assert "Du skrev:" in answer
        for live in ("<!channel>", "<!here>", "<!everyone>", "<@U0BOSS>"):
            assert live not in answer, (text, answer)
