"""The sandbox page's API on the stand-in (docs/sandbox.md), driven over real HTTP against the real bot: what the page
does reaches the bot as Slack sends it, and what the bot answers shows up where Slack would show it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from bot.clock.passes import Clock as FollowupClock
from fakeslack import FakeSlack, fill_state
from tests.conftest import MEMBER, PM, Bot, Clock, flat
from tests.test_reactions import late_task

NEW = "ny Kampanje kunde:Tine frist:15.12.2026 timer:40"


@dataclass
class Page:
    """The page's side: JSON reads and actions on the stand-in, as the browser sends them."""

    base: str
    channel: str

    def get(self, what: str, /, **params: str) -> dict[str, Any]:
        response = requests.get(f"{self.base}/sandbox/{what}", params=params, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def post(self, endpoint: str, /, **body: Any) -> dict[str, Any]:
        response = requests.post(f"{self.base}/sandbox/{endpoint}", json=body, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def messages(self, user: str) -> list[dict[str, Any]]:
        return self.get("messages", channel=self.channel, user=user)["messages"]

    def stack(self, user: str) -> list[dict[str, Any]]:
        return self.get("modal", user=user)["stack"]


@pytest.fixture
def page(bot: Bot, fake: FakeSlack) -> Iterator[Page]:
    """The stand-in connected to the bot under test (with the test's workspace), in a named channel."""
    fake.add_channel(bot.slack.channel_id, name="kunde-tine")
    fake.sender = bot.slack
    yield Page(fake.base, bot.slack.channel_id)
    fake.sender = None


def card_of(messages: list[dict[str, Any]]) -> dict[str, Any]:
    cards = [m for m in messages if any(b["type"] == "actions" for b in m.get("blocks", [])) and not m["ephemeral"]]
    assert cards, messages
    return cards[-1]


def block_of(message: dict[str, Any], action_id: str) -> str:
    return next(b["block_id"] for b in message["blocks"] if b["type"] == "actions"
                and any(e.get("action_id") == action_id for e in b["elements"]))


def test_a_slash_command_from_the_page_posts_the_card_and_shows_its_ack_only_to_the_user(bot: Bot, page: Page) -> None:
    assert page.post("command", user=PM, channel=page.channel, text=NEW) == {"ok": True}
    bot.settle()
    mine = page.messages(PM)
    card = card_of(mine)
    assert card["is_bot"] and card["user"] == "UBOT" and card["reply_count"] == 0 and card["reactions"] == []
    [ack] = [m for m in mine if m["ephemeral"]]
    assert "Opprettet *P-1* Kampanje" in flat(ack["text"]) and ack["is_bot"]
    theirs = page.messages(MEMBER)
    assert [m["ts"] for m in theirs] == [m["ts"] for m in mine if not m["ephemeral"]]
    assert [float(m["ts"]) for m in mine] == sorted(float(m["ts"]) for m in mine)
    # a command the bot refuses: the refusal is shown to the user only, nothing else changes
    assert page.post("command", user=PM, channel=page.channel, text="logg P-9 2t") == {"ok": True}
    refusals = [m for m in page.messages(PM) if m["ephemeral"]]
    assert len(refusals) == 2 and "P-9" in flat(refusals[-1]["text"])
    assert [m["ts"] for m in page.messages(MEMBER)] == [m["ts"] for m in theirs]


def test_a_card_button_opens_a_modal_that_shows_the_field_error_then_closes_and_updates_the_card(
        bot: Bot, page: Page) -> None:
    page.post("command", user=PM, channel=page.channel, text=NEW)
    bot.settle()
    card = card_of(page.messages(PM))
    source = {"channel": page.channel, "ts": card["ts"]}
    clicked = page.post("action", user=MEMBER, source=source, block_id=block_of(card, "card.task"),
                        action_id="card.task", action={})
    assert clicked == {"ok": True}
    bot.settle()
    [view] = page.stack(MEMBER)
    assert view["callback_id"] == "task.new" and view["id"] and view["hash"]
    assert page.stack(PM) == []
    # a deadline in the past: the bot's errors come back on their field and the modal stays open
    refused = page.post("submit", user=MEMBER, view_id=view["id"],
                        values=fill_state(view, {"title": "For sent", "deadline": "2026-11-01"}))
    assert refused["ok"] is True and list(refused["errors"]) == ["deadline"]
    assert [v["id"] for v in page.stack(MEMBER)] == [view["id"]]
    done = page.post("submit", user=MEMBER, view_id=view["id"],
                     values=fill_state(view, {"title": "Sette opp sporing", "owner": MEMBER, "deadline": "2026-12-01"}))
    assert done == {"ok": True} and page.stack(MEMBER) == []
    bot.settle()
    updated = next(m for m in page.messages(MEMBER) if m["ts"] == card["ts"])
    assert updated["edited"] and "Sette opp sporing" in flat(updated["blocks"])


def test_a_reaction_from_the_page_is_kept_and_reaches_the_bot(bot: Bot, page: Page, fake: FakeSlack) -> None:
    page.post("command", user=PM, channel=page.channel, text=NEW)
    bot.settle()
    card = card_of(page.messages(PM))
    assert page.post("react", user=MEMBER, channel=page.channel, ts=card["ts"], name="eyes", add=True) == {"ok": True}
    assert page.post("react", user=PM, channel=page.channel, ts=card["ts"], name="eyes", add=True) == {"ok": True}
    shown = next(m for m in page.messages(PM) if m["ts"] == card["ts"])
    assert shown["reactions"] == [{"name": "eyes", "users": [MEMBER, PM], "count": 2}]
    again = page.post("react", user=PM, channel=page.channel, ts=card["ts"], name="eyes", add=True)
    assert again == {"ok": False, "error": "already_reacted"}
    assert page.post("react", user=PM, channel=page.channel, ts=card["ts"], name="eyes", add=False) == {"ok": True}
    shown = next(m for m in page.messages(PM) if m["ts"] == card["ts"])
    assert shown["reactions"] == [{"name": "eyes", "users": [MEMBER], "count": 1}]


def test_a_check_mark_from_the_page_on_a_nag_completes_the_task_in_its_thread(
        bot: Bot, page: Page, follow: FollowupClock, clock: Clock) -> None:
    nag = late_task(bot, follow, clock)
    bot.fake.wait_for("reactions.add", count=3)  # the clock pre-adds ✅ ⏰ 👀 after posting
    shown = next(m for m in page.messages(MEMBER) if m["ts"] == nag["ts"])
    assert {r["name"] for r in shown["reactions"]} >= {"white_check_mark", "alarm_clock", "eyes"}  # the bot's own
    assert page.post("react", user=MEMBER, channel=page.channel, ts=nag["ts"], name="white_check_mark",
                     add=True) == {"ok": True}
    bot.settle()
    shown = next(m for m in page.messages(PM) if m["ts"] == nag["ts"])
    check = next(r for r in shown["reactions"] if r["name"] == "white_check_mark")
    assert check == {"name": "white_check_mark", "users": ["UBOT", MEMBER], "count": 2}
    assert shown["reply_count"] == 1 and shown["edited"]
    [parent, reply] = page.get("thread", channel=page.channel, ts=nag["ts"], user=PM)["messages"]
    assert parent["ts"] == nag["ts"] and reply["text"] == f"✅ <@{MEMBER}> markerte dette som ferdig."


def test_the_app_home_opened_from_the_page_is_published_for_that_user(bot: Bot, page: Page) -> None:
    assert page.get("home", user=PM)["view"] is None
    assert page.post("home", user=PM) == {"ok": True}
    bot.settle()
    view = page.get("home", user=PM)["view"]
    assert view["type"] == "home" and view["blocks"]
    assert page.get("home", user=MEMBER)["view"] is None


def test_a_message_shortcut_from_the_page_opens_the_log_modal_on_its_users_screen(bot: Bot, page: Page) -> None:
    page.post("command", user=PM, channel=page.channel, text=NEW)
    bot.settle()
    written = page.post("message", user=MEMBER, channel=page.channel, text="Satte opp sporing i GA4")
    assert written["ok"] and written["ts"]
    assert page.post("shortcut", user=MEMBER, channel=page.channel, ts=written["ts"],
                     callback_id="log_message") == {"ok": True}
    bot.settle()
    [view] = page.stack(MEMBER)
    assert "Satte opp sporing i GA4" in flat(view["blocks"])
    mine = [m for m in page.messages(MEMBER) if m["ts"] == written["ts"]]
    assert mine and not mine[0]["is_bot"] and mine[0]["user"] == MEMBER


def test_state_names_the_people_and_channels_and_has_no_time_without_a_clock(page: Page, fake: FakeSlack) -> None:
    state = page.get("state")
    assert state["team"]["id"] == "T0001" and state["bot"]["user_id"] == "UBOT" and state["zone"] == "Europe/Oslo"
    assert {"id": page.channel, "name": "kunde-tine"} in state["channels"]
    people = {p["id"]: p for p in state["people"]}
    assert "UBOT" not in people and people[PM]["name"] == "kari" and set(people[PM]) == {
        "id", "name", "real_name", "title", "is_admin"}
    assert state["now"] is None and isinstance(state["version"], int)
    no_clock = requests.post(f"{page.base}/sandbox/time", json={"to": "+1h"}, timeout=10)
    assert (no_clock.status_code, no_clock.json()) == (409, {"ok": False, "error": "no_clock"})
